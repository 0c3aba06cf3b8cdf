"""Read side of the catalog: browse results with disjunctive facet counts.

A facet's counts are computed over the results filtered by every *other*
active filter (choosing a venue updates the year counts; choosing a year
does not zero out the other years). They come from each kind's facet index
(``catalog.browse.facets.index``: a bitset per facet value, kept per catalog
version), so a page's SQL is a constant few statements: the query's matches
with their ranks (a search), and the page's rows with their related objects
(``with_related``); the index itself is read once per catalog version.
"""

from __future__ import annotations

import heapq
import json
import threading
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from urllib.parse import quote_plus

from django.conf import settings
from django.db.models import Count, OuterRef, Q, Subquery, TextField
from django_filters.constants import EMPTY_VALUES

from catalog.browse.facets.index import (
    INDEX_LAYOUT,
    Dimension,
    FacetIndex,
    Members,
    Selection,
    bits_of,
    in_spans,
    yes_or_no,
)
from catalog.browse.filters import MAX_VALUE_CHARS, MAX_VALUES, PaperFilter
from catalog.cache import ProcessLRU, catalog_version, versioned
from catalog.models import (
    TOPIC_SEPARATOR,
    Framework,
    Link,
    LinkKind,
    Paper,
    ReadingList,
    Repository,
    Source,
    Topic,
    Translation,
)
from catalog.search import parse_query
from catalog.search.backends import get_backend

TOP_VENUES = 25
TOP_YEARS = 30


@dataclass
class Option:
    value: str
    label: str
    count: int
    selected: bool
    url: str
    depth: int = 0


@dataclass
class Facet:
    name: str
    label: str
    options: list[Option] = field(default_factory=list)
    more: int = 0  # options left out (the topic facet's smaller topics)

    @property
    def selected(self):
        return [o for o in self.options if o.selected]


@dataclass
class Chip:
    label: str
    url: str


class Params:
    """The request's GET parameters, as lists; builds toggled URLs. With
    ``names``, only those parameters are kept; values are kept once each,
    at most MAX_VALUES of a parameter, none longer than MAX_VALUE_CHARS:
    a page echoes them into every option URL, so repeats and values no
    filter takes would multiply the response (a 4 KB query of repeated
    values returned 5.7 MB)."""

    def __init__(self, querydict, path: str, names=None):
        self.path = path
        self.data = {}
        for name in querydict:
            if names is not None and name not in names:
                continue
            values = [
                v for v in querydict.getlist(name) if v and len(v) <= MAX_VALUE_CHARS
            ]
            if values:
                self.data[name] = list(dict.fromkeys(values))[:MAX_VALUES]
        # Each parameter's "name=value" pairs, encoded once: a page builds a
        # URL per facet option.
        self._encoded = {k: _encoded(k, v) for k, v in self.data.items() if k != "page"}

    def values(self, name):
        return self.data.get(name, [])

    def url(self, **changes) -> str:
        """This page's URL with ``changes`` (name: values, or None to drop
        the parameter), parameters in their order, new ones last, no page."""
        pairs = []
        for name, encoded in self._encoded.items():
            if name in changes:
                encoded = _encoded(name, changes[name] or ())
            pairs.extend(encoded)
        for name, value in changes.items():
            if name not in self._encoded and value is not None:
                pairs.extend(_encoded(name, value))
        return f"{self.path}?{'&'.join(pairs)}" if pairs else self.path

    def toggled(self, name, value) -> str:
        current = self.values(name)
        if value in current:
            return self.url(**{name: [v for v in current if v != value] or None})
        return self.url(**{name: [*current, value]})

    def replaced(self, name, value) -> str:
        current = self.values(name)
        return self.url(**{name: None if current == [value] else [value]})

    def without(self, *names) -> dict:
        return {k: v for k, v in self.data.items() if k not in names and k != "page"}


def _encoded(name: str, values) -> list[str]:
    """``name=value`` pairs as ``urlencode`` writes them."""
    key = quote_plus(name)
    return [f"{key}={quote_plus(str(value))}" for value in values]


def topic_tree() -> list[dict]:
    """Every topic as a dict (id, parent_id, name, path, slug, depth, order),
    parents before their children; per catalog version (read-only)."""
    return versioned("topics", _load_topic_tree)


