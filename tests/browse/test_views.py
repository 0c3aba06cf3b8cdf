"""Public pages: browse with facets, search, detail pages, invalid input."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.browse import listing, selectors
from catalog.browse import matches as held_matches
from catalog.browse import rows as browse_rows
from catalog.browse import topics as browse_topics
from catalog.browse.facets import dimensions
from catalog.browse.facets import options as facet_options
from catalog.models import Alias, Paper, Repository, Topic
from catalog.search import expansion, priors
from tests.golden import LIST_DIR

PAPERS = reverse("catalog:paper-list")
# One page of papers: the query's matches with their ranks (a search) and the
# page's rows with their topics, code and translations. Facets and the total
# come from the facet index.
MAX_QUERIES = 2
# Once per catalog version: the topic tree and the papers' facet index (every
# paper, a query per dimension, the source lists' titles, a query per sort).
INDEX_QUERIES = (
    1 + 1 + len(dimensions.DIMENSIONS[Paper]) + 1 + len(dimensions.ORDERS[Paper])
)


@pytest.fixture
def seeds(db):
    call_command("import_lists", str(LIST_DIR), verbosity=0)


def facet(response, name):
    (found,) = [f for f in response.context["facets"] if f.name == name]
    return {o.value: o for o in found.options}


def keys(response):
    return [p.key for p in response.context["page_obj"].object_list]


class HomeTests:
    def test_home_shows_the_topic_tree_with_counts_and_recent_papers(
        self, client, seeds
    ):
        response = client.get("/")

        assert response.status_code == 200
        topics = {t["path"]: t["count"] for t in response.context["topics"]}
        assert topics["Deep Learning > Regularization"] == 13
        assert topics["基础"] == 8
        # arxiv:1708.02182 is under LSTM and AWD-LSTM: counted once above them.
        assert topics["Deep Learning"] == 36
        assert len(response.context["recent"]) == 8
        assert "<title>" in response.content.decode()


class BrowseTests:
    def test_every_paper_is_listed_newest_first_in_bounded_queries(
        self, client, seeds, django_assert_max_num_queries
    ):
        with django_assert_max_num_queries(MAX_QUERIES + INDEX_QUERIES):
            client.get(PAPERS, {"sort": "title"})  # builds the facet index
        with django_assert_max_num_queries(MAX_QUERIES):
            response = client.get(PAPERS)

        assert response.context["paginator"].count == Paper.objects.count() == 67
        years = [p.year or 0 for p in response.context["page_obj"].object_list]
        assert years == sorted(years, reverse=True)

    @pytest.mark.parametrize("kind", ["paper", "repository", "link"])
    def test_rows_link_to_the_pages_their_records_name(self, client, seeds, kind):
        """The row templates build their links with a URL maker bound once
        per page: the same URLs as the records' get_absolute_url()."""
        response = client.get(reverse(f"catalog:{kind}-list"))
        html = response.content.decode()

        rows = response.context["page_obj"].object_list
        linked = [row for row in rows if kind != "link" or row.paper is not None]
        assert linked
        for row in linked:
            record = row.paper if kind == "link" else row
            assert f'href="{record.get_absolute_url()}"' in html
            for topic in row.topic_list:
                assert f'href="{topic.get_absolute_url()}"' in html

    def test_query_count_does_not_grow_with_results_or_facet_values(
        self, client, seeds, django_assert_max_num_queries
    ):
        topic = Topic.objects.get(path="进阶")
        for n in range(60):
            paper = Paper.objects.create(
                key=f"url:x.org/{n}",
                title=f"Extra {n}",
                url=f"https://x.org/{n}",
                year=1990 + n % 30,
                venue=f"V{n}",
            )
            paper.topics.add(topic)

        with django_assert_max_num_queries(MAX_QUERIES + INDEX_QUERIES):
            client.get(PAPERS)  # builds the facet index
        with django_assert_max_num_queries(MAX_QUERIES):
            response = client.get(PAPERS, {"topic": topic.slug, "sort": "title"})
        client.get(PAPERS, {"q": "warm"})  # reads the glossary and paper weights
        with django_assert_max_num_queries(MAX_QUERIES):
            searched = client.get(PAPERS, {"q": "extra", "venue": "V1"})

        assert response.status_code == searched.status_code == 200
        assert len(facet(response, "year")) == 30
        assert searched.context["paginator"].count == 1

    def test_facet_counts_follow_edits_made_after_they_were_counted(
        self, client, seeds
    ):
        """The facet index is read again after any write: a save, a topic
        added, a repository linked, a paper deleted."""
        paper = Paper.objects.filter(year=2017).first()
        topic = Topic.objects.get(path="基础")
        before = client.get(PAPERS, {"sort": "title"})

        paper.venue = "Edited Venue"
        paper.save()
        paper.topics.add(topic)
        Repository.objects.create(
            key="github.com/someone/edited",
            host="github.com",
            owner="someone",
            name="edited",
            url="https://github.com/someone/edited",
            framework="jax",
        ).papers.add(paper)
        Paper.objects.filter(year=2017).exclude(pk=paper.pk).first().delete()
        after = client.get(PAPERS, {"sort": "title"})

        with_jax = Paper.objects.filter(repositories__framework="jax").distinct()
        in_topic = client.get(PAPERS, {"topic": topic.slug, "venue": "Edited Venue"})
        assert facet(after, "venue")["Edited Venue"].count == 1
        assert facet(after, "framework")["jax"].count == with_jax.count() >= 1
        assert facet(after, "year")["2017"].count == (
            facet(before, "year")["2017"].count - 1
        )
        assert after.context["paginator"].count == Paper.objects.count() == 66
        assert in_topic.context["paginator"].count == 1

    def test_facet_counts_follow_a_search_and_stay_disjunctive(self, client, seeds):
        """With a query, a chosen year keeps the query's counts of other years."""
        matches = client.get(PAPERS, {"q": "lstm"})
        chosen = client.get(PAPERS, {"q": "lstm", "year": "2017"})

        years = {k: o.count for k, o in facet(matches, "year").items()}
        shown = [paper.pk for paper in matches.context["page_obj"].object_list]
        assert matches.context["paginator"].count == len(shown) >= 3
        assert sum(years.values()) == (
            Paper.objects.filter(pk__in=shown).exclude(year=None).count()
        )
        assert {k: o.count for k, o in facet(chosen, "year").items()} == years
        assert chosen.context["paginator"].count == years["2017"]
        assert (
            facet(chosen, "has_code")["true"].count
            + facet(chosen, "has_code")["false"].count
            == chosen.context["paginator"].count
        )

    @pytest.mark.parametrize(
        "base",
        [
            {},
            {"q": "network"},
            {"year": "2014-2017", "has_translation": "false"},
            {"framework": "keras"},
            {"has_code": "true", "list": "004_a4353365c8c44131.txt"},
        ],
    )
    def test_every_option_counts_the_results_its_link_shows(self, client, seeds, base):
        """Each option of a facet with nothing chosen (and each Yes/No option
        not chosen) counts exactly the results of the page it links to."""
        page = client.get(PAPERS, base)
        checked = 0
        for found in page.context["facets"]:
            boolean = found.name in ("has_code", "has_translation")
            if found.name in base and not boolean:
                continue
            for option in found.options:
                if option.selected:  # its link removes it
                    continue
                shown = client.get(option.url)
                # The count, the page's total and the rows its filters select
                # in SQL all agree.
                listed = shown.context["filterset"].qs.count()
                assert shown.context["paginator"].count == option.count == listed, (
                    found.name,
                    option.value,
                )
                checked += 1
        assert checked >= 5

    def test_topic_facet_drills_down_from_the_top_level(self, client, seeds):
        parent = Topic.objects.get(path="Deep Learning")
        child = Topic.objects.get(path="Deep Learning > LSTM/GRU")
        grandchild = Topic.objects.get(path="Deep Learning > LSTM/GRU > AWD-LSTM")

        top = facet(client.get(PAPERS), "topic")
        opened = facet(client.get(PAPERS, {"topic": parent.slug}), "topic")
        deeper = facet(client.get(PAPERS, {"topic": grandchild.slug}), "topic")
        page = facet(client.get(child.get_absolute_url()), "topic")

        assert parent.slug in top and child.slug not in top
        assert top[parent.slug].count == 36  # its subtopics included
        assert child.slug in opened and grandchild.slug not in opened
        assert {parent.slug, child.slug, grandchild.slug} <= set(deeper)
        assert deeper[grandchild.slug].selected
        assert grandchild.slug in page  # a topic page opens its own topic

    def test_a_topic_does_not_take_a_path_that_differs_in_case(self, client, seeds):
        """ "deep learning > Other" is not below "Deep Learning", on either
        database (SQLite's LIKE ignores case)."""
        parent = Topic.objects.get(path="Deep Learning")
        other_root = Topic.objects.create(
            name="deep learning", path="deep learning", slug="deep-learning-lower"
        )
        other = Topic.objects.create(
            name="Other",
            path="deep learning > Other",
            slug="deep-learning-lower-other",
            parent=other_root,
            depth=1,
        )
        paper = Paper.objects.create(
            key="url:x.org/c", title="C", url="https://x.org/c"
        )
        paper.topics.add(other)

        response = client.get(PAPERS, {"topic": parent.slug})

        listed = response.context["filterset"].qs.count()
        assert response.context["paginator"].count == listed == 36
        assert facet(client.get(PAPERS), "topic")[parent.slug].count == 36

    def test_counts_over_a_narrowed_queryset_stay_within_it(self, seeds):
        """A filterset on a queryset with conditions of its own (no scope)
        counts only that queryset's papers."""
        from django.db.models import Count
        from django.http import QueryDict

        from catalog.browse.filters import PaperFilter

        base = Paper.objects.filter(year__gte=2018)
        filterset = PaperFilter(QueryDict("has_code=false"), queryset=base)

        selection = selectors.select(filterset).selection

        narrowed = filterset.qs.count()
        assert (
            0
            < selection.total
            == narrowed
            < PaperFilter(
                QueryDict("has_code=false"), queryset=Paper.objects.all()
            ).qs.count()
        )
        years = base.filter(repositories=None).values("year").annotate(n=Count("id"))
        assert dict(selection.counts("year")) == {y["year"]: y["n"] for y in years}

    def test_a_topic_includes_its_subtopics(self, client, seeds):
        response = client.get(PAPERS, {"topic": Topic.objects.get(path="基础").slug})

        assert response.context["paginator"].count == 8

    def test_facets_are_disjunctive(self, client, seeds):
        """A venue narrows the year counts; a chosen year keeps its siblings."""
        all_years = facet(client.get(PAPERS), "year")
        neurips = client.get(PAPERS, {"venue": "NeurIPS"})
        chosen = client.get(PAPERS, {"year": "2018"})

        assert {k: o.count for k, o in facet(neurips, "year").items()} == {"2018": 2}
        assert facet(chosen, "year")["2019"].count == all_years["2019"].count
        assert facet(chosen, "year")["2018"].selected
        assert chosen.context["paginator"].count == all_years["2018"].count

    def test_values_of_one_facet_combine_with_or_and_facets_with_and(
        self, client, seeds
    ):
        either = client.get(PAPERS, {"venue": ["NeurIPS", "ICML"]})
        both = client.get(PAPERS, {"venue": ["NeurIPS", "ICML"], "year": "2019"})

        assert either.context["paginator"].count == 3
        assert keys(both) == ["arxiv:1905.08850"]

    def test_the_sort_menu_shows_the_sort_in_effect(self, client, seeds):
        """Newest first without a query, where relevance means nothing;
        relevance for a query unless another sort is chosen."""
        plain = client.get(PAPERS)
        searched = client.get(PAPERS, {"q": "lstm"})
        titled = client.get(PAPERS, {"q": "lstm", "sort": "title"})

        assert '<option value="newest" selected>' in plain.content.decode()
        assert "relevance" not in plain.context["sort_options"]
        assert '<option value="relevance" selected>' in searched.content.decode()
        assert '<option value="title" selected>' in titled.content.decode()

    def test_year_ranges(self, client, seeds):
        response = client.get(PAPERS, {"year": "2010-2012"})

        assert sorted(p.year for p in response.context["page_obj"].object_list) == [
            2010,
            2012,
            2012,
            2012,
        ]

    @pytest.mark.parametrize(
        "span, lo, hi",
        [
            ("0000", 0, 0),
            ("2019-", 2019, None),
            ("-2011", None, 2011),
            ("2012-2010", 2010, 2012),
        ],
    )
    def test_year_spans_count_the_papers_they_list(self, client, seeds, span, lo, hi):
        expected = Paper.objects.exclude(year=None)
        if lo is not None:
            expected = expected.filter(year__gte=lo)
        if hi is not None:
            expected = expected.filter(year__lte=hi)

        response = client.get(PAPERS, {"year": span})

        listed = response.context["filterset"].qs.count()
        assert response.context["paginator"].count == listed == expected.count()

    def test_code_framework_and_translation_facets(self, client, seeds):
        code = client.get(PAPERS, {"has_code": "true"})
        keras = client.get(PAPERS, {"framework": "keras"})
        translated = client.get(PAPERS, {"has_translation": "true"})

        assert code.context["paginator"].count == 7
        assert sorted(keys(keras)) == [
            "arxiv:1607.06450",
            "url:openreview.net/pdf?id=HkghWScuoQ",
        ]
        assert translated.context["paginator"].count == 9
        assert facet(code, "has_code")["false"].count == 60

    def test_source_list_facet_filters_by_list(self, client, seeds):
        response = client.get(PAPERS, {"list": "003_1d7f973795d1461c.txt"})

        assert response.context["paginator"].count == 31
        assert facet(response, "list")["004_a4353365c8c44131.txt"].count == 36

    def test_selections_are_removable_one_by_one_and_all_at_once(self, client, seeds):
        response = client.get(
            PAPERS, {"venue": "NeurIPS", "year": "2018", "q": "training"}
        )

        chips = {c.label: c.url for c in response.context["chips"]}
        assert chips["Venue: NeurIPS"] == f"{PAPERS}?year=2018&q=training"
        assert response.context["clear_url"] == f"{PAPERS}?q=training"

    @pytest.mark.parametrize(
        "params",
        [
            {"year": "abc"},
            {"year": "99999"},
            {"framework": "cobol"},
            {"has_code": "maybe"},
            {"sort": "sideways"},
            {"topic": "no-such-topic"},
            {"venue": "x" * 5000},
            {"q": '"unbalanced -'},
            {"q": "*:() OR AND"},
            {"unknown": "1"},
        ],
    )
    def test_invalid_or_unknown_parameters_never_fail(self, client, seeds, params):
        response = client.get(PAPERS, params)

        assert response.status_code == 200

    def test_invalid_values_are_shown_as_form_errors_and_ignored(self, client, seeds):
        response = client.get(PAPERS, {"year": "abc", "framework": "cobol"})

        assert response.context["paginator"].count == 67
        assert "(ignored)" in response.content.decode()

    @pytest.mark.parametrize("page", ["99", "0", "abc"])
    def test_a_page_past_the_end_is_a_404(self, client, seeds, page):
        assert client.get(PAPERS, {"page": page}).status_code == 404

    def test_repository_and_link_lists_have_their_facets(self, client, seeds):
        repos = client.get(reverse("catalog:repository-list"), {"framework": "keras"})
        links = client.get(reverse("catalog:link-list"), {"kind": "course"})

        assert repos.context["paginator"].count == 6
        assert facet(links, "kind")["article"].count == 60
        assert [link.url for link in links.context["page_obj"].object_list] == [
            "http://www.ai-start.com/dl2017/"
        ]

    def test_topic_filter_works_for_repositories_and_links(self, client, seeds):
        capsule = Topic.objects.get(path="Deep Learning > Capsule").slug
        repos = client.get(reverse("catalog:repository-list"), {"topic": capsule})
        links = client.get(reverse("catalog:link-list"), {"topic": "deep-learning"})

        assert repos.context["paginator"].count == 6
        assert links.context["paginator"].count == 66


