"""Write parsed reading lists to the database: one transaction per list.

``import_reading_lists(paths=[...])`` reads, parses and upserts every list; it
never prints. Entities are matched on their canonical keys (paper key,
repository key, URL), so importing the same list twice changes nothing.
New rows are copied in with COPY on PostgreSQL and bulk-created elsewhere;
existing rows are compared as plain values, never loaded as model instances.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import stat
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import cached_property, partial
from itertools import islice
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, OperationalError, connections, models, transaction
from django.utils import timezone

from catalog.cache import bump_catalog_version
from catalog.ingest import parsing, workers
from catalog.ingest.parsing import ListFile, ParsedList, ParseError, ParseWarning
from catalog.ingest.spill import IdSet, SpillDict, batched
from catalog.kinds import ALIAS_KIND, IMPORT_LOCK_KEY
from catalog.models import (
    SOURCE_TARGETS,
    TOPIC_SEPARATOR,
    Alias,
    Framework,
    ImportConflict,
    Link,
    LinkKind,
    Paper,
    ReadingList,
    Repository,
    Source,
    Topic,
    Translation,
)
from catalog.search.backends import Document
from catalog.search.indexing import PAPER_FIELDS, document_of, index_documents

LIST_SUFFIXES = {".md", ".markdown", ".txt"}
KINDS = ("topics", "papers", "repositories", "translations", "links")
BATCH = 5000
# Lists after the first totalling this many bytes are parsed in a worker
# process, ahead of the list being written (see _parsed_lists).
PARALLEL_PARSE_BYTES = 256 * 1024
# How many bytes of lists the worker may parse ahead of the one being written.
PARSE_AHEAD_BYTES = 1024 * 1024
# A list this long (bytes) shares its sections with a worker process
# (parse_list_file(pool=)): its own, or the one parsing ahead. Starting a
# worker costs about 0.3 s: measured, sharing pays from about 0.8 MB. Such a
# list is never parsed whole in the worker: its records would come back all
# at once.
SHARED_PARSE_BYTES = 1024 * 1024


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class Conflict:
    """A list says something else than an editor's curated value."""

    entity: str
    object_id: int
    key: str
    field: str
    curated_value: object
    list_value: object
    line: int


@dataclass
class ListReport:
    path: str
    title: str = ""
    counts: dict[str, Counts] = field(
        default_factory=lambda: {k: Counts() for k in KINDS}
    )
    conflicts: list[Conflict] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)
    error: str | None = None
    unchanged_file: bool = False

    @property
    def changed(self) -> bool:
        return any(c.created or c.updated for c in self.counts.values()) or bool(
            self.pruned
        )


@dataclass
class ImportResult:
    reports: list[ListReport] = field(default_factory=list)
    dry_run: bool = False

    @property
    def failed(self) -> list[ListReport]:
        return [r for r in self.reports if r.error]

    def total(self, attr: str) -> int:
        return sum(getattr(c, attr) for r in self.reports for c in r.counts.values())

    @property
    def created(self) -> int:
        return self.total("created")

    @property
    def updated(self) -> int:
        return self.total("updated")


@dataclass(frozen=True)
class Progress:
    """Where a run is: list ``index`` (from 0) of ``lists``, and of that
    list's entries (papers, repositories, translations, other links), how
    many of ``total`` are written."""

    path: str
    index: int
    lists: int
    done: int = 0
    total: int = 0

    @property
    def fraction(self) -> float:
        """The run's share done, lists before this one included."""
        within = self.done / self.total if self.total else 0.0
        return (self.index + within) / self.lists


class _DryRunRollback(Exception):
    """Raised inside the transaction to undo a dry run."""


def iter_list_paths(paths: Iterable[str | Path]) -> Iterator[str | Path]:
    """Files as given, directories walked recursively for lists, "-" for
    stdin. A directory holding no list is given as is: read_list refuses it."""
    for raw in paths:
        if str(raw) == "-":
            yield "-"
            continue
        path = Path(raw)
        if path.is_dir():
            lists = sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in LIST_SUFFIXES
            )
            yield from lists or [path]
        else:
            yield path


def read_list(path: str | Path, *, stdin=None) -> tuple[str, ListFile, str]:
    """Return (name, checked list, sha256) of one list: a regular file or,
    for "-", standard input, read once and at most IMPORT_MAX_BYTES of it;
    ParseError names the file."""
    limit = settings.IMPORT_MAX_BYTES
    if path == "-":
        stream = stdin if stdin is not None else sys.stdin
        stream = getattr(stream, "buffer", stream)
        data = _read_at_most(stream.read, limit, name="-")
        name = "<stdin>"
    else:
        data = _read_file(path, limit)
        name = _list_name(Path(path))
    source = parsing.check_list_bytes(data, path=str(path))
    return name, source, source.sha256