def topic_subtrees() -> dict[str, tuple[int, ...]]:
    """{topic slug: ids of that topic and of every topic below it}, "below"
    read from paths (exactly: a database's case-insensitive LIKE would also
    take "deep learning > ..." under "Deep Learning"); per catalog version.
    The topic filter and the facet index both select by it."""
    return versioned("topic-subtrees", _load_topic_subtrees)


def _load_topic_subtrees() -> dict[str, tuple[int, ...]]:
    topics = topic_tree()
    slug_of = {t["path"]: t["slug"] for t in topics}
    below: dict[str, list[int]] = {t["slug"]: [] for t in topics}
    for topic in topics:
        parts = topic["path"].split(TOPIC_SEPARATOR)
        for depth in range(1, len(parts) + 1):
            slug = slug_of.get(TOPIC_SEPARATOR.join(parts[:depth]))
            if slug is not None:
                below[slug].append(topic["id"])
    return {slug: tuple(ids) for slug, ids in below.items()}


def _load_topic_tree() -> list[dict]:
    return _tree_order(
        list(
            Topic.objects.order_by("path").values(
                "id", "parent_id", "name", "path", "slug", "depth", "order"
            )
        )
    )


def _tree_order(topics):
    children: dict = {}
    for topic in topics:
        children.setdefault(topic["parent_id"], []).append(topic)
    for siblings in children.values():
        siblings.sort(key=lambda t: (t["order"], t["path"]))
    out = []

    def visit(parent):
        for topic in children.get(parent, ()):
            out.append(topic)
            visit(topic["id"])

    visit(None)
    return out


def topic_facet(
    params: Params, count: Callable[[dict], int], *, label="Topic", expand=()
) -> Facet:
    """The topic tree, drilled down: top-level topics, and the subtopics of
    the selected topics, of their ancestors and of the ``expand`` topic ids
    (a topic page's own topic), so a large tree stays a short list. Only the
    topics shown are counted (``count(topic)``: subtopics included)."""
    topics = topic_tree()
    selected = set(params.values("topic"))
    parent = {t["id"]: t["parent_id"] for t in topics}
    opened = set(expand) | {t["id"] for t in topics if t["slug"] in selected}
    for topic in list(opened):
        while (topic := parent.get(topic)) is not None:
            opened.add(topic)
    shown = []
    for topic in topics:
        if topic["parent_id"] is not None and topic["parent_id"] not in opened:
            continue
        n = count(topic)
        if n or topic["slug"] in selected:
            shown.append((topic, n))
    kept = _largest_siblings(shown, keep=opened)
    facet = Facet("topic", label, more=len(shown) - len(kept))
    for topic, n in kept:
        facet.options.append(
            Option(
                topic["slug"],
                topic["name"],
                n,
                topic["slug"] in selected,
                params.toggled("topic", topic["slug"]),
                depth=topic["depth"],
            )
        )
    return facet


# The most subtopics of one topic (or top-level topics) the topic facet
# lists: a list of thousands of headings would put every one on every page.
TOP_TOPICS = 40


def _largest_siblings(shown: list[tuple[dict, int]], *, keep: set) -> list:
    """``shown`` (topics in tree order, with counts) less all but the
    TOP_TOPICS largest of each topic's children; the topics in ``keep``
    (selected or opened) stay, and so do their shown children."""
    by_parent: dict = {}
    for topic, n in shown:
        by_parent.setdefault(topic["parent_id"], []).append((topic, n))
    allowed = set()
    for siblings in by_parent.values():
        largest = heapq.nsmallest(TOP_TOPICS, siblings, key=lambda s: -s[1])
        allowed.update(topic["id"] for topic, _ in largest)
    dropped = set()
    kept = []
    for topic, n in shown:
        if topic["parent_id"] in dropped or not (
            topic["id"] in allowed or topic["id"] in keep
        ):
            dropped.add(topic["id"])
        else:
            kept.append((topic, n))
    return kept


def _options(params, name, rows, labels=None) -> list[Option]:
    selected = params.values(name)
    seen = set()
    options = []
    for value, count in rows:
        value = str(value)
        seen.add(value)
        options.append(
            Option(
                value,
                (labels or {}).get(value, value),
                count,
                value in selected,
                params.toggled(name, value),
            )
        )
    for value in selected:  # a selection with no results stays removable
        if value not in seen:
            options.append(
                Option(
                    value,
                    (labels or {}).get(value, value),
                    0,
                    True,
                    params.toggled(name, value),
                )
            )
    return options


