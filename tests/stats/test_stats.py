"""/stats/: charts of the catalog or of a browse selection."""

import shutil
from urllib.parse import parse_qs, urlsplit
from xml.etree import ElementTree

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse
from django.utils import translation
from pyroaring import BitMap

from catalog.models import Paper, Topic
from catalog.stats import charts as drawing
from catalog.stats.figures import in_lists
from tests.golden import LIST_DIR

STATS = reverse("catalog:stats")
PAPERS = reverse("catalog:paper-list")
# The interface's languages: the tests of what a page says run in each (the
# Chinese interface adds "zh-hans").
LANGUAGES = ["en", "zh-hans"]


@pytest.fixture
def seeds(db):
    call_command("import_lists", str(LIST_DIR), verbosity=0)


def get(client, url, params=None, language="en"):
    """A page in ``language``: asked for as a browser does, and active
    while the view runs (with or without the locale middleware)."""
    with translation.override(language):
        return client.get(url, params or {}, HTTP_ACCEPT_LANGUAGE=language)


def charts(response):
    """{slug: Chart} of a stats page (its charts' figures, as drawn)."""
    return {c.slug: c for c in response.context["page_charts"]}


def total(client, url):
    return client.get(url).context["paginator"].count


class StatsPageTests:
    @pytest.mark.parametrize("language", LANGUAGES)
    @pytest.mark.parametrize("params", [{}, {"venue": "NeurIPS"}, {"q": "learning"}])
    def test_every_chart_is_drawn_with_its_table(self, client, seeds, params, language):
        response = get(client, STATS, params, language)

        assert response.status_code == 200
        html = response.content.decode()
        drawn = charts(response)
        assert set(drawn) == {
            "years", "code", "translations", "topics", "venues", "frameworks", "lists",
        }  # fmt: skip
        for chart in drawn.values():
            assert f'<h2 id="chart-{chart.slug}">' in html
            if chart.rows:
                assert f'class="pygal-chart chart-{chart.slug}"' in html
                assert f'<caption id="table-{chart.slug}">' in html
        rows = sum(len(chart.rows) for chart in drawn.values())
        assert html.count('<th scope="row">') == rows > 0

    def test_each_bar_counts_the_papers_its_link_shows(self, client, seeds):
        """A bar's link is the browse page of the papers it counts: a year's
        venue, a topic, a venue, a framework; the selection stays."""
        for params in ({}, {"has_code": "true"}):
            drawn = charts(client.get(STATS, params))
            checked = 0
            for slug in ("years", "topics", "venues", "frameworks"):
                for row in drawn[slug].rows:
                    for value, url in zip(row.values, row.urls, strict=True):
                        if slug == "years" and "venue=" not in url:
                            continue  # the other venues: the year's remainder
                        assert url.startswith(PAPERS)
                        assert total(client, url) == value, url
                        checked += 1
            assert checked >= 5
            for row in drawn["years"].rows:
                assert sum(row.values) == total(client, row.url)

    def test_shares_per_year_are_the_percentages_of_the_years_papers(
        self, client, seeds
    ):
        drawn = charts(client.get(STATS))
        for slug, flag in (("code", "has_code"), ("translations", "has_translation")):
            for row in drawn[slug].rows:
                (share,) = row.values
                year = total(client, f"{PAPERS}?year={row.label}")
                having = total(client, row.url)
                assert row.url.endswith(f"year={row.label}&{flag}=true")
                assert share == round(100 * having / year, 1)
        shares = [row.values[0] for row in drawn["code"].rows]
        assert 0 < max(shares) <= 100

    def test_years_stack_by_framework_when_asked(self, client, seeds):
        response = client.get(STATS, {"by": "framework", "venue": "NeurIPS"})

        years = charts(response)["years"]
        assert "No code" in years.columns
        for row in years.rows:
            assert sum(row.values) == total(client, row.url)
            assert "venue=NeurIPS" in row.url
        switch = {link.value: link.url for link in response.context["stack_links"]}
        assert switch["venue"] == f"{STATS}?venue=NeurIPS"
        by_framework = urlsplit(switch["framework"])
        assert by_framework.path == STATS
        assert parse_qs(by_framework.query) == {
            "venue": ["NeurIPS"],
            "by": ["framework"],
        }

    def test_lists_per_paper_counts_each_papers_source_lists(
        self, client, seeds, tmp_path
    ):
        """A paper in two lists counts once, under 2."""
        shutil.copy(LIST_DIR / "003_1d7f973795d1461c.txt", tmp_path / "again.md")
        call_command("import_lists", str(tmp_path), verbosity=0)

        lists = charts(client.get(STATS))["lists"]
        expected = {}
        papers = Paper.objects.annotate(n=Count("sources__reading_list", distinct=True))
        for n in papers.values_list("n", flat=True):
            expected[str(n)] = expected.get(str(n), 0) + 1
        assert {row.label: row.values[0] for row in lists.rows} == expected
        assert "2" in expected

    def test_top_topics_drill_down_below_a_chosen_topic(self, client, seeds):
        top = charts(client.get(STATS))["topics"]
        assert {row.label for row in top.rows} <= set(
            Topic.objects.filter(parent=None).values_list("name", flat=True)
        )
        parent = Topic.objects.get(path="Deep Learning")
        below = charts(client.get(STATS, {"topic": parent.slug}))["topics"]
        children = set(parent.children.values_list("name", flat=True))
        assert below.rows and {row.label for row in below.rows} <= children


