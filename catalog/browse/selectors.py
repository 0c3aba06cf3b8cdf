"""Read side of the catalog: browse results with disjunctive facet counts.

A facet's counts are computed over the results filtered by every *other*
active filter (choosing a venue updates the year counts; choosing a year
does not zero out the other years). They come from each kind's facet index
(``catalog.browse.facets``: a bitmap per facet value, kept per catalog
version), so a page's SQL is a constant few statements: the query's matches
with their ranks (a search), and the page's rows with their related objects
(``catalog.browse.rows``); the index itself is read once per catalog version.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.db.models import Count, Q
from django_filters.constants import EMPTY_VALUES
from pyroaring import BitMap

from catalog.browse.facets.dimensions import DIMENSIONS, facet_index
from catalog.browse.facets.index import FacetIndex, Selection, bits_of
from catalog.browse.facets.options import (
    Facet,
    boolean_facet,
    options,
    topic_facet,
    value_facet,
)
from catalog.browse.matches import Matches, Ranked, search_matches
from catalog.browse.params import Params
from catalog.browse.topics import topic_tree
from catalog.cache import versioned
from catalog.models import Framework, LinkKind, Paper, Source
from catalog.search import parse_query
from catalog.search.identifiers import named_papers

TOP_VENUES = 25
TOP_YEARS = 30


@dataclass
class Faceted:
    """A browse page's facets, its number of results and, when the page
    picked them from the facet index, the ids of its rows in order."""

    facets: list[Facet]
    total: int
    page_ids: list[int] | None = None
    # The query's results hold most, not all, of its words (few hold all).
    broadened: bool = False


@dataclass
class Filtered:
    """The entries each active filter keeps, and a search's matches."""

    filters: dict[str, BitMap]
    matches: Matches | None = None


@dataclass
class Selected:
    """A bound filterset's results in its kind's facet index, the ids of a
    page of them when the index can pick them, and whether a search among
    them was broadened."""

    selection: Selection
    page_ids: list[int] | None = None
    broadened: bool = False


def select(filterset, page=None, scope=None) -> Selected:
    """A bound filterset's results as a ``Selection`` of its kind's facet
    index and, with ``page`` = (offset, limit), that page's ids in order
    when the index can pick them: for results ranked by a query, best first
    (then id); for results sorted by year, in the index's order of that
    sort, when few enough (see _year_sorted_page). Otherwise None: the rows
    query filters and orders in SQL.

    ``scope`` is the bound filterset whose results the filterset's queryset
    is (a topic's page, say): its filters bound every count. Otherwise a
    queryset with conditions of its own gives its ids by SQL.
    """
    index = facet_index(filterset.queryset.model)
    filtered = _filtered(filterset, index)
    selection = Selection(index, _universe(filterset, index, scope), filtered.filters)
    broadened = filtered.matches is not None and filtered.matches.broadened
    if page is None:
        return Selected(selection, None, broadened)
    if filtered.matches is not None and filterset.ranked():
        # Other filters may keep fewer than the query matches.
        results = selection.results
        members = None if results == filtered.filters["q"] else results
        return Selected(selection, filtered.matches.page(members, *page), broadened)
    page_ids = _year_sorted_page(selection, filterset.year_sort(), *page)
    return Selected(selection, page_ids, broadened)


def _universe(filterset, index: FacetIndex, scope) -> BitMap:
    """The entries a page's counts range over: the scope's, or those of the
    filterset's own queryset."""
    universe = BitMap(index.entries)
    if scope is not None:
        for bits in _filtered(scope, index).filters.values():
            universe &= bits
    elif filterset.queryset.query.where:
        base = filterset.queryset.order_by().values_list("id", flat=True)
        universe &= bits_of(base)
    return universe


# The most results of the leading years a page orders by ids (some 12 ms in
# Python at the limit). Measured, 100,000 papers on PostgreSQL, the rows of
# a page in ms, filtered and ordered in SQL -> by ids: venue 10.2 -> 3.4;
# year 8.2 -> 3.6; a topic page with a year 5.3 -> 2.8 (ordered in SQL
# among the ids of its year: 5.3).
ROW_IDS_LIMIT = 50_000


def _year_sorted_page(
    selection: Selection, sort: str | None, offset: int, limit: int
) -> list[int] | None:
    """For results sorted by year (papers without one last): the page's ids,
    picked in the index's order of that sort among the results of the years
    that come first (enough to hold the page), if at most ROW_IDS_LIMIT.
    The rows query then loads them by id instead of matching words or
    joining again and ordering them. None otherwise."""
    if sort is None:
        return None
    years = sorted(selection.index.values["year"], reverse=sort == "newest")
    leading = selection.leading("year", years, offset + limit)
    if len(leading) > ROW_IDS_LIMIT:
        return None
    return selection.index.in_order(sort, leading, offset, limit)


def _filtered(filterset, index: FacetIndex) -> Filtered:
    """The entries each active filter keeps, as bitmaps, and a search's
    matches. A filter with a dimension selects in the index; a query with
    words to match is matched once, ids and ranks in one statement (or
    found among recent searches); any other filter (a substring query, a
    query of exclusions only) gives its ids by SQL."""
    model = filterset.queryset.model
    dimensions = DIMENSIONS[model]
    filterset.is_valid()  # invalid values are dropped and shown, not fatal
    filtered = Filtered({})
    for name, value in filterset.form.cleaned_data.items():
        if value in EMPTY_VALUES or name == "sort":
            continue
        if name in dimensions:
            select_ = dimensions[name].select
            filtered.filters[name] = select_(index.full(name), value, index.entries)
        elif name == "q" and model is Paper and parse_query(value).positive:
            filtered.matches = _paper_matches(filterset, value)
            filtered.filters[name] = filtered.matches.bits
        else:
            kept = filterset.filters[name].filter(model.objects.all(), value)
            filtered.filters[name] = bits_of(
                kept.order_by().values_list("id", flat=True)
            )
    return filtered


