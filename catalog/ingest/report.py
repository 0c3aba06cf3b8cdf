"""What an import did and how it goes: per-list reports, the run's result,
and the reporter that shows progress and the summary table (rich)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, TextColumn
from rich.progress import Progress as ProgressBar
from rich.table import Table

from catalog.ingest.parsing import ParseWarning

KINDS = ("topics", "papers", "repositories", "translations", "links")
# More warnings than this for one list are summed up unless -v 2.
WARNINGS_LISTED = 20


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


@dataclass(frozen=True)
class AutoMerge:
    """A list's paper found to be another version (arXiv or published) of
    a paper another list holds, and made one with it (catalog.ingest.versions)."""

    line: int
    key: str  # the list's key
    other: str  # the other version's key
    into: str  # the key of the one record now
    title: str


@dataclass
class ListReport:
    path: str
    title: str = ""
    counts: dict[str, Counts] = field(
        default_factory=lambda: {k: Counts() for k in KINDS}
    )
    conflicts: list[Conflict] = field(default_factory=list)
    merges: list[AutoMerge] = field(default_factory=list)
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

    @property
    def merges(self) -> int:
        return sum(len(r.merges) for r in self.reports)


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


class Reporter:
    """Hears how an import goes. This one ignores it; subclasses show it.

    ``counts_entries``: the importer counts a list's entries before writing
    them only for a reporter that shows them."""

    counts_entries = False

    def update(self, progress: Progress) -> None:
        """A list begun (done and total 0), or a batch of its entries written."""

    def close(self) -> None:
        """The run is over: take any display down."""


class ListProgress:
    """One list's progress, told to the run's reporter as entries are written."""

    def __init__(self, reporter: Reporter, where: Progress):
        self.reporter = reporter
        self.where = where

    @property
    def counts_entries(self) -> bool:
        return self.reporter.counts_entries

    def entries_written(self, done: int, total: int) -> None:
        where = self.where
        self.reporter.update(
            Progress(where.path, where.index, where.lists, done, total)
        )


class ConsoleReporter(Reporter):
    """A progress bar on a terminal: lists done, the current list's path and
    its entries written; cleared when the run ends."""

    counts_entries = True

    def __init__(self, stream: TextIO):
        console = Console(file=stream, force_terminal=True, highlight=False)
        self.bar = ProgressBar(
            BarColumn(),
            TextColumn("{task.fields[lists]} lists ·"),
            MofNCompleteColumn(),
            # Last: on a narrow terminal the path is what gets cut.
            TextColumn("entries · {task.fields[path]}"),
            console=console,
            transient=True,
            auto_refresh=False,
        )
        self.task = None

    def update(self, progress: Progress) -> None:
        fields = {
            "completed": progress.done,
            "total": progress.total or None,
            "lists": f"{progress.index + 1}/{progress.lists}",
            "path": progress.path,
        }
        if self.task is None:
            self.task = self.bar.add_task("import", **fields)
            self.bar.start()
        else:
            self.bar.update(self.task, **fields)
        self.bar.refresh()

    def close(self) -> None:
        if self.task is not None:
            self.bar.stop()
            self.task = None


def summary_table(result: ImportResult, *, verbosity: int = 1) -> str:
    """Per list and kind created/updated/unchanged, conflicts and warnings,
    then the details: errors, conflicts, entries gone, warnings, totals."""
    out = io.StringIO()
    # Wide enough never to wrap or cut a path: the table is read in logs too.
    console = Console(file=out, width=10_000, color_system=None, highlight=False)
    console.print(_table(result), markup=False)
    for line in _details(result, verbosity=verbosity):
        console.print(line, markup=False, soft_wrap=True)
    # Rich pads the caption to the table's width: no trailing blanks in logs.
    return "\n".join(line.rstrip() for line in out.getvalue().splitlines())


def _table(result: ImportResult) -> Table:
    table = Table(caption="(created/updated/unchanged)", caption_justify="left")
    for name in ["list", *KINDS, "conflicts", "warnings"]:
        table.add_column(name, no_wrap=True)
    for report in result.reports:
        if report.error:
            table.add_row(report.path, "ERROR")
            continue
        cells = [
            f"{c.created}/{c.updated}/{c.unchanged}" for c in report.counts.values()
        ]
        table.add_row(
            report.path, *cells, str(len(report.conflicts)), str(len(report.warnings))
        )
    return table


def _details(result: ImportResult, *, verbosity: int) -> list[str]:
    lines = []
    for report in result.reports:
        lines += _list_details(report, verbosity=verbosity)
    total = f"{result.created} created, {result.updated} updated"
    if result.merges:
        total += f", {result.merges} papers merged with their other version"
    lines.append(("dry run, nothing written: " if result.dry_run else "") + total)
    return lines


def _merge_lines(report: ListReport) -> list[str]:
    return [
        f"merged: {report.path}:{merge.line} {merge.key} and {merge.other} "
        f"are one paper ({merge.title!r}): kept as {merge.into} "
        "(an editor can split them in the admin)"
        for merge in report.merges
    ]


def _list_details(report: ListReport, *, verbosity: int) -> list[str]:
    lines = [f"error: {report.error}"] if report.error else []
    for conflict in report.conflicts:
        lines.append(
            f"conflict: {report.path}:{conflict.line} {conflict.entity} "
            f"{conflict.key} {conflict.field}: curated {conflict.curated_value!r}, "
            f"list says {conflict.list_value!r} (kept the curated value)"
        )
    lines += _merge_lines(report)
    for label in report.missing:
        state = "pruned" if label in report.pruned else "kept (use --prune to remove)"
        lines.append(f"gone from {report.path}: {label}: {state}")
    if verbosity >= 2 or len(report.warnings) <= WARNINGS_LISTED:
        lines += [
            f"warning: {report.path}:{w.line}: {w.message}" for w in report.warnings
        ]
    else:
        lines.append(
            f"{len(report.warnings)} warnings in {report.path} (-v 2 lists them)"
        )
    if report.unchanged_file and not report.changed:
        lines.append(f"{report.path}: unchanged since the last import; nothing to do")
    return lines
