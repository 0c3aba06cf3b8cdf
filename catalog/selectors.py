"""Read side of the catalog: browse results with disjunctive facet counts.

A facet's counts are computed over the results filtered by every *other*
active filter (choosing a venue updates the year counts; choosing a year
does not zero out the other years). Query count per page is constant: one
statement for every facet count and the total (``FacetCounts``), one for the
page's rows with their related objects (``with_related``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote_plus

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Count, F, OuterRef, Q, Subquery, TextField
from django.db.models.expressions import RawSQL

from catalog.cache import versioned
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

TOP_VENUES = 25
TOP_YEARS = 30
NULL_ID = "CAST(NULL AS BIGINT) AS id"


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

    @property
    def selected(self):
        return [o for o in self.options if o.selected]


@dataclass
class Chip:
    label: str
    url: str


class Params:
    """The request's GET parameters, as lists; builds toggled URLs."""

    def __init__(self, querydict, path: str):
        self.path = path
        self.data = {k: [v for v in querydict.getlist(k) if v != ""] for k in querydict}
        self.data = {k: v for k, v in self.data.items() if v}
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


def rolled_up(direct: dict[int, int]) -> dict[int, int]:
    """Counts per topic including the topics below it (children add up)."""
    topics = topic_tree()
    total = dict(direct)
    for topic in reversed(topics):  # children come after their parents
        if topic["parent_id"] and total.get(topic["id"]):
            total[topic["parent_id"]] = (
                total.get(topic["parent_id"], 0) + total[topic["id"]]
            )
    return total


def topic_facet(
    params: Params, counts: dict[int, int], *, label="Topic", expand=()
) -> Facet:
    """The topic tree, drilled down: top-level topics, and the subtopics of
    the selected topics, of their ancestors and of the ``expand`` topic ids
    (a topic page's own topic), so a large tree stays a short list."""
    topics = topic_tree()
    selected = set(params.values("topic"))
    parent = {t["id"]: t["parent_id"] for t in topics}
    opened = set(expand) | {t["id"] for t in topics if t["slug"] in selected}
    for topic in list(opened):
        while (topic := parent.get(topic)) is not None:
            opened.add(topic)
    facet = Facet("topic", label)
    for topic in topics:
        if topic["parent_id"] is not None and topic["parent_id"] not in opened:
            continue
        n = counts.get(topic["id"], 0)
        if n or topic["slug"] in selected:
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


def _boolean_facet(params, name, label, rows, total) -> Facet:
    """Yes/No options from the ``yes`` row of ``FacetCounts.exists`` and its
    ``all`` row, or else the page's ``total``."""
    counts = {"all": total, **{value: n for value, _, n in rows}}
    current = params.values(name)
    facet = Facet(name, label)
    for value, text, count in (
        ("true", "Yes", counts["yes"]),
        ("false", "No", counts["all"] - counts["yes"]),
    ):
        facet.options.append(
            Option(value, text, count, value in current, params.replaced(name, value))
        )
    return facet