class SearchPageTests:
    def test_english_words_are_stemmed_and_highlighted(self, client, seeds):
        response = client.get(PAPERS, {"q": "regularizing"})

        titles = [p.title for p in response.context["page_obj"].object_list]
        assert "Regularizing and Optimizing LSTM Language Models" in titles
        assert "Recurrent Neural Network Regularization" in titles
        assert "<mark>Regularization</mark>" in response.content.decode()

    def test_chinese_words_find_translations_and_notes(self, client, seeds):
        response = client.get(PAPERS, {"q": "卷积"})

        assert "arxiv:1803.08834" in keys(response)  # its translation's title
        assert "<mark>卷积</mark>" in response.content.decode()

    def test_a_typo_finds_what_its_correction_finds(self, client, seeds):
        response = client.get(PAPERS, {"q": "normalizaton"})
        corrected = client.get(PAPERS, {"q": "normalization"})

        assert response.context["paginator"].count > 0
        assert keys(response) == keys(corrected)
        # Facets describe the results shown.
        years = sum(o.count for o in facet(response, "year").values())
        assert years == response.context["paginator"].count

    def test_a_query_that_finds_nothing_falls_back_to_did_you_mean(
        self, client, seeds, monkeypatch
    ):
        # Without typo tolerance in the matching, the page's own correction.
        monkeypatch.setattr(expansion, "_corrections", lambda query, using: {})
        response = client.get(PAPERS, {"q": "normalizaton"})

        assert response.context["original_query"] == "normalizaton"
        assert response.context["query"] == "normalization"
        assert response.context["paginator"].count > 0
        years = sum(o.count for o in facet(response, "year").values())
        assert years == response.context["paginator"].count

    def test_relevance_ranks_title_matches_first(self, client, seeds):
        response = client.get(PAPERS, {"q": "dropout"})

        first = response.context["page_obj"].object_list[0]
        assert "dropout" in first.title.lower()

    @pytest.mark.parametrize("sort", ["", "relevance", "title"])
    def test_search_pages_list_the_ranked_matches_page_by_page(
        self, client, seeds, sort, django_assert_max_num_queries
    ):
        """A relevance page takes its rows from the ranking of the matches."""
        topic = Topic.objects.get(path="进阶")
        for n in range(40):
            paper = Paper.objects.create(
                key=f"url:x.org/{n}",
                title=f"Sparse variant {n}" + " sparse" * (n % 3),
                url=f"https://x.org/{n}",
            )
            paper.topics.add(topic)
        # Ranks weighed by what the catalog knows of each paper (lists, code);
        # "sparse" names no glossary term, so the page matches it alone.
        weights = priors.paper_weights()
        ranked = Paper.objects.search("sparse").values_list("pk", "key", "search_rank")
        expected = [
            key
            for _, pk, key in sorted(
                (-rank * weights.get(pk), pk, key) for pk, key, rank in ranked
            )
        ]
        if sort == "title":
            expected = list(
                Paper.objects.search("sparse")
                .order_by("title", "id")
                .values_list("key", flat=True)
            )

        client.get(PAPERS)  # builds the facet index
        client.get(PAPERS, {"q": "warm"})  # reads the glossary and paper weights
        with django_assert_max_num_queries(MAX_QUERIES):
            first = client.get(PAPERS, {"q": "sparse", "sort": sort})
        second = client.get(PAPERS, {"q": "sparse", "sort": sort, "page": 2})
        past = client.get(PAPERS, {"q": "sparse", "sort": sort, "page": 99})

        assert first.context["paginator"].count == len(expected) > 25
        assert keys(first) + keys(second) == expected[:50]
        assert past.status_code == 404


