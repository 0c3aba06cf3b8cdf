"""Typo tolerance (issue 16): a word no title uses is matched as the title
word most like it, found by trigrams whatever letter the typo is in (pg_trgm
on PostgreSQL, an FTS5 trigram table on SQLite); through ``suggest`` ("did
you mean") and the papers page's ranked fallback, on both databases."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.fulltext.analyzer import parse_query
from catalog.models import Paper, SearchTerm
from catalog.search import expansion, reindex_all, search_with_fallback, suggest
from catalog.search.expansion import corrected, expand
from tests.papers import make_paper

pytestmark = pytest.mark.django_db

PAPERS = reverse("catalog:paper-list")

TRANSFORMER_PAPERS = [
    "Attention Is All You Need: the Transformer",
    "Transformer-XL: attentive language models",
]


def found(client, q):
    response = client.get(PAPERS, {"q": q})
    assert response.status_code == 200
    return sorted(paper.title for paper in response.context["page_obj"].object_list)


@pytest.fixture
def titles():
    for title in (
        *TRANSFORMER_PAPERS,
        "Convolutional networks for image recognition",
        "Generative adversarial networks",
        "Graph attention networks",
    ):
        make_paper(title)


class FirstLetterTypoTests:
    @pytest.mark.parametrize(
        "typo",
        [
            "rtansformer",  # the first two letters swapped
            "gransformer",  # the first letter changed
            "ransformer",  # the first letter dropped
            "ytransformer",  # a letter typed before the first
        ],
    )
    def test_did_you_mean_corrects_a_typo_in_the_first_letter(self, titles, typo):
        assert suggest(typo) == "transformer"

    def test_the_ranked_fallback_finds_the_papers_of_the_corrected_word(
        self, client, titles
    ):
        assert found(client, "rtansformer") == TRANSFORMER_PAPERS

    def test_a_query_that_finds_nothing_searches_the_correction(
        self, client, titles, monkeypatch
    ):
        # Without typo tolerance in the matching, the page's own correction.
        monkeypatch.setattr(expansion, "_corrections", lambda query, using: {})
        response = client.get(PAPERS, {"q": "gransformer"})

        assert response.context["original_query"] == "gransformer"
        assert response.context["query"] == "transformer"
        assert response.context["paginator"].count == 2

    def test_search_with_fallback_searches_the_correction(self, titles):
        results, correction = search_with_fallback(Paper.objects.all(), "ransformer")

        assert correction == "transformer"
        assert sorted(p.title for p in results) == TRANSFORMER_PAPERS


class OtherTypoTests:
    def test_a_transposition_is_corrected(self, client, titles):
        assert suggest("convolutoinal") == "convolutional"
        assert suggest("atetntion networks") == "attention networks"
        assert found(client, "generative advresarial") == [
            "Generative adversarial networks"
        ]

    def test_a_missing_letter_is_corrected(self, client, titles):
        assert suggest("adversaral") == "adversarial"
        assert found(client, "grph") == ["Graph attention networks"]

    def test_each_word_of_a_query_is_corrected_in_one_vocabulary_query(self, titles):
        def queries(q):
            with CaptureQueriesContext(connection) as captured:
                assert suggest(q) is not None
            return len(captured)

        assert queries("rtansformer") == queries(
            "rtansformer adversaral convolutoinal atetntion grph"
        )


class WordsLeftAloneTests:
    def test_a_correct_word_is_never_corrected(self, titles):
        make_paper("Transformers in vision")

        assert suggest("transformer") is None
        assert suggest("transformers attention") is None
        query = expand(parse_query("transformers"))
        assert corrected(query) == query

    def test_a_word_far_from_every_title_word_gets_no_suggestion(self, titles):
        assert suggest("zebra") is None
        assert suggest("quokka xylophone") is None
        query = expand(parse_query("zebra"))
        assert corrected(query) == query

    def test_chinese_and_excluded_words_are_kept_as_typed(self, titles):
        assert suggest("卷积网络 rtansformer -atention") == (
            "卷积网络 transformer -atention"
        )
        assert suggest("卷积网路") is None
        assert suggest("-rtansformer") is None


class VocabularyTests:
    def test_a_new_title_word_is_found_by_its_typos(self, titles):
        assert suggest("rcapsule") is None

        paper = make_paper("Capsule routing")
        assert suggest("rcapsule") == "capsule"

        paper.title = "Dynamic routing"
        paper.save()
        assert suggest("rcapsule") is None
        assert suggest("ydnamic") == "dynamic"

        paper.delete()
        assert suggest("ydnamic") is None

    def test_a_rebuilt_vocabulary_is_found_by_its_typos(self):
        Paper.objects.bulk_create(
            [Paper(key="url:a", url="https://a", title="Capsule networks")]
        )
        assert suggest("apsule") is None

        reindex_all()
        assert suggest("apsule") == "capsule"

        reindex_all()  # the vocabulary replaced by itself
        assert suggest("apsule") == "capsule"

    def test_a_rebuild_repairs_the_vocabulary_writing_only_what_differs(self):
        make_paper("Capsule networks")
        make_paper("Capsule routing")
        SearchTerm.objects.filter(term="capsule").update(papers=7)
        SearchTerm.objects.filter(term="networks").delete()
        SearchTerm.objects.create(term="stale", length=5, papers=1)

        reindex_all()
        vocabulary = dict(SearchTerm.objects.values_list("term", "papers"))
        assert vocabulary == {"capsule": 2, "networks": 1, "routing": 1}
        assert suggest("etworks") == "networks"
        assert suggest("sstale") is None

        with CaptureQueriesContext(connection) as captured:
            reindex_all()
        writes = [
            q["sql"]
            for q in captured
            if "catalog_searchterm" in q["sql"] and not q["sql"].startswith("SELECT")
        ]
        assert writes == []
