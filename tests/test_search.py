"""Full-text search of papers (catalog.search), on SQLite and on PostgreSQL."""

import pytest
from django.core.management import call_command
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.db.models import Count
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalog.fulltext.backends import get_backend
from catalog.models import Paper, PaperSearch, Repository, SearchTerm, Translation
from catalog.search import (
    index_papers,
    parse_query,
    reindex_all,
    search,
    search_with_fallback,
    suggest,
)
from catalog.search.indexing import index_documents
from catalog.templatetags.search_tags import highlight
from tests.papers import make_paper

pytestmark = pytest.mark.django_db


def make_repository(owner, name, papers=()):
    repository = Repository.objects.create(
        key=f"github.com/{owner}/{name}".lower(),
        host="github.com",
        owner=owner,
        name=name,
        url=f"https://github.com/{owner}/{name}",
    )
    if papers:
        repository.papers.add(*papers)
    return repository


_counter = iter(range(1, 1_000_000))


def make_translation(paper, title):
    n = next(_counter)
    return Translation.objects.create(
        paper=paper, title=title, url=f"https://example.cn/translation/{n}"
    )


def found(q, queryset=None):
    queryset = Paper.objects.all() if queryset is None else queryset
    return {paper.title for paper in queryset.search(q)}


def ranked(q):
    return [paper.title for paper in Paper.objects.search(q)]


class EnglishSearchTests:
    def test_stemming_finds_other_forms_of_a_word(self):
        make_paper("ROI Regularization for Semi-supervised Learning")
        make_paper("Regularizing and Optimizing LSTM Language Models")
        make_paper("Dropout: a simple way to prevent overfitting")

        assert found("regularizing") == {
            "ROI Regularization for Semi-supervised Learning",
            "Regularizing and Optimizing LSTM Language Models",
        }
        assert found("models") == {"Regularizing and Optimizing LSTM Language Models"}

    def test_words_are_all_required(self):
        make_paper("Regularizing and Optimizing LSTM Language Models")
        make_paper("Long Short-Term Memory", short_name="LSTM")

        assert found("lstm language") == {
            "Regularizing and Optimizing LSTM Language Models"
        }
        assert found("lstm") == {
            "Regularizing and Optimizing LSTM Language Models",
            "Long Short-Term Memory",
        }

    def test_quoted_phrase_needs_the_words_together_and_in_order(self):
        make_paper("Attention Is All You Need")
        make_paper("All You Need Is Attention? Not Quite")
        make_paper("Neural language models")
        make_paper("Models of language, neural and otherwise")

        assert found('"attention is all you need"') == {"Attention Is All You Need"}
        assert found('"language model"') == {"Neural language models"}
        assert found("language model") == {
            "Neural language models",
            "Models of language, neural and otherwise",
        }

    def test_minus_excludes_words_and_phrases(self):
        make_paper("Regularizing and Optimizing LSTM Language Models", notes="AWD")
        make_paper("Long Short-Term Memory", short_name="LSTM")
        make_paper("Convolutional LSTM Network")

        assert found("lstm -awd") == {
            "Long Short-Term Memory",
            "Convolutional LSTM Network",
        }
        assert found('lstm -"short-term memory"') == {
            "Regularizing and Optimizing LSTM Language Models",
            "Convolutional LSTM Network",
        }

    def test_query_of_only_exclusions_keeps_every_other_paper(self):
        make_paper("Long Short-Term Memory")
        make_paper("Convolutional LSTM Network")
        make_paper("Deep Residual Learning")

        assert found("-lstm") == {"Long Short-Term Memory", "Deep Residual Learning"}

    def test_hyphenated_words_match_with_or_without_the_hyphen(self):
        make_paper("AWD-LSTM: regularized language models")
        make_paper("Weight-dropped networks and LSTM baselines")

        assert found("AWD-LSTM") == {"AWD-LSTM: regularized language models"}
        assert found('"awd lstm"') == {"AWD-LSTM: regularized language models"}

    def test_case_and_full_width_letters_do_not_matter(self):
        make_paper("BERT: Pre-training of Deep Bidirectional Transformers")

        assert found("bert") == found("BERT") == found("ＢＥＲＴ")
        assert found("ＢＥＲＴ") == {
            "BERT: Pre-training of Deep Bidirectional Transformers"
        }