def _most_first(rows, limit=None) -> list[tuple[object, int]]:
    rows = sorted(rows, key=lambda row: (-row[1], str(row[0])))
    return rows[:limit] if limit else rows


def _value_facet(params, selection, name, label, *, limit=None, labels=None):
    """A facet of one dimension's values, most entries first."""
    rows = _most_first(selection.counts(name), limit)
    return Facet(name, label, _options(params, name, rows, labels))


def _boolean_facet(params, selection, name, label) -> Facet:
    """Yes/No: the entries with the dimension's ``True`` value, and the rest
    of the entries its facet counts."""
    yes = selection.count(name, True)
    no = selection.base(name).bit_count() - yes
    current = params.values(name)
    facet = Facet(name, label)
    for value, text, count in (("true", "Yes", yes), ("false", "No", no)):
        facet.options.append(
            Option(value, text, count, value in current, params.replaced(name, value))
        )
    return facet


def _topic_pairs(model):
    through = model.topics.through
    owner = f"{model._meta.model_name}_id"
    return lambda: through.objects.order_by().values_list("topic_id", owner)


def _subtrees(direct: dict[int, int]) -> dict[str, int]:
    """Bits by topic slug: a topic's own and those of every topic below it."""
    subtrees = {}
    for slug, ids in topic_subtrees().items():
        bits = 0
        for topic in ids:
            bits |= direct.get(topic, 0)
        if bits:
            subtrees[slug] = bits
    return subtrees


def _source_pairs(target: str):
    return lambda: (
        Source.objects.filter(**{f"{target}__isnull": False})
        .order_by()
        .values_list("reading_list__path", f"{target}_id")
    )


def _flagged(queryset, column: str):
    """(True, entry) pairs: the entries ``queryset``'s ``column`` names."""
    return lambda: (
        (True, pk) for pk in queryset().order_by().values_list(column, flat=True)
    )


# The dimensions of each kind of entry, by model: each answers the filter
# parameter of its name (catalog.browse.filters) with the same entries.
DIMENSIONS = {
    Paper: (
        Dimension("topic", _topic_pairs(Paper), finish=_subtrees),
        Dimension(
            "year",
            lambda: Paper.objects.order_by().values_list("year", "id"),
            select=in_spans,
        ),
        Dimension("venue", lambda: Paper.objects.order_by().values_list("venue", "id")),
        Dimension(
            "framework",
            lambda: Repository.papers.through.objects.order_by().values_list(
                "repository__framework", "paper_id"
            ),
        ),
        Dimension(
            "has_code",
            _flagged(Repository.papers.through.objects.all, "paper_id"),
            select=yes_or_no,
        ),
        Dimension(
            "has_translation",
            _flagged(Translation.objects.all, "paper_id"),
            select=yes_or_no,
        ),
        Dimension("list", _source_pairs("paper")),
    ),
    Repository: (
        Dimension("topic", _topic_pairs(Repository), finish=_subtrees),
        Dimension(
            "framework",
            lambda: Repository.objects.order_by().values_list("framework", "id"),
        ),
        Dimension("list", _source_pairs("repository")),
    ),
    Link: (
        Dimension("topic", _topic_pairs(Link), finish=_subtrees),
        Dimension("kind", lambda: Link.objects.order_by().values_list("kind", "id")),
        Dimension("list", _source_pairs("link")),
    ),
}


def facet_index(model) -> FacetIndex:
    """The facet index of a kind of entry, per catalog version (read-only).
    Its key names the index's layout, so a process never reads an index
    that another release of this code left in the shared cache."""
    name = f"facet-index:{INDEX_LAYOUT}:{model._meta.model_name}"
    return versioned(name, partial(_build, model))


# The sorts of each kind the index holds (PaperFilter.SORTS by year: pages
# sorted so pick their rows' ids, see _year_sorted_page).
ORDERS = {Paper: ("newest", "oldest")}