class FacetCounts:
    """Every count of a browse page (its facets and its total) in one query.

    The results (every active filter applied) are a materialized CTE holding
    the ids and the ``columns`` that facets group by, so the filters (a
    full-text match above all) run once, however many facets count them. A
    facet whose own parameter is active counts the results of the *other*
    filters instead (disjunctive faceting): a grouped query of its own on a
    column, or else a CTE of those ids. Each count is a SELECT of ``value``,
    ``extra`` and ``n``; they are joined with UNION ALL into one statement.
    """

    RESULTS = "facet_results"

    def __init__(
        self, results, others: Callable[[str], object] | None = None, columns=()
    ):
        self.results = results.order_by()
        self.model = results.model
        self.others = others or (lambda facet: None)
        self.columns = tuple(columns)
        # name: (queryset or SQL, the columns of no rows if it cannot match)
        self.ctes: dict[str, tuple[object, str]] = {}
        self.counts: list[tuple[str, str, tuple]] = []

    @classmethod
    def filtered(cls, filterset, params: Params, columns=(), page=None) -> FacetCounts:
        """Counts for a bound filterset's results, facets disjunctive; with
        ``page`` = (offset, limit), that page's ids too if the filterset
        ranks its results."""

        def others(facet):
            """The filterset's queryset under every valid filter but one."""
            if facet not in params.data:
                return None
            queryset = filterset.queryset.all()
            for name, value in filterset.form.cleaned_data.items():
                if name != facet:
                    queryset = filterset.filters[name].filter(queryset, value)
            return queryset

        counts = cls(filterset.qs, others, columns)
        if page is not None and filterset.ranked():
            counts.ranked_page(*page)
        return counts

    def ids(self, facet: str) -> str:
        """The CTE of the ids a facet counts: the results, or the others'."""
        others = self.others(facet)
        if others is None:
            return self.RESULTS
        name = f"facet_{facet}"
        self.ctes[name] = (others.values("id"), NULL_ID)
        return name

    def ranked_page(self, offset: int, limit: int) -> None:
        """The ids of one page of results by ``search_rank`` (best first,
        then id), as ``page`` rows of (id, position): the page's rows then
        load by primary key, without matching the query a second time."""
        self.columns += ("search_rank",)
        self.add_sql(
            "page",
            "SELECT id AS value, n FROM (SELECT id, ROW_NUMBER() OVER "
            f"(ORDER BY search_rank DESC, id) AS n FROM {self.RESULTS}) ranked "
            f"WHERE n > {int(offset)} AND n <= {int(offset) + int(limit)}",
        )

    def id_subquery(self, facet: str) -> RawSQL:
        return RawSQL(f"SELECT id FROM {self.ids(facet)}", ())

    def add(self, name: str, queryset, *, extra: str = "NULL") -> None:
        """Count with a queryset of ``value`` and ``n`` (and ``extra``)."""
        sql, params = _compiled(queryset, "NULL AS value, NULL AS extra, 0 AS n")
        self.add_sql(name, sql, params, extra=extra)

    def add_sql(self, name: str, sql: str, params=(), *, extra="NULL") -> None:
        self.counts.append(
            (
                name,
                f"SELECT '{name}', CAST(t.value AS TEXT), {extra}, t.n FROM ({sql}) t",
                tuple(params),
            )
        )

    def column(self, facet: str, column: str, *, by_value=False, limit=None):
        """Results per value of one of the ``columns`` (empty values left out),
        most frequent first, or highest value first ``by_value``."""
        field = self.model._meta.get_field(column)
        text = field.get_internal_type() in ("CharField", "TextField")
        others = self.others(facet)
        if others is not None:
            rows = others.filter(**{f"{column}__isnull": False})
            if text:
                rows = rows.exclude(**{column: ""})
            rows = rows.values(value=F(column)).annotate(n=Count("*"))
            rows = rows.order_by("-value") if by_value else rows.order_by("-n", "value")
            self.add(facet, rows[:limit] if limit else rows)
            return
        quoted = connections[self.results.db].ops.quote_name(field.column)
        where = f"{quoted} IS NOT NULL" + (f" AND {quoted} <> ''" if text else "")
        order = "value DESC" if by_value else "n DESC, value"
        self.add_sql(
            facet,
            f"SELECT {quoted} AS value, COUNT(*) AS n FROM {self.RESULTS} "
            f"WHERE {where} GROUP BY {quoted} ORDER BY {order}"
            + (f" LIMIT {int(limit)}" if limit else ""),
        )

    def exists(self, facet: str, related) -> None:
        """How many of the facet's ids have a related row (``yes``) and, if
        they are not the results (whose number is the total), how many there
        are (``all``); ``related`` has a ``<model>_id`` column."""
        table = related._meta.db_table
        column = f"{self.model._meta.model_name}_id"
        ids = self.ids(facet)
        self.add_sql(
            facet,
            f"SELECT 'yes' AS value, COUNT(*) AS n FROM {ids} r WHERE EXISTS "
            f"(SELECT 1 FROM {table} WHERE {table}.{column} = r.id)"
            + (
                ""
                if ids == self.RESULTS
                else f" UNION ALL SELECT 'all' AS value, COUNT(*) AS n FROM {ids}"
            ),
        )

    def related_values(
        self, facet: str, exists_facet: str, through, target: str, column: str
    ) -> None:
        """Entries per value of ``column`` of the ``target`` model that
        ``through`` links them to (most first), and, as ``exists`` counts
        them, how many entries have a link at all (``exists_facet``). When
        neither facet is active, both are counted from one read of the links."""
        owner = f"{self.model._meta.model_name}_id"
        if self.others(facet) is not None or self.others(exists_facet) is not None:
            self.add(
                facet,
                through.objects.filter(**{f"{owner}__in": self.id_subquery(facet)})
                .values(value=F(f"{target}__{column}"))
                .annotate(n=Count(owner, distinct=True))
                .order_by("-n"),
            )
            self.exists(exists_facet, through)
            return
        link = through._meta.get_field(target)
        model = link.related_model
        name = f"facet_{facet}"
        self.ctes[name] = (
            f"SELECT x.{owner} AS entry, t.{model._meta.get_field(column).column} "
            f"AS value FROM {self.RESULTS} r "
            f"JOIN {through._meta.db_table} x ON x.{owner} = r.id "
            f"JOIN {model._meta.db_table} t ON t.id = x.{link.column}",
            "",
        )
        self.add_sql(
            facet,
            f"SELECT value, COUNT(DISTINCT entry) AS n FROM {name} "
            "GROUP BY value ORDER BY n DESC",
        )
        self.add_sql(
            exists_facet,
            f"SELECT 'yes' AS value, COUNT(DISTINCT entry) AS n FROM {name}",
        )

    def topics(self) -> None:
        """Entries per topic, and the topics of entries filed under several
        (so that ``topic_totals`` counts those once in a common ancestor).
        The (entry, topic) rows are read once, into a CTE of their own."""
        column = f"{self.model._meta.model_name}_id"
        self.ctes["facet_members"] = (
            f"SELECT m.topic_id, m.{column} AS entry FROM {self.ids('topic')} r "
            f"JOIN {self.model.topics.through._meta.db_table} m "
            f"ON m.{column} = r.id",
            "",
        )
        self.add_sql(
            "topic",
            "SELECT topic_id AS value, COUNT(*) AS n FROM facet_members "
            "GROUP BY topic_id",
        )
        self.add_sql(
            "topic-of",
            "SELECT topic_id AS value, entry AS extra, 1 AS n FROM facet_members "
            "WHERE entry IN (SELECT entry FROM facet_members GROUP BY entry "
            "HAVING COUNT(*) > 1)",
            extra="CAST(t.extra AS TEXT)",
        )

    def sources(self) -> None:
        """Entries per source list: its path, its title as ``extra``. Counted
        per list id (an index-only scan of (entry, list)), then named."""
        column = f"{self.model._meta.model_name}_id"
        self.add_sql(
            "list",
            f"SELECT l.path AS value, l.title AS extra, s.n FROM "
            f"(SELECT reading_list_id, COUNT(DISTINCT {column}) AS n "
            f"FROM {self.ids('list')} r JOIN {Source._meta.db_table} "
            f"ON {column} = r.id GROUP BY reading_list_id) s "
            f"JOIN {ReadingList._meta.db_table} l ON l.id = s.reading_list_id "
            f"ORDER BY s.n DESC, l.path",
            extra="t.extra",
        )

    def run(self) -> dict[str, list[tuple[str | None, str | None, int]]]:
        """Execute the statement: {count name: [(value, extra, n), ...]}."""
        using = self.results.db
        ctes, params = [], []
        for name, queryset, empty in (
            (
                self.RESULTS,
                self.results.values("id", *self.columns),
                ", ".join(
                    [
                        NULL_ID,
                        *(f"NULL AS {column}" for column in self.columns),
                    ]
                ),
            ),
            *((name, qs, empty) for name, (qs, empty) in self.ctes.items()),
        ):
            sql, cte_params = _compiled(queryset, empty)
            ctes.append(f"{name} AS {_materialized(using)} ({sql})")
            params.extend(cte_params)
        selects = [
            "SELECT 'total' AS name, NULL AS value, NULL AS extra, COUNT(*) AS n "
            f"FROM {self.RESULTS}"
        ]
        for _, sql, count_params in self.counts:
            selects.append(sql)
            params.extend(count_params)
        sql = f"WITH {', '.join(ctes)} " + " UNION ALL ".join(selects)
        rows: dict[str, list] = {name: [] for name, _, _ in self.counts}
        with connections[using].cursor() as cursor:
            cursor.execute(sql, params)
            for name, value, extra, n in cursor.fetchall():
                rows.setdefault(name, []).append((value, extra, n))
        return rows


