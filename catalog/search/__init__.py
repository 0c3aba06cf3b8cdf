"""Bilingual (English/CJK) full-text search of the catalog's papers.

Public API::

    Paper.objects.search(q)                 # ranked, chainable queryset
    search(queryset, q)                     # the same, on any Paper queryset
    search_with_fallback(queryset, q)       # -> (queryset, corrected q or None)
    suggest(q, using="default")             # "did you mean" -> str | None
    parse_query(q)                          # -> SearchQuery(terms, phrases, excluded)
    index_papers(ids=None, using="default") # rebuild these papers' documents
    unindex_papers(ids, using="default")    # drop them (before deletion)
    reindex_all(using="default")            # rebuild everything
    refresh_postings(using="default")       # common words' matches kept ready

Papers are indexed by weight: A title and short name; B translation titles
and repositories (owner/name); C organisation, venue and notes. Text goes
through one pure-Python analyzer (``catalog.fulltext.analyzer``): CJK runs
become overlapping character pairs, everything else plain lowercase words.
PostgreSQL indexes the documents in a tsvector column (``english``
stemming, GIN index, ``ts_rank``), SQLite in an FTS5 table (``porter``
stemming, ``bm25``); see ``catalog.fulltext.backends``. The analyzer, the
backends and ``search()`` import no model (``catalog.fulltext``): the models'
``PaperQuerySet.search`` uses them, while this package reads models.

Query syntax (web search): words are ANDed, ``"quoted phrases"``, ``-word``
or ``-"phrase"`` to exclude. No input raises: what cannot be searched for is
dropped, and a query left empty does not filter (``search_rank`` is 0).

The index follows ``save()`` and ``delete()`` of papers, translations and
repositories and changes to a repository's papers (``catalog.search.signals``);
code writing with bulk queries calls ``index_papers`` itself, as the importer
and the curation actions do.
"""

from __future__ import annotations

from catalog.fulltext import search
from catalog.fulltext.analyzer import SearchQuery, analyze, parse_query, tokens
from catalog.search.indexing import (
    index_papers,
    refresh_postings,
    reindex_all,
    unindex_papers,
)
from catalog.search.suggestions import suggest

__all__ = [
    "SearchQuery",
    "analyze",
    "index_papers",
    "parse_query",
    "refresh_postings",
    "reindex_all",
    "search",
    "search_with_fallback",
    "suggest",
    "tokens",
    "unindex_papers",
]


def search_with_fallback(queryset, q: str | None):
    """Results for ``q``, or for its correction when ``q`` finds nothing.

    Returns ``(results, corrected)``: ``corrected`` is the query that was
    searched instead ("transfomer" -> "transformer"), or None when ``q``'s
    own results are returned.
    """
    results = search(queryset, q)
    query = parse_query(q)
    if not query.positive or results.exists():
        return results, None
    corrected = suggest(q, using=queryset.db)
    if corrected is None:
        return results, None
    return search(queryset, corrected), corrected