class ChineseSearchTests:
    @pytest.fixture
    def chinese_titles(self):
        for title in [
            "卷积神经网络综述",
            "卷帘门的控制",  # shares 卷 with 卷积 only
            "积分方程数值解",  # shares 积 with 卷积 only
            "梯度下降法",
            "深层网络中的梯度消失",
            "生成对抗网络入门",
            "神经网络的生成模型与对抗训练",  # 生成, 对抗, 网络 apart
            "神经系统与计算机网络",  # 神经 and 网络 apart
            "阶梯的高度",  # 梯 and 度 apart
        ]:
            make_paper(title)

    @pytest.mark.parametrize(
        ("q", "expected"),
        [
            ("卷积", {"卷积神经网络综述"}),
            ("梯度", {"梯度下降法", "深层网络中的梯度消失"}),
            ("神经网络", {"卷积神经网络综述", "神经网络的生成模型与对抗训练"}),
            ("生成对抗网络", {"生成对抗网络入门"}),
        ],
    )
    def test_cjk_words_find_exactly_the_titles_containing_them(
        self, chinese_titles, q, expected
    ):
        assert found(q) == expected

    def test_cjk_phrase_in_quotes_is_the_same_as_the_bare_run(self, chinese_titles):
        assert found('"神经网络"') == found("神经网络")

    def test_single_cjk_character_finds_the_words_it_starts(self, chinese_titles):
        assert found("卷") == {"卷积神经网络综述", "卷帘门的控制"}

    def test_cjk_words_can_be_excluded(self, chinese_titles):
        assert found("神经网络 -卷积") == {"神经网络的生成模型与对抗训练"}

    def test_mixed_english_and_chinese_query_needs_both(self):
        make_paper("BERT：预训练语言模型")
        make_paper("BERT for sequence labelling")
        make_paper("视觉模型的预训练")
        make_paper("BERT预训练的实践")

        assert found("BERT 预训练") == {"BERT：预训练语言模型", "BERT预训练的实践"}
        assert found("BERT预训练") == {"BERT：预训练语言模型", "BERT预训练的实践"}

    def test_japanese_and_korean_runs_are_searchable(self):
        make_paper("深層学習による画像認識")
        make_paper("딥러닝 기반 음성 인식")
        make_paper("画像生成")

        assert found("画像認識") == {"深層学習による画像認識"}
        assert found("음성 인식") == {"딥러닝 기반 음성 인식"}


class IndexedTextTests:
    def test_translation_title_finds_the_paper(self):
        paper = make_paper("Generative Adversarial Nets")
        make_paper("Adversarial examples in the physical world")
        make_translation(paper, "生成对抗网络（中文翻译）")

        assert found("生成对抗网络") == {"Generative Adversarial Nets"}

    def test_repository_owner_and_name_find_the_paper(self):
        paper = make_paper("Regularizing and Optimizing LSTM Language Models")
        make_paper("Another LSTM paper")
        make_repository("salesforce", "awd-lstm-lm", papers=[paper])

        assert found("salesforce") == {paper.title}
        assert found("awd-lstm-lm") == {paper.title}

    def test_organisation_venue_and_notes_are_searched(self):
        make_paper("Paper one", organisation="Salesforce Research")
        make_paper("Paper two", venue="NeurIPS")
        make_paper("Paper three", notes="Uses weight-dropped LSTM, 中文笔记")

        assert found("salesforce") == {"Paper one"}
        assert found("neurips") == {"Paper two"}
        assert found("weight-dropped") == {"Paper three"}
        assert found("笔记") == {"Paper three"}