def _build(model) -> FacetIndex:
    def ordered(sort):
        return lambda: model.objects.order_by(*PaperFilter.SORTS[sort]).values_list(
            "id", flat=True
        )

    # Read one query at a time: a write meanwhile may show in some and not
    # others; FacetIndex.build leaves out what its entries do not hold, and
    # the write's new catalog version retires this index.
    return FacetIndex.build(
        model.objects.order_by().values_list("id", flat=True),
        DIMENSIONS[model],
        labels={"list": ReadingList.objects.values_list("path", "title")},
        orders={sort: ordered(sort) for sort in ORDERS.get(model, ())},
    )


@dataclass
class Faceted:
    """A browse page's facets, its number of results and, when the page
    picked them from the facet index, the ids of its rows in order."""

    facets: list[Facet]
    total: int
    page_ids: list[int] | None = None


def select(filterset, page=None, scope=None) -> tuple[Selection, list[int] | None]:
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
    model = filterset.queryset.model
    index = facet_index(model)
    filters, matches = _filtered(filterset, index)
    universe = index.entries
    if scope is not None:
        for bits in _filtered(scope, index)[0].values():
            universe &= bits
    elif filterset.queryset.query.where:
        base = filterset.queryset.order_by().values_list("id", flat=True)
        universe &= bits_of(base)
    selection = Selection(index, universe, filters)
    if page is None:
        return selection, None
    if matches is not None and filterset.ranked():
        # Other filters may keep fewer than the query matches.
        results = selection.results
        members = None if results == filters["q"] else Members(results)
        return selection, matches.page(members, *page)
    return selection, _year_sorted_page(selection, filterset.year_sort(), *page)


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
    if leading.bit_count() > ROW_IDS_LIMIT:
        return None
    return selection.index.in_order(sort, leading, offset, limit)


class Matches:
    """The papers a search matches: their ids as a bitset and, for a ranked
    search, their (id, rank) pairs. The first page is picked from the pairs;
    once the matches are used again (a next page, a facet click), they are
    sorted by rank once and pages are read from that order."""

    def __init__(self, scores: list[tuple[int, float]], *, ranked: bool):
        self.bits = bits_of(pk for pk, _ in scores)
        self.scores = scores if ranked else None
        self.best_first: array | None = None
        self.used = False
        self._lock = threading.Lock()

    def page(self, members: Members | None, offset: int, limit: int) -> list[int]:
        """Ids of the page at ``offset``, best first (ties by id), of the
        matches among ``members`` (None: all)."""
        with self._lock:
            if not self.used:
                self.used = True
                scores = self.scores
                if members is not None:
                    scores = [(pk, r) for pk, r in scores if pk in members]
                best = heapq.nsmallest(offset + limit, ((-r, pk) for pk, r in scores))
                return [pk for _, pk in best[offset:]]
            if self.best_first is None:
                order = sorted((-r, pk) for pk, r in self.scores)
                self.best_first = array("q", [pk for _, pk in order])
                self.scores = None
        if members is None:
            return list(self.best_first[offset : offset + limit])
        kept = []
        for pk in self.best_first:
            if pk in members:
                kept.append(pk)
                if len(kept) == offset + limit:
                    break
        return kept[offset:]


# The matches of recent searches, in this process, for the current catalog
# version: a search's next pages, other sorts and facet clicks (each a new
# request) match and rank only once.
_MATCHES = ProcessLRU(settings.SEARCH_MATCHES_CACHE_BYTES)


def _matches(db: str, query, *, ranked: bool) -> Matches:
    backend = get_backend(db)
    expression = backend.match_expression(query)
    version = catalog_version()  # before reading: a write meanwhile retires it
    # Ranked matches serve an unranked search too; never the other way round.
    keys = [(db, expression, True)] + ([] if ranked else [(db, expression, False)])
    for key in keys:
        found = _MATCHES.get(key, version)
        if found is not None:
            return found
    scores = backend.scores(query, ranked=ranked)
    matches = Matches(scores, ranked=ranked)
    # The pairs (about 80 bytes each) until they are sorted (8 bytes an id).
    size = matches.bits.bit_length() // 8 + (80 if ranked else 0) * len(scores) + 200
    _MATCHES.put((db, expression, ranked), matches, size=size, version=version)
    return matches


