"""Common words' ranked matches kept ready (catalog.fulltext.postings).

PostgreSQL only: SQLite matches every query through its FTS5 index."""

import pytest
from django.db import connection

from catalog.fulltext.backends import PG_CONFIG, PG_WEIGHTS, get_backend
from catalog.ingest.importer import import_reading_lists
from catalog.models import SearchPostedTerm, SearchPosting
from catalog.search import parse_query, refresh_postings
from catalog.search.expansion import expand
from tests.golden import LIST_DIR, SEEDS
from tests.papers import make_paper

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="postings need PostgreSQL"
    ),
]


@pytest.fixture(autouse=True)
def few_papers_make_a_word_common(settings):
    settings.SEARCH_POSTED_MIN_PAPERS = 3


def from_documents(q):
    """(paper id, rank) of a query read from the documents themselves."""
    expression = get_backend().match_expression(expand(parse_query(q)))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT paper_id, ts_rank('{PG_WEIGHTS}', vector, q, 1) "
            "FROM catalog_papersearch, to_tsquery(%s::regconfig, %s) q "
            "WHERE vector @@ q",
            [PG_CONFIG, expression],
        )
        return dict(cursor.fetchall())


def scores(q):
    return dict(get_backend().scores(expand(parse_query(q))))


def posted():
    return set(SearchPostedTerm.objects.values_list("lexeme", flat=True))


def assert_scores_are_the_documents(q):
    expected = from_documents(q)
    found = scores(q)
    assert found.keys() == expected.keys()
    assert all(found[pk] == pytest.approx(expected[pk]) for pk in expected)


def test_a_word_many_papers_hold_is_posted_and_ranked_as_its_documents_rank_it():
    papers = [
        make_paper("Capsule networks"),
        make_paper("Capsule networks for capsule routing"),
        make_paper("Dynamic routing between capsules", notes="capsule"),
    ]
    make_paper("Unrelated work")

    refresh_postings()

    assert "capsul" in posted()
    rows = SearchPosting.objects.filter(lexeme="capsul")
    assert {row.paper_id for row in rows} == {p.pk for p in papers}
    assert_scores_are_the_documents("capsule")
    assert_scores_are_the_documents("capsules")


def test_a_word_few_papers_hold_is_not_posted():
    make_paper("Capsule networks")
    make_paper("Capsule routing")

    refresh_postings()

    assert "capsul" not in posted()
    assert_scores_are_the_documents("capsule")


def test_postings_follow_every_write_of_a_document():
    first = make_paper("Capsule networks")
    make_paper("Capsule routing")
    make_paper("Capsule graphs")
    refresh_postings()

    first.title = "Residual networks"
    first.save()
    added = make_paper("Stacked capsule autoencoders")

    ids = set(
        SearchPosting.objects.filter(lexeme="capsul").values_list("paper", flat=True)
    )
    assert first.pk not in ids and added.pk in ids
    assert_scores_are_the_documents("capsule")
    assert_scores_are_the_documents("networks")


def test_deleting_a_paper_deletes_its_postings():
    gone = make_paper("Capsule networks")
    make_paper("Capsule routing")
    make_paper("Capsule graphs")
    refresh_postings()

    gone.delete()

    assert not SearchPosting.objects.filter(paper_id=gone.pk).exists()
    assert_scores_are_the_documents("capsule")


def test_a_posted_word_fewer_than_half_as_many_papers_hold_is_dropped(settings):
    settings.SEARCH_POSTED_MIN_PAPERS = 4
    papers = [make_paper(f"Capsule study {n}") for n in range(4)]
    refresh_postings()
    assert "capsul" in posted()

    papers[0].delete()
    papers[1].delete()
    refresh_postings()
    assert "capsul" in posted()  # two papers: half the threshold still holds

    papers[2].delete()
    refresh_postings()

    assert "capsul" not in posted()
    assert not SearchPosting.objects.filter(lexeme="capsul").exists()


def test_queries_of_more_than_one_posted_word_are_matched_from_the_documents():
    make_paper("Capsule networks")
    make_paper("Capsule networks routing")
    make_paper("Capsule graphs")
    make_paper("Graph networks")
    refresh_postings()
    assert {"capsul", "network"} <= posted()

    for q in ("capsule networks", "capsule -graphs", '"capsule networks"', "capsul*"):
        assert_scores_are_the_documents(q)


def test_unranked_scores_of_a_posted_word_are_its_matches():
    papers = [make_paper(f"Capsule study {n}") for n in range(3)]
    refresh_postings()

    unranked = dict(get_backend().scores(parse_query("capsule"), ranked=False))

    assert unranked == {p.pk: 0 for p in papers}


def test_an_import_run_posts_the_words_its_lists_made_common():
    import_reading_lists(paths=[LIST_DIR / f"{seed}.txt" for seed in SEEDS])

    words = posted()
    assert words
    for word in sorted(words)[:20]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM catalog_papersearch "
                "WHERE vector @@ ('''' || %s || '''')::tsquery",
                [word],
            )
            (holding,) = cursor.fetchone()
        assert SearchPosting.objects.filter(lexeme=word).count() == holding >= 3
