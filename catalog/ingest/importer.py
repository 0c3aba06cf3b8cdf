"""Write parsed reading lists to the database: one transaction per list.

``import_reading_lists(paths=[...])`` reads, parses and upserts every list; it
never prints (a Reporter hears how it goes). Entities are matched on their
canonical keys (paper key, repository key, URL), so importing the same list
twice changes nothing. How each kind of record becomes a row is its KindSpec
(catalog.ingest.specs); the generic upsert is catalog.ingest.upsert.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from django.db import IntegrityError, OperationalError, connections, transaction

from catalog.ingest import parsing
from catalog.ingest.ahead import parsed_lists
from catalog.ingest.parsing import ParsedList
from catalog.ingest.provenance import Provenance
from catalog.ingest.reading import LIST_SUFFIXES, iter_list_paths, read_list
from catalog.ingest.report import (
    KINDS,
    Conflict,
    Counts,
    ImportResult,
    ListProgress,
    ListReport,
    Progress,
    Reporter,
)
from catalog.ingest.specs import ImportState
from catalog.ingest.steps import ListSteps
from catalog.kinds import IMPORT_LOCK_KEY
from catalog.search import refresh_postings
from catalog.search.expansion import glossary_pinned

__all__ = [
    "KINDS",
    "LIST_SUFFIXES",
    "Conflict",
    "Counts",
    "ImportResult",
    "ListImporter",
    "ListReport",
    "Progress",
    "Reporter",
    "import_parsed_list",
    "import_reading_lists",
    "iter_list_paths",
    "read_list",
]


class _DryRunRollback(Exception):
    """Raised inside the transaction to undo a dry run."""


def import_reading_lists(
    *,
    paths: Iterable[str | Path],
    dry_run: bool = False,
    prune: bool = False,
    using: str = "default",
    stdin=None,
    reporter: Reporter | None = None,
) -> ImportResult:
    """Import every list under ``paths``, one at a time; each applies whole
    or not at all. ``reporter`` hears of each list begun and each batch of
    it written."""
    reporter = reporter or Reporter()
    result = ImportResult(dry_run=dry_run)
    paths = list(iter_list_paths(paths))
    try:
        # The glossary, read once for the run (no import changes it).
        with glossary_pinned():
            for index, item in enumerate(parsed_lists(paths, stdin=stdin)):
                path = item.path
                reporter.update(Progress(str(path), index, len(paths)))
                report = ListReport(path=str(path))
                result.reports.append(report)
                if item.error is not None:
                    report.error = str(item.error)
                    continue
                report.path = item.read.name if path == "-" else str(path)
                import_parsed_list(
                    item.parsed,
                    digest=item.read.sha256,
                    dry_run=dry_run,
                    prune=prune,
                    using=using,
                    report=report,
                    progress=ListProgress(
                        reporter, Progress(report.path, index, len(paths))
                    ),
                )
                del item  # one list's records at a time (and the next's, parsed ahead)
        if not dry_run and any(report.error is None for report in result.reports):
            refresh_postings(using)
    finally:
        reporter.close()
    return result


def import_parsed_list(
    parsed: ParsedList,
    *,
    digest: str = "",
    dry_run: bool = False,
    prune: bool = False,
    using: str = "default",
    report: ListReport | None = None,
    progress: ListProgress | None = None,
) -> ListReport:
    """Write one parsed list in one transaction and report what changed."""
    report = report or ListReport(path=parsed.name)
    report.title = parsed.title or ""
    report.warnings = list(parsed.warnings)
    importer = ListImporter(
        parsed, digest, report, prune=prune, using=using, progress=progress
    )
    _import_with_retry(importer, dry_run=dry_run)
    return report


def _import_with_retry(importer: ListImporter, *, dry_run: bool, attempts=3) -> None:
    report = importer.report
    for attempt in range(attempts):
        try:
            with transaction.atomic(using=importer.using):
                _lock(importer.using)
                with parsing.gc_paused():
                    importer.run()
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
            # A list's commit need not wait for its WAL to reach the disk
            # (an fsync per list): a crash in the moment after it may lose
            # that list, never half of it, and importing again restores it.
            cursor.execute("SET LOCAL synchronous_commit = off")


class ListImporter:
    """Upserts one parsed list inside the caller's transaction: the reading
    list and its old provenance, each kind of record in turn (ListSteps),
    then what went missing, the conflicts and the search documents."""

    def __init__(
        self,
        parsed: ParsedList,
        digest: str,
        report: ListReport,
        *,
        prune: bool,
        using: str,
        progress: ListProgress | None = None,
    ):
        self.parsed = parsed
        self.digest = digest
        self.report = report
        self.prune = prune
        self.using = using
        self.progress = progress or ListProgress(
            Reporter(), Progress(report.path, 0, 1)
        )

    def run(self) -> None:
        # Fresh each attempt: a retried import starts from nothing.
        state = ImportState()
        provenance = Provenance(self.parsed, self.report, state, using=self.using)
        provenance.begin(self.digest)
        steps = ListSteps(self.parsed, self.report, state, provenance, self.progress)
        steps.topics()
        steps.papers()
        steps.repositories()
        steps.translations()
        steps.links()
        provenance.report_missing(prune=self.prune)
        provenance.save_conflicts()
        steps.index_search()