def _filtered(filterset, index: FacetIndex) -> tuple[dict[str, int], Matches | None]:
    """The entries each active filter keeps, as bitsets, and a search's
    matches. A filter with a dimension selects in the index; a query with
    words to match is matched once, ids and ranks in one statement (or
    found among recent searches); any other filter (a substring query, a
    query of exclusions only) gives its ids by SQL."""
    model = filterset.queryset.model
    dimensions = {d.name: d for d in DIMENSIONS[model]}
    filterset.is_valid()  # invalid values are dropped and shown, not fatal
    filters, matches = {}, None
    for name, value in filterset.form.cleaned_data.items():
        if value in EMPTY_VALUES or name == "sort":
            continue
        if name in dimensions:
            filters[name] = dimensions[name].select(
                index.full(name), value, index.entries
            )
        elif name == "q" and model is Paper and parse_query(value).positive:
            matches = _matches(
                filterset.queryset.db, parse_query(value), ranked=filterset.ranked()
            )
            filters[name] = matches.bits
        else:
            kept = filterset.filters[name].filter(model.objects.all(), value)
            filters[name] = bits_of(kept.order_by().values_list("id", flat=True))
    return filters, matches


def venue_spellings(venue: str) -> list[str]:
    """The venues written as ``venue`` is, but for case (its page's scope)."""
    wanted = venue.casefold()
    spellings = [
        v for v in facet_index(Paper).values["venue"] if str(v).casefold() == wanted
    ]
    return spellings or [venue]


def _topic_count(selection: Selection) -> Callable[[dict], int]:
    return lambda topic: selection.count("topic", topic["slug"])


def _list_facet(params: Params, selection: Selection) -> Facet:
    titles = selection.index.labels["list"]
    labels = {path: titles.get(path) or path for path in titles}
    return _value_facet(params, selection, "list", "Source list", labels=labels)


def paper_facets(
    filterset, params: Params, *, expand=(), page=None, scope=None
) -> Faceted:
    selection, page_ids = select(filterset, page, scope)
    years = sorted(selection.counts("year"), key=lambda row: -row[0])[:TOP_YEARS]
    facets = [
        topic_facet(params, _topic_count(selection), expand=expand),
        Facet("year", "Year", _options(params, "year", years)),
        _value_facet(params, selection, "venue", "Venue", limit=TOP_VENUES),
        _value_facet(
            params,
            selection,
            "framework",
            "Framework",
            labels=dict(Framework.choices),
        ),
        _boolean_facet(params, selection, "has_code", "Has code"),
        _boolean_facet(params, selection, "has_translation", "Has translation"),
        _list_facet(params, selection),
    ]
    return Faceted(facets, selection.total, page_ids)


def _entry_facets(filterset, params, column, label, choices, expand, page, scope):
    """Topic, one choice column and source list (repositories and links)."""
    selection, page_ids = select(filterset, page, scope)
    facets = [
        topic_facet(params, _topic_count(selection), expand=expand),
        _value_facet(params, selection, column, label, labels=dict(choices)),
        _list_facet(params, selection),
    ]
    return Faceted(facets, selection.total, page_ids)


def repository_facets(
    filterset, params: Params, *, expand=(), page=None, scope=None
) -> Faceted:
    return _entry_facets(
        filterset,
        params,
        "framework",
        "Framework",
        Framework.choices,
        expand,
        page,
        scope,
    )


def link_facets(
    filterset, params: Params, *, expand=(), page=None, scope=None
) -> Faceted:
    return _entry_facets(
        filterset, params, "kind", "Kind", LinkKind.choices, expand, page, scope
    )


def chips(params: Params, facets: list[Facet]) -> list[Chip]:
    """The active selections, each with a URL that removes just it."""
    out = []
    for facet in facets:
        for option in facet.selected:
            out.append(Chip(f"{facet.label}: {option.label}", option.url))
    return out


def topic_counts() -> dict[int, int]:
    """Papers per topic id, subtopics included (home and topic pages); per
    catalog version (a count is a popcount of the catalog's width: some
    1.6 ms a page for 210 topics at 100,000 papers)."""
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


