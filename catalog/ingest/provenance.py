"""A list's provenance: its ReadingList row, the Source rows saying which
line of it holds each entity, what it no longer holds, and its conflicts."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connections
from django.utils import timezone

from catalog.ingest.ids import IdSet, chunks
from catalog.ingest.parsing import ParsedList
from catalog.ingest.report import ListReport
from catalog.ingest.specs import ImportState
from catalog.ingest.writers import Writer, writer_for
from catalog.kinds import ALIAS_KIND
from catalog.models import (
    SOURCE_TARGETS,
    ImportConflict,
    Link,
    Paper,
    ReadingList,
    Repository,
    Source,
    Topic,
    Translation,
)

MODELS = {m.__name__: m for m in (Topic, Paper, Repository, Translation, Link)}


class Provenance:
    """Keeps one list's provenance while its import runs."""

    def __init__(
        self, parsed: ParsedList, report: ListReport, state: ImportState, *, using
    ):
        self.parsed = parsed
        self.report = report
        self.state = state
        self.using = using
        self.writer: Writer = writer_for(using)

    def begin(self, digest: str) -> None:
        """Save the reading list and take its old provenance away."""
        self.state.reading_list = self._reading_list(digest)
        self.state.previous = self._take_previous_sources()
        self.state.current = {target: IdSet() for target in SOURCE_TARGETS}

    def _reading_list(self, digest: str) -> ReadingList:
        lists = ReadingList.objects.using(self.using)
        values = {
            "title": self.parsed.title or "",
            "sha256": digest,
            "imported_at": timezone.now(),
        }
        reading_list = lists.filter(path=self.parsed.name).first()
        if reading_list is None:
            # No savepoint for a race: imports take turns (importer._lock),
            # and its retry covers any other writer.
            return lists.create(path=self.parsed.name, **values)
        if reading_list.sha256 == digest:
            self.report.unchanged_file = True
        for name, value in values.items():
            setattr(reading_list, name, value)
        reading_list.save(using=self.using, update_fields=list(values))
        return reading_list

    def _take_previous_sources(self) -> dict[str, IdSet]:
        """Delete this list's provenance, to be written anew kind by kind, and
        return the ids it held by target.

        One DELETE ... RETURNING where the database has it: no model instance
        or signal per row (the import bumps the catalog version once).
        """
        previous = {target: IdSet() for target in SOURCE_TARGETS}
        connection = connections[self.using]
        table = Source._meta.db_table
        columns = ", ".join(f'"{target}_id"' for target in SOURCE_TARGETS)
        where = 'WHERE "reading_list_id" = %s'
        list_id = self.state.reading_list.pk
        with connection.cursor() as cursor:
            if connection.features.can_return_columns_from_insert:
                cursor.execute(
                    f'DELETE FROM "{table}" {where} RETURNING {columns}', [list_id]
                )
                _collect(cursor, previous)
            else:
                cursor.execute(f'SELECT {columns} FROM "{table}" {where}', [list_id])
                _collect(cursor, previous)
                cursor.execute(f'DELETE FROM "{table}" {where}', [list_id])
        return previous

    def add(self, target: str, pairs: Iterable[tuple[int, int]]) -> None:
        """Write that this list holds each (row id, line) of ``target``."""
        current = self.state.current[target]

        def rows():
            for pk, line in pairs:
                current.add(pk)
                yield target, pk, line

        self.writer.insert_sources(self.state.reading_list.pk, rows())

    def report_missing(self, *, prune: bool) -> None:
        """Report the rows the list held before and no longer does; with
        ``prune``, delete those that no editor or other list holds."""
        for model, target in ALIAS_KIND.items():
            gone = self.state.previous[target] - self.state.current[target]
            for chunk in chunks(gone):
                for obj in model.objects.using(self.using).filter(pk__in=chunk):
                    label = f"{target} {_label(obj)}"
                    self.report.missing.append(label)
                    if prune and not obj.curated_fields and not obj.sources.exists():
                        obj.delete()
                        self.report.pruned.append(label)

    def save_conflicts(self) -> None:
        """Replace this list's conflicts with what it says now.

        A conflict an editor kept stays kept (and out of the report) while the
        list keeps saying the same thing.
        """
        conflicts = ImportConflict.objects.using(self.using)
        reading_list = self.state.reading_list
        kept = {
            (row.kind, row.object_id, row.field): row.list_value
            for row in conflicts.filter(reading_list=reading_list, kept=True)
        }
        rows = []
        for c in self.report.conflicts:
            kind = ALIAS_KIND[MODELS[c.entity]]
            list_value = _jsonable(c.list_value)
            rows.append(
                ImportConflict(
                    kind=kind,
                    object_id=c.object_id,
                    entity_key=c.key,
                    field=c.field,
                    curated_value=_jsonable(c.curated_value),
                    list_value=list_value,
                    reading_list=reading_list,
                    line=c.line,
                    kept=kept.get((kind, c.object_id, c.field), object()) == list_value,
                )
            )
        self.report.conflicts = [
            c
            for c, row in zip(self.report.conflicts, rows, strict=True)
            if not row.kept
        ]
        conflicts.filter(reading_list=reading_list).delete()
        conflicts.bulk_create(rows, ignore_conflicts=True)


def _collect(cursor, ids: dict[str, IdSet]) -> None:
    while rows := cursor.fetchmany(5000):
        for row in rows:
            for target, pk in zip(ids, row, strict=True):
                if pk is not None:
                    ids[target].add(pk)


def _jsonable(value):
    if value is None or isinstance(value, bool | int | float | str | list | dict):
        return value
    return str(value)


def _label(obj) -> str:
    for attr in ("key", "path", "url"):
        if hasattr(obj, attr):
            return str(getattr(obj, attr))
    return str(obj)
