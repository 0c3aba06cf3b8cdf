"""Import markdown reading lists into the catalog (see README, "Loading lists")."""

import sys

from django.core.management.base import BaseCommand, CommandError

from catalog.ingest.importer import import_reading_lists
from catalog.ingest.report import ConsoleReporter, Reporter, summary_table


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
        verbosity = options["verbosity"]
        # Progress only on a terminal: a CI log gets the summary alone.
        on_terminal = verbosity >= 1 and sys.stderr.isatty()
        result = import_reading_lists(
            paths=options["paths"],
            dry_run=options["dry_run"],
            prune=options["prune"],
            stdin=options.get("stdin"),
            reporter=ConsoleReporter(self.stderr) if on_terminal else Reporter(),
        )
        if verbosity >= 1:
            self.stdout.write(summary_table(result, verbosity=verbosity))
        if result.failed:
            paths = ", ".join(r.path for r in result.failed)
            raise CommandError(
                f"{len(result.failed)} list(s) failed ({paths}); "
                "nothing of them was written."
            )