class RowIdsTests:
    """A page sorted by year takes its rows' ids from the facet index, in
    its order of that sort, among the results of the years that come first:
    the same rows as filtering and ordering the whole table in SQL."""

    @pytest.mark.parametrize(
        ("params", "by_ids"),
        [
            ({}, True),
            ({"sort": "oldest"}, True),
            ({"q": "learning", "sort": "newest"}, True),
            ({"q": "learning", "sort": "oldest", "page": "2"}, True),
            ({"q": "网络 -卷积", "sort": "newest"}, True),
            ({"venue": "ICLR", "sort": "oldest"}, True),
            ({"year": "2015-2018", "has_code": "true"}, True),
            ({"has_code": "false", "sort": "oldest", "page": "3"}, True),
            ({"year": "2016-", "page": "3"}, True),
            ({"q": "-learning"}, False),
            ({"sort": "title"}, False),
        ],
    )
    def test_rows_from_ids_equal_rows_filtered_in_sql(
        self, client, seeds, monkeypatch, params, by_ids
    ):
        from catalog.browse.facets.index import FacetIndex

        ordered = []
        in_order = FacetIndex.in_order
        monkeypatch.setattr(
            FacetIndex,
            "in_order",
            lambda *args: ordered.append(args[1]) or in_order(*args),
        )
        monkeypatch.setattr(listing, "PER_PAGE", 4)  # pages past the first
        from_ids = client.get(PAPERS, params)
        assert bool(ordered) is by_ids
        monkeypatch.setattr(selectors, "ROW_IDS_LIMIT", -1)
        cache.clear()  # not the page cached by the first request
        filtered = client.get(PAPERS, params)

        assert len(ordered) == by_ids  # the second request filtered in SQL
        assert from_ids.status_code == filtered.status_code == 200
        assert keys(from_ids) and keys(from_ids) == keys(filtered)
        count = from_ids.context["paginator"].count
        assert count == filtered.context["paginator"].count

    @pytest.mark.parametrize(
        "params", [{}, {"year": "2017-"}, {"sort": "oldest", "page": "2"}]
    )
    def test_a_topic_pages_rows_from_ids_equal_rows_filtered_in_sql(
        self, client, seeds, monkeypatch, params
    ):
        monkeypatch.setattr(listing, "PER_PAGE", 4)
        topic = max(Topic.objects.all(), key=lambda t: t.papers.count())
        from_ids = client.get(topic.get_absolute_url(), params)
        monkeypatch.setattr(selectors, "ROW_IDS_LIMIT", -1)
        cache.clear()
        filtered = client.get(topic.get_absolute_url(), params)

        assert from_ids.status_code == filtered.status_code == 200
        assert keys(from_ids) and keys(from_ids) == keys(filtered)


