"""One record per paper: an arXiv paper and its published version, written
by lists as two records, are made one (catalog.ingest.versions), reported,
and an editor can split them again (catalog.curation.split)."""

import dataclasses

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog import curation
from catalog.ingest.importer import import_parsed_list
from catalog.ingest.parsing import PaperEntry, ParsedList, RepositoryEntry, TopicEntry
from catalog.models import Alias, Paper, PaperMerge, Repository
from tests.admin.helpers import run_action

TITLE = "Rich feature hierarchies for accurate object detection"
ARXIV = PaperEntry(
    key="arxiv:1311.2524",
    title=TITLE,
    url="https://arxiv.org/abs/1311.2524",
    line=4,
    arxiv_id="1311.2524",
    year=2013,
    topics=(("Detection",),),
    lines=(4,),
)
PUBLISHED = PaperEntry(
    key="url:openaccess.thecvf.com/rcnn.pdf",
    title="Rich Feature Hierarchies for Accurate Object Detection.",
    url="https://openaccess.thecvf.com/rcnn.pdf",
    line=9,
    year=2014,
    venue="CVPR",
    venue_year=2014,
    topics=(("Vision",),),
    lines=(9,),
)
CODE = RepositoryEntry(
    key="github.com/rbgirshick/rcnn",
    host="github.com",
    owner="rbgirshick",
    name="rcnn",
    url="https://github.com/rbgirshick/rcnn",
    line=10,
    papers=(PUBLISHED.key,),
)


def arxiv_list(*papers):
    return ParsedList(
        name="arxiv.md",
        title=None,
        topics=(TopicEntry(("Detection",), 1),),
        papers=papers or (ARXIV,),
    )


def published_list(*papers):
    return ParsedList(
        name="published.md",
        title=None,
        topics=(TopicEntry(("Vision",), 1),),
        papers=papers or (PUBLISHED,),
        repositories=(CODE,),
    )


def one_paper() -> dict:
    paper = Paper.objects.get()
    return {
        "key": paper.key,
        "urls": sorted([paper.url, *paper.alt_urls]),
        "venue": (paper.venue, paper.venue_year),
        "topics": sorted(t.path for t in paper.topics.all()),
        "code": [r.key for r in paper.repositories.all()],
    }


@pytest.mark.django_db
@pytest.mark.parametrize("order", ["arxiv first", "published first"])
def test_an_arxiv_paper_and_its_published_version_are_one_paper(order):
    lists = [arxiv_list(), published_list()]
    if order == "published first":
        lists.reverse()

    reports = [import_parsed_list(item) for item in lists]

    assert one_paper() == {
        "key": "arxiv:1311.2524",
        "urls": [
            "https://arxiv.org/abs/1311.2524",
            "https://openaccess.thecvf.com/rcnn.pdf",
        ],
        "venue": ("CVPR", 2014),
        "topics": ["Detection", "Vision"],
        "code": ["github.com/rbgirshick/rcnn"],
    }
    [merge] = reports[1].merges
    assert merge.into == "arxiv:1311.2524"
    assert {merge.key, merge.other} == {ARXIV.key, PUBLISHED.key}
    assert Alias.objects.filter(key=PUBLISHED.key).exists()
    assert PaperMerge.objects.get().merged_key == PUBLISHED.key


@pytest.mark.django_db
def test_one_list_holding_both_versions_makes_them_one():
    import_parsed_list(published_list(PUBLISHED, dataclasses.replace(ARXIV, line=12)))

    assert one_paper()["key"] == "arxiv:1311.2524"


@pytest.mark.django_db
def test_reimporting_after_a_merge_changes_nothing():
    import_parsed_list(published_list())
    import_parsed_list(arxiv_list())

    again = [import_parsed_list(published_list()), import_parsed_list(arxiv_list())]

    assert not any(report.changed or report.merges for report in again)
    assert Paper.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [
        {"title": "Rich feature hierarchies"},  # fewer than four words
        {"title": "Rich feature hierarchies for accurate segmentation"},
        {"year": 2016},  # more than a year apart
        {"year": None},
    ],
)
def test_versions_not_surely_one_paper_stay_apart(change):
    import_parsed_list(arxiv_list(dataclasses.replace(ARXIV, **change)))

    report = import_parsed_list(published_list())

    assert Paper.objects.count() == 2
    assert not report.merges


@pytest.mark.django_db
def test_a_title_two_arxiv_papers_share_merges_nothing():
    twin = dataclasses.replace(
        ARXIV,
        key="arxiv:1311.9999",
        arxiv_id="1311.9999",
        url="https://arxiv.org/abs/1311.9999",
    )
    import_parsed_list(arxiv_list(ARXIV, twin))

    report = import_parsed_list(published_list())

    assert Paper.objects.count() == 3
    assert not report.merges


@pytest.mark.django_db
def test_an_editor_splits_a_merge_and_imports_keep_them_apart():
    import_parsed_list(arxiv_list())
    import_parsed_list(published_list())

    paper = curation.split_merge(PaperMerge.objects.get())

    assert paper.key == PUBLISHED.key
    assert Paper.objects.get(key=ARXIV.key).alt_urls == []
    import_parsed_list(published_list())
    report = import_parsed_list(arxiv_list())
    assert not report.merges
    assert sorted(Paper.objects.values_list("key", flat=True)) == sorted(
        [ARXIV.key, PUBLISHED.key]
    )
    # Its code is its own again (the arXiv paper keeps what it was given).
    code = Repository.objects.get()
    assert PUBLISHED.key in [p.key for p in code.papers.all()]


