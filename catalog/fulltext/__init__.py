"""The full-text search engine: one pure-Python analyzer (``analyzer``) and
one backend per database vendor (``backends``), behind ``search()``.

It reads and writes its own tables by name and imports no model, so
``PaperQuerySet.search`` (``catalog.querysets``, imported by the models) can
use it; indexing the papers, suggestions and the signals that keep the
index in sync read models, and live in ``catalog.search``.
"""

from __future__ import annotations

from catalog.fulltext.analyzer import SearchQuery, parse_query
from catalog.fulltext.backends import get_backend

__all__ = ["search"]


def search(queryset, q: str | SearchQuery | None):
    """``queryset`` (of papers) filtered to ``q`` and ranked.

    Matches are annotated with ``search_rank`` (higher is better on every
    database) and ordered by it, then by id. The result is an ordinary
    queryset: filter it, count it, paginate it. Facet counts on it should
    clear the ordering first (``.order_by().values(...).annotate(...)``), as
    any grouped query on an ordered queryset.
    """
    query = q if isinstance(q, SearchQuery) else parse_query(q)
    return get_backend(queryset.db).search(queryset, query)
