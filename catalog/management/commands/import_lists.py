"""Import markdown reading lists into the catalog (see README, "Loading lists")."""

import sys

from django.core.management.base import BaseCommand, CommandError

from catalog.ingest.importer import KINDS, import_reading_lists


class Command(BaseCommand):
    help = (
        "Import reading lists: files, directories (.md/.markdown/.txt, recursively) "
        "or - for standard input. Each list applies whole or not at all."
    )
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="List files, directories or -.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Show what would change; write nothing.",
        )
        parser.add_argument(
            "--prune",
            action="store_true",
            help="Delete entries gone from a list that no other list or editor holds.",
        )

    def handle(self, *args, **options):
        show_progress = options["verbosity"] >= 1 and sys.stderr.isatty()
        result = import_reading_lists(
            paths=options["paths"],
            dry_run=options["dry_run"],
            prune=options["prune"],
            stdin=options.get("stdin"),
            on_progress=self._progress if show_progress else None,
        )
        if show_progress:
            self.stderr.write("\r\033[K", style_func=str, ending="")
        if options["verbosity"] >= 1:
            self.stdout.write(format_report(result, verbosity=options["verbosity"]))
        if result.failed:
            paths = ", ".join(r.path for r in result.failed)
            raise CommandError(
                f"{len(result.failed)} list(s) failed ({paths}); "
                "nothing of them was written."
            )

    def _progress(self, progress):
        # Plain: a terminal's standard error is styled as errors otherwise.
        self.stderr.write(
            f"\r\033[K{progress_line(progress)}", style_func=str, ending=""
        )
        self.stderr.flush()


def progress_line(progress, width=24):
    """``[#####-----] 3/23 lists · path · 5,000/13,334 entries``."""
    filled = round(progress.fraction * width)
    line = (
        f"[{'#' * filled}{'-' * (width - filled)}] "
        f"{progress.index + 1}/{progress.lists} lists · {progress.path}"
    )
    if progress.total:
        line += f" · {progress.done:,}/{progress.total:,} entries"
    return line


def format_report(result, *, verbosity=1):
    """The summary table: per list and kind, created/updated/unchanged, then details."""
    head = ["list", *KINDS, "conflicts", "warnings"]
    rows = []
    for report in result.reports:
        if report.error:
            rows.append([report.path, "ERROR"] + [""] * (len(head) - 2))
            continue
        cells = [
            f"{c.created}/{c.updated}/{c.unchanged}" for c in report.counts.values()
        ]
        rows.append(
            [report.path, *cells, str(len(report.conflicts)), str(len(report.warnings))]
        )
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
    lines = [
        "  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True))
        for r in [head, *rows]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.append("(created/updated/unchanged)")
    for report in result.reports:
        if report.error:
            lines.append(f"error: {report.error}")
        for conflict in report.conflicts:
            lines.append(
                f"conflict: {report.path}:{conflict.line} {conflict.entity} "
                f"{conflict.key} {conflict.field}: curated {conflict.curated_value!r}, "
                f"list says {conflict.list_value!r} (kept the curated value)"
            )
        for label in report.missing:
            state = (
                "pruned" if label in report.pruned else "kept (use --prune to remove)"
            )
            lines.append(f"gone from {report.path}: {label}: {state}")
        if verbosity >= 2 or len(report.warnings) <= 20:
            lines += [
                f"warning: {report.path}:{w.line}: {w.message}" for w in report.warnings
            ]
        else:
            lines.append(
                f"{len(report.warnings)} warnings in {report.path} (-v 2 lists them)"
            )
        if report.unchanged_file and not report.changed:
            lines.append(
                f"{report.path}: unchanged since the last import; nothing to do"
            )
    total = f"{result.created} created, {result.updated} updated"
    lines.append(("dry run, nothing written: " if result.dry_run else "") + total)
    return "\n".join(lines)