class RankingTests:
    def test_title_match_ranks_above_secondary_above_notes_only_match(self):
        notes = make_paper("Some study", notes="We compare with transformer models.")
        repo = make_paper("Another study")
        make_repository("someone", "transformer-code", papers=[repo])
        title = make_paper("Transformer networks")

        assert ranked("transformer") == [title.title, repo.title, notes.title]
        ranks = [p.search_rank for p in Paper.objects.search("transformer")]
        assert ranks == sorted(ranks, reverse=True)
        assert ranks[-1] > 0

    def test_equal_ranks_are_ordered_by_id(self):
        first = make_paper("Capsule networks")
        second = make_paper("Capsule networks")

        assert [p.pk for p in Paper.objects.search("capsule")] == [
            first.pk,
            second.pk,
        ]

    def test_scores_give_the_ranks_of_search_read_from_the_documents(self):
        notes = make_paper("Some study", notes="We compare with transformer models.")
        title = make_paper("Transformer networks")
        make_paper("Unrelated")
        backend = get_backend()
        query = parse_query("transformer -unrelated")

        expected = {p.pk: p.search_rank for p in Paper.objects.search(query)}
        scores = dict(backend.scores(query))
        unranked = dict(backend.scores(query, ranked=False))

        assert scores.keys() == expected.keys() == {notes.pk, title.pk}
        assert all(scores[pk] == pytest.approx(expected[pk]) for pk in expected)
        assert unranked == {notes.pk: 0, title.pk: 0}
        assert backend.scores(parse_query("-transformer")) == []


class QuerysetTests:
    @pytest.fixture
    def papers(self):
        return [
            make_paper("LSTM language models", year=2017, venue="ICLR"),
            make_paper("LSTM for speech", year=2014, venue="ICASSP"),
            make_paper("Deep LSTM tagging", year=2017, venue="ACL"),
            make_paper("Residual networks", year=2016, venue="CVPR"),
        ]

    def test_search_chains_with_filter_and_count(self, papers):
        results = Paper.objects.search("lstm").filter(year=2017)

        assert results.count() == 2
        assert {p.title for p in results} == {
            "LSTM language models",
            "Deep LSTM tagging",
        }
        assert Paper.objects.filter(year=2017).search("lstm").count() == 2
        assert Paper.objects.search("lstm").exclude(venue="ACL").count() == 2

    def test_search_results_paginate(self, papers):
        page = Paginator(Paper.objects.search("lstm"), 2).page(2)

        assert page.paginator.count == 3
        assert len(page.object_list) == 1

    def test_facets_count_the_matches(self, papers):
        counts = dict(
            Paper.objects.search("lstm")
            .order_by()
            .values_list("year")
            .annotate(n=Count("pk"))
        )

        assert counts == {2017: 2, 2014: 1}

    def test_search_nests_as_a_subquery(self, papers):
        matching = Paper.objects.search("lstm").values("pk")

        assert Paper.objects.filter(pk__in=matching).count() == 3
        assert Paper.objects.exclude(pk__in=matching).get().title == (
            "Residual networks"
        )

    def test_search_function_and_other_databases_helpers_agree(self, papers):
        assert list(search(Paper.objects.all(), "lstm")) == list(
            Paper.objects.search("lstm")
        )

    def test_searching_takes_one_query_whatever_the_matches(self, papers):
        with CaptureQueriesContext(connection) as queries:
            list(Paper.objects.search("lstm"))
            Paper.objects.search("lstm").count()

        assert len(queries) == 2

    def test_empty_query_does_not_filter(self, papers):
        for q in ["", "   ", None, '""', "-", "the"]:
            assert Paper.objects.search(q).count() == 4
            assert {p.search_rank for p in Paper.objects.search(q)} == {0.0}


class JunkInputTests:
    JUNK = [
        '"',
        '"unbalanced quote',
        'unbalanced" quote',
        "-",
        "--",
        "- -",
        "OR",
        "a OR b",
        "AND",
        "NOT",
        "NEAR(lstm model)",
        "*",
        "lstm*",
        "*lstm",
        ":",
        "title:lstm",
        "^lstm",
        "(((",
        ")",
        "{lstm}",
        "'",
        "lstm's",
        "\\",
        "%",
        "_",
        "&",
        "|",
        "!",
        "<->",
        "lstm & !model",
        "'; DROP TABLE catalog_paper; --",
        "\x00lstm",
        "🙂",
        "：；。，、",
        "・",
        '-"',
        "+lstm",
        "lstm " * 200,
        "x" * 5000,
        "卷" * 300,
    ]

    @pytest.mark.parametrize("q", JUNK)
    def test_any_input_searches_without_error(self, q):
        make_paper("LSTM language models")
        make_paper("卷积神经网络")

        list(Paper.objects.search(q))
        Paper.objects.search(q).count()
        search_with_fallback(Paper.objects.all(), q)
        suggest(q)

    def test_operator_lookalikes_are_plain_words(self):
        make_paper("Near-duplicate detection")
        make_paper("LSTM language models")

        assert found("NEAR(duplicate") == {"Near-duplicate detection"}
        assert found("title:lstm") == set()
        assert found("lstm*") == {"LSTM language models"}


