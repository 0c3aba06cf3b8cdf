"""The pure markdown writer, read back by the pure parser (no database)."""

from io import StringIO

from catalog.exports.markdown import Catalog, select, write_markdown
from catalog.ingest.parsing import as_export, parse_reading_list


def topic(path: str, order: int = 0, **fields) -> dict:
    parts = path.split(" > ")
    return {
        "path": path,
        "name": parts[-1],
        "parent": " > ".join(parts[:-1]) or None,
        "order": order,
        "description": "",
        "sources": [],
        **fields,
    }


def paper(key: str, url: str, title: str, **fields) -> dict:
    return {
        "key": key,
        "url": url,
        "title": title,
        "short_name": None,
        "year": None,
        "date": None,
        "venue": None,
        "venue_year": None,
        "organisation": None,
        "notes": None,
        "alt_urls": [],
        "arxiv_id": None,
        "topics": [],
        "repositories": [],
        "sources": [],
        **fields,
    }


def read_back(catalog: Catalog) -> dict:
    out = StringIO()
    write_markdown(catalog, out)
    return as_export(parse_reading_list(out.getvalue(), name="list.md"))


def test_markup_in_titles_urls_with_parentheses_and_kind_words_survive():
    catalog = Catalog(
        title='A "quoted" title',
        topics=[topic("Course"), topic("Course > 3D [vision]", order=1)],
        papers=[
            paper(
                "url:doi.org/10.1016/S0019-9958(77)90354-0",
                "https://doi.org/10.1016/S0019-9958(77)90354-0",
                "Learning *fast* with [brackets] and_underscores <tags>",
                year=1977,
                organisation="Elsevier",
                topics=["Course > 3D [vision]"],
            )
        ],
    )

    parsed = read_back(catalog)

    assert parsed["title"] == 'A "quoted" title'
    assert parsed["topics"] == ["Course", "Course > 3D [vision]"]
    [written] = parsed["papers"]
    assert written["key"] == "url:doi.org/10.1016/S0019-9958(77)90354-0"
    assert written["title"] == (
        "Learning *fast* with [brackets] and_underscores <tags>"
    )
    assert (written["year"], written["organisation"]) == (1977, "Elsevier")
    assert written["topics"] == ["Course > 3D [vision]"]


def test_code_and_links_of_a_paper_keep_their_own_topics():
    """A repository in a paper's entry takes that entry's topic: one the
    paper has and the repository has not gets an entry without it."""
    key = "arxiv:1706.03762"
    catalog = Catalog(
        topics=[topic("NLP"), topic("Vision", order=1)],
        papers=[
            paper(
                key,
                "https://arxiv.org/abs/1706.03762",
                "Attention Is All You Need",
                year=2017,
                venue="NeurIPS",
                arxiv_id="1706.03762",
                topics=["NLP", "Vision"],
                repositories=["github.com/a/b"],
            )
        ],
        repositories=[
            {
                "key": "github.com/a/b",
                "url": "https://github.com/a/b",
                "framework": "pytorch",
                "topics": ["Vision"],
                "papers": [key],
            },
            {
                "key": "github.com/c/d",
                "url": "https://github.com/c/d",
                "framework": None,
                "topics": [],
                "papers": [key],
            },
        ],
        others=[
            {
                "url": "https://blog.example/attention",
                "title": None,
                "kind": "blog",
                "topics": ["NLP"],
                "paper": None,
            }
        ],
    )

    parsed = read_back(catalog)

    repositories = {r["key"]: r for r in parsed["repositories"]}
    assert repositories["github.com/a/b"]["topics"] == ["Vision"]
    assert repositories["github.com/a/b"]["framework"] == "pytorch"
    assert repositories["github.com/c/d"]["topics"] == []
    assert set(repositories["github.com/c/d"]["papers"]) == {key}
    [written] = parsed["papers"]
    assert sorted(written["topics"]) == ["NLP", "Vision"]
    assert written["venue"] == "NeurIPS"
    [blog] = parsed["others"]
    assert (blog["kind"], blog["title"], blog["topics"]) == ("blog", None, ["NLP"])


def test_selecting_a_topic_keeps_its_ancestors_headings_only():
    catalog = Catalog(
        topics=[topic("A"), topic("A > B"), topic("C", order=1)],
        papers=[
            paper("url:x.org/b.pdf", "https://x.org/b.pdf", "In B", topics=["A > B"]),
            paper("url:x.org/c.pdf", "https://x.org/c.pdf", "In C", topics=["C"]),
        ],
    )

    parsed = read_back(select(catalog, topic="A > B"))

    assert parsed["topics"] == ["A", "A > B"]
    assert [p["title"] for p in parsed["papers"]] == ["In B"]
