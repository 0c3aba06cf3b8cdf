"""PostgreSQL: ``catalog_papersearch.vector`` (tsvector, GIN index), built
with ``setweight(to_tsvector('english', ...), 'A'|'B'|'C')`` and ranked with
``ts_rank``; common words' ranked matches kept in postings
(``catalog.fulltext.postings``); typo candidates by pg_trgm's GIN index."""

from __future__ import annotations

import sys
from array import array

from django.db.models import BooleanField, Expression, F, FloatField
from django.db.models.expressions import Col, RawSQL

from catalog.fulltext import postings
from catalog.fulltext.analyzer import render_tsquery, render_tsquery_excluded
from catalog.fulltext.base import Scored, SearchBackend
from catalog.fulltext.tables import DOCUMENT_TABLE, INCOMING_TABLE, TERM_TABLE

PG_CONFIG = "english"
# ts_rank weights, in PostgreSQL's order {D, C, B, A}. The postings keep
# ranks computed with them: after changing them, rebuild_search_index.
PG_WEIGHTS = "{0.05, 0.2, 0.4, 1.0}"


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
    18 ms for a query matching 6,000 papers: only the best matches are
    reranked by proximity, ``catalog.search.proximity``.)"""

    output_field = FloatField()
    template = (
        "ts_rank('" + PG_WEIGHTS.replace("{", "{{").replace("}", "}}") + "', "
        "{vector}, {query}, 1)"
    )


# array_send of a one-dimensional array: ndim, flags, element type, length
# and lower bound (int4 each), then each element as its length and value.
_ARRAY_HEADER = 20


def _unpacked(typecode: str, data: bytes | None) -> array:
    """The elements of an ``array_send`` of 4-byte values without nulls
    (None: none): every second big-endian word after the header."""
    if data is None:
        return array(typecode)
    words = array("I", data[_ARRAY_HEADER:])
    if sys.byteorder == "little":
        words.byteswap()
    return array(typecode, words[1::2].tobytes())


class PostgresBackend(SearchBackend):
    vendor = "postgresql"

    def ranked_matches(self, queryset, expression):
        # Join the documents: the planner picks a GIN index scan or a
        # sequential scan by selectivity, and ranks each match once.
        return queryset.filter(TsMatch(DocumentVector(), expression)).annotate(
            search_rank=TsRank(DocumentVector(), expression)
        )

    def scored(self, query, *, ranked=True):
        expression = self.match_expression(query)
        if not expression:
            return Scored(array("I"), array("d"))
        # Read as two arrays in their binary form: a common word's thousands
        # of matches cost a few allocations, not a row each. Ranks are
        # ts_rank's own float4.
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT array_send(array_agg(paper_id::int4)), "
                "array_send(array_agg(rank::float4)) "
                f"FROM ({self.scores_sql(ranked=ranked)}) AS s (paper_id, rank)",
                {"config": PG_CONFIG, "query": expression},
            )
            ids, ranks = cursor.fetchone()
        return Scored(_unpacked("I", ids), _unpacked("f", ranks))

    def scores_sql(self, *, ranked):
        rank = f"ts_rank('{PG_WEIGHTS}', vector, q, 1)" if ranked else "0"
        match = (
            f"SELECT paper_id, {rank} FROM {DOCUMENT_TABLE}, "
            "to_tsquery(%(config)s::regconfig, %(query)s) q WHERE vector @@ q"
        )
        return postings.scores_sql(match=match, ranked=ranked)

    def match_expression(self, query):
        return render_tsquery(query)

    def documents(self, paper_ids):
        # One array parameter: cheaper to send and plan than a list of them.
        if not paper_ids:
            return []
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT paper_id, document FROM {DOCUMENT_TABLE} "
                "WHERE paper_id = ANY(%s::bigint[])",
                [list(paper_ids)],
            )
            return cursor.fetchall()

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
            postings.update(cursor, [d.paper_id for d in documents], weights=PG_WEIGHTS)

    def delete(self, paper_ids):
        if not paper_ids:
            return
        with self.connection.cursor() as cursor:
            postings.delete(cursor, paper_ids)
            cursor.execute(
                f"DELETE FROM {DOCUMENT_TABLE} WHERE paper_id = ANY(%s::bigint[])",
                [list(paper_ids)],
            )

    def refresh_postings(self, min_papers):
        with self.connection.cursor() as cursor:
            return postings.refresh(cursor, min_papers=min_papers, weights=PG_WEIGHTS)

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