class SuggestionTests:
    @pytest.fixture
    def titles(self):
        make_paper("Attention is all you need: the Transformer")
        make_paper("Transformer-XL: attentive language models")
        make_paper("Regularizing and Optimizing LSTM Language Models")

    def test_unknown_word_is_replaced_by_the_closest_title_word(self, titles):
        assert suggest("transfomer") == "transformer"
        assert suggest("transfomer langauge -lstm") == "transformer language -lstm"

    def test_known_words_give_no_suggestion(self, titles):
        assert suggest("transformer language") is None
        assert suggest("zebra") is None  # nothing close
        assert suggest("") is None

    def test_fallback_searches_the_correction_when_nothing_is_found(self, titles):
        results, corrected = search_with_fallback(Paper.objects.all(), "transfomer")

        assert corrected == "transformer"
        assert {p.title for p in results} == {
            "Attention is all you need: the Transformer",
            "Transformer-XL: attentive language models",
        }

    def test_fallback_keeps_results_that_were_found(self, titles):
        results, corrected = search_with_fallback(Paper.objects.all(), "lstm")

        assert corrected is None
        assert results.count() == 1

    def test_vocabulary_follows_edits_and_deletions(self, titles):
        assert SearchTerm.objects.get(term="transformer").papers == 2

        paper = Paper.objects.get(title__startswith="Transformer-XL")
        paper.title = "Recurrence for long contexts"
        paper.save()
        assert SearchTerm.objects.get(term="transformer").papers == 1
        assert SearchTerm.objects.filter(term="recurrence").exists()

        paper.delete()
        assert not SearchTerm.objects.filter(term="recurrence").exists()
        Paper.objects.filter(title__startswith="Attention").delete()
        assert not SearchTerm.objects.filter(term="transformer").exists()


