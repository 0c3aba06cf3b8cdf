"""Where the search documents live and how they are matched, per database.

* PostgreSQL: ``catalog_papersearch.vector`` (tsvector, GIN index), built with
  ``setweight(to_tsvector('english', ...), 'A'|'B'|'C')`` and ranked with
  ``ts_rank_cd``;
* SQLite: the FTS5 table ``catalog_paper_fts(title, secondary, body)``
  (``porter unicode61``, rowid = paper id), ranked with ``bm25``.

Both keep ``catalog_papersearch.document`` (the analyzed text) up to date, and
both filter a Paper queryset with an ``id IN (subquery)`` and rank it with a
correlated subquery on the ORM's own alias of the paper id, so the result is
an ordinary queryset: it chains, counts, paginates and nests.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from sqlite3 import dbapi2 as Database

from django.db import NotSupportedError, connections
from django.db.models import Expression, F, FloatField, Value
from django.db.models.expressions import RawSQL

from catalog.search.analyzer import (
    SearchQuery,
    render_fts5,
    render_fts5_excluded,
    render_tsquery,
    render_tsquery_excluded,
)

DOCUMENT_TABLE = "catalog_papersearch"
FTS_TABLE = "catalog_paper_fts"
PG_CONFIG = "english"
# ts_rank weights, in PostgreSQL's order {D, C, B, A}.
PG_WEIGHTS = "{0.05, 0.2, 0.4, 1.0}"
# bm25 weights of the FTS5 columns title (A), secondary (B), body (C).
FTS_WEIGHTS = "10.0, 4.0, 1.0"


@dataclass(frozen=True)
class Document:
    """A paper's analyzed text by weight: A title, B secondary, C body."""

    paper_id: int
    title: str
    secondary: str
    body: str

    @property
    def text(self) -> str:
        """What ``PaperSearch.document`` stores: one line per weight."""
        return f"{self.title}\n{self.secondary}\n{self.body}"


class SearchRank(Expression):
    """``(correlated subquery)`` on the current query's alias of the paper id.

    ``sql`` holds ``%s`` placeholders for ``params`` and ends with the paper
    id's place, written ``__PAPER_ID__``. The id is compiled by the ORM, so the
    expression keeps working when the queryset is relabeled as a subquery.
    """

    output_field = FloatField()
    PLACEHOLDER = "__PAPER_ID__"

    def __init__(self, sql: str, params: Sequence, paper_id=None):
        super().__init__(output_field=FloatField())
        self.sql = sql
        self.params = tuple(params)
        self.paper_id = paper_id if paper_id is not None else F("pk")

    def get_source_expressions(self):
        return [self.paper_id]

    def set_source_expressions(self, exprs):
        (self.paper_id,) = exprs

    def as_sql(self, compiler, connection):
        id_sql, id_params = compiler.compile(self.paper_id)
        before, after = self.sql.split(self.PLACEHOLDER)
        return f"{before}{id_sql}{after}", [*self.params, *id_params]


class SearchBackend:
    """Writes documents to, and matches queries against, one database."""

    vendor = ""

    def __init__(self, connection):
        self.connection = connection

    # -- reading ---------------------------------------------------------------------

    def search(self, queryset, query: SearchQuery):
        """``queryset`` filtered to ``query``, ranked as ``search_rank``.

        Matches are ordered by rank (higher is better), then id. A query with
        only exclusions keeps the papers without them, unranked (rank 0, the
        queryset's own order); an empty query filters nothing.
        """
        positive = self.match_expression(query)
        if positive:
            return (
                queryset.filter(pk__in=self.matching_ids(positive))
                .annotate(search_rank=self.rank(positive))
                .order_by("-search_rank", "pk")
            )
        excluded = self.excluded_expression(query)
        if excluded:
            queryset = queryset.exclude(pk__in=self.matching_ids(excluded))
        return queryset.annotate(search_rank=Value(0.0, output_field=FloatField()))

    def match_expression(self, query: SearchQuery) -> str:
        raise NotImplementedError

    def excluded_expression(self, query: SearchQuery) -> str:
        raise NotImplementedError

    def matching_ids(self, expression: str) -> RawSQL:
        raise NotImplementedError

    def rank(self, expression: str) -> Expression:
        raise NotImplementedError

    # -- writing ---------------------------------------------------------------------

    def write(self, documents: Sequence[Document]) -> None:
        """Insert or replace the documents (one or two queries)."""
        raise NotImplementedError

    def delete(self, paper_ids: Sequence[int]) -> None:
        """Remove the documents of these papers, if any."""
        raise NotImplementedError

    def delete_orphans(self) -> None:
        """Remove index rows whose paper no longer exists."""


