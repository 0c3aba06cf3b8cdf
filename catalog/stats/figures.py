"""The figures of the statistics page, counted in the papers' facet index.

Every figure is a ``Chart``: rows (a year, a venue...) of values, one per
column (a series), each value with the browse URL of the papers it counts.
The same ``Chart`` draws the SVG (``catalog.stats.charts``) and fills the
data table beside it, so the two never disagree. Counts are intersections
of the index's bitmaps with the selection's results: they cost the same
however many papers match.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pyroaring import BitMap

from catalog.browse.facets.index import Selection, union
from catalog.browse.params import Params
from catalog.browse.topics import topic_tree
from catalog.models import Framework

# The venues or frameworks a year's bar shows apart (the rest are stacked
# as one: ten series at most, the charts' colours), and the bars of the top
# topics and venues.
STACKED = 8
TOP_BARS = 15

# What a year's papers are stacked by (the ``by`` parameter).
STACK_BY = {
    "venue": gettext_lazy("venue"),
    "framework": gettext_lazy("framework"),
}


@dataclass(frozen=True)
class Row:
    """One row of a chart's table: a label, a value per column and the
    browse URL of the papers each value counts (None: no such page)."""

    label: str
    values: tuple[float, ...]
    urls: tuple[str | None, ...]
    url: str | None = None  # the row's own papers (its header links there)


@dataclass
class Chart:
    """A figure: what it shows, its columns (series) and rows. ``style``
    is how it is drawn: "stacked" or "columns" (vertical bars, one per
    row), "bars" (horizontal, largest first); ``unit`` "%" for shares."""

    slug: str
    title: str
    description: str
    row_heading: str
    columns: list[str]
    rows: list[Row] = field(default_factory=list)
    style: str = "columns"
    unit: str = ""


@dataclass
class Summary:
    """The selection's totals the page states in words."""

    papers: int
    with_code: int
    with_translation: int
    without_year: int

    @property
    def code_share(self) -> float:
        return _share(self.with_code, self.papers)

    @property
    def translation_share(self) -> float:
        return _share(self.with_translation, self.papers)


def _share(part: int, whole: int) -> float:
    """``part`` of ``whole`` in percent, one decimal (0 of nothing)."""
    return round(100 * part / whole, 1) if whole else 0.0


def summary(selection: Selection) -> Summary:
    results = selection.results
    flags = selection.index.values
    return Summary(
        papers=len(results),
        with_code=_count(flags["has_code"].get(True), results),
        with_translation=_count(flags["has_translation"].get(True), results),
        without_year=len(results - union(flags["year"].values())),
    )


def charts(selection: Selection, papers: Params, *, by: str) -> list[Chart]:
    """Every chart of the page for a selection; ``papers`` are the browse
    parameters of the selection (at /papers/), which each link narrows."""
    figures = Figures(selection, papers)
    return [
        figures.papers_per_year(by),
        figures.share_per_year(
            "code", "has_code", _("Share of papers with code, per year")
        ),
        figures.share_per_year(
            "translations",
            "has_translation",
            _("Translation coverage: share of papers with a translation, per year"),
        ),
        figures.top_topics(),
        figures.top_venues(),
        figures.frameworks(),
        figures.lists_per_paper(),
    ]


def _count(bits: BitMap | None, results: BitMap) -> int:
    return 0 if bits is None else bits.intersection_cardinality(results)