class RecentSearchTests:
    """A search's matches are held in the process for the catalog version:
    its next pages, other sorts and facet clicks do not match again."""

    def test_next_pages_sorts_and_facet_clicks_reuse_the_matches(
        self, client, seeds, django_assert_num_queries
    ):
        client.get(PAPERS)  # builds the facet index
        client.get(PAPERS, {"q": "warm"})  # reads the glossary and paper weights
        with CaptureQueriesContext(connection) as first:
            ranked = client.get(PAPERS, {"q": "网络"})
        uncached = len(first)
        with django_assert_num_queries(uncached - 1):
            client.get(PAPERS, {"q": "网络", "year": "2017"})
        with django_assert_num_queries(uncached - 1):
            newest = client.get(PAPERS, {"q": "网络", "sort": "newest"})

        assert ranked.context["paginator"].count == newest.context["paginator"].count
        assert ranked.context["paginator"].count > 1

    def test_pages_from_held_matches_equal_pages_matched_afresh(self, client, seeds):
        client.get(PAPERS)
        params = [{"q": "learning"}, {"q": "learning", "year": "2017"}]
        pages = [keys(client.get(PAPERS, p)) for p in params * 2]
        held_matches._MATCHES.resize(0)  # nothing held: every page matches
        try:
            fresh = [keys(client.get(PAPERS, p)) for p in params]
        finally:
            held_matches._MATCHES.resize(settings.SEARCH_MATCHES_CACHE_BYTES)

        assert pages[0] and pages[1] and pages[0] != pages[1]
        assert pages == fresh * 2

    def test_a_sorted_search_never_serves_a_ranked_one_its_unranked_matches(
        self, client, seeds
    ):
        sorted_first = client.get(PAPERS, {"q": "regularization", "sort": "title"})
        ranked = client.get(PAPERS, {"q": "regularization"})
        held_matches._MATCHES.clear()
        fresh = client.get(PAPERS, {"q": "regularization"})

        assert sorted_first.status_code == ranked.status_code == 200
        assert keys(ranked) and keys(ranked) == keys(fresh)

    def test_a_write_retires_the_matches_held(self, client, seeds):
        before = client.get(PAPERS, {"q": "zebrafish"}).context["paginator"].count
        Paper.objects.create(
            key="url:x.org/zebrafish", title="Zebrafish", url="https://x.org/z"
        )
        after = client.get(PAPERS, {"q": "zebrafish"}).context["paginator"].count

        assert (before, after) == (0, 1)