def breadcrumbs(topic: Topic) -> list[Topic]:
    """``topic`` and the topics above it, top first, from the topic tree
    (no query)."""
    parts = topic.path.split(TOPIC_SEPARATOR)
    paths = [TOPIC_SEPARATOR.join(parts[: n + 1]) for n in range(len(parts))]
    by_path = {t["path"]: t for t in topic_tree()}
    return [Topic(**by_path[p]) for p in paths if p in by_path]


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
    return list(
        Source.objects.filter(**target)
        .select_related("reading_list")
        .order_by("reading_list__path", "line")
    )


class JSONRows(Subquery):
    """The rows of a correlated subquery (``values()`` of plain fields) as
    one JSON array of arrays, as text: a row's related objects arrive with
    the row itself instead of by a query per relation."""

    def __init__(self, queryset, fields: tuple[str, ...]):
        self.fields = fields
        super().__init__(queryset.order_by().values(*fields), output_field=TextField())

    def as_sql(self, compiler, connection, template=None, **extra_context):
        sql, params = super().as_sql(compiler, connection)
        quote = connection.ops.quote_name
        columns = ", ".join(f"r.{quote(name)}" for name in self.fields)
        if connection.vendor == "postgresql":
            rows = f"json_agg(json_build_array({columns}))::text"
        else:
            rows = f"json_group_array(json_array({columns}))"
        return f"(SELECT COALESCE({rows}, '[]') FROM {sql} r)", params


class Related:
    """Objects related to each row, loaded as ``JSONRows`` into the plain
    list ``attr``, in their model's order (``key``). ``queryset`` selects the
    related rows of ``OuterRef("pk")``; built once, reused by every page."""

    def __init__(self, attr: str, queryset, fields: tuple[str, ...], key=None):
        self.attr = attr
        self.model = queryset.model
        self.fields = fields
        self.key = key
        self.expression = JSONRows(queryset, fields)

    def attach(self, rows: list, name: str) -> None:
        model, fields, key = self.model, self.fields, self.key
        for row in rows:
            objects = [
                model(**dict(zip(fields, values, strict=True)))
                for values in json.loads(getattr(row, name))
            ]
            if key is not None:
                objects.sort(key=key)
            setattr(row, self.attr, objects)
            delattr(row, name)


def annotate_related(rows, related: tuple[Related, ...]):
    """``rows`` (a queryset) selecting, per row, the objects that ``related``
    describe; ``attach_related`` turns them into lists once evaluated."""
    return rows.annotate(**{f"_{r.attr}_json": r.expression for r in related})


def attach_related(objects: list, related: tuple[Related, ...]) -> list:
    for r in related:
        r.attach(objects, f"_{r.attr}_json")
    return objects


def with_related(rows, related: tuple[Related, ...]) -> list:
    """Evaluate ``rows`` (a queryset) in one query, each row given the lists
    of objects that ``related`` describe."""
    return attach_related(list(annotate_related(rows, related)), related)


def _topic_tags(entries: str) -> Related:
    """The topics of a row of ``entries`` (papers, repositories or links)."""
    return Related(
        "topic_list",
        Topic.objects.filter(**{entries: OuterRef("pk")}),
        ("id", "name", "slug", "path"),
        key=lambda t: t.path,
    )


PAPER_ROW_RELATED = (
    _topic_tags("papers"),
    Related(
        "code",
        Repository.objects.filter(papers=OuterRef("pk")),
        ("id", "host", "owner", "name", "url", "framework"),
        key=lambda r: (r.host, r.owner, r.name),
    ),
    Related(
        "translation_list",
        Translation.objects.filter(paper=OuterRef("pk")),
        ("id", "paper_id", "title", "url", "language"),
        key=lambda t: (t.language, t.url),
    ),
)
# A paper's page: its row's relations and its other links.
PAPER_DETAIL_RELATED = (
    *PAPER_ROW_RELATED,
    Related(
        "link_list",
        Link.objects.filter(paper=OuterRef("pk")),
        ("id", "paper_id", "url", "title", "kind"),
        key=lambda link: (link.kind, link.title),
    ),
)
REPOSITORY_ROW_RELATED = (
    Related(
        "paper_list",
        Paper.objects.filter(repositories=OuterRef("pk")),
        ("id", "title", "short_name", "year"),
        # Newest first, as papers are ordered; those without a year last.
        key=lambda p: (p.year is None, -(p.year or 0), p.title),
    ),
    _topic_tags("repositories"),
)
LINK_ROW_RELATED = (_topic_tags("links"),)