class Figures:
    """The charts of one selection (its results) and their links."""

    def __init__(self, selection: Selection, papers: Params):
        self.results = selection.results
        self.values = selection.index.values
        self.papers = papers
        self.years = sorted(
            year
            for year, bits in self.values["year"].items()
            if bits.intersect(self.results)
        )

    def _year_bits(self, year: int) -> BitMap:
        return self.values["year"][year] & self.results

    def _most(self, name: str, limit: int | None = None) -> list[tuple[object, int]]:
        counted = [
            (v, _count(bits, self.results)) for v, bits in self.values[name].items()
        ]
        counted = sorted((c for c in counted if c[1]), key=lambda c: (-c[1], str(c[0])))
        return counted[:limit] if limit else counted

    def _url(self, **changes) -> str:
        return self.papers.url(
            **{k: v if v is None else [str(v)] for k, v in changes.items()}
        )

    def papers_per_year(self, by: str) -> Chart:
        """Papers per year, each year's bar stacked by venue (the largest,
        then the rest) or by framework (a paper with code in several counts
        in the most common of them; then the papers without code)."""
        groups = self._venue_groups() if by == "venue" else self._framework_groups()
        chart = Chart(
            "years",
            _("Papers per year, by %(by)s") % {"by": STACK_BY[by]},
            _("Each bar is a year's papers, stacked by %(by)s.") % {"by": STACK_BY[by]},
            _("Year"),
            [group.label for group in groups],
            style="stacked",
        )
        for year in self.years:
            bits = self._year_bits(year)
            chart.rows.append(
                Row(
                    str(year),
                    tuple(_count(g.bits, bits) for g in groups),
                    tuple(self._url(year=year, **g.narrow) for g in groups),
                    url=self._url(year=year),
                )
            )
        return chart

    def _venue_groups(self) -> list[_Group]:
        top = self._most("venue", STACKED)
        groups = [
            _Group(str(v), self.values["venue"][v], {"venue": v}) for v, _n in top
        ]
        rest = self.results - union(g.bits for g in groups)
        if rest:
            groups.append(_Group(_("Other or no venue"), rest, {}))
        return groups

    def _framework_groups(self) -> list[_Group]:
        labels = dict(Framework.choices)
        groups, assigned = [], BitMap()
        for value, _n in self._most("framework", STACKED):
            bits = self.values["framework"][value] - assigned
            assigned |= bits
            label = str(labels.get(value, value))
            groups.append(_Group(label, bits, {"framework": value}))
        with_code = self.results & self.values["has_code"].get(True, BitMap())
        if other := with_code - assigned:
            groups.append(_Group(_("Other frameworks"), other, {"has_code": "true"}))
        if no_code := self.results - with_code:
            groups.append(_Group(_("No code"), no_code, {"has_code": "false"}))
        return groups

    def share_per_year(self, slug: str, flag: str, title: str) -> Chart:
        """The percentage of each year's papers that have ``flag`` (code,
        a translation)."""
        having = self.values[flag].get(True, BitMap())
        chart = Chart(
            slug,
            title,
            _("The percentage of each year's papers."),
            _("Year"),
            [_("Share (%)")],
            unit="%",
        )
        for year in self.years:
            bits = self._year_bits(year)
            share = _share(_count(having, bits), len(bits))
            url = self._url(year=year, **{flag: "true"})
            chart.rows.append(Row(str(year), (share,), (url,), url=url))
        return chart

    def top_topics(self) -> Chart:
        """The largest topics one level below the selected topic (or the
        top-level topics), subtopics' papers included."""
        tree = topic_tree()
        chosen = set(self.papers.values("topic"))
        parents = {t["id"] for t in tree if t["slug"] in chosen}
        level = [
            t
            for t in tree
            if (t["parent_id"] in parents if parents else t["parent_id"] is None)
        ]
        subtrees = self.values["topic"]
        counted = [(t, _count(subtrees.get(t["slug"]), self.results)) for t in level]
        counted = sorted((c for c in counted if c[1]), key=lambda c: -c[1])
        return self._bars(
            "topics",
            _("Top topics"),
            _("Topic"),
            [(t["name"], n, self._url(topic=t["slug"])) for t, n in counted[:TOP_BARS]],
        )

    def top_venues(self) -> Chart:
        return self._bars(
            "venues",
            _("Top venues"),
            _("Venue"),
            [(str(v), n, self._url(venue=v)) for v, n in self._most("venue", TOP_BARS)],
        )

    def frameworks(self) -> Chart:
        labels = dict(Framework.choices)
        return self._bars(
            "frameworks",
            _("Frameworks of the papers' code"),
            _("Framework"),
            [
                (str(labels.get(v, v)), n, self._url(framework=v))
                for v, n in self._most("framework")
            ],
        )

    def _bars(self, slug, title, heading, counted) -> Chart:
        chart = Chart(
            slug,
            title,
            _("Papers of each, largest first."),
            heading,
            [_("Papers")],
            style="bars",
        )
        for label, n, url in counted:
            chart.rows.append(Row(label, (n,), (url,), url=url))
        return chart

    def lists_per_paper(self) -> Chart:
        """How many papers appear in exactly 1, 2, 3... reading lists."""
        chart = Chart(
            "lists",
            _("Reading lists each paper appears in"),
            _("How many papers appear in one reading list, in two, and so on."),
            _("Lists"),
            [_("Papers")],
        )
        for n, bits in enumerate(in_lists(self.values["list"].values(), self.results)):
            if bits:
                chart.rows.append(Row(str(n), (len(bits),), (None,)))
        return chart


@dataclass(frozen=True)
class _Group:
    """One series of a stacked chart: its papers and the filter that
    narrows a year's link to them."""

    label: str
    bits: BitMap
    narrow: dict


def in_lists(lists, results: BitMap) -> list[BitMap]:
    """The results in exactly 0, 1, 2... of ``lists`` (bitmaps): each list
    moves the papers it holds one level up."""
    levels = [BitMap(results)]
    for members in lists:
        members = members & results
        for depth in range(len(levels) - 1, -1, -1):
            moving = levels[depth] & members
            if moving:
                if depth + 1 == len(levels):
                    levels.append(BitMap())
                levels[depth] -= moving
                levels[depth + 1] |= moving
    return levels
