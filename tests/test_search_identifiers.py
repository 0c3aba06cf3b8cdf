"""The identifiers a query names a paper by (catalog.search.identifiers)."""

import pytest

from catalog.search.identifiers import _identifiers


@pytest.mark.parametrize(
    ("text", "arxiv_ids", "keys"),
    [
        ("resnet 1512.03385", ["1512.03385"], []),
        ("arXiv: 1706.03762v5", ["1706.03762"], []),
        ("http://arxiv.org/abs/hep-th/9901001v2", ["hep-th/9901001"], []),
        (
            "doi:10.1038/nature14539.",
            [],
            ["url:doi.org/10.1038/nature14539", "url:dx.doi.org/10.1038/nature14539"],
        ),
        (
            "https://www.cs.toronto.edu/~hinton/absps/JMLRdropout.pdf",
            [],
            [
                "url:www.cs.toronto.edu/~hinton/absps/JMLRdropout.pdf",
                "url:cs.toronto.edu/~hinton/absps/JMLRdropout.pdf",
            ],
        ),
        # Numbers that are no arXiv ids: a version, a longer number, a year.
        ("GPT 3.5 and 1512.033851 in 2017", [], []),
    ],
)
def test_a_query_names_papers_by_arxiv_id_doi_or_address(text, arxiv_ids, keys):
    assert _identifiers(text) == (arxiv_ids, keys)