class PostgresBackend(SearchBackend):
    vendor = "postgresql"

    def match_expression(self, query):
        return render_tsquery(query)

    def excluded_expression(self, query):
        return render_tsquery_excluded(query)

    def matching_ids(self, expression):
        return RawSQL(
            f"SELECT paper_id FROM {DOCUMENT_TABLE} "
            f"WHERE vector @@ to_tsquery('{PG_CONFIG}', %s)",
            [expression],
        )

    def rank(self, expression):
        return SearchRank(
            f"(SELECT ts_rank_cd('{PG_WEIGHTS}', s.vector, "
            f"to_tsquery('{PG_CONFIG}', %s), 1) "
            f"FROM {DOCUMENT_TABLE} s WHERE s.paper_id = {SearchRank.PLACEHOLDER})",
            [expression],
        )

    def write(self, documents):
        if not documents:
            return
        config = PG_CONFIG
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"""
                INSERT INTO {DOCUMENT_TABLE} (paper_id, document, vector)
                SELECT d.id, d.document,
                       setweight(to_tsvector('{config}', d.a), 'A')
                       || setweight(to_tsvector('{config}', d.b), 'B')
                       || setweight(to_tsvector('{config}', d.c), 'C')
                FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[],
                            %s::text[]) AS d(id, document, a, b, c)
                ON CONFLICT (paper_id) DO UPDATE
                SET document = EXCLUDED.document, vector = EXCLUDED.vector
                """,
                [
                    [d.paper_id for d in documents],
                    [d.text for d in documents],
                    [d.title for d in documents],
                    [d.secondary for d in documents],
                    [d.body for d in documents],
                ],
            )

    def delete(self, paper_ids):
        if not paper_ids:
            return
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {DOCUMENT_TABLE} WHERE paper_id = ANY(%s::bigint[])",
                [list(paper_ids)],
            )


class SqliteBackend(SearchBackend):
    vendor = "sqlite"

    def match_expression(self, query):
        return render_fts5(query)

    def excluded_expression(self, query):
        return render_fts5_excluded(query)

    def matching_ids(self, expression):
        return RawSQL(
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [expression]
        )

    def rank(self, expression):
        # The ranked matches are a materialized CTE: computed once per
        # statement, then looked up by paper id through an automatic index.
        # Matching per paper (or a subquery SQLite flattens back into one)
        # would rescan the full-text index for every row.
        return SearchRank(
            f"(WITH ranked AS {self.materialized} (SELECT rowid AS paper_id, "
            f"-bm25({FTS_TABLE}, {FTS_WEIGHTS}) AS rank FROM {FTS_TABLE} "
            f"WHERE {FTS_TABLE} MATCH %s) SELECT ranked.rank FROM ranked "
            f"WHERE ranked.paper_id = {SearchRank.PLACEHOLDER})",
            [expression],
        )

    @property
    def materialized(self) -> str:
        # "AS MATERIALIZED" exists since SQLite 3.35.
        return "MATERIALIZED" if Database.sqlite_version_info >= (3, 35) else ""

    def write(self, documents):
        if not documents:
            return
        with self.connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {DOCUMENT_TABLE} (paper_id, document) VALUES (%s, %s) "
                "ON CONFLICT (paper_id) DO UPDATE SET document = excluded.document",
                [(d.paper_id, d.text) for d in documents],
            )
            cursor.executemany(
                f"DELETE FROM {FTS_TABLE} WHERE rowid = %s",
                [(d.paper_id,) for d in documents],
            )
            cursor.executemany(
                f"INSERT INTO {FTS_TABLE} (rowid, title, secondary, body) "
                "VALUES (%s, %s, %s, %s)",
                [(d.paper_id, d.title, d.secondary, d.body) for d in documents],
            )

    def delete(self, paper_ids):
        if not paper_ids:
            return
        rows = [(paper_id,) for paper_id in paper_ids]
        with self.connection.cursor() as cursor:
            cursor.executemany(
                f"DELETE FROM {DOCUMENT_TABLE} WHERE paper_id = %s", rows
            )
            cursor.executemany(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", rows)

    def delete_orphans(self):
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {FTS_TABLE} WHERE rowid NOT IN "
                "(SELECT id FROM catalog_paper)"
            )


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
