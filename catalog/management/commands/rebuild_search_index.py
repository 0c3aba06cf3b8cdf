"""Rebuild the full-text search index (documents and suggestion vocabulary)."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from catalog.fulltext.backends import is_supported
from catalog.search import index_papers, reindex_all


class Command(BaseCommand):
    help = (
        "Rebuild the search documents of every paper (or of the given paper "
        "ids) and the vocabulary of 'did you mean' suggestions. A full rebuild "
        "runs in one transaction: searches keep using the old index until it "
        "commits."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "ids", nargs="*", type=int, help="Paper ids (default: all papers)."
        )
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help='Database alias (default: "default").',
        )

    def handle(self, *args, ids, database, verbosity, **options):
        if not is_supported(database):
            raise CommandError(
                f"Database {database!r} is neither PostgreSQL nor SQLite."
            )
        started = time.monotonic()
        if ids:
            count = index_papers(ids, using=database)
        else:

            def progress(done):
                if verbosity > 1:
                    self.stderr.write(f"  {done:,} papers", ending="\r")

            count = reindex_all(using=database, progress=progress)
        elapsed = time.monotonic() - started
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(f"Indexed {count:,} papers in {elapsed:.1f}s.")
            )