def _read_file(path: str | Path, limit: int) -> bytes:
    try:
        # Non-blocking: opening a FIFO would wait for a writer.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        try:
            mode = os.fstat(fd).st_mode
            if not stat.S_ISREG(mode):
                raise ParseError(_not_a_file(mode), name=str(path))
            os.set_blocking(fd, True)
            return _read_at_most(partial(os.read, fd), limit, name=str(path))
        finally:
            os.close(fd)
    except OSError as exc:
        raise ParseError(
            f"cannot read file: {exc.strerror or exc}", name=str(path)
        ) from exc


_NOT_FILES = (
    (stat.S_ISFIFO, "a FIFO or pipe"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _not_a_file(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory holding no lists (.md, .markdown or .txt files)"
    kind = next((kind for test, kind in _NOT_FILES if test(mode)), "not a file")
    return f"not a regular file ({kind}); give a file, or - for standard input"


def _read_at_most(read, limit: int, *, name: str) -> bytes:
    """All that ``read(size)`` gives, in blocks; ParseError once it passes
    ``limit`` bytes, having read at most one byte more (a stream may never
    end)."""
    blocks = []
    size = 0
    while size <= limit:
        block = read(min(parsing.READ_BLOCK, limit + 1 - size))
        if not block:
            break
        if isinstance(block, str):  # a text stream given as stdin
            block = block.encode("utf-8")
        blocks.append(block)
        size += len(block)
    if size > limit:
        raise ParseError(f"file is larger than the limit of {limit} bytes", name=name)
    return b"".join(blocks)


def _parse(source: ListFile, name: str, pool=None) -> ParsedList:
    return parsing.parse_list_file(source, name=name, pool=pool)


def _list_name(path: Path) -> str:
    # Lists are known by their file name, so a list moved between folders or
    # imported from another checkout keeps its provenance.
    return path.name


def import_reading_lists(
    *,
    paths: Iterable[str | Path],
    dry_run: bool = False,
    prune: bool = False,
    using: str = "default",
    stdin=None,
    on_progress: Callable[[Progress], None] | None = None,
) -> ImportResult:
    """Import every list under ``paths``; each applies whole or not at all.
    ``on_progress`` hears of each list begun and each batch of it written."""
    result = ImportResult(dry_run=dry_run)
    paths = list(iter_list_paths(paths))
    for index, (path, parsed) in enumerate(_parsed_lists(paths, stdin=stdin)):
        step = None
        if on_progress:
            step = partial(_progress_of, on_progress, str(path), index, len(paths))
            step(0, 0)
        report = ListReport(path=str(path))
        result.reports.append(report)
        try:
            name, parsed, digest = parsed()
        except ParseError as exc:
            report.error = str(exc)
            continue
        report.path = name if path == "-" else str(path)
        import_parsed_list(
            parsed,
            digest=digest,
            dry_run=dry_run,
            prune=prune,
            using=using,
            report=report,
            on_progress=step,
        )
        # One list's records at a time: drop these before reading the next.
        del parsed
    return result


def _progress_of(on_progress, path, index, lists, done, total) -> None:
    on_progress(Progress(path, index, lists, done, total))


def _parsed_lists(paths: list, *, stdin) -> Iterator[tuple[object, Callable]]:
    """(path, parsed) per list, in order: ``parsed()`` returns (name, the
    ParsedList, sha256) or raises ParseError.

    With lists enough to matter (PARALLEL_PARSE_BYTES) a worker process parses
    the lists after this one while it is written: both cores work. It keeps
    up to PARSE_AHEAD_BYTES of lists (at least the next one) parsed or queued,
    so a large list late in the run is ready when its turn comes. The first
    list is parsed here, while the worker starts.
    """
    sizes = [0 if p == "-" else _size(p) for p in paths]
    if len(paths) < 2 or sum(sizes[1:]) < PARALLEL_PARSE_BYTES:
        for path in paths:
            yield path, partial(_read_and_parse, path, stdin=stdin, share=True)
        return
    with _parse_pool() as pool:
        # The lists submitted and not yet written, in order: each is
        # (name, future, digest) or its error.
        ahead: deque = deque()
        queued = 1  # the index of the next list to submit
        for index, path in enumerate(paths):
            while queued < len(paths) and (
                queued == index + 1
                or sum(sizes[index + 1 : queued]) < PARSE_AHEAD_BYTES
            ):
                ahead.append(_submit(pool, paths[queued], stdin=stdin))
                queued += 1
            if index == 0:
                yield path, partial(_read_and_parse, path, stdin=stdin)
            else:
                yield path, partial(_result_of, ahead.popleft())


def _parse_pool() -> ProcessPoolExecutor:
    """One spawned worker process, which exits when this process dies."""
    return ProcessPoolExecutor(
        max_workers=1,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=workers.exit_with_parent,
        initargs=(os.getpid(),),
    )


def _size(path) -> int:
    try:
        return Path(path).stat().st_size
    except OSError:
        return 0  # read_list reports it


def _submit(pool, path, *, stdin):
    """(name, future or None, digest, source, pool) of a list sent to the
    worker, or its ParseError. A long list (SHARED_PARSE_BYTES) is not sent:
    its records would come back whole. It is parsed here a section at a
    time, the worker tokenizing sections. The source stays until the result
    is taken, so that a list whose worker died (killed, out of memory) is
    parsed here instead."""
    try:
        name, source, digest = read_list(path, stdin=stdin)
    except ParseError as exc:
        return exc
    if source.size >= SHARED_PARSE_BYTES:
        return name, None, digest, source, pool
    try:
        # A function of the parsing module: the worker imports no Django.
        future = pool.submit(parsing.parse_list_file, source, name=name)
    except BrokenProcessPool:  # an earlier list's worker died
        future = None
    return name, future, digest, source, None


def _result_of(submitted):
    if isinstance(submitted, ParseError):
        raise submitted
    name, future, digest, source, pool = submitted
    if future is not None:
        try:
            return name, future.result(), digest
        except BrokenProcessPool:
            pass
    if pool is not None:
        try:
            return name, _parse(source, name, pool), digest
        except BrokenProcessPool:
            pass
    return name, _parse(source, name), digest


def _read_and_parse(path, *, stdin, share=False) -> tuple[str, ParsedList, str]:
    """Read and parse one list; with ``share``, a long one (SHARED_PARSE_BYTES)
    is tokenized by this process and a worker together."""
    name, source, digest = read_list(path, stdin=stdin)
    if not share or source.size < SHARED_PARSE_BYTES:
        return name, _parse(source, name), digest
    try:
        with _parse_pool() as pool:
            parsed = _parse(source, name, pool)
    except BrokenProcessPool:  # the worker died (killed, out of memory)
        parsed = _parse(source, name)
    return name, parsed, digest


def import_parsed_list(
    parsed: ParsedList,
    *,
    digest: str = "",
    dry_run: bool = False,
    prune: bool = False,
    using: str = "default",
    report: ListReport | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> ListReport:
    """Write one parsed list in one transaction and report what changed;
    ``on_progress(done, total)`` after each batch of entries written."""
    report = report or ListReport(path=parsed.name)
    report.title = parsed.title or ""
    report.warnings = list(parsed.warnings)
    _import_with_retry(
        parsed,
        digest,
        report,
        dry_run=dry_run,
        prune=prune,
        using=using,
        on_progress=on_progress,
    )
    return report


def _import_with_retry(
    parsed, digest, report, *, dry_run, prune, using, on_progress, attempts=3
):
    for attempt in range(attempts):
        try:
            with transaction.atomic(using=using):
                _lock(using)
                with parsing.gc_paused():
                    ListImporter(
                        parsed,
                        digest,
                        report,
                        prune=prune,
                        using=using,
                        on_progress=on_progress,
                    ).run()
                if dry_run:
                    raise _DryRunRollback
            return
        except _DryRunRollback:
            return
        except (IntegrityError, OperationalError) as exc:
            # Another import committed the same keys first (or held the
            # SQLite write lock): start again from a fresh snapshot.
            if attempt == attempts - 1:
                report.error = f"{report.path}: database error: {exc}"
                return
            fresh = ListReport(path=report.path, title=report.title)
            fresh.warnings = report.warnings
            report.__dict__.update(fresh.__dict__)


def _lock(using: str) -> None:
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK_KEY])


def _chunks(items: Iterable, size: int | None = None) -> Iterator[list]:
    return batched(items, size or BATCH)


def _join(path: tuple[str, ...]) -> str:
    return TOPIC_SEPARATOR.join(path)


class _Writer:
    """Writes new rows through the ORM, on any database (SQLite uses it)."""

    def __init__(self, using: str):
        self.using = using

    def insert(self, model, lookup: str, entries: list, row_of: Callable) -> list[int]:
        """Create a row per entry, ``row_of(entry)`` giving {attname: value};
        returns their ids in order."""
        manager = model.objects.using(self.using)
        objs = []
        for chunk in _chunks(entries):
            objs += manager.bulk_create([model(**row_of(e)) for e in chunk])
        if objs and objs[0].pk is None:
            # SQLite before 3.35 and some backends do not return primary keys.
            keys = [getattr(o, lookup) for o in objs]
            ids = {}
            for chunk in _chunks(keys):
                ids.update(
                    manager.filter(**{f"{lookup}__in": chunk}).values_list(lookup, "pk")
                )
            return [ids[key] for key in keys]
        return [o.pk for o in objs]

    def update(self, model, rows: list[dict], fields: list[str]) -> None:
        """Set ``fields`` of existing rows, given as {attname: value} with the
        primary key."""
        model.objects.using(self.using).bulk_update(
            [model(**row) for row in rows], fields, batch_size=BATCH
        )

    def insert_sources(
        self, list_id: int, rows: Iterable[tuple[str, int, int]]
    ) -> None:
        """Create Source rows from (target kind, target id, line) triples."""
        manager = Source.objects.using(self.using)
        rows = iter(rows)
        while chunk := list(islice(rows, BATCH)):
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
            batch_size=BATCH,
            ignore_conflicts=True,
        )


class _PostgresWriter(_Writer):
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
            ids = sorted(pk for (pk,) in cursor.fetchall())
        fields = [f for f in meta.concrete_fields if not f.primary_key]
        now = timezone.now()
        encoders = [_copy_encoder(f, now) for f in fields]
        rows = (
            (pk, *[encode(row) for encode in encoders])
            for pk, row in zip(ids, map(row_of, entries), strict=True)
        )
        self._copy(meta.db_table, [meta.pk.column, *(f.column for f in fields)], rows)
        return ids

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
            for chunk in _chunks(rows):
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


def _writer_for(using: str) -> _Writer:
    if connections[using].vendor == "postgresql":
        return _PostgresWriter(using)
    return _Writer(using)


class ListImporter:
    """Upserts one parsed list inside the caller's transaction."""

    def __init__(
        self,
        parsed: ParsedList,
        digest: str,
        report: ListReport,
        *,
        prune,
        using,
        on_progress: Callable[[int, int], None] | None = None,
    ):
        self.parsed = parsed
        self.digest = digest
        self.report = report
        self.prune = prune
        self.using = using
        self.on_progress = on_progress
        self.done = 0
        # Counted only for progress: a long list's links are counted by
        # reading them back (some are dropped as translations).
        kinds = (parsed.papers, parsed.repositories, parsed.translations, parsed.links)
        self.total = sum(map(len, kinds)) if on_progress else 0
        self.writer = _writer_for(using)
        # A list's entries are written BATCH at a time; what the import keeps
        # per entry until the end is on disk or a bitmap (catalog.ingest.spill), so
        # its memory stays flat in the list's length.
        self.current = {t: IdSet() for t in SOURCE_TARGETS}  # ids this list holds
        self.topic_ids: dict[str, int] = {}
        # The curated fields of the rows met that have any.
        self.curated: dict[tuple[type, int], set[str]] = {}
        self.created: dict[type, IdSet] = {}  # ids of the rows it created
        self.written: dict[str, dict[int, object]] = {}
        self.paper_ids = SpillDict()  # the list's paper key -> paper id
        # str(paper id) -> {"repositories" or "translations": [(row id,
        # text)]} of the papers it created, for their search documents.
        self.extras = SpillDict()
        self.alias_kinds: set[str] | None = None

    def run(self) -> None:
        try:
            self.reading_list = self._reading_list()
            self.previous = self._take_previous_sources()
            self._topics()
            self._papers()
            self._repositories()
            self._translations()
            self._links()
            self._report_missing()
            self._save_conflicts()
            self._index_search()
        finally:
            self.paper_ids.close()
            self.extras.close()

    # -- reading list and provenance -------------------------------------------------

    def _reading_list(self) -> ReadingList:
        lists = ReadingList.objects.using(self.using)
        values = {
            "title": self.parsed.title or "",
            "sha256": self.digest,
            "imported_at": timezone.now(),
        }
        reading_list = lists.filter(path=self.parsed.name).first()
        if reading_list is None:
            # No savepoint for a race: imports take turns (_lock), and the
            # retry in _import_with_retry covers any other writer.
            return lists.create(path=self.parsed.name, **values)
        if reading_list.sha256 == self.digest:
            self.report.unchanged_file = True
        for name, value in values.items():
            setattr(reading_list, name, value)
        reading_list.save(using=self.using, update_fields=list(values))
        return reading_list

    def _take_previous_sources(self) -> dict[str, set[int]]:
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
        with connection.cursor() as cursor:
            if connection.features.can_return_columns_from_insert:
                cursor.execute(
                    f'DELETE FROM "{table}" {where} RETURNING {columns}',
                    [self.reading_list.pk],
                )
                self._collect(cursor, previous)
            else:
                cursor.execute(
                    f'SELECT {columns} FROM "{table}" {where}', [self.reading_list.pk]
                )
                self._collect(cursor, previous)
                cursor.execute(f'DELETE FROM "{table}" {where}', [self.reading_list.pk])
        return previous

    @staticmethod
    def _collect(cursor, ids: dict[str, IdSet]) -> None:
        while rows := cursor.fetchmany(BATCH):
            for row in rows:
                for target, pk in zip(ids, row, strict=True):
                    if pk is not None:
                        ids[target].add(pk)

    def _add_sources(self, target: str, pairs: Iterable[tuple[int, int]]) -> None:
        """Write that this list holds each (row id, line) of ``target``."""
        current = self.current[target]

        def rows():
            for pk, line in pairs:
                current.add(pk)
                yield target, pk, line

        self.writer.insert_sources(self.reading_list.pk, rows())

    def _report_missing(self) -> None:
        for model, target in ALIAS_KIND.items():
            gone = self.previous[target] - self.current[target]
            for chunk in _chunks(gone):
                for obj in model.objects.using(self.using).filter(pk__in=chunk):
                    label = f"{target} {_label(obj)}"
                    self.report.missing.append(label)
                    if (
                        self.prune
                        and not obj.curated_fields
                        and not obj.sources.exists()
                    ):
                        obj.delete()
                        self.report.pruned.append(label)

    # -- generic upsert ----------------------------------------------------------------

    def _upsert(
        self,
        kind,
        model,
        lookup,
        entries,
        values_of,
        *,
        fill_only=(),
        create_only=(),
        remember=None,
        rows_out=None,
        rows=None,
    ):
        """Create missing rows and update changed, uncurated fields of existing ones.

        ``values_of(entry)`` gives the row's field values from the list; fields in
        ``fill_only`` are only written when empty (another list may own them),
        fields in ``create_only`` only when the row is created. With
        ``remember(row)``, ``self.written[kind]`` maps every row's pk to what it
        returns for the row as written; ``rows_out`` receives the rows that
        existed, as written, by lookup value. ``rows`` gives the existing rows
        read beforehand (no alias lookup). Returns {lookup value: pk}.
        """
        counts = self.report.counts[kind]
        pk_name = model._meta.pk.attname
        keys = [getattr(e, lookup) for e in entries]
        if rows is not None:
            existing = rows
        else:
            existing = self._rows_by(model, lookup, keys)
            existing.update(self._through_aliases(model, set(keys) - existing.keys()))
        self.curated.update(
            {
                (model, row[pk_name]): set(row["curated_fields"])
                for row in existing.values()
                if row["curated_fields"]
            }
        )
        shared = self._shared_with_other_lists(
            model, [row[pk_name] for row in existing.values()]
        )
        to_create, to_update, fields_changed = [], [], set()
        now = timezone.now()
        for entry in entries:
            row = existing.get(getattr(entry, lookup))
            if row is None:
                to_create.append(entry)
                continue
            changed = False
            for name, value in values_of(entry).items():
                if name in create_only:
                    continue
                current = row[name]
                if _same(current, value) or _empty(value):
                    continue
                if name in row["curated_fields"]:
                    self.report.conflicts.append(
                        Conflict(
                            model.__name__,
                            row[pk_name],
                            str(getattr(entry, lookup)),
                            name,
                            current,
                            value,
                            entry.line,
                        )
                    )
                    continue
                if (name in fill_only or row[pk_name] in shared) and not _empty(
                    current
                ):
                    continue
                row[name] = value
                fields_changed.add(name)
                changed = True
            if changed:
                row["updated"] = now
                to_update.append(row)
            else:
                counts.unchanged += 1
        created_keys = [getattr(e, lookup) for e in to_create]
        remembered = []

        def row_of(entry):
            row = {lookup: getattr(entry, lookup), **values_of(entry)}
            if remember:
                remembered.append(remember(row))
            return row

        created_ids = self.writer.insert(model, lookup, to_create, row_of)
        if remember:
            written = self.written.setdefault(kind, {})
            for row in existing.values():
                written[row[pk_name]] = remember(row)
            written.update(zip(created_ids, remembered, strict=True))
        if to_update:
            self.writer.update(model, to_update, sorted(fields_changed | {"updated"}))
        if rows_out is not None:
            rows_out.update(existing)
        counts.created += len(to_create)
        counts.updated += len(to_update)
        self.created.setdefault(model, IdSet()).update(created_ids)
        ids = {key: row[pk_name] for key, row in existing.items()}
        ids.update(zip(created_keys, created_ids, strict=True))
        return ids

    def _rows_by(self, model, lookup: str, keys: list) -> dict:
        """Existing rows by ``lookup`` value, as dicts: no model instances for
        the unchanged ones."""
        attnames = [f.attname for f in model._meta.concrete_fields]
        rows = {}
        for chunk in _chunks(keys):
            for row in (
                model.objects.using(self.using)
                .filter(**{f"{lookup}__in": chunk})
                .order_by()
                .values(*attnames)
            ):
                rows[row[lookup]] = row
        return rows

    def _through_aliases(self, model, keys: set[str]) -> dict:
        """Rows that editors merged, renamed or moved, found by their old keys."""
        kind = ALIAS_KIND[model]
        # Most catalogs have few aliases: skip looking up every key when none
        # of this kind exists.
        if not keys or kind not in self._alias_kinds():
            return {}
        aliases = Alias.objects.using(self.using).filter(kind=kind)
        targets = {}
        for chunk in _chunks(sorted(keys)):
            targets.update(
                aliases.filter(key__in=chunk).values_list("key", "target_id")
            )
        pk_name = model._meta.pk.attname
        attnames = [f.attname for f in model._meta.concrete_fields]
        rows = {
            row[pk_name]: row
            for row in model.objects.using(self.using)
            .filter(pk__in=set(targets.values()))
            .order_by()
            .values(*attnames)
        }
        return {key: rows[pk] for key, pk in targets.items() if pk in rows}

    def _alias_kinds(self) -> set[str]:
        """The kinds of entity that have aliases (one query per list)."""
        if self.alias_kinds is None:
            self.alias_kinds = set(
                Alias.objects.using(self.using)
                .order_by()
                .values_list("kind", flat=True)
                .distinct()
            )
        return self.alias_kinds

    def _save_conflicts(self) -> None:
        """Replace this list's conflicts with what it says now.

        A conflict an editor kept stays kept (and out of the report) while the
        list keeps saying the same thing.
        """
        conflicts = ImportConflict.objects.using(self.using)
        kept = {
            (row.kind, row.object_id, row.field): row.list_value
            for row in conflicts.filter(reading_list=self.reading_list, kept=True)
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
                    reading_list=self.reading_list,
                    line=c.line,
                    kept=kept.get((kind, c.object_id, c.field), object()) == list_value,
                )
            )
        self.report.conflicts = [
            c
            for c, row in zip(self.report.conflicts, rows, strict=True)
            if not row.kept
        ]
        conflicts.filter(reading_list=self.reading_list).delete()
        conflicts.bulk_create(rows, ignore_conflicts=True)

    def _shared_with_other_lists(self, model, pks: list[int]) -> set[int]:
        """Rows that other lists also hold: this list only fills their empty fields."""
        field_name = ALIAS_KIND[model]
        shared = set()
        for chunk in _chunks(pks):
            shared.update(
                Source.objects.using(self.using)
                .filter(**{f"{field_name}_id__in": chunk})
                .exclude(reading_list=self.reading_list)
                .values_list(f"{field_name}_id", flat=True)
            )
        return shared

    def _add_m2m(self, field, pairs: set[tuple[int, int]]) -> list[tuple[int, int]]:
        """Add (row, related) pairs of a many-to-many field unless it is curated;
        returns the pairs it wrote."""
        model = field.model
        rows = [
            (a, b)
            for a, b in pairs
            if field.name not in self.curated.get((model, a), ())
        ]
        self.writer.add_pairs(
            field.remote_field.through,
            field.m2m_field_name(),
            field.m2m_reverse_field_name(),
            rows,
            new=self.created.get(model, IdSet()),
        )
        return rows

    def _add_topics(self, field, entries, ids: dict, lookup: str) -> None:
        """File each entry's row under the topics the list gives it."""
        self._add_m2m(
            field,
            {
                (ids[getattr(e, lookup)], self.topic_ids[path])
                for e in entries
                for t in e.topics
                if (path := _join(t)) in self.topic_ids
            },
        )

    # -- entities ----------------------------------------------------------------------

    def _topics(self) -> None:
        entries = list(self.parsed.topics)
        # Parents first, so every child can point at its parent's id.
        by_depth: dict[int, list] = {}
        for order, entry in enumerate(entries):
            by_depth.setdefault(len(entry.path), []).append((order, entry))
        paths = [_join(e.path) for e in entries]
        # Every level's rows and slugs are read at once, unless a topic alias
        # or a path written at two depths (a name holding " > ") could make
        # what one level writes change what the next level reads.
        rows = taken = None
        if len(set(paths)) == len(paths) and "topic" not in self._alias_kinds():
            rows = self._rows_by(Topic, "path", paths)
            taken = self._slug_owners([Topic.slug_for_path(p) for p in paths])
        for depth in sorted(by_depth):
            level = [_TopicRow(e, order) for order, e in by_depth[depth]]

            def values(row):
                parent_id = self.topic_ids.get(_join(row.entry.path[:-1]))
                written = self.written.get("topics", {})
                return {
                    "name": row.entry.path[-1],
                    "parent_id": parent_id,
                    # Below the parent the row resolved to (an editor may have
                    # moved it), not the depth the list's path suggests.
                    "depth": written[parent_id][0] + 1 if parent_id else 0,
                    "order": row.order,
                    "description": row.entry.description or "",
                    "slug": row.slug + row.slug_suffix,
                }

            self._ensure_unique_slugs(level, taken)
            ids = self._upsert(
                "topics",
                Topic,
                "path",
                level,
                values,
                create_only=("slug", "depth"),
                # The rows as written: depth, slug and path.
                remember=lambda row: (row["depth"], row["slug"], row["path"]),
                rows=None
                if rows is None
                else {r.path: rows[r.path] for r in level if r.path in rows},
            )
            self.topic_ids.update(ids)
            if taken is not None:
                # The slugs this level wrote are taken for the next levels.
                written = self.written["topics"]
                taken.update(written[pk][1:] for pk in ids.values())
        self._add_sources(
            "topic", ((self.topic_ids[_join(e.path)], e.line) for e in entries)
        )

    def _slug_owners(self, slugs: list[str]) -> dict[str, str]:
        """{slug: path} of the topics that hold these slugs."""
        owners = {}
        for chunk in _chunks(slugs):
            owners.update(
                Topic.objects.using(self.using)
                .filter(slug__in=chunk)
                .values_list("slug", "path")
            )
        return owners

    def _ensure_unique_slugs(self, rows, taken: dict[str, str] | None) -> None:
        """Suffix the slug of a new topic whose slug another path holds;
        ``taken`` gives the holders, read beforehand, or None to read them."""
        if taken is None:
            taken = self._slug_owners(list({r.slug for r in rows}))
        for row in rows:
            owner = taken.get(row.slug)
            if owner is not None and owner != row.path:
                row.slug_suffix = "-" + hashlib.sha1(row.path.encode()).hexdigest()[:6]

    def _papers(self) -> None:
        topics = Paper._meta.get_field("topics")
        for entries in _chunks(self.parsed.papers):
            existing = {}
            ids = self._upsert(
                "papers",
                Paper,
                "key",
                entries,
                _paper_values,
                fill_only=("url", "alt_urls"),
                rows_out=existing,
            )
            self._merge_alt_urls(entries, ids, existing)
            # In the list's order: _new_documents walks both together.
            for entry in entries:
                self.paper_ids[entry.key] = ids[entry.key]
            self._add_topics(topics, entries, ids, "key")
            self._add_sources("paper", _lines_of(entries, ids, "key"))
            self._advance(len(entries))

    def _merge_alt_urls(self, entries, ids: dict, existing: dict[str, dict]) -> None:
        """Every URL a list wrote a paper with is kept, whichever list came first.

        ``existing`` holds the papers that existed, as written, by the key the
        list gave (a row found through an alias keeps its own key).
        """
        # A paper this import created holds exactly the list's URLs already.
        created = self.created[Paper]
        wanted = {
            e.key: {e.url, *e.alt_urls} for e in entries if ids[e.key] not in created
        }
        to_update = []
        for key, urls in wanted.items():
            row = existing.get(key)
            if row is None or row["key"] != key:
                continue
            alt_urls = row["alt_urls"]
            extra = sorted(urls - {row["url"], *alt_urls})
            if extra:
                to_update.append({"id": row["id"], "alt_urls": [*alt_urls, *extra]})
        self.writer.update(Paper, to_update, ["alt_urls"])

    def _repositories(self) -> None:
        def values(entry):
            row = {
                "host": entry.host,
                "owner": entry.owner,
                "name": entry.name,
                "url": entry.url,
            }
            # An unknown framework never overwrites a known one.
            if entry.framework and entry.framework in Framework.values:
                row["framework"] = entry.framework
            return row

        topics = Repository._meta.get_field("topics")
        papers = Repository._meta.get_field("papers")
        for entries in _chunks(self.parsed.repositories):
            ids = self._upsert(
                "repositories",
                Repository,
                "key",
                entries,
                values,
                fill_only=("url",),
                remember=lambda row: f"{row['owner']} {row['name']}",
            )
            names = self.written.pop("repositories")
            self._add_topics(topics, entries, ids, "key")
            pairs = set()
            for e in entries:
                for key in e.papers:
                    paper_id = self.paper_ids.get(key)
                    if paper_id is not None:
                        pairs.add((ids[e.key], paper_id))
            written = self._add_m2m(papers, pairs)
            self._remember_extras(
                "repositories", ((r, p, names[r]) for r, p in written)
            )
            self._add_sources("repository", _lines_of(entries, ids, "key"))
            self._advance(len(entries))

    def _translations(self) -> None:
        def values(entry):
            return {
                "paper_id": self.paper_ids[entry.paper],
                "language": entry.language,
                "title": (entry.title or "")[:1000],
            }

        for chunk in _chunks(self.parsed.translations):
            entries = [e for e in chunk if e.paper in self.paper_ids]
            ids = self._upsert(
                "translations",
                Translation,
                "url",
                entries,
                values,
                remember=lambda row: (row["paper_id"], row["title"]),
            )
            written = self.written.pop("translations", {})
            self._remember_extras(
                "translations",
                ((pk, paper_id, title) for pk, (paper_id, title) in written.items()),
            )
            self._add_sources("translation", ((ids[e.url], e.line) for e in entries))
            self._advance(len(chunk))

    def _links(self) -> None:
        def values(entry):
            paper_id = self.paper_ids.get(entry.paper) if entry.paper else None
            return {
                "title": (entry.title or "")[:1000],
                "kind": entry.kind if entry.kind in LinkKind.values else LinkKind.LINK,
                "paper_id": paper_id,
            }

        topics = Link._meta.get_field("topics")
        for entries in _chunks(self.parsed.links):
            ids = self._upsert("links", Link, "url", entries, values)
            self._add_topics(topics, entries, ids, "url")
            self._add_sources("link", _lines_of(entries, ids, "url"))
            self._advance(len(entries))

    def _advance(self, entries: int) -> None:
        self.done += entries
        if self.on_progress:
            self.on_progress(self.done, self.total)

    def _remember_extras(self, kind: str, rows) -> None:
        """Keep (row id, text) of repositories or translations written for a
        paper this import created, for the paper's search document."""
        created = self.created.get(Paper, IdSet())
        for pk, paper_id, text in rows:
            if paper_id in created and text:
                key = str(paper_id)
                extras = self.extras.get(key) or {}
                extras.setdefault(kind, []).append((pk, text))
                self.extras[key] = extras

    def _index_search(self) -> None:
        created = self.created.get(Paper, IdSet())
        # Papers that existed may have translations and code from other lists
        # or editors: their documents are read back from the database.
        index_documents(
            self._new_documents(created),
            using=self.using,
            rebuild=(pk for pk in self.paper_ids.values() if pk not in created),
        )
        # Cached pages die with this version, once the import has committed.
        transaction.on_commit(bump_catalog_version, using=self.using)

    def _new_documents(self, created: IdSet) -> Iterator[Document]:
        """Search documents of the papers this import created, from what it wrote
        (nothing else can point at them yet)."""
        # paper_ids holds the list's papers in its order: no lookup by key.
        papers = zip(self.parsed.papers, self.paper_ids.items(), strict=True)
        for entry, (key, pk) in papers:
            assert key == entry.key
            if pk not in created:
                continue
            extras = self.extras.get(str(pk)) or {}
            values = _paper_values(entry)
            yield document_of(
                pk,
                *(values[name] for name in PAPER_FIELDS[1:]),
                translations=[t for _, t in sorted(extras.get("translations", ()))],
                repositories=[r for _, r in sorted(extras.get("repositories", ()))],
            )


