"""A page's rows with their related objects, loaded in the rows' own query:
each relation arrives as one JSON array per row (``JSONRows``) instead of a
query per relation."""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.db import connections
from django.db.models import OuterRef, Subquery, TextField
from django.db.models.base import ModelState
from django.db.models.expressions import RawSQL

from catalog.models import Link, Paper, Repository, Topic, Translation


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
            db = row._state.db
            objects = [
                _loaded(model, db, zip(fields, values, strict=True))
                for values in json.loads(getattr(row, name))
            ]
            if key is not None:
                objects.sort(key=key)
            setattr(row, self.attr, objects)
            delattr(row, name)


def _loaded(model, db: str, values):
    """An instance of ``model`` as read from ``db``: these (field, value)
    pairs loaded, its other fields deferred. Model.__init__ costs ten times
    as much, and a page builds a hundred of them."""
    instance = model.__new__(model)
    instance.__dict__.update(values)
    state = instance._state = ModelState()
    state.adding = False
    state.db = db
    return instance


def annotate_related(rows, related: tuple[Related, ...]):
    """``rows`` (a queryset) selecting, per row, the objects that ``related``
    describe; ``attach_related`` turns them into lists once evaluated."""
    return rows.annotate(**{f"_{r.attr}_json": r.expression for r in related})


def attach_related(objects: list, related: tuple[Related, ...]) -> list:
    for r in related:
        r.attach(objects, f"_{r.attr}_json")
    return objects


def in_order_of(ids: list[int], rows) -> list:
    """``rows`` in the order of ``ids`` (those that are not left out)."""
    by_id = {row.pk: row for row in rows}
    return [by_id[pk] for pk in ids if pk in by_id]


def with_related(rows, related: tuple[Related, ...]) -> list:
    """Evaluate ``rows`` (a queryset) in one query, each row given the lists
    of objects that ``related`` describe."""
    return attach_related(list(annotate_related(rows, related)), related)


# Stands for the ids while a Rows' SQL is compiled.
_IDS = object()


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple
    ids_at: int  # the position of the ids' parameter
    vendor: str

    def params_of(self, ids: list[int]) -> list:
        params = list(self.params)
        array = self.vendor == "postgresql"
        params[self.ids_at] = list(ids) if array else json.dumps(ids)
        return params


class Rows:
    """How a page loads its rows: ``model``'s rows (with the columns
    ``only`` names, all when empty, and the rows ``joined`` names), each
    with the lists ``related`` describes, in one query.

    ``by_ids`` is a search's page: its SQL is compiled once per database,
    the ids being its one parameter (compiling it cost a page 1-1.5 ms)."""

    def __init__(self, model, related: tuple[Related, ...], *, only=(), joined=()):
        self.model = model
        self.related = related
        self.only = tuple(only)
        self.joined = tuple(joined)
        self._compiled: dict[tuple[str, str], _Compiled] = {}

    def of(self, rows) -> list:
        """``rows`` (a queryset of the model), evaluated."""
        return with_related(self._shaped(rows), self.related)

    def by_ids(self, ids: list[int], using: str = "default") -> list:
        """The rows of ``ids``, in their order (those that exist)."""
        if not ids:
            return []
        if self.joined:  # a raw query fills no joined rows
            rows = self.model.objects.using(using).filter(pk__in=ids)
            return in_order_of(ids, self.of(rows))
        vendor = connections[using].vendor
        compiled = self._compiled.get((using, vendor))
        if compiled is None:
            compiled = self._compiled[using, vendor] = self._compile(using, vendor)
        rows = self.model.objects.raw(
            compiled.sql, compiled.params_of(ids), using=using
        )
        return in_order_of(ids, attach_related(list(rows), self.related))

    def _compile(self, using: str, vendor: str) -> _Compiled:
        if vendor == "postgresql":
            ids = RawSQL("SELECT unnest(%s::bigint[])", [_IDS])
        else:
            ids = RawSQL("SELECT value FROM json_each(%s)", [_IDS])
        rows = self._shaped(self.model.objects.using(using).filter(pk__in=ids))
        query = annotate_related(rows, self.related).query
        sql, params = query.get_compiler(using).as_sql()
        (at,) = [i for i, param in enumerate(params) if param is _IDS]
        return _Compiled(sql, tuple(params), at, vendor)

    def _shaped(self, rows):
        if self.only:
            rows = rows.only(*self.only)
        if self.joined:
            rows = rows.select_related(*self.joined)
        return rows


def topic_list(entries: str, fields=("id", "name", "slug", "path")) -> Related:
    """The topics of a row of ``entries`` (papers, repositories or links),
    with ``fields``, in path order."""
    return Related(
        "topic_list",
        Topic.objects.filter(**{entries: OuterRef("pk")}),
        fields,
        key=lambda t: t.path,
    )


# The paper columns a row shows (its related objects: PAPER_ROW_RELATED).
PAPER_ROW_FIELDS = (
    "id", "title", "short_name", "year", "venue", "venue_year", "organisation",
    "arxiv_id", "notes",
)  # fmt: skip
PAPER_ROW_RELATED = (
    topic_list("papers"),
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
    topic_list("repositories"),
)
LINK_ROW_RELATED = (topic_list("links"),)