class StatsInputTests:
    @pytest.mark.parametrize(
        "params",
        [
            {"year": "abc"},
            {"framework": "cobol"},
            {"by": "colour"},
            {"topic": "no-such-topic"},
            {"venue": "x" * 5000},
            {"q": '"unbalanced -'},
            {"unknown": "1", "page": "x"},
        ],
    )
    def test_invalid_or_unknown_parameters_never_fail(self, client, seeds, params):
        assert client.get(STATS, params).status_code == 200

    @pytest.mark.parametrize("language", LANGUAGES)
    def test_invalid_values_are_named_and_ignored(self, client, seeds, language):
        response = get(client, STATS, {"year": "abc", "by": "colour"}, language)

        errors = response.context["filterset"].form.errors
        assert "year" in errors
        assert response.context["errors"]
        assert "by=" not in response.context["params"].url()  # not passed on
        assert response.context["summary"].papers == Paper.objects.count()
        assert 'role="alert"' in response.content.decode()

    def test_a_selection_of_nothing_says_so_without_charts(self, client, seeds):
        response = client.get(STATS, {"q": "zzzqqqxxx"})

        assert response.status_code == 200
        assert response.context["summary"].papers == 0
        assert "pygal-chart" not in response.content.decode()


class StatsCacheTests:
    def test_charts_are_drawn_once_per_catalog_version_and_language(
        self, client, seeds, monkeypatch
    ):
        drawn = []
        svg = drawing.svg
        monkeypatch.setattr(drawing, "svg", lambda chart: drawn.append(1) or svg(chart))

        get(client, STATS, {"venue": "ICML"})
        first = len(drawn)
        get(client, STATS, {"venue": "ICML"})
        assert len(drawn) == first > 0

        get(client, STATS, {"venue": "ICML"}, language="zh-hans")
        assert len(drawn) == 2 * first

        Paper.objects.filter(venue="ICML").first().save()  # a new version
        get(client, STATS, {"venue": "ICML"})
        assert len(drawn) == 3 * first


class ChartSvgTests:
    def test_svg_runs_under_the_csp_and_hides_from_assistive_technology(
        self, client, seeds
    ):
        """No script, no style element or attribute (the CSP refuses both
        inline), no ids to collide; each bar's link is out of the tab order
        (the table's links are the keyboard's) and has a title."""
        html = client.get(STATS).content.decode()
        start = html.rindex("<svg", 0, html.index('class="pygal-chart chart-years"'))
        svg = html[start : html.index("</svg>", start) + len("</svg>")]
        root = ElementTree.fromstring(svg)
        ns = "{http://www.w3.org/2000/svg}"

        assert root.get("aria-hidden") == "true"
        tags = {node.tag for node in root.iter()}
        assert f"{ns}script" not in tags and f"{ns}style" not in tags
        assert not [n for n in root.iter() if "style" in n.attrib or "id" in n.attrib]
        links = list(root.iter(f"{ns}a"))
        assert links and all(a.get("tabindex") == "-1" for a in links)
        first = links[0]
        href = first.get("{http://www.w3.org/1999/xlink}href")
        assert href.startswith(f"{PAPERS}?year=")
        assert first.find(f"{ns}title").text  # "2012 · 3"

    def test_the_charts_stylesheet_is_pygals_scoped_to_our_charts(self, client, db):
        response = client.get(reverse("catalog:stats-stylesheet"))

        assert response["Content-Type"].startswith("text/css")
        css = response.content.decode()
        assert "svg.pygal-chart .axis" in css
        assert "var(--series-0)" in css and "#chart-" not in css


def test_in_lists_counts_each_entry_once_at_its_number_of_lists():
    results = BitMap(range(10))
    lists = [BitMap([1, 2, 3, 20]), BitMap([2, 3]), BitMap([3])]

    levels = in_lists(lists, results)

    assert [sorted(level) for level in levels] == [
        [0, 4, 5, 6, 7, 8, 9], [1], [2], [3],
    ]  # fmt: skip


def test_a_paper_selection_links_to_its_charts(client, seeds):
    html = client.get(PAPERS, {"venue": "NeurIPS", "year": "2018-"}).content.decode()

    assert f'href="{STATS}?venue=NeurIPS&amp;year=2018-"' in html


def test_repeated_and_unknown_parameters_are_not_echoed(client, seeds):
    plain = client.get(STATS, {"venue": "NeurIPS"})
    repeated = "&".join(["venue=NeurIPS"] * 600 + [f"junk{n}=x" for n in range(300)])

    response = client.get(f"{STATS}?{repeated}")

    assert response.status_code == 200
    assert len(response.content) < len(plain.content) + 2_000
    assert "junk" not in response.content.decode()
