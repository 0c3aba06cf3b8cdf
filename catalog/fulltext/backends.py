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

from collections.abc import Sequence
from dataclasses import dataclass
from sqlite3 import dbapi2 as Database

from django.db import NotSupportedError, connections
from django.db.models import BooleanField, Expression, F, FloatField, Value
from django.db.models.expressions import Col, RawSQL

from catalog.fulltext.analyzer import (
    SearchQuery,
    render_fts5,
    render_fts5_excluded,
    render_tsquery,
    render_tsquery_excluded,
)

DOCUMENT_TABLE = "catalog_papersearch"
FTS_TABLE = "catalog_paper_fts"
TERM_TABLE = "catalog_searchterm"
# SQLite: the title words' trigrams (FTS5, rowid = SearchTerm id) and its
# fts5vocab table of (trigram, rowid) rows; migration 0013 adds both.
TRIGRAM_TABLE = "catalog_searchterm_trigram"
TRIGRAM_ROWS = "catalog_searchterm_trigram_rows"
# PostgreSQL: documents on their way in (a temporary table, per session).
INCOMING_TABLE = "catalog_papersearch_incoming"
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


@dataclass(frozen=True)
class Similar:
    """What ``similar_terms`` keeps of the vocabulary for each word: at most
    ``limit`` words, a length within ``slack`` of the word's, sharing at
    least ``threshold`` of their trigrams (pg_trgm's ``similarity``)."""

    threshold: float
    limit: int
    slack: int


def trigrams(word: str) -> list[str]:
    """The word's trigrams as pg_trgm counts them: padded with two spaces in
    front and one behind, so the first and last letters weigh too."""
    padded = f"  {word} "
    return sorted({padded[i : i + 3] for i in range(len(padded) - 2)})


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
        expression = self.match_expression(query)
        if expression:
            return self.ranked_matches(queryset, expression).order_by(
                "-search_rank", "pk"
            )
        excluded = self.excluded_expression(query)
        if excluded:
            queryset = queryset.exclude(pk__in=self.matching_ids(excluded))
        return queryset.annotate(search_rank=Value(0.0, output_field=FloatField()))

    def match_expression(self, query: SearchQuery) -> str:
        """The query in the database's syntax ('' without terms or phrases)."""
        raise NotImplementedError

    def excluded_expression(self, query: SearchQuery) -> str:
        """What matches any excluded item ('' when nothing is excluded)."""
        raise NotImplementedError

    def matching_ids(self, expression: str) -> RawSQL:
        """A subquery of the ids of the papers matching ``expression``."""
        raise NotImplementedError

    def ranked_matches(self, queryset, expression: str):
        """``queryset`` filtered to ``expression``, annotated ``search_rank``."""
        raise NotImplementedError

    def scores(self, query: SearchQuery, *, ranked=True) -> list[tuple[int, float]]:
        """(paper id, rank) of every paper ``query`` matches, read from the
        documents alone: the rank ``search()`` gives, or 0 unless ``ranked``
        (ranking is most of the cost of a common query); none for a query
        without terms or phrases."""
        expression = self.match_expression(query)
        if not expression:
            return []
        rank = self.rank_sql if ranked else "0"
        with self.connection.cursor() as cursor:
            cursor.execute(self.scores_sql.format(rank=rank), [expression])
            return cursor.fetchall()

    # SELECT (paper id, {rank}) of the matches of one %s expression.
    scores_sql = ""
    rank_sql = ""

    def similar_terms(
        self, words: Sequence[str], similar: Similar
    ) -> dict[str, list[tuple[str, int]]]:
        """{word: [(title word, papers using it)]}, the title words most like
        each word by trigrams, most alike first; one query for all words."""
        if not words:
            return {}
        found: dict[str, list[tuple[str, int]]] = {}
        with self.connection.cursor() as cursor:
            for word, term, papers in self._similar_rows(cursor, words, similar):
                found.setdefault(word, []).append((term, papers))
        return found

    def _similar_rows(self, cursor, words, similar) -> list[tuple[str, str, int]]:
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

    def adjust_terms(self, changes: dict[str, int]) -> None:
        """Add ``changes[term]`` to each title word's count of papers (never
        below 0), creating new words and dropping the ones left at 0."""
        raise NotImplementedError


class DocumentVector(Expression):
    """The paper's ``catalog_papersearch.vector``, joined like a field.

    Resolves through the ``search_document`` relation, so the ORM owns the
    join and its alias (relabeled in subqueries, reused by filter and rank).
    """

    def resolve_expression(self, query=None, *args, **kwargs):
        document = F("search_document__document").resolve_expression(
            query, *args, **kwargs
        )
        return VectorColumn(document.alias, document.target)