class IndexMaintenanceTests:
    def test_saving_a_paper_updates_its_document(self):
        paper = make_paper("Old title")
        paper.title = "Capsule networks"
        paper.save()

        assert found("capsule") == {"Capsule networks"}
        assert found("old") == set()

    def test_deleting_papers_removes_them_from_the_index(self):
        paper = make_paper("Capsule networks")
        make_paper("Capsule routing")
        paper.delete()
        assert found("capsule") == {"Capsule routing"}

        Paper.objects.all().delete()
        assert PaperSearch.objects.count() == 0
        assert found("capsule") == set()

    def test_translations_are_indexed_when_saved_moved_and_deleted(self):
        first = make_paper("Generative Adversarial Nets")
        second = make_paper("Wasserstein GAN")
        translation = make_translation(first, "生成对抗网络")
        assert found("生成对抗网络") == {first.title}

        translation.paper = second
        translation.save()
        assert found("生成对抗网络") == {second.title}

        translation.delete()
        assert found("生成对抗网络") == set()

    def test_repositories_are_indexed_when_linked_renamed_and_deleted(self):
        paper = make_paper("Deep residual learning")
        other = make_paper("Wide residual networks")
        repository = make_repository("kaiminghe", "deep-residual-networks")
        assert found("kaiminghe") == set()

        repository.papers.add(paper)
        other.repositories.add(repository)
        assert found("kaiminghe") == {paper.title, other.title}

        repository.papers.remove(other)
        assert found("kaiminghe") == {paper.title}

        repository.name = "resnet-models"
        repository.save()
        assert found("resnet") == {paper.title}
        assert found("deep-residual-networks") == set()

        repository.papers.clear()
        assert found("resnet") == set()

        repository.papers.add(paper)
        repository.delete()
        assert found("resnet") == set()
        assert found("residual") == {paper.title, other.title}

    def test_bulk_writes_are_found_after_index_papers(self):
        created = Paper.objects.bulk_create(
            Paper(key=f"url:bulk/{i}", url=f"https://bulk/{i}", title=f"Bulk LSTM {i}")
            for i in range(5)
        )
        assert found("lstm") == set()

        index_papers([p.pk for p in created])
        assert len(found("lstm")) == 5

        Paper.objects.filter(pk=created[0].pk).update(title="Renamed")
        index_papers([created[0].pk, 999_999_999])
        assert len(found("lstm")) == 4
        assert found("renamed") == {"Renamed"}

    def test_several_index_batches_in_one_transaction_are_all_found(self):
        """Documents go through a per-session table: each batch writes only
        its own documents, and rewriting one replaces it."""
        created = Paper.objects.bulk_create(
            Paper(key=f"url:batch/{i}", url=f"https://b/{i}", title=f"Batch {i} 卷积")
            for i in range(3)
        )
        with transaction.atomic():
            index_papers([created[0].pk])
            index_papers([created[1].pk, created[2].pk])
            Paper.objects.filter(pk=created[0].pk).update(title="Renamed 卷积")
            index_papers([created[0].pk])

        assert found("卷积") == {"Renamed 卷积", "Batch 1 卷积", "Batch 2 卷积"}
        assert PaperSearch.objects.filter(paper__in=created).count() == 3

    @staticmethod
    def _ten_documents_written_through(monkeypatch, write):
        """Ten new papers' documents, indexing written 3 at a time through
        ``write(backend, documents, write_as_before)``."""
        from catalog.search import indexing

        monkeypatch.setattr(indexing, "BATCH_SIZE", 3)
        backend_class = type(get_backend())
        before = backend_class.write
        monkeypatch.setattr(
            backend_class, "write", lambda self, docs: write(self, docs, before)
        )
        created = Paper.objects.bulk_create(
            Paper(key=f"url:behind/{i}", url=f"https://b/{i}", title=f"Behind {i} 卷积")
            for i in range(10)
        )
        return [indexing.document_of(p.pk, p.title, "", "", "", "") for p in created]

    def test_documents_built_at_hand_are_written_in_batches_and_all_found(
        self, monkeypatch
    ):
        batches = []

        def spy(backend, documents, write):
            batches.append(len(documents))
            write(backend, documents)

        documents = self._ten_documents_written_through(monkeypatch, spy)
        with transaction.atomic():
            index_documents(documents)

        assert len(found("卷积")) == 10
        assert batches == [3, 3, 3, 1]

    def test_a_failing_write_fails_the_whole_indexing(self, monkeypatch):
        """A batch that fails to write fails the call, and the caller's
        transaction keeps none of the batches."""
        calls = []

        def failing(backend, documents, write):
            calls.append(len(documents))
            if len(calls) == 2:
                raise RuntimeError("disk full")
            write(backend, documents)

        documents = self._ten_documents_written_through(monkeypatch, failing)
        with pytest.raises(RuntimeError, match="disk full"), transaction.atomic():
            index_documents(documents)

        assert found("卷积") == set()
        assert calls[:2] == [3, 3]

    def test_index_papers_takes_as_many_queries_for_many_papers_as_for_one(self):
        def queries_to_index(count):
            papers = Paper.objects.bulk_create(
                Paper(
                    key=f"url:n{count}/{i}",
                    url=f"https://n/{i}",
                    title=f"Word{count} {i} 神经网络",
                    notes="notes",
                )
                for i in range(count)
            )
            for paper in papers[:count]:
                make_translation(paper, "翻译")
            make_repository(f"owner{count}", "repo", papers=papers)
            with CaptureQueriesContext(connection) as queries:
                index_papers([p.pk for p in papers])
            return len(queries)

        assert queries_to_index(1) == queries_to_index(40)

    def test_unchanged_documents_are_not_rewritten(self):
        paper = make_paper("Capsule networks")
        with CaptureQueriesContext(connection) as queries:
            index_papers([paper.pk])

        writes = [q for q in queries if not q["sql"].lstrip().startswith("SELECT")]
        assert writes == [] or all("SAVEPOINT" in q["sql"] for q in writes)

    def test_reindex_all_rebuilds_documents_and_vocabulary(self):
        Paper.objects.bulk_create(
            [
                Paper(key="url:a", url="https://a", title="Capsule networks"),
                Paper(key="url:b", url="https://b", title="Capsule routing"),
            ]
        )
        assert found("capsule") == set()

        assert reindex_all() == 2
        assert found("capsule") == {"Capsule networks", "Capsule routing"}
        assert SearchTerm.objects.get(term="capsule").papers == 2
        assert suggest("capsle") == "capsule"

    def test_reindex_all_drops_documents_of_papers_gone_by_an_anti_join(self):
        """A document whose paper was deleted behind the index's back is
        dropped, by NOT EXISTS (NOT IN a subquery is quadratic in PostgreSQL
        past work_mem: 40 minutes at 1,000,000 papers)."""
        kept, gone = make_paper("Capsule networks"), make_paper("Capsule routing")
        with connection.cursor() as cursor:  # the index is not told
            cursor.execute("DELETE FROM catalog_paper WHERE id = %s", [gone.pk])

        with CaptureQueriesContext(connection) as queries:
            reindex_all()

        assert set(PaperSearch.objects.values_list("paper_id", flat=True)) == {kept.pk}
        (orphans,) = [
            q["sql"] for q in queries if 'DELETE FROM "catalog_papersearch"' in q["sql"]
        ]
        assert "NOT EXISTS" in orphans and " IN (SELECT" not in orphans

    def test_rebuild_search_index_command(self):
        Paper.objects.bulk_create(
            [Paper(key="url:a", url="https://a", title="Capsule networks")]
        )
        call_command("rebuild_search_index", verbosity=0)
        assert found("capsule") == {"Capsule networks"}

    def test_raw_saves_are_left_to_the_rebuild(self):
        now = timezone.now()
        paper = Paper(
            key="url:raw",
            url="https://raw",
            title="Raw capsule",
            created=now,
            updated=now,
        )
        paper.save_base(raw=True)  # as loaddata does
        assert found("capsule") == set()

        call_command("rebuild_search_index", verbosity=0)
        assert found("capsule") == {"Raw capsule"}


