"""Ranked matches of the index's most common words, kept ready (PostgreSQL).

A search of a word that thousands of papers hold visits every matching
document to read its paper id and rank it: the GIN index finds them at once,
but they lie all over the table. For the words at least
``settings.SEARCH_POSTED_MIN_PAPERS`` papers hold (the posted words,
``catalog_searchpostedterm``), every matching paper and the rank ``ts_rank``
gives it are kept in ``catalog_searchposting``, ordered by word: the search
reads one range of its primary key.

The postings are exact, never a cache: ``update`` rewrites a paper's
postings whenever its document is written, in the same transaction, and
deleting a document deletes them. Which words are posted changes only in
``refresh`` (after an import run or a full reindex): a word that became
common meanwhile is matched the ordinary way until then.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from catalog.fulltext.tables import DOCUMENT_TABLE, POSTED_TABLE, POSTING_TABLE

# A posted word is dropped once fewer than this share of the threshold hold
# it, so a word near the threshold is not rebuilt after every import.
KEEP_SHARE = 0.5

# The word a query of one plain word names: its tsquery text ('word')
# unquoted. Any other query (two words, a prefix, a negation) gives a text
# that no posted word has, as posted words hold no quote or space.
_QUERY_WORD = "btrim(to_tsquery(%(config)s::regconfig, %(query)s)::text, '''')"
# Words whose tsquery is their text quoted (no quote, backslash or space).
_PLAIN_WORD = r"word !~ '[''\\[:space:]:]'"


def _rank(weights: str, vector: str, word: str) -> str:
    """``ts_rank`` of a document for one posted word, as a search of the word
    ranks it (normalization 1: divided by 1 + log(length))."""
    return f"ts_rank('{weights}', {vector}, ('''' || {word} || '''')::tsquery, 1)"


def scores_sql(*, match: str, ranked: bool) -> str:
    """SELECT (paper id, rank) of a query's matches: from the postings when
    the query is one posted word, else ``match`` (a statement of its own on
    the documents with the same named parameters). One statement either way:
    the test costs a lookup of the posted words' primary key."""
    rank = "rank" if ranked else "0"
    posted = f"SELECT FROM {POSTED_TABLE} WHERE lexeme = {_QUERY_WORD}"
    return (
        f"SELECT paper_id, {rank} FROM {POSTING_TABLE} "
        f"WHERE lexeme = {_QUERY_WORD} "
        f"UNION ALL ({match} AND NOT EXISTS ({posted}))"
    )


def update(cursor, paper_ids: Sequence[int], *, weights: str) -> None:
    """Rewrite the postings of these papers from their documents, as written."""
    ids = list(paper_ids)
    cursor.execute(f"DELETE FROM {POSTING_TABLE} WHERE paper_id = ANY(%s)", [ids])
    cursor.execute(
        f"INSERT INTO {POSTING_TABLE} (lexeme, paper_id, rank) "
        f"SELECT p.lexeme, d.paper_id, {_rank(weights, 'd.vector', 'p.lexeme')} "
        f"FROM {DOCUMENT_TABLE} d CROSS JOIN LATERAL unnest(d.vector) AS w "
        f"JOIN {POSTED_TABLE} p ON p.lexeme = w.lexeme "
        "WHERE d.paper_id = ANY(%s)",
        [ids],
    )


def delete(cursor, paper_ids: Sequence[int]) -> None:
    """Drop these papers' postings (before their documents go)."""
    cursor.execute(
        f"DELETE FROM {POSTING_TABLE} WHERE paper_id = ANY(%s)", [list(paper_ids)]
    )


@dataclass(frozen=True)
class Refreshed:
    """The words a refresh posted and dropped."""

    added: tuple[str, ...] = ()
    dropped: tuple[str, ...] = ()


def refresh(cursor, *, min_papers: int, weights: str) -> Refreshed:
    """Post the words at least ``min_papers`` documents hold, drop the ones
    fewer than half as many hold, and build the new words' postings.

    Locks the documents against writers (readers go on) while it reads them,
    so no document is written between counting and posting."""
    cursor.execute(f"LOCK TABLE {DOCUMENT_TABLE} IN SHARE MODE")
    cursor.execute(f"SELECT count(*) FROM {DOCUMENT_TABLE}")
    keep_from = max(1, int(min_papers * KEEP_SHARE))
    counts: dict[str, int] = {}
    if cursor.fetchone()[0] >= keep_from:
        cursor.execute(
            f"SELECT word, ndoc FROM ts_stat('SELECT vector FROM {DOCUMENT_TABLE}') "
            f"WHERE ndoc >= %s AND {_PLAIN_WORD}",
            [keep_from],
        )
        counts = dict(cursor.fetchall())
    cursor.execute(f"SELECT lexeme FROM {POSTED_TABLE}")
    posted = {word for (word,) in cursor.fetchall()}
    dropped = sorted(posted - counts.keys())
    added = sorted(w for w, n in counts.items() if n >= min_papers and w not in posted)
    if dropped:
        cursor.execute(f"DELETE FROM {POSTING_TABLE} WHERE lexeme = ANY(%s)", [dropped])
        cursor.execute(f"DELETE FROM {POSTED_TABLE} WHERE lexeme = ANY(%s)", [dropped])
    for word in added:
        _post(cursor, word, counts[word], weights)
    return Refreshed(tuple(added), tuple(dropped))


def _post(cursor, word: str, papers: int, weights: str) -> None:
    cursor.execute(
        f"INSERT INTO {POSTED_TABLE} (lexeme, papers) VALUES (%s, %s)", [word, papers]
    )
    # Matched through the GIN index, inserted in paper order: one word's
    # postings lie together in the table, as the search reads them.
    cursor.execute(
        f"INSERT INTO {POSTING_TABLE} (lexeme, paper_id, rank) "
        f"SELECT %(word)s, paper_id, {_rank(weights, 'vector', '%(word)s')} "
        f"FROM {DOCUMENT_TABLE} "
        f"WHERE vector @@ ('''' || %(word)s || '''')::tsquery ORDER BY paper_id",
        {"word": word},
    )
