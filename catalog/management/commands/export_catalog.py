"""Write the whole catalog: the full JSON dump, or an awesome-style markdown list."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from catalog.exports import dump
from catalog.exports.listing import UnknownSelection, write_every_list, write_list


class Command(BaseCommand):
    help = (
        "Export the whole catalog: --format json (default) writes the full dump "
        "(every record with its provenance, curated fields, conflicts, aliases, "
        "redirects; `import_catalog` restores it), --format markdown a reading "
        "list that `import_lists` reads back."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--format",
            choices=["json", "markdown"],
            default="json",
            help="Output format.",
        )
        parser.add_argument(
            "--list",
            dest="list_name",
            help="markdown: only the entries of this reading list (its path).",
        )
        parser.add_argument(
            "--topic", help="markdown: only this topic (a slug) and its subtopics."
        )
        parser.add_argument(
            "--output-dir",
            type=Path,
            help="markdown: write every reading list, each to a file of its "
            "own name in this directory.",
        )
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help="Database alias."
        )

    def handle(self, *args, **options):
        using = options["database"]
        if options["format"] == "json":
            if options["list_name"] or options["topic"] or options["output_dir"]:
                raise CommandError(
                    "--list, --topic and --output-dir apply to --format markdown."
                )
            self.stdout.ending = ""  # the dump writes its own line ends
            with dump.snapshot(using):
                dump.write_dump(self.stdout, using=using)
            return
        self._markdown(using, options)

    def _markdown(self, using, options):
        if options["output_dir"] is not None:
            if options["list_name"] or options["topic"]:
                raise CommandError("--output-dir writes every list, whole.")
            written = write_every_list(options["output_dir"], using=using)
            if options["verbosity"]:
                self.stderr.write(f"Wrote {len(written)} lists.")
            return
        self.stdout.ending = ""
        try:
            write_list(
                self.stdout,
                list_name=options["list_name"],
                topic_slug=options["topic"],
                using=using,
            )
        except UnknownSelection as error:
            raise CommandError(str(error)) from None
