"""Titles and every other field of a paper that several lists hold are
chosen by rule (catalog.ingest.ranking, catalog.ingest.joins), never by
the order the lists arrive in."""

import dataclasses
import itertools

import pytest

from catalog.ingest import ranking
from catalog.ingest.importer import import_parsed_list
from catalog.ingest.parsing import PaperEntry, ParsedList
from catalog.models import Paper

KEY = "arxiv:1512.03385"
FULL = "Deep Residual Learning for Image Recognition"


@pytest.mark.parametrize(
    "worse, better",
    [
        ("paper", "ResNet"),
        ("[Arxiv 27 May 2021]", "ResNet"),
        ("[Pytorch]", "ResNet"),
        ("ResNet", FULL),
        (f"{FULL} (CVPR 2016)", FULL),
        ("Fast R-CNN, Microsoft Research", "Fast R-CNN"),
        ("Deep learning (2015), Y. LeCun, Y. Bengio and G. Hinton", "Deep learning"),
        ("Krause et al., (2017)", "Dynamic Evaluation"),
        ("Deep residual learning for image recognition", FULL),
    ],
)
def test_the_fuller_real_title_ranks_higher(worse, better):
    assert ranking.title_rank(better) > ranking.title_rank(worse)
    assert (
        ranking.best_title(worse, better) == better == ranking.best_title(better, worse)
    )


@pytest.mark.parametrize(
    "text",
    [
        "paper",
        "pdf",
        "code",
        "[Pytorch]",
        "[Arxiv 27 May 2021]",
        "[CVPR 2023]",
        "Video",
    ],
)
def test_link_texts_are_never_titles(text):
    assert ranking.title_class(text) == ranking.TitleClass.LINK_TEXT


def test_a_phrase_the_parser_flags_is_no_short_name_unless_it_is_a_name():
    """Lower-case words ("this survey paper") name no paper: kept neither as
    title nor as short name; a flagged name (YOLOv3) is a short name."""
    flagged = ranking.title_class("this survey paper", short_name_flag=True)
    assert flagged == ranking.TitleClass.LINK_TEXT
    name = ranking.title_class("YOLOv3", short_name_flag=True)
    assert name == ranking.TitleClass.SHORT_NAME


def paper(title, *, line=3, short_name=None, **fields):
    return PaperEntry(
        key=KEY,
        title=title,
        url="https://arxiv.org/abs/1512.03385",
        line=line,
        arxiv_id="1512.03385",
        short_name=short_name,
        lines=(line,),
        **fields,
    )


def parsed(name, *papers):
    return ParsedList(name=name, title=None, topics=(), papers=papers)


def import_in_order(lists):
    for item in lists:
        import_parsed_list(item)
    row = Paper.objects.get(key=KEY)
    result = {
        f: getattr(row, f)
        for f in (
            "title",
            "short_name",
            "year",
            "venue",
            "venue_year",
            "url",
            "alt_urls",
            "notes",
        )
    }
    Paper.objects.all().delete()
    return result


@pytest.mark.django_db
def test_a_papers_fields_do_not_depend_on_the_import_order():
    lists = [
        parsed("a.md", paper("ResNet", year=2015)),
        parsed(
            "b.md",
            dataclasses.replace(
                paper(
                    FULL, year=2016, venue="CVPR", venue_year=2016, notes="Residual."
                ),
                url="https://arxiv.org/pdf/1512.03385.pdf",
            ),
        ),
        parsed("c.md", paper("paper", alt_urls=("https://example.org/resnet",))),
    ]

    results = [import_in_order(order) for order in itertools.permutations(lists)]

    assert results[0] == {
        "title": FULL,
        "short_name": "ResNet",
        "year": 2016,
        "venue": "CVPR",
        "venue_year": 2016,
        "url": "https://arxiv.org/abs/1512.03385",
        "alt_urls": [
            "https://arxiv.org/pdf/1512.03385.pdf",
            "https://example.org/resnet",
        ],
        "notes": "Residual.",
    }
    assert all(result == results[0] for result in results)


@pytest.mark.django_db
def test_a_title_lent_as_a_stand_in_and_in_other_case_joins_alike_in_either_order():
    """A list whose entry lends its title to a second link (flagged as a
    stand-in) and a list giving the same title in other case: the same title
    and no short name, whichever comes first."""
    lent = dataclasses.replace(paper(FULL, year=2016), title_is_short_name=True)
    plain = paper(FULL.lower(), year=2016)
    results = [
        import_in_order(order)
        for order in itertools.permutations(
            [parsed("a.md", lent), parsed("b.md", plain)]
        )
    ]
    assert [r["short_name"] for r in results] == ["", ""]
    assert results[0]["title"] == results[1]["title"]


@pytest.mark.django_db
def test_a_short_name_alone_stays_the_title_until_a_list_gives_the_full_one():
    import_parsed_list(parsed("a.md", paper("ResNet")))
    assert Paper.objects.values_list("title", "short_name").get() == ("ResNet", "")

    import_parsed_list(parsed("b.md", paper(FULL)))

    assert Paper.objects.values_list("title", "short_name").get() == (FULL, "ResNet")


@pytest.mark.django_db
def test_a_list_alone_holding_a_paper_still_changes_its_title():
    import_parsed_list(parsed("a.md", paper(FULL)))

    import_parsed_list(parsed("a.md", paper("Residual networks, revised")))

    assert Paper.objects.get().title == "Residual networks, revised"


@pytest.mark.django_db
def test_an_editors_title_wins_over_every_list():
    import_parsed_list(parsed("a.md", paper("ResNet")))
    row = Paper.objects.get()
    row.title = "ResNet (editor's title)"
    row.save()

    report = import_parsed_list(parsed("b.md", paper(FULL)))

    assert Paper.objects.get().title == "ResNet (editor's title)"
    assert [c.field for c in report.conflicts] == ["title"]


@pytest.mark.django_db
def test_reimporting_after_the_titles_are_chosen_changes_nothing():
    a, b = parsed("a.md", paper("ResNet")), parsed("b.md", paper(FULL))
    import_parsed_list(a)
    import_parsed_list(b)

    again = [import_parsed_list(a), import_parsed_list(b)]

    assert not any(report.changed for report in again)


@pytest.mark.django_db
def test_one_paper_with_two_real_titles_is_a_warning_naming_both_lines():
    import_parsed_list(parsed("a.md", paper(FULL, line=12)))

    report = import_parsed_list(
        parsed("b.md", paper("Residual Nets Are Deep Networks", line=40))
    )

    [warning] = [w for w in report.warnings if KEY in w.message]
    assert warning.line == 40
    assert "a.md:12" in warning.message
    assert (
        FULL in warning.message and "Residual Nets Are Deep Networks" in warning.message
    )
    assert Paper.objects.get().title == FULL  # the fuller one