@pytest.mark.django_db
def test_the_admin_action_splits_the_selected_merges(admin_client):
    import_parsed_list(arxiv_list())
    import_parsed_list(published_list())

    response = run_action(
        admin_client, PaperMerge, "split_selected", PaperMerge.objects.all()
    )

    assert response.status_code == 302
    assert PaperMerge.objects.get().split
    assert Paper.objects.count() == 2


@pytest.mark.django_db
def test_merges_past_the_databases_parameter_limit_are_written_in_batches(
    monkeypatch,
):
    """Rows of absorbed papers are repointed by batches of (absorbed,
    survivor) pairs that keep within the database's parameters per statement
    (SQLite's limit, lowered here to 5: two pairs a statement)."""
    titles = [f"Deep study number {n} of residual feature learning" for n in range(5)]
    arxiv = [
        dataclasses.replace(
            ARXIV,
            key=f"arxiv:1311.252{n}",
            url=f"https://arxiv.org/abs/1311.252{n}",
            arxiv_id=f"1311.252{n}",
            title=title,
        )
        for n, title in enumerate(titles)
    ]
    published = [
        dataclasses.replace(
            PUBLISHED, key=f"url:example.org/{n}.pdf", url=f"https://example.org/{n}.pdf",
            title=title, line=20 + n,
        )
        for n, title in enumerate(titles)
    ]  # fmt: skip
    import_parsed_list(arxiv_list(*arxiv))
    monkeypatch.setattr(connection.features, "max_query_params", 5)

    with CaptureQueriesContext(connection) as queries:
        report = import_parsed_list(published_list(*published))

    repoints = [q["sql"] for q in queries if "AS (VALUES" in q["sql"]]
    assert repoints and all(sql.count("), (") <= 1 for sql in repoints)
    assert len(report.merges) == 5
    assert sorted(Paper.objects.values_list("key", flat=True)) == [p.key for p in arxiv]
    assert sorted(Alias.objects.values_list("key", flat=True)) == sorted(
        p.key for p in published
    )


PDF = dataclasses.replace(
    PUBLISHED,
    key="url:openaccess.thecvf.com/content_ICCV_2017/papers/He_Mask_R-CNN_ICCV_2017_paper.pdf",
    url="http://openaccess.thecvf.com/content_ICCV_2017/papers/He_Mask_R-CNN_ICCV_2017_paper.pdf",
    title="Mask R-CNN",  # too short for a title to join versions
    year=None,
    venue=None,
    venue_year=None,
)
PAGE = dataclasses.replace(
    PDF,
    key="url:openaccess.thecvf.com/content_iccv_2017/html/He_Mask_R-CNN_ICCV_2017_paper.html",
    url="http://openaccess.thecvf.com/content_iccv_2017/html/He_Mask_R-CNN_ICCV_2017_paper.html",
    year=2017,
    venue="ICCV",
    venue_year=2017,
    topics=(("Detection",),),
)


@pytest.mark.django_db
@pytest.mark.parametrize("order", ["pdf first", "page first"])
def test_a_papers_pdf_and_its_page_are_one_paper_whatever_the_order(order):
    lists = [published_list(PDF), arxiv_list(PAGE)]
    if order == "page first":
        lists.reverse()

    reports = [import_parsed_list(item) for item in lists]

    # The first key survives, whichever list came first.
    assert one_paper() == {
        "key": PDF.key,
        "urls": sorted([PDF.url, PAGE.url]),
        "venue": ("ICCV", 2017),
        "topics": ["Detection", "Vision"],
        "code": [],
    }
    [merge] = reports[1].merges
    assert merge.into == PDF.key
    assert Alias.objects.filter(key=PAGE.key).exists()
    again = [import_parsed_list(item) for item in lists]
    assert not any(report.changed or report.merges for report in again)


@pytest.mark.django_db
def test_one_list_with_a_paper_on_a_site_and_its_mirror_makes_them_one():
    mirror = dataclasses.replace(
        PAGE,
        key="url:www.cv-foundation.org/openaccess/content_iccv_2017/papers/"
        "He_Mask_R-CNN_ICCV_2017_paper.pdf",
        url="http://www.cv-foundation.org/openaccess/content_iccv_2017/papers/"
        "He_Mask_R-CNN_ICCV_2017_paper.pdf",
        line=12,
    )
    import_parsed_list(published_list(PAGE, mirror))

    assert one_paper()["key"] == PAGE.key


@pytest.mark.django_db
def test_an_arxiv_paper_keeps_the_published_copies_it_absorbed_and_their_mirrors():
    import_parsed_list(arxiv_list())
    import_parsed_list(published_list())  # joins the arXiv paper by its title
    mirror = dataclasses.replace(
        PUBLISHED,
        key="url:www.openaccess.thecvf.com/rcnn.pdf",
        url="https://www.openaccess.thecvf.com/rcnn.pdf",
        title="R-CNN",
        year=None,
    )

    import_parsed_list(dataclasses.replace(published_list(mirror), name="mirror.md"))

    assert one_paper()["key"] == ARXIV.key