class VectorColumn(Col):
    """A ``Col`` of PaperSearch that reads the (unmodelled) tsvector column."""

    def as_sql(self, compiler, connection):
        return f"{compiler.quote_name_unless_alias(self.alias)}.vector", []


class _TsQueryExpression(Expression):
    """SQL on a tsvector expression and a ``to_tsquery`` string."""

    template = ""

    def __init__(self, vector, tsquery: str):
        super().__init__(output_field=self.output_field)
        self.vector = vector
        self.tsquery = tsquery

    def get_source_expressions(self):
        return [self.vector]

    def set_source_expressions(self, exprs):
        (self.vector,) = exprs

    def as_sql(self, compiler, connection):
        vector_sql, vector_params = compiler.compile(self.vector)
        query_sql = f"to_tsquery('{PG_CONFIG}', %s)"
        sql = self.template.format(vector=vector_sql, query=query_sql)
        return sql, [*vector_params, self.tsquery]


class TsMatch(_TsQueryExpression):
    """``vector @@ to_tsquery('english', query)``, usable in ``filter()``."""

    output_field = BooleanField()
    conditional = True
    template = "{vector} @@ {query}"


class TsRank(_TsQueryExpression):
    """``ts_rank(weights, vector, query, 1)``: weighted frequency, divided
    by 1 + log(length) so long notes do not outweigh titles. (``ts_rank_cd``
    also weighs proximity, but costs some 3 µs per match, 6x ``ts_rank``:
    18 ms for a query matching 6,000 papers; the matches already hold every
    query word and phrase.)"""

    output_field = FloatField()
    template = (
        "ts_rank('" + PG_WEIGHTS.replace("{", "{{").replace("}", "}}") + "', "
        "{vector}, {query}, 1)"
    )


class PostgresBackend(SearchBackend):
    vendor = "postgresql"

    def ranked_matches(self, queryset, expression):
        # Join the documents: the planner picks a GIN index scan or a
        # sequential scan by selectivity, and ranks each match once.
        return queryset.filter(TsMatch(DocumentVector(), expression)).annotate(
            search_rank=TsRank(DocumentVector(), expression)
        )

    scores_sql = (
        f"SELECT paper_id, {{rank}} "
        f"FROM {DOCUMENT_TABLE}, to_tsquery('{PG_CONFIG}', %s) q WHERE vector @@ q"
    )
    rank_sql = f"ts_rank('{PG_WEIGHTS}', vector, q, 1)"

    def match_expression(self, query):
        return render_tsquery(query)

    def _similar_rows(self, cursor, words, similar):
        # ``%`` is what the trigram index answers; its threshold is a setting
        # of the session (only this query uses the operator).
        cursor.execute(
            "SELECT set_config('pg_trgm.similarity_threshold', %s, false)",
            [str(similar.threshold)],
        )
        cursor.execute(
            f"""
            SELECT w.word, t.term, t.papers
            FROM unnest(%s::text[]) AS w(word)
            CROSS JOIN LATERAL (
                SELECT s.term, s.papers FROM {TERM_TABLE} s
                WHERE s.term %% w.word
                  AND s.length BETWEEN char_length(w.word) - %s
                                   AND char_length(w.word) + %s
                ORDER BY similarity(s.term, w.word) DESC, s.papers DESC, s.term
                LIMIT %s
            ) t
            """,
            [list(words), similar.slack, similar.slack, similar.limit],
        )
        return cursor.fetchall()

    def excluded_expression(self, query):
        return render_tsquery_excluded(query)

    def matching_ids(self, expression):
        return RawSQL(
            f"SELECT paper_id FROM {DOCUMENT_TABLE} "
            f"WHERE vector @@ to_tsquery('{PG_CONFIG}', %s)",
            [expression],
        )

    def write(self, documents):
        # COPY the analyzed text into a session table, then build the vectors
        # server-side: far cheaper than adapting five large array parameters.
        if not documents:
            return
        config = PG_CONFIG
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMPORARY TABLE IF NOT EXISTS {INCOMING_TABLE} "
                "(id bigint, document text, a text, b text, c text) "
                "ON COMMIT DELETE ROWS"
            )
            with cursor.copy(f"COPY {INCOMING_TABLE} FROM STDIN") as copy:
                for d in documents:
                    copy.write_row((d.paper_id, d.text, d.title, d.secondary, d.body))
            # Emptied as it is read: a TRUNCATE per write cost more than the
            # rows (the table is also emptied at commit).
            cursor.execute(
                f"""
                WITH d AS (DELETE FROM {INCOMING_TABLE} RETURNING *)
                INSERT INTO {DOCUMENT_TABLE} (paper_id, document, vector)
                SELECT d.id, d.document,
                       setweight(to_tsvector('{config}', d.a), 'A')
                       || setweight(to_tsvector('{config}', d.b), 'B')
                       || setweight(to_tsvector('{config}', d.c), 'C')
                FROM d
                ON CONFLICT (paper_id) DO UPDATE
                SET document = EXCLUDED.document, vector = EXCLUDED.vector
                """
            )

    def delete(self, paper_ids):
        if not paper_ids:
            return
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {DOCUMENT_TABLE} WHERE paper_id = ANY(%s::bigint[])",
                [list(paper_ids)],
            )

    def adjust_terms(self, changes):
        up = {term: change for term, change in changes.items() if change > 0}
        down = {term: change for term, change in changes.items() if change < 0}
        with self.connection.cursor() as cursor:
            if up:
                self._add_terms(cursor, up)
            if down:
                self._remove_terms(cursor, down)

    @staticmethod
    def _add_terms(cursor, up: dict[str, int]) -> None:
        cursor.execute(
            f"INSERT INTO {TERM_TABLE} AS t (term, length, papers) "
            "SELECT d.term, char_length(d.term), d.change "
            "FROM unnest(%s::text[], %s::int[]) AS d(term, change) "
            "ON CONFLICT (term) DO UPDATE SET papers = t.papers + "
            "EXCLUDED.papers",
            [list(up), list(up.values())],
        )

    @staticmethod
    def _remove_terms(cursor, down: dict[str, int]) -> None:
        cursor.execute(
            f"UPDATE {TERM_TABLE} AS t "
            "SET papers = GREATEST(t.papers + d.change, 0) "
            "FROM unnest(%s::text[], %s::int[]) AS d(term, change) "
            "WHERE t.term = d.term",
            [list(down), list(down.values())],
        )
        cursor.execute(
            f"DELETE FROM {TERM_TABLE} WHERE papers = 0 AND term = ANY(%s::text[])",
            [list(down)],
        )


