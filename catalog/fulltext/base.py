"""What every search backend is and holds: a paper's analyzed document by
weight, a query's matches (``Scored``), the vocabulary look-up of typo
candidates (``Similar``), the rank expression the ORM compiles, and
``SearchBackend``, which ``catalog.fulltext.postgres`` and
``catalog.fulltext.sqlite`` implement."""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Expression, F, FloatField, Value
from django.db.models.expressions import RawSQL

from catalog.fulltext import postings
from catalog.fulltext.analyzer import SearchQuery
from catalog.fulltext.tables import DOCUMENT_TABLE


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
class Scored:
    """A query's matches: paper ids (unsigned 32-bit, as the bitmaps of the
    facet index hold them) and their ranks, in the same order."""

    ids: array
    ranks: array


@dataclass(frozen=True)
class Similar:
    """What ``similar_terms`` keeps of the vocabulary for each word: at most
    ``limit`` words, a length within ``slack`` of the word's, sharing at
    least ``threshold`` of their trigrams (pg_trgm's ``similarity``)."""

    threshold: float
    limit: int
    slack: int


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
        scored = self.scored(query, ranked=ranked)
        return list(zip(scored.ids, scored.ranks, strict=True))

    def scored(self, query: SearchQuery, *, ranked=True) -> Scored:
        """``scores`` as two arrays: no object per match."""
        expression = self.match_expression(query)
        if not expression:
            return Scored(array("I"), array("d"))
        with self.connection.cursor() as cursor:
            cursor.execute(self.scores_sql(ranked=ranked), [expression])
            rows = cursor.fetchall()
        return Scored(
            array("I", [r[0] for r in rows]), array("d", [r[1] for r in rows])
        )

    def scores_sql(self, *, ranked: bool) -> str:
        """SELECT (paper id, rank or 0) of the matches of one %s expression."""
        raise NotImplementedError

    def documents(self, paper_ids: Sequence[int]) -> list[tuple[int, str]]:
        """(paper id, analyzed document: ``Document.text``) of these papers."""
        if not paper_ids:
            return []
        places = ", ".join(["%s"] * len(paper_ids))
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT paper_id, document FROM {DOCUMENT_TABLE} "
                f"WHERE paper_id IN ({places})",
                list(paper_ids),
            )
            return cursor.fetchall()

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

    def refresh_postings(self, min_papers: int) -> postings.Refreshed:
        """Keep the ranked matches of the words ``min_papers`` papers hold
        (``catalog.fulltext.postings``; PostgreSQL only)."""
        return postings.Refreshed()

    def adjust_terms(self, changes: dict[str, int]) -> None:
        """Add ``changes[term]`` to each title word's count of papers (never
        below 0), creating new words and dropping the ones left at 0."""
        raise NotImplementedError