def _compiled(queryset, empty: str) -> tuple[str, tuple]:
    """The queryset's SQL, or ``empty`` when it cannot match (``none()``);
    SQL given as a string is its own."""
    if isinstance(queryset, str):
        return queryset, ()
    try:
        return queryset.query.get_compiler(queryset.db).as_sql()
    except EmptyResultSet:
        return f"SELECT {empty} WHERE 1 = 0", ()


def _materialized(using: str) -> str:
    """PostgreSQL 12+ and SQLite 3.35+ compute a MATERIALIZED CTE once."""
    connection = connections[using]
    old = connection.vendor == "sqlite" and (
        connection.Database.sqlite_version_info < (3, 35)
    )
    return "" if old else "MATERIALIZED"


def topic_totals(rows) -> dict[int, int]:
    """Distinct entries per topic, subtopics included, from the ``topic`` and
    ``topic-of`` rows of ``FacetCounts.topics``: an entry in two sibling
    subtopics counts once in their parent."""
    total = rolled_up({int(value): n for value, _, n in rows["topic"]})
    topics_of: dict[str, list[int]] = {}
    for topic, entry, _ in rows["topic-of"]:
        topics_of.setdefault(entry, []).append(int(topic))
    parent = {t["id"]: t["parent_id"] for t in topic_tree()}
    for topics in topics_of.values():
        seen: dict[int, int] = {}
        for topic in topics:
            while topic is not None:
                seen[topic] = seen.get(topic, 0) + 1
                topic = parent.get(topic)
        for topic, times in seen.items():
            if times > 1:
                total[topic] -= times - 1
    return total