def _paper_matches(filterset, value: str) -> Matches:
    """The papers a query names by identifier (an arXiv id, a DOI, a
    paper's address), in the order it names them; else those its words
    match."""
    db = filterset.queryset.db
    if named := named_papers(value, using=db):
        ranks = [float(len(named) - i) for i in range(len(named))]
        return Matches(Ranked.of(named, ranks), ranked=filterset.ranked())
    return search_matches(db, parse_query(value), ranked=filterset.ranked())


def venue_spellings(venue: str) -> list[str]:
    """The venues written as ``venue`` is, but for case (its page's scope)."""
    wanted = venue.casefold()
    spellings = [
        v for v in facet_index(Paper).values["venue"] if str(v).casefold() == wanted
    ]
    return spellings or [venue]


def _topic_count(selection: Selection) -> Callable[[dict], int]:
    return lambda topic: selection.count("topic", topic["slug"])


def _label(model, name: str) -> str:
    return DIMENSIONS[model][name].label


def _list_facet(params: Params, selection: Selection, model) -> Facet:
    titles = selection.index.labels["list"]
    labels = {path: titles.get(path) or path for path in titles}
    return value_facet(params, selection, "list", _label(model, "list"), labels=labels)


def paper_facets(
    filterset, params: Params, *, expand=(), page=None, scope=None
) -> Faceted:
    selected = select(filterset, page, scope)
    selection = selected.selection
    years = sorted(selection.counts("year"), key=lambda row: -row[0])[:TOP_YEARS]
    label = partial(_label, Paper)
    facets = [
        topic_facet(params, _topic_count(selection), expand=expand),
        Facet("year", label("year"), options(params, "year", years)),
        value_facet(params, selection, "venue", label("venue"), limit=TOP_VENUES),
        value_facet(
            params,
            selection,
            "framework",
            label("framework"),
            labels=dict(Framework.choices),
        ),
        boolean_facet(params, selection, "has_code", label("has_code")),
        boolean_facet(params, selection, "has_translation", label("has_translation")),
        _list_facet(params, selection, Paper),
    ]
    return Faceted(facets, selection.total, selected.page_ids, selected.broadened)


def _entry_facets(filterset, params, column, choices, expand, page, scope):
    """Topic, one choice column and source list (repositories and links)."""
    model = filterset.queryset.model
    selected = select(filterset, page, scope)
    selection = selected.selection
    facets = [
        topic_facet(params, _topic_count(selection), expand=expand),
        value_facet(
            params, selection, column, _label(model, column), labels=dict(choices)
        ),
        _list_facet(params, selection, model),
    ]
    return Faceted(facets, selection.total, selected.page_ids)


def repository_facets(
    filterset, params: Params, *, expand=(), page=None, scope=None
) -> Faceted:
    return _entry_facets(
        filterset, params, "framework", Framework.choices, expand, page, scope
    )


def link_facets(
    filterset, params: Params, *, expand=(), page=None, scope=None
) -> Faceted:
    return _entry_facets(
        filterset, params, "kind", LinkKind.choices, expand, page, scope
    )


def topic_counts() -> dict[int, int]:
    """Papers per topic id, subtopics included (home and topic pages); per
    catalog version."""
    return versioned("topic-counts", _count_topics)


def _count_topics() -> dict[int, int]:
    subtrees = facet_index(Paper).values["topic"]
    return {t["id"]: len(subtrees.get(t["slug"], ())) for t in topic_tree()}


def venues_and_years() -> dict[str, list[dict]]:
    """Papers per venue (most first) and per year (newest first), from the
    facet index."""
    index = facet_index(Paper)
    venues = [{"venue": v, "n": len(bits)} for v, bits in index.values["venue"].items()]
    years = [{"year": y, "n": len(bits)} for y, bits in index.values["year"].items()]
    return {
        "venues": sorted(venues, key=lambda v: (-v["n"], v["venue"])),
        "years": sorted(years, key=lambda y: -y["year"]),
    }


def related_papers(paper: Paper, limit: int = 6) -> list[Paper]:
    """Papers sharing the most topics with ``paper``, then the most recently
    added: ranked in the topics' through table alone (an index-only scan for
    a paper in one topic), loaded in the same query."""
    topics = getattr(paper, "topic_list", None)  # attach_related's, if loaded
    topic_ids = [t.id for t in (paper.topics.all() if topics is None else topics)]
    if not topic_ids:
        return []
    members = Paper.topics.through.objects.filter(topic_id__in=topic_ids).exclude(
        paper_id=paper.pk
    )
    papers = Paper.objects.only("id", "title", "year")
    if len(topic_ids) == 1:
        ranked = members.order_by("-paper_id").values("paper_id")[:limit]
        return list(papers.filter(pk__in=ranked).order_by("-pk"))
    ranked = (
        members.values("paper_id")
        .annotate(shared=Count("topic_id"))
        .order_by("-shared", "-paper_id")
        .values("paper_id")[:limit]
    )
    shared = Count("topics", filter=Q(topics__in=topic_ids))
    return list(
        papers.filter(pk__in=ranked).annotate(shared=shared).order_by("-shared", "-pk")
    )


def sources_of(**target) -> list[Source]:
    """Where an entry was written (provenance): each list and line, with the
    topic it was written under."""
    return list(
        Source.objects.filter(**target)
        .select_related("reading_list", "topic")
        .order_by("reading_list__path", "line")
    )
