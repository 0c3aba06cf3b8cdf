"""SQLite: the FTS5 table ``catalog_paper_fts(title, secondary, body)``
(``porter unicode61``, rowid = paper id), ranked with ``bm25``; typo
candidates by an FTS5 ``trigram`` table of the title words kept by triggers
(migration 0014)."""

from __future__ import annotations

from sqlite3 import dbapi2 as Database

from django.db.models.expressions import RawSQL

from catalog.fulltext.analyzer import render_fts5, render_fts5_excluded
from catalog.fulltext.base import SearchBackend, SearchRank
from catalog.fulltext.tables import (
    DOCUMENT_TABLE,
    FTS_TABLE,
    TERM_TABLE,
    TRIGRAM_ROWS,
)

# bm25 weights of the FTS5 columns title (A), secondary (B), body (C).
FTS_WEIGHTS = "10.0, 4.0, 1.0"


def trigrams(word: str) -> list[str]:
    """The word's trigrams as pg_trgm counts them: padded with two spaces in
    front and one behind, so the first and last letters weigh too."""
    padded = f"  {word} "
    return sorted({padded[i : i + 3] for i in range(len(padded) - 2)})


class SqliteBackend(SearchBackend):
    vendor = "sqlite"

    def scores_sql(self, *, ranked):
        rank = f"-bm25({FTS_TABLE}, {FTS_WEIGHTS})" if ranked else "0"
        return f"SELECT rowid, {rank} FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"

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