@dataclass
class _TopicRow:
    entry: object
    order: int
    slug_suffix: str = ""

    @cached_property
    def path(self) -> str:
        return _join(self.entry.path)

    @cached_property
    def slug(self) -> str:
        return Topic.slug_for_path(self.path)

    @property
    def line(self) -> int:
        return self.entry.line


MODELS = {m.__name__: m for m in (Topic, Paper, Repository, Translation, Link)}


def _paper_values(entry) -> dict:
    return {
        "title": entry.title[:1000],
        "short_name": (entry.short_name or "")[:200],
        "url": entry.url,
        "alt_urls": list(entry.alt_urls),
        "arxiv_id": entry.arxiv_id,
        "year": entry.year,
        "date": entry.date,
        "venue": entry.venue or "",
        "venue_year": entry.venue_year,
        "organisation": (entry.organisation or "")[:200],
        "notes": entry.notes or "",
    }


def _lines_of(entries, ids: dict, lookup: str) -> Iterator[tuple[int, int]]:
    """(row id, line) of every line an entry was written on."""
    for entry in entries:
        pk = ids[getattr(entry, lookup)]
        for line in entry.lines or (entry.line,):
            yield pk, line


def _jsonable(value):
    if value is None or isinstance(value, bool | int | float | str | list | dict):
        return value
    return str(value)


def _same(current, value) -> bool:
    if isinstance(current, list | tuple) and isinstance(value, list | tuple):
        return list(current) == list(value)
    return current == value


def _empty(value) -> bool:
    return value is None or value == "" or value == [] or value == ()


def _label(obj) -> str:
    for attr in ("key", "path", "url"):
        if hasattr(obj, attr):
            return str(getattr(obj, attr))
    return str(obj)