class SqliteBackend(SearchBackend):
    vendor = "sqlite"

    scores_sql = f"SELECT rowid, {{rank}} FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"
    rank_sql = f"-bm25({FTS_TABLE}, {FTS_WEIGHTS})"

    def match_expression(self, query):
        return render_fts5(query)

    def _similar_rows(self, cursor, words, similar):
        # Count the trigrams each title word shares with each typed word
        # (the fts5vocab rows of the word's trigrams, found by the index),
        # then keep the most alike per word: pg_trgm's similarity, with a
        # title word's trigrams counted as its length + 1.
        pairs = [
            (n, trigram, len(grams), len(word))
            for n, word in enumerate(words)
            for grams in [trigrams(word)]
            for trigram in grams
        ]
        values = ", ".join(["(%s, %s, %s, %s)"] * len(pairs))
        cursor.execute(
            f"""
            WITH w(n, trigram, size, length) AS (VALUES {values}),
            shared AS (
                SELECT w.n, v.doc, count(*) AS shared, w.size, w.length
                FROM w JOIN {TRIGRAM_ROWS} v ON v.term = w.trigram
                GROUP BY w.n, v.doc
            ),
            alike AS (
                SELECT s.n, t.term, t.papers,
                       s.shared * 1.0 / (s.size + t.length + 1 - s.shared) AS similarity
                FROM shared s JOIN {TERM_TABLE} t ON t.id = s.doc
                WHERE t.length BETWEEN s.length - %s AND s.length + %s
            ),
            ranked AS (
                SELECT n, term, papers, row_number() OVER (
                    PARTITION BY n ORDER BY similarity DESC, papers DESC, term
                ) AS place
                FROM alike WHERE similarity >= %s
            )
            SELECT n, term, papers FROM ranked WHERE place <= %s ORDER BY n, place
            """,
            [
                *(value for pair in pairs for value in pair),
                similar.slack,
                similar.slack,
                similar.threshold,
                similar.limit,
            ],
        )
        return [(words[n], term, papers) for n, term, papers in cursor.fetchall()]

    def excluded_expression(self, query):
        return render_fts5_excluded(query)

    def matching_ids(self, expression):
        return RawSQL(
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [expression]
        )

    def ranked_matches(self, queryset, expression):
        return queryset.filter(pk__in=self.matching_ids(expression)).annotate(
            search_rank=self.rank(expression)
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

    def adjust_terms(self, changes):
        up = [(t, len(t), c) for t, c in changes.items() if c > 0]
        down = [(c, t) for t, c in changes.items() if c < 0]
        with self.connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {TERM_TABLE} (term, length, papers) VALUES (%s, %s, %s) "
                "ON CONFLICT (term) DO UPDATE SET papers = papers + excluded.papers",
                up,
            )
            cursor.executemany(
                f"UPDATE {TERM_TABLE} SET papers = MAX(papers + %s, 0) WHERE term = %s",
                down,
            )
            cursor.executemany(
                f"DELETE FROM {TERM_TABLE} WHERE papers = 0 AND term = %s",
                [(t,) for _, t in down],
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