def _list_facet(params: Params, rows) -> Facet:
    labels = {path: title or path for path, title, _ in rows}
    counts = [(path, n) for path, _, n in rows]
    return Facet("list", "Source list", _options(params, "list", counts, labels))


def _pairs(rows) -> list[tuple[str, int]]:
    return [(value, n) for value, _, n in rows]


def _choice_facet(params, name, label, rows, choices) -> Facet:
    return Facet(name, label, _options(params, name, _pairs(rows), dict(choices)))


@dataclass
class Faceted:
    """A browse page's facets, its number of results and, for a page asked
    of ``ranked_page``, the ids of its rows in order."""

    facets: list[Facet]
    total: int
    page_ids: list[int] | None = None

    @classmethod
    def of(cls, facets: list[Facet], rows: dict) -> Faceted:
        """From the facets and the rows of ``FacetCounts.run``."""
        page = rows.get("page")
        if page is not None:
            page = [int(value) for value, _, _ in sorted(page, key=lambda r: r[2])]
        return cls(facets, rows["total"][0][2], page)


def paper_facets(filterset, params: Params, *, expand=(), page=None) -> Faceted:
    counts = FacetCounts.filtered(
        filterset, params, columns=("year", "venue"), page=page
    )
    counts.column("year", "year", by_value=True, limit=TOP_YEARS)
    counts.column("venue", "venue", limit=TOP_VENUES)
    counts.related_values(
        "framework", "has_code", Repository.papers.through, "repository", "framework"
    )
    counts.exists("has_translation", Translation)
    counts.topics()
    counts.sources()
    rows = counts.run()
    total = rows["total"][0][2]
    facets = [
        topic_facet(params, topic_totals(rows), expand=expand),
        Facet("year", "Year", _options(params, "year", _pairs(rows["year"]))),
        Facet("venue", "Venue", _options(params, "venue", _pairs(rows["venue"]))),
        _choice_facet(
            params, "framework", "Framework", rows["framework"], Framework.choices
        ),
        _boolean_facet(params, "has_code", "Has code", rows["has_code"], total),
        _boolean_facet(
            params,
            "has_translation",
            "Has translation",
            rows["has_translation"],
            total,
        ),
        _list_facet(params, rows["list"]),
    ]
    return Faceted.of(facets, rows)


def _entry_facets(filterset, params, column, label, choices, expand, page):
    """Topic, one choice column and source list (repositories and links)."""
    counts = FacetCounts.filtered(filterset, params, columns=(column,), page=page)
    counts.column(column, column)
    counts.topics()
    counts.sources()
    rows = counts.run()
    facets = [
        topic_facet(params, topic_totals(rows), expand=expand),
        _choice_facet(params, column, label, rows[column], choices),
        _list_facet(params, rows["list"]),
    ]
    return Faceted.of(facets, rows)


def repository_facets(filterset, params: Params, *, expand=(), page=None) -> Faceted:
    return _entry_facets(
        filterset, params, "framework", "Framework", Framework.choices, expand, page
    )


def link_facets(filterset, params: Params, *, expand=(), page=None) -> Faceted:
    return _entry_facets(
        filterset, params, "kind", "Kind", LinkKind.choices, expand, page
    )


def chips(params: Params, facets: list[Facet]) -> list[Chip]:
    """The active selections, each with a URL that removes just it."""
    out = []
    for facet in facets:
        for option in facet.selected:
            out.append(Chip(f"{facet.label}: {option.label}", option.url))
    return out


def topic_counts() -> dict[int, int]:
    """Papers per topic, subtopics included (home page), per catalog version."""
    return versioned("topic-counts", _count_topics)


def _count_topics() -> dict[int, int]:
    facet_counts = FacetCounts(Paper.objects.all())
    facet_counts.topics()
    return topic_totals(facet_counts.run())


def breadcrumbs(topic: Topic) -> list[Topic]:
    parts = topic.path.split(TOPIC_SEPARATOR)
    paths = [TOPIC_SEPARATOR.join(parts[: n + 1]) for n in range(len(parts))]
    by_path = {t.path: t for t in Topic.objects.filter(path__in=paths)}
    return [by_path[p] for p in paths if p in by_path]


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
