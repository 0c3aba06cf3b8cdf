"""The database writers of an import: new rows, changed fields, provenance
and many-to-many pairs.

``Writer`` goes through the ORM (bulk_create, bulk_update) on any database;
on PostgreSQL ``PostgresWriter`` copies new rows in with COPY and updates
with one statement per batch.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from itertools import islice

from django.db import connections, models
from django.utils import timezone

from catalog.ingest import ids
from catalog.models import SOURCE_TARGETS, Source


class Writer:
    """Writes new rows through the ORM, on any database (SQLite uses it)."""

    def __init__(self, using: str):
        self.using = using

    def insert(self, model, lookup: str, entries: list, row_of: Callable) -> list[int]:
        """Create a row per entry, ``row_of(entry)`` giving {attname: value};
        returns their ids in order."""
        manager = model.objects.using(self.using)
        objs = []
        for chunk in ids.chunks(entries):
            objs += manager.bulk_create([model(**row_of(e)) for e in chunk])
        if objs and objs[0].pk is None:
            # SQLite before 3.35 and some backends do not return primary keys.
            keys = [getattr(o, lookup) for o in objs]
            pks = {}
            for chunk in ids.chunks(keys):
                pks.update(
                    manager.filter(**{f"{lookup}__in": chunk}).values_list(lookup, "pk")
                )
            return [pks[key] for key in keys]
        return [o.pk for o in objs]

    def update(self, model, rows: list[dict], fields: list[str]) -> None:
        """Set ``fields`` of existing rows, given as {attname: value} with the
        primary key."""
        model.objects.using(self.using).bulk_update(
            [model(**row) for row in rows], fields, batch_size=ids.BATCH
        )

    def insert_sources(
        self, list_id: int, rows: Iterable[tuple[str, int, int]]
    ) -> None:
        """Create Source rows from (target kind, target id, line) triples."""
        manager = Source.objects.using(self.using)
        rows = iter(rows)
        while chunk := list(islice(rows, ids.BATCH)):
            manager.bulk_create(
                [
                    Source(reading_list_id=list_id, line=line, **{f"{target}_id": pk})
                    for target, pk, line in chunk
                ]
            )

    def add_pairs(
        self, through, left: str, right: str, pairs: list, *, new: set[int]
    ) -> None:
        """Add (left id, right id) rows to a many-to-many table unless present;
        ``new`` holds left ids created by this import."""
        left = through._meta.get_field(left).attname
        right = through._meta.get_field(right).attname
        through.objects.using(self.using).bulk_create(
            [through(**{left: a, right: b}) for a, b in pairs],
            batch_size=ids.BATCH,
            ignore_conflicts=True,
        )


class PostgresWriter(Writer):
    """COPY new rows in; their ids are drawn from the table's sequence first."""

    def insert(self, model, lookup, entries, row_of):
        if not entries:
            return []
        meta = model._meta
        with connections[self.using].cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) "
                "FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, len(entries)],
            )
            # Ascending in list order, as bulk_create would number them.
            pks = sorted(pk for (pk,) in cursor.fetchall())
        fields = [f for f in meta.concrete_fields if not f.primary_key]
        now = timezone.now()
        encoders = [_copy_encoder(f, now) for f in fields]
        rows = (
            (pk, *[encode(row) for encode in encoders])
            for pk, row in zip(pks, map(row_of, entries), strict=True)
        )
        self._copy(meta.db_table, [meta.pk.column, *(f.column for f in fields)], rows)
        return pks

    def update(self, model, rows, fields):
        # One UPDATE ... FROM unnest() per batch: bulk_update's CASE per row
        # and field costs more to build than to run.
        meta = model._meta
        connection = connections[self.using]
        pk = meta.pk
        columns = [meta.get_field(name) for name in fields]
        encoders = [_copy_encoder(f, None, stamp=False) for f in columns]
        arrays = ", ".join(f"%s::{f.db_type(connection)}[]" for f in [pk, *columns])
        names = ", ".join(f'"{f.column}"' for f in [pk, *columns])
        sets = ", ".join(f'"{f.column}" = v."{f.column}"' for f in columns)
        sql = (
            f'UPDATE "{meta.db_table}" AS t SET {sets} '
            f"FROM unnest({arrays}) AS v({names}) "
            f'WHERE t."{pk.column}" = v."{pk.column}"'
        )
        with connection.cursor() as cursor:
            for chunk in ids.chunks(rows):
                cursor.execute(
                    sql,
                    [
                        [row[pk.attname] for row in chunk],
                        *([encode(row) for row in chunk] for encode in encoders),
                    ],
                )

    def insert_sources(self, list_id, rows):
        columns = {target: n for n, target in enumerate(SOURCE_TARGETS)}
        empty = (None,) * len(SOURCE_TARGETS)

        def row(target, pk, line):
            targets = list(empty)
            targets[columns[target]] = pk
            return (list_id, line, *targets)

        self._copy(
            Source._meta.db_table,
            ["reading_list_id", "line", *(f"{t}_id" for t in SOURCE_TARGETS)],
            (row(*triple) for triple in rows),
        )

    def add_pairs(self, through, left, right, pairs, *, new):
        meta = through._meta
        left = meta.get_field(left).column
        right = meta.get_field(right).column
        # A row created by this import has no pairs yet: copy those in.
        self._copy(meta.db_table, [left, right], (p for p in pairs if p[0] in new))
        old = [p for p in pairs if p[0] not in new]
        if not old:
            return
        with connections[self.using].cursor() as cursor:
            cursor.execute(
                f'INSERT INTO "{meta.db_table}" ("{left}", "{right}") '
                "SELECT * FROM unnest(%s::bigint[], %s::bigint[]) "
                "ON CONFLICT DO NOTHING",
                [[a for a, _ in old], [b for _, b in old]],
            )

    def _copy(self, table: str, columns: list[str], rows: Iterable[tuple]) -> None:
        rows = iter(rows)
        first = next(rows, None)
        if first is None:
            return
        connection = connections[self.using]
        names = ", ".join(f'"{c}"' for c in columns)
        with (
            connection.cursor() as cursor,
            connection.wrap_database_errors,
            cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy,
        ):
            copy.write_row(first)
            for row in rows:
                copy.write_row(row)


def _copy_encoder(field, now, *, stamp=True) -> Callable[[dict], object]:
    """A row's value of ``field`` as COPY takes it, as bulk_create would set it
    (``stamp``: auto_now fields are ``now``)."""
    if stamp and (
        getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ):
        return lambda row: now
    name = field.attname
    default = field.get_default()
    if isinstance(field, models.JSONField):
        return lambda row: _json(row.get(name, default))
    return lambda row: row.get(name, default)


def _json(value) -> str | None:
    return None if value is None else json.dumps(value)


def writer_for(using: str) -> Writer:
    if connections[using].vendor == "postgresql":
        return PostgresWriter(using)
    return Writer(using)