class DetailPageTests:
    def test_result_rows_link_code_translations_topics_year_and_venue(
        self, client, seeds
    ):
        paper = Paper.objects.get(key="arxiv:1901.02671")
        repository = paper.repositories.get()
        topic = paper.topics.first()

        response = client.get(PAPERS, {"q": paper.title})

        (row,) = [
            row
            for row in response.content.decode().split('<li class="result paper">')
            if paper.get_absolute_url() in row
        ]
        assert f'href="{repository.url}"' in row
        assert 'class="tag zh"' in row
        assert f'href="{topic.get_absolute_url()}"' in row
        assert f'href="{reverse("catalog:year-detail", args=[paper.year])}"' in row
        if paper.venue:
            assert reverse("catalog:venue-detail", args=[paper.venue]) in row

    def test_paper_page_shows_code_translations_links_and_provenance(
        self, client, seeds
    ):
        paper = Paper.objects.get(key="arxiv:1901.02671")

        response = client.get(paper.get_absolute_url())

        content = response.content.decode()
        assert response.status_code == 200
        assert "ukplab/emnlp2018-activation-functions" in content.lower()
        assert "21种NLP任务激活函数大比拼" in content
        assert "004_a4353365c8c44131.txt: lines 228, 230, 232" in content
        assert '<link rel="canonical"' in content

    def test_related_papers_share_the_most_topics_then_are_the_newest(self, db):
        a = Topic.objects.create(name="A", path="A", slug="a")
        b = Topic.objects.create(name="B", path="B", slug="b")

        def paper(n, *topics):
            created = Paper.objects.create(
                key=f"url:r/{n}", title=f"R{n}", url=f"https://r/{n}"
            )
            created.topics.add(*topics)
            return created

        target = paper(0, a, b)
        both = paper(1, a, b)
        alone = [paper(n, a) for n in range(2, 10)]
        lonely = paper(10, a)
        lonely_b = paper(11, b)

        newest_alone = alone[::-1]
        assert (
            selectors.related_papers(target)
            == [
                both,  # two topics shared
                lonely_b,
                lonely,
                *newest_alone[:3],
            ]
        )
        assert selectors.related_papers(lonely) == newest_alone[:6]
        assert target not in selectors.related_papers(target, limit=20)

    def test_paper_page_lists_other_links_and_related_papers(
        self, client, seeds, django_assert_max_num_queries
    ):
        """In three queries: the paper with its topics, code, translations
        and links; its sources; the related papers."""
        paper = Paper.objects.get(key="arxiv:1706.02515")

        with django_assert_max_num_queries(3):
            response = client.get(paper.get_absolute_url())

        assert "reddit" in response.content.decode()
        assert response.context["related"]

    def test_short_paper_url_redirects_to_the_canonical_slug(self, client, seeds):
        paper = Paper.objects.get(key="arxiv:1708.02182")

        response = client.get(f"/papers/{paper.pk}/")

        assert response.status_code == 301
        assert response["Location"] == paper.get_absolute_url()
        assert "regularizing-and-optimizing" in paper.get_absolute_url()

    def test_topic_page_has_breadcrumbs_subtopics_and_papers(self, client, seeds):
        topic = Topic.objects.get(path="Deep Learning > LSTM/GRU")

        response = client.get(topic.get_absolute_url())

        assert [t.name for t in response.context["breadcrumbs"]] == [
            "Deep Learning",
            "LSTM/GRU",
        ]
        assert {s["name"] for s in response.context["subtopics"]} >= {"AWD-LSTM", "GRU"}
        assert response.context["paginator"].count == 5

    def test_repository_venue_and_year_pages(self, client, seeds):
        repo = Repository.objects.get(key="github.com/salesforce/awd-lstm-lm")

        assert client.get(repo.get_absolute_url()).status_code == 200
        venue = client.get(reverse("catalog:venue-detail", args=["ICLR"]))
        assert keys(venue) == ["arxiv:1901.09321"]
        year = client.get(reverse("catalog:year-detail", args=[2010]))
        assert year.context["paginator"].count == 1
        venues = client.get(reverse("catalog:venue-index"))
        assert venues.status_code == 200
        counted = {v["venue"]: v["n"] for v in venues.context["venues"]}
        assert counted == {
            v: Paper.objects.filter(venue=v).count()
            for v in Paper.objects.exclude(venue="").values_list("venue", flat=True)
        }
        years = [y["year"] for y in venues.context["years"]]
        assert years == sorted(years, reverse=True)

    @pytest.mark.parametrize(
        "page",
        [
            ("catalog:topic-detail", "基础"),
            ("catalog:venue-detail", "neurips"),  # any case
            ("catalog:year-detail", 2018),
        ],
    )
    def test_scoped_pages_count_only_their_papers(self, client, seeds, page):
        """A topic's, venue's or year's page: its facets count what each
        option's link lists there, all within the page's own papers."""
        name, value = page
        if name == "catalog:topic-detail":
            value = Topic.objects.get(path=value).slug
        url = reverse(name, args=[value])
        response = client.get(url, {"sort": "title"})
        scoped = response.context["filterset"].qs

        assert response.context["paginator"].count == scoped.count() > 0
        assert scoped.count() < Paper.objects.count()
        checked = 0
        for found in response.context["facets"]:
            for option in found.options:
                shown = client.get(option.url)
                listed = shown.context["filterset"].qs.count()
                assert shown.context["paginator"].count == option.count == listed
                assert listed <= scoped.count()
                checked += 1
        assert checked >= 4

    @pytest.mark.parametrize("path", ["/years/12345/", "/venues/%20/"])
    def test_a_scope_its_filter_cannot_take_is_a_404(self, client, seeds, path):
        assert client.get(path).status_code == 404

    def test_sitemap_lists_papers_and_topics(self, client, seeds):
        index = client.get("/sitemap.xml")
        papers = client.get("/sitemap-papers.xml")
        topics = client.get("/sitemap-topics.xml")

        assert index.status_code == papers.status_code == topics.status_code == 200
        assert index["Content-Type"] == papers["Content-Type"] == "application/xml"
        assert "/sitemap-papers.xml" in index.content.decode()
        assert Paper.objects.first().get_absolute_url() in papers.content.decode()
        assert "/topics/" in topics.content.decode()
        assert client.get("/sitemap-nothing.xml").status_code == 404

    def test_sitemap_index_names_every_page_of_a_large_catalog(
        self, client, seeds, monkeypatch, django_assert_num_queries
    ):
        """A catalog larger than a sitemap page is listed page by page, and
        each page is served from the cache until the catalog changes."""
        from catalog.browse.sitemaps import PaperSitemap

        monkeypatch.setattr(PaperSitemap, "limit", 30)  # 67 papers: 3 pages
        index = client.get("/sitemap.xml").content.decode()
        last = client.get("/sitemap-papers.xml", {"p": 3})
        with django_assert_num_queries(0):
            again = client.get("/sitemap-papers.xml", {"p": 3})

        assert "/sitemap-papers.xml?p=3" in index
        assert "/sitemap-papers.xml?p=4" not in index
        assert last.content == again.content
        assert again["Content-Type"] == "application/xml"
        assert again["X-Robots-Tag"] == last["X-Robots-Tag"]
        assert last.content.decode().count("<url>") == 67 - 60


