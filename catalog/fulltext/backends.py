"""Where the search documents live and how they are matched, per database.

* PostgreSQL: ``catalog_papersearch.vector`` (tsvector, GIN index), built with
  ``setweight(to_tsvector('english', ...), 'A'|'B'|'C')`` and ranked with
  ``ts_rank``;
* SQLite: the FTS5 table ``catalog_paper_fts(title, secondary, body)``
  (``porter unicode61``, rowid = paper id), ranked with ``bm25``.

Both find the title words (``catalog_searchterm``) most like a typed word by
their trigrams (``similar_terms``): PostgreSQL with pg_trgm's GIN index,
SQLite with an FTS5 ``trigram`` table of the same words kept by triggers.

Both keep ``catalog_papersearch.document`` (the analyzed text) up to date, and
both filter a Paper queryset with an ``id IN (subquery)`` and rank it with a
correlated subquery on the ORM's own alias of the paper id, so the result is
an ordinary queryset: it chains, counts, paginates and nests.
"""

from __future__ import annotations

from django.db import NotSupportedError, connections

from catalog.fulltext.base import Document, Scored, SearchBackend, Similar
from catalog.fulltext.postgres import PG_CONFIG, PG_WEIGHTS, PostgresBackend
from catalog.fulltext.sqlite import SqliteBackend

__all__ = [
    "PG_CONFIG",
    "PG_WEIGHTS",
    "Document",
    "Scored",
    "SearchBackend",
    "Similar",
    "get_backend",
    "is_supported",
]


BACKENDS: dict[str, type[SearchBackend]] = {
    PostgresBackend.vendor: PostgresBackend,
    SqliteBackend.vendor: SqliteBackend,
}


def get_backend(using: str = "default") -> SearchBackend:
    """The search backend of a database alias (by its vendor)."""
    connection = connections[using]
    try:
        backend = BACKENDS[connection.vendor]
    except KeyError:
        raise NotSupportedError(
            f"Full-text search supports PostgreSQL and SQLite, not "
            f"{connection.vendor} (database {using!r})."
        ) from None
    return backend(connection)


def is_supported(using: str = "default") -> bool:
    return connections[using].vendor in BACKENDS
