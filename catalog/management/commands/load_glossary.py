"""Add the search glossary's shipped terms a database lacks."""

from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS

from catalog.search.glossary import load_glossary


class Command(BaseCommand):
    help = (
        "Add the terms of the shipped search glossary (catalog/search/data/"
        "glossary.tsv) that the database lacks, e.g. after `flush`. Terms "
        "editors changed are left as they are."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help='Database alias (default: "default").',
        )

    def handle(self, *args, database, verbosity, **options):
        added = load_glossary(using=database)
        if verbosity:
            self.stdout.write(f"Added {added} glossary terms.")