class CacheTests:
    def test_unfiltered_page_is_cached_until_an_edit(
        self, client, seeds, django_assert_num_queries
    ):
        client.get(PAPERS)
        with django_assert_num_queries(0):
            client.get(PAPERS)

        paper = Paper.objects.get(key="arxiv:1908.03265")
        paper.title = "RAdam, retitled by an editor"
        paper.save()

        assert "RAdam, retitled by an editor" in client.get(PAPERS).content.decode()

    def test_home_page_is_cached_until_an_edit(
        self, client, seeds, django_assert_num_queries
    ):
        client.get("/")
        with django_assert_num_queries(0):
            client.get("/")

        paper = Paper.objects.order_by("-created", "-id").first()
        paper.title = "Retitled on the home page"
        paper.save()

        assert "Retitled on the home page" in client.get("/").content.decode()

    def test_an_import_invalidates_cached_pages(self, client, db, tmp_path):
        client.get(PAPERS)
        path = tmp_path / "new.md"
        path.write_text("# T\n- [Brand New Paper](https://arxiv.org/abs/2101.00001)\n")

        call_command("import_lists", str(path), verbosity=0)

        assert "Brand New Paper" in client.get(PAPERS).content.decode()


class HostileRequestTests:
    """Requests a visitor can craft to make the site work or answer big."""

    def test_repeated_and_unknown_parameters_are_not_echoed_into_every_link(
        self, client, seeds
    ):
        plain = client.get(PAPERS, {"list": "a.md"})
        repeated = "&".join(["list=a.md"] * 600 + [f"junk{n}=x" for n in range(300)])

        response = client.get(f"{PAPERS}?{repeated}")

        assert response.status_code == 200
        assert len(response.content) < len(plain.content) + 2_000
        assert "junk" not in response.content.decode()

    def test_a_page_echoes_at_most_twenty_values_of_a_parameter(self, client, seeds):
        query = "&".join(f"venue=V{n}" for n in range(500))

        response = client.get(f"{PAPERS}?{query}")

        assert response.status_code == 200
        assert response.context["params"].values("venue") == [
            f"V{n}" for n in range(20)
        ]
        assert len(response.content) < 300_000

    def test_an_overlong_query_is_refused_not_echoed(self, client, seeds):
        response = client.get(PAPERS, {"q": "learning " * 400})

        assert response.status_code == 200
        assert "q" in response.context["filterset"].form.errors
        assert "learning learning" not in response.content.decode()

    @pytest.mark.parametrize("method", ["post", "put", "delete", "options", "trace"])
    def test_public_pages_answer_only_get_and_head(self, client, seeds, method):
        paper = Paper.objects.first()
        for url in ("/", PAPERS, paper.get_absolute_url(), "/sitemap.xml"):
            response = client.generic(method.upper(), url)
            assert response.status_code == 405, url
            assert set(response["Allow"].split(", ")) == {"GET", "HEAD"}

    def test_one_page_is_cached_once_however_its_number_is_written(
        self, client, seeds, django_assert_num_queries
    ):
        client.get(PAPERS, {"page": "2"})
        with django_assert_num_queries(0):
            for written in ("02", "002", "2"):
                assert client.get(PAPERS, {"page": written}).status_code == 200

    def test_odd_page_numbers_are_not_found(self, client, seeds):
        for written in ("0", "-1", "1e3", "²", "9" * 30, "1.0"):
            assert client.get(PAPERS, {"page": written}).status_code == 404, written


@pytest.mark.django_db
def test_the_topic_facet_lists_the_largest_topics_of_a_long_list(client, monkeypatch):
    """Thousands of headings make thousands of topics: the facet lists the
    largest TOP_TOPICS of each level (and what is selected), not every one."""
    monkeypatch.setattr(facet_options, "TOP_TOPICS", 3)
    topics = [
        Topic.objects.create(name=f"T{n}", path=f"T{n}", slug=f"t{n}", order=n)
        for n in range(6)
    ]
    for n, topic in enumerate(topics):
        for m in range(n + 1):
            paper = Paper.objects.create(
                key=f"url:x.org/{n}/{m}", title=f"P {n} {m}", url="https://x.org/"
            )
            paper.topics.add(topic)

    page = client.get(PAPERS)
    chosen = facet(client.get(PAPERS, {"topic": "t0"}), "topic")

    assert list(facet(page, "topic")) == ["t3", "t4", "t5"]
    assert list(chosen) == ["t0", "t3", "t4", "t5"]
    (topic_facet,) = [f for f in page.context["facets"] if f.name == "topic"]
    assert topic_facet.more == 3
    assert "3 smaller topics not listed" in page.content.decode()


