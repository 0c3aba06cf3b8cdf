"""One writer of the catalog at a time: an editor's change waits for an import."""

from __future__ import annotations

from django.db import connections, router

from catalog.kinds import IMPORT_LOCK_KEY


def wait_for_import(model) -> None:
    """Wait for a running import (its advisory lock) on PostgreSQL."""
    connection = connections[router.db_for_write(model)]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK_KEY])
