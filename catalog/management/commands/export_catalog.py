"""Write the whole catalog: the full JSON dump, or an awesome-style markdown list."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from catalog.exports import dump


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
            "--database", default=DEFAULT_DB_ALIAS, help="Database alias."
        )

    def handle(self, *args, **options):
        using = options["database"]
        if options["format"] == "json":
            if options["list_name"] or options["topic"]:
                raise CommandError("--list and --topic apply to --format markdown.")
            self.stdout.ending = ""  # the dump writes its own line ends
            dump.write_dump(self.stdout, using=using)
            return
        self._markdown(using, options)

    def _markdown(self, using, options):
        raise CommandError("not yet")