@pytest.mark.parametrize(
    "cache",
    [
        {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache"},
        {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            # KEY_PREFIX: as settings.py names the subprocess's database
        },
    ],
    ids=["files", "redis"],
)
def test_an_import_in_another_process_retires_cached_pages(settings, tmp_path, cache):
    """import_lists runs in its own process; the web process must see its bump."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    import dj_database_url
    from django.core.cache import caches

    from catalog.cache import catalog_version
    from dlresources.settings import cache_key_prefix

    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    database = dj_database_url.parse(env["DATABASE_URL"])
    cache = {**cache, "KEY_PREFIX": cache_key_prefix(database)}
    if "LOCATION" in cache:
        env["REDIS_URL"] = cache["LOCATION"]
    else:
        cache = {**cache, "LOCATION": str(tmp_path / "cache")}
        env["DJANGO_CACHE_DIR"] = cache["LOCATION"]
        env.pop("REDIS_URL", None)
    settings.CACHES = {"default": cache}
    caches["default"].clear()
    before = catalog_version()
    root = Path(__file__).resolve().parents[2]
    manage = [sys.executable, str(root / "manage.py")]
    listed = tmp_path / "new.md"
    listed.write_text("# T\n- [P](https://arxiv.org/abs/2101.00001)\n")

    for args in (["migrate", "-v0"], ["import_lists", str(listed), "-v0"]):
        subprocess.run([*manage, *args], env=env, cwd=root, check=True)

    assert catalog_version() != before


def test_versioned_data_is_rebuilt_after_a_write_and_when_the_cache_loses_it():
    from django.core.cache import cache

    from catalog import cache as catalog_cache
    from catalog.cache import bump_catalog_version, catalog_version, versioned

    built = []

    def build():
        built.append(len(built) + 1)
        return built[-1]

    name = "test-versioned"
    assert versioned(name, build) == 1
    assert versioned(name, build) == 1  # held in this process
    catalog_cache._held.pop(name)
    assert versioned(name, build) == 1  # another process: the shared copy
    cache.delete(f"catalog:{name}")
    assert versioned(name, build) == 1  # the process copy serves this version
    bump_catalog_version()
    assert versioned(name, build) == 2
    # The shared cache holds the latest version only, under one key.
    assert cache.get(f"catalog:{name}") == (catalog_version(), 2)
    cache.clear()  # the version itself is lost: a new one, never an old one
    assert versioned(name, build) == 3


@pytest.mark.django_db(transaction=True)
def test_a_write_sets_a_new_version_again_when_it_commits():
    """A page read between an editor's save and its commit may have cached
    data without the edit under the version the save set."""
    from django.db import transaction

    from catalog.cache import catalog_version

    paper = Paper.objects.create(key="url:x.org/v", title="V", url="https://x.org/v")
    with transaction.atomic():
        paper.title = "V, edited"
        paper.save()
        during = catalog_version()

    assert catalog_version() != during


def test_threads_needing_versioned_data_at_once_build_it_once():
    import threading
    import time

    from catalog.cache import versioned

    built = []

    def build():
        built.append(1)
        time.sleep(0.2)  # long enough for every thread to ask meanwhile
        return "value"

    results = []
    threads = [
        threading.Thread(target=lambda: results.append(versioned("test-once", build)))
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert results == ["value"] * 4
    assert len(built) == 1


@pytest.mark.django_db
def test_a_new_topic_shows_in_the_topic_tree_at_once():
    before = {t["name"] for t in browse_topics.topic_tree()}
    Topic.objects.create(name="Brand New", path="Brand New", slug="brand-new")
    after = {t["name"] for t in browse_topics.topic_tree()}
    assert after - before == {"Brand New"}


def test_memoised_urls_follow_the_script_prefix():
    from django.urls import set_script_prefix

    from catalog.routes import url_for

    try:
        set_script_prefix("/catalog/")
        assert url_for("catalog:year-detail", 2019) == "/catalog/years/2019/"
    finally:
        set_script_prefix("/")
    assert url_for("catalog:year-detail", 2019) == "/years/2019/"


def test_facet_urls_toggle_one_value_and_keep_the_others_encoded():
    """Option URLs keep every other parameter, in order, encoded as
    ``urlencode`` would, and never the page number."""
    from django.http import QueryDict

    from catalog.browse.params import Params

    query = QueryDict(mutable=True)
    query.setlist("q", ["BERT 预训练 & more"])
    query.setlist("venue", ["ICML", "NeurIPS"])
    query.setlist("page", ["3"])
    query.setlist("year", [""])
    params = Params(query, "/papers/")

    assert params.toggled("venue", "ICML") == (
        "/papers/?q=BERT+%E9%A2%84%E8%AE%AD%E7%BB%83+%26+more&venue=NeurIPS"
    )
    assert params.toggled("year", "2019") == (
        "/papers/?q=BERT+%E9%A2%84%E8%AE%AD%E7%BB%83+%26+more"
        "&venue=ICML&venue=NeurIPS&year=2019"
    )
    assert params.url(q=None, venue=None) == "/papers/"
    assert params.replaced("venue", "a/b") == (
        "/papers/?q=BERT+%E9%A2%84%E8%AE%AD%E7%BB%83+%26+more&venue=a%2Fb"
    )


def test_rows_come_with_their_topics_code_and_translations_in_model_order(seeds):
    """``with_related`` loads, in the rows' own query, what the relations
    would give, in the related models' order."""
    papers = Paper.objects.prefetch_related("topics", "repositories", "translations")
    expected = {
        p.pk: (
            [(t.pk, t.name, t.slug) for t in p.topics.all()],
            [(r.pk, r.owner, r.name, r.url, r.framework) for r in p.repositories.all()],
            [(t.pk, t.title, t.url, t.language) for t in p.translations.all()],
        )
        for p in papers
    }
    assert any(len(topics) > 1 for topics, _, _ in expected.values())
    assert any(len(code) > 1 for _, code, _ in expected.values())

    rows = browse_rows.with_related(Paper.objects.all(), browse_rows.PAPER_ROW_RELATED)

    assert {
        p.pk: (
            [(t.pk, t.name, t.slug) for t in p.topic_list],
            [(r.pk, r.owner, r.name, r.url, r.framework) for r in p.code],
            [(t.pk, t.title, t.url, t.language) for t in p.translation_list],
        )
        for p in rows
    } == expected


def test_rows_by_id_come_in_the_ids_order_with_what_a_query_of_them_gives(
    seeds, django_assert_num_queries
):
    """``Rows.by_ids`` (a search's page, its SQL compiled once) gives the
    rows of the ids in their order, skipping ids of no row, each with the
    columns and related lists that evaluating a queryset of them gives."""
    rows = browse_rows.Rows(
        Paper, browse_rows.PAPER_ROW_RELATED, only=browse_rows.PAPER_ROW_FIELDS
    )
    ids = list(Paper.objects.order_by("-pk").values_list("pk", flat=True))
    ids.insert(3, max(ids) + 1000)  # no such paper

    def shown(papers):
        return [
            (
                p.pk,
                [getattr(p, name) for name in browse_rows.PAPER_ROW_FIELDS],
                [(t.pk, t.name, t.slug, t.path) for t in p.topic_list],
                [(r.pk, r.owner, r.name, r.url, r.framework) for r in p.code],
                [(t.pk, t.title, t.url, t.language) for t in p.translation_list],
            )
            for p in papers
        ]

    expected = sorted(shown(rows.of(Paper.objects.all())), key=lambda r: -r[0])
    for _ in range(2):  # compiled on the first call, reused on the second
        with django_assert_num_queries(1):
            found = rows.by_ids(ids)
            assert shown(found) == expected
    assert rows.by_ids([]) == []
    # Columns a row does not show load when read, as with only().
    paper = Paper.objects.get(pk=found[0].pk)
    assert found[0].url == paper.url
    # The related objects: their fields loaded, their other fields deferred.
    topic = next(p.topic_list[0] for p in found if p.topic_list)
    assert topic._state.adding is False
    assert topic.description == Topic.objects.get(pk=topic.pk).description


def test_repository_and_link_rows_come_with_their_papers_and_topics(seeds):
    """A repository row lists the papers it implements (newest first, those
    without a year last) and its topics; a link row its topics."""
    from catalog.models import Link

    def newest_first(papers):
        return sorted(papers, key=lambda p: (p.year is None, -(p.year or 0), p.title))

    shared = Repository.objects.order_by("pk").first()
    shared.papers.add(
        *Paper.objects.filter(year=None)[:1],
        *Paper.objects.exclude(year=None).order_by("year")[:2],
    )
    repositories = Repository.objects.prefetch_related("papers", "topics")
    expected = {
        r.pk: ([p.pk for p in newest_first(r.papers.all())], list(r.topics.all()))
        for r in repositories
    }
    assert len(expected[shared.pk][0]) >= 3

    rows = browse_rows.with_related(
        Repository.objects.all(), browse_rows.REPOSITORY_ROW_RELATED
    )

    assert {
        r.pk: ([p.pk for p in r.paper_list], r.topic_list) for r in rows
    } == expected
    links = browse_rows.with_related(Link.objects.all(), browse_rows.LINK_ROW_RELATED)
    assert links
    assert all(link.topic_list == list(link.topics.all()) for link in links)


@pytest.mark.django_db
def test_rows_escape_text_as_django_templates_do(client):
    """The Jinja2 rows write every kind's text escaped as Django's templates
    do (&quot; and &#x27;), never as raw markup."""
    from catalog.models import Link

    title = """Say "hi" & 'bye' <b>now</b>"""
    paper = Paper.objects.create(
        key="url:x.org/q", title=title, url="https://x.org/q", organisation="A&B"
    )
    Repository.objects.create(
        key="github.com/o/n",
        host="github.com",
        owner="o<",
        name="n'",
        url="https://github.com/o/n",
    )
    Link.objects.create(url="https://x.org/l?a=1&b=2", title=title, paper=paper)
    escaped = "Say &quot;hi&quot; &amp; &#x27;bye&#x27; &lt;b&gt;now&lt;/b&gt;"

    papers = client.get(PAPERS).content.decode()
    searched = client.get(PAPERS, {"q": "bye"}).content.decode()
    repositories = client.get(reverse("catalog:repository-list")).content.decode()
    links = client.get(reverse("catalog:link-list")).content.decode()

    assert escaped in papers and "A&amp;B" in papers
    assert "Say &quot;hi&quot; &amp; &#x27;<mark>bye</mark>&#x27;" in searched
    assert "o&lt;/n&#x27;" in repositories
    assert escaped in links and "https://x.org/l?a=1&amp;b=2" in links
    assert "<b>now</b>" not in papers + searched + links


@pytest.mark.django_db
def test_topic_counts_and_breadcrumbs_follow_a_write(django_assert_num_queries):
    """Topic counts and breadcrumbs are read from data held per catalog
    version: a write shows in both at once, and once held they cost no
    query."""
    parent = Topic.objects.create(name="Vision", path="Vision", slug="vision")
    child = Topic.objects.create(
        name="Detection", path="Vision > Detection", slug="vision-detection",
        parent=parent, depth=1,
    )  # fmt: skip
    assert selectors.topic_counts()[parent.pk] == 0
    with django_assert_num_queries(0):
        assert selectors.topic_counts()[parent.pk] == 0
        assert [t.name for t in browse_topics.breadcrumbs(child)] == [
            "Vision",
            "Detection",
        ]

    paper = Paper.objects.create(key="url:x.org/d", title="D", url="https://x.org/d")
    paper.topics.add(child)
    child.name = "Object detection"
    child.save()

    assert selectors.topic_counts()[parent.pk] == 1
    crumbs = browse_topics.breadcrumbs(child)
    assert [t.name for t in crumbs] == ["Vision", "Object detection"]
    assert [t.get_absolute_url() for t in crumbs] == [
        parent.get_absolute_url(),
        child.get_absolute_url(),
    ]


@pytest.mark.django_db
def test_a_paper_written_while_the_facet_index_is_read_breaks_no_page(
    client, monkeypatch
):
    """An import may commit between the index's queries (its entries, then
    its sorts): the page is served all the same."""
    from catalog.browse.facets.index import FacetIndex

    Paper.objects.create(key="url:x.org/1", title="One", url="https://x.org/1")
    build = FacetIndex.build.__func__

    def racing(cls, ids, *args, **kwargs):
        ids = list(ids)
        Paper.objects.create(key="url:x.org/2", title="Two", url="https://x.org/2")
        return build(cls, ids, *args, **kwargs)

    monkeypatch.setattr(FacetIndex, "build", classmethod(racing))

    response = client.get(PAPERS, {"year": "1900-"})

    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("q", "keys"),
    [
        ("1807.08169", ["arxiv:1807.08169"]),
        ("arXiv:1807.08169v1", ["arxiv:1807.08169"]),
        ("https://arxiv.org/pdf/1807.08169.pdf", ["arxiv:1807.08169"]),
        # Two ids: both papers, in the order named.
        ("1712.04741 1807.08169", ["arxiv:1712.04741", "arxiv:1807.08169"]),
        # A paper's address, with "www." or without.
        (
            "http://cs.toronto.edu/~hinton/absps/JMLRdropout.pdf",
            ["url:www.cs.toronto.edu/~hinton/absps/JMLRdropout.pdf"],
        ),
        (
            "https://openreview.net/pdf?id=HkghWScuoQ",
            ["url:openreview.net/pdf?id=HkghWScuoQ"],
        ),
    ],
)
def test_a_search_for_a_papers_identifier_finds_that_paper(
    client, seeds, settings, q, keys
):
    """arXiv ids and paper addresses are no words of a paper's document: a
    search for one found nothing, though the catalog holds the paper."""
    settings.API_THROTTLE_RATE = None  # its counts outlive the test
    response = client.get(PAPERS, {"q": q})

    assert [p.key for p in response.context["page_obj"]] == keys
    api = client.get(reverse("api:paper-list"), {"q": q}).json()
    assert [p["key"] for p in api["results"]] == keys


@pytest.mark.django_db
def test_a_merged_papers_old_address_finds_the_paper_it_joined(client, seeds):
    paper = Paper.objects.get(key="arxiv:1807.08169")
    Alias.objects.create(
        kind="paper", key="url:example.org/overview.pdf", target_id=paper.pk
    )

    response = client.get(PAPERS, {"q": "https://example.org/overview.pdf"})

    assert [p.key for p in response.context["page_obj"]] == ["arxiv:1807.08169"]


@pytest.mark.django_db
def test_an_identifier_the_catalog_lacks_is_searched_as_words(client, seeds):
    response = client.get(PAPERS, {"q": "dropout 9999.99999"})

    # No paper holds both words: the search broadens to those holding most.
    titles = [p.title for p in response.context["page_obj"]]
    assert titles and all("dropout" in t.lower() for t in titles[:3])
