"""Phrase proximity in the ranking (catalog.search.proximity): the best
matches of a query of several items are raised by how close together and in
which order their text holds them; through the papers page, on SQLite and
PostgreSQL."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.fulltext.analyzer import parse_query
from catalog.models import Paper
from catalog.search.expansion import expand
from catalog.search.proximity import TITLE_BOOST, closeness, factor, query_parts
from tests.papers import make_paper

pytestmark = pytest.mark.django_db

PAPERS = reverse("catalog:paper-list")


def page(client, q, number=1):
    response = client.get(PAPERS, {"q": q, "page": number})
    assert response.status_code == 200
    return [paper.pk for paper in response.context["page_obj"].object_list]


def parts(q):
    return query_parts(expand(parse_query(q)))


def test_words_next_to_each_other_in_order_rank_above_the_same_words_scattered(
    client,
):
    # The same words (the same rank from the database): ties go by id, so
    # the scattered title, made first, would come first.
    scattered = make_paper("Sampler design quantum study walk")
    adjacent = make_paper("Quantum walk sampler design study")

    assert page(client, "quantum walk sampler") == [adjacent.pk, scattered.pk]


def test_a_single_word_query_keeps_its_order_and_reads_no_documents(client):
    for title in ("Walk sampler", "Sampler", "A sampler for quantum walks"):
        make_paper(title)
    make_paper("Sampler", notes="sampler sampler")
    expected = [paper.pk for paper in Paper.objects.search("sampler")]

    with CaptureQueriesContext(connection) as queries:
        ranked = page(client, "sampler")

    assert ranked == expected
    assert not any("document FROM" in q["sql"] for q in queries.captured_queries)


def test_pages_of_a_reranked_search_continue_each_other(client):
    titles = [
        "Quantum walk sampler {}",
        "Sampler {} of a quantum walk",
        "Walk {} quantum sampler",
        "Quantum {} sampler for a walk",
    ]
    made = [make_paper(title.format(n)) for n in range(8) for title in titles]

    first, second = (
        page(client, "quantum walk sampler"),
        page(client, "quantum walk sampler", 2),
    )

    assert len(first) == 25 and len(second) == len(made) - 25
    assert set(first).isdisjoint(second)
    assert set(first) | set(second) == {paper.pk for paper in made}
    adjacent = {paper.pk for paper in made if paper.title.startswith("Quantum walk")}
    assert set(first[:8]) == adjacent


def test_a_broadened_search_ranks_words_together_first_among_equals(client):
    scattered = make_paper("Sampler design quantum study walk")
    adjacent = make_paper("Quantum walk sampler design study")
    make_paper("Quantum sampler")

    response = client.get(PAPERS, {"q": "quantum walk sampler lidar"})
    ranked = [paper.pk for paper in response.context["page_obj"].object_list]

    assert response.context["broadened"] is True
    assert ranked[:2] == [adjacent.pk, scattered.pk]


def test_closeness_prefers_adjacent_then_in_order_then_fewer_gaps():
    query = parts("quantum walk sampler")

    adjacent = closeness("quantum walks sampler", query)
    reversed_order = closeness("sampler walk quantum", query)
    gapped = closeness("quantum random walk based sampler", query)
    missing_one = closeness("quantum walk", query)

    assert adjacent == 1.0
    assert 0 < gapped < adjacent and 0 < reversed_order < adjacent
    assert 0 < missing_one < closeness("sampler of a quantum lattice walk", query)
    assert closeness("quantum", query) == 0.0


def test_stop_words_between_the_words_do_not_part_them():
    query = parts("learning rank")

    assert closeness("learning to rank", query) == 1.0


def test_a_glossary_term_stands_for_its_other_names():
    query = parts("graph neural network recommendation")

    assert query.count == 2
    assert closeness("gnn recommendation", query) == 1.0
    assert closeness("graph neural networks for recommendation", query) == 1.0


def test_the_factor_is_between_one_and_the_title_boost():
    query = parts("quantum walk sampler")

    assert factor("quantum walk sampler\n\n", query) == 1 + TITLE_BOOST
    assert factor("quantum\n\nwalk", query) == 1.0
    assert 1.0 < factor("sampler\n\nwalks quantum sampler", query) < 1 + TITLE_BOOST