class ImportAndMigrationTests:
    def test_imported_lists_are_searchable(self):
        from catalog.ingest.importer import import_parsed_list
        from tests.curation.lists import duplicate_list, reading_list

        import_parsed_list(reading_list())
        import_parsed_list(duplicate_list())

        assert ranked("regularizing lstm") == [
            "Regularizing and Optimizing LSTM Language Models"
        ]
        # Both papers link salesforce/awd-lstm-lm; the one titled so ranks first.
        assert ranked("awd-lstm") == [
            "AWD-LSTM",
            "Regularizing and Optimizing LSTM Language Models",
        ]

    def test_migrating_a_catalog_without_an_index_builds_it(self):
        from types import SimpleNamespace

        from catalog.search.signals import build_missing_index

        Paper.objects.bulk_create(
            [Paper(key="url:a", url="https://a", title="Capsule networks")]
        )
        migration = SimpleNamespace(app_label="catalog", name="0004_search")

        build_missing_index(sender=None, using="default", plan=[])
        assert found("capsule") == set()
        build_missing_index(sender=None, using="default", plan=[(migration, False)])
        assert found("capsule") == {"Capsule networks"}


class HighlightTests:
    def test_marks_query_words_and_their_other_forms(self):
        html = highlight(
            "Regularizing and regularization of LSTMs", "regularizing lstm"
        )

        assert html == (
            "<mark>Regularizing</mark> and <mark>regularization</mark> of "
            "<mark>LSTMs</mark>"
        )

    def test_marks_cjk_runs(self):
        assert highlight("卷积神经网络综述", "神经网络") == (
            "卷积<mark>神经网络</mark>综述"
        )

    def test_escapes_html_in_and_around_marks(self):
        html = highlight('<script>alert("lstm")</script> & LSTM', "lstm script")

        assert "<script>" not in html
        assert html == (
            "&lt;<mark>script</mark>&gt;alert(&quot;<mark>lstm</mark>&quot;)"
            "&lt;/<mark>script</mark>&gt; &amp; <mark>LSTM</mark>"
        )

    def test_escapes_text_without_matches(self):
        assert highlight("<b>bold</b>", "") == "&lt;b&gt;bold&lt;/b&gt;"
        assert highlight("<b>bold</b>", "lstm") == "&lt;b&gt;bold&lt;/b&gt;"

    def test_query_syntax_in_the_query_is_not_marked(self):
        assert highlight("AND or NOT -lstm", '-lstm OR "') == "AND or NOT -lstm"

    def test_filter_in_a_template_escapes_and_marks(self):
        template = Template("{% load search_tags %}{{ title|highlight:q }}")
        html = template.render(
            Context({"title": "<i>Capsule</i> networks", "q": "capsules"})
        )

        assert html == "&lt;i&gt;<mark>Capsule</mark>&lt;/i&gt; networks"
