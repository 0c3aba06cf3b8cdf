"""Restore a full dump (`export_catalog --format json`) into an empty database."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from catalog.ingest.restore import RestoreError, restore_dump


class Command(BaseCommand):
    help = (
        "Restore a catalog dump (JSON or gzip, as `export_catalog` and /data/ "
        "give it) into an empty database, in one transaction."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The dump: .json or .json.gz.")
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help="Database alias."
        )

    def handle(self, *args, file, database, verbosity, **options):
        try:
            result = restore_dump(file, using=database)
        except (RestoreError, FileNotFoundError) as error:
            raise CommandError(str(error)) from None
        if verbosity:
            counts = ", ".join(f"{n:,} {name}" for name, n in result.counts.items())
            self.stdout.write(self.style.SUCCESS(f"Restored {counts}."))
