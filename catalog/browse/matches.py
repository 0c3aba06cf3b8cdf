"""The papers a search matches, ids and ranks read once per query and kept
in this process for the current catalog version: a search's next pages,
other sorts and facet clicks (each a new request) match and rank once."""

from __future__ import annotations

import heapq
import threading
from array import array
from operator import itemgetter

from django.conf import settings
from pyroaring import BitMap

from catalog.cache import ProcessLRU, catalog_version
from catalog.fulltext.analyzer import item_query
from catalog.fulltext.backends import get_backend
from catalog.search.expansion import corrected, expand
from catalog.search.priors import paper_weights
from catalog.search.proximity import RERANK_TOP, proximity_factors, query_parts

# A search whose every word few papers hold is broadened to the papers that
# hold most of them (the ones holding all first).
BROADEN_BELOW = 10


class Matches:
    """The papers a search matches: their ids as a bitmap and, for a ranked
    search, their (id, rank) pairs. The first page is picked from the pairs;
    once the matches are used again (a next page, a facet click), they are
    sorted by rank once and pages are read from that order."""

    def __init__(
        self, scores: list[tuple[int, float]], *, ranked: bool, broadened=False
    ):
        self.bits = BitMap(pk for pk, _ in scores)
        # True: few papers hold every word, these hold most of them.
        self.broadened = broadened
        self.scores = scores if ranked else None
        self.best_first: array | None = None
        self.used = False
        self._lock = threading.Lock()

    def page(self, members: BitMap | None, offset: int, limit: int) -> list[int]:
        """Ids of the page at ``offset``, best first (ties by id), of the
        matches among ``members`` (None: all)."""
        with self._lock:
            if not self.used:
                self.used = True
                return self._first_page(members, offset, limit)
            if self.best_first is None:
                order = sorted((-r, pk) for pk, r in self.scores)
                self.best_first = array("q", [pk for _, pk in order])
                self.scores = None
        if members is None:
            return list(self.best_first[offset : offset + limit])
        kept = []
        for pk in self.best_first:
            if pk in members:
                kept.append(pk)
                if len(kept) == offset + limit:
                    break
        return kept[offset:]

    def _first_page(self, members: BitMap | None, offset: int, limit: int):
        scores = self.scores
        if members is not None:
            scores = [(pk, r) for pk, r in scores if pk in members]
        best = heapq.nsmallest(offset + limit, ((-r, pk) for pk, r in scores))
        return [pk for _, pk in best[offset:]]


_MATCHES = ProcessLRU(settings.SEARCH_MATCHES_CACHE_BYTES)


def search_matches(db: str, query, *, ranked: bool) -> Matches:
    """The matches of ``query`` (a parsed query with words to match) on
    database ``db``, from recent searches or read now."""
    backend = get_backend(db)
    query = expand(query)
    expression = backend.match_expression(query)
    version = catalog_version()  # before reading: a write meanwhile retires it
    # Ranked matches serve an unranked search too; never the other way round.
    keys = [(db, expression, True)] + ([] if ranked else [(db, expression, False)])
    for key in keys:
        found = _MATCHES.get(key, version)
        if found is not None:
            return found
    scores, query = _scores(backend, query, ranked)
    broadened = len(scores) < BROADEN_BELOW and len(query.positive) > 1
    if broadened:
        scores = _most_items(backend, query)
        ranked = True
    matches = Matches(scores, ranked=ranked, broadened=broadened)
    # The bitmap, and the pairs (about 80 bytes each) until they are sorted
    # (8 bytes an id).
    size = _bytes_of(matches.bits) + (80 if ranked else 0) * len(scores) + 200
    _MATCHES.put((db, expression, ranked), matches, size=size, version=version)
    return matches


def _scores(backend, query, ranked: bool):
    """The (id, rank) pairs of the matches, and the query matched: with the
    closest title words of its unknown words when it finds few papers."""
    scores = _ranked(backend, query, ranked)
    if len(scores) < BROADEN_BELOW:
        fixed = corrected(query, using=backend.connection.alias)
        if fixed != query:
            query = fixed
            scores = _ranked(backend, query, ranked)
    return scores, query


def _ranked(backend, query, ranked: bool):
    if not ranked:
        return backend.scores(query, ranked=False)
    scores = _weighted(backend.scores(query))
    factors = _proximity(backend, query, scores)
    if not factors:
        return scores
    return [(pk, rank * factors.get(pk, 1.0)) for pk, rank in scores]


def _weighted(scores):
    """Ranks times what the catalog knows of each paper (lists, code)."""
    weights = paper_weights()
    return [(pk, rank * weights.get(pk, 1.0)) for pk, rank in scores]


def _most_items(backend, query) -> list[tuple[int, float]]:
    """Papers matching any item, ranked by how many items they hold, then
    by rank (each item matched once, with its other names)."""
    held: dict[int, int] = {}
    ranks: dict[int, float] = {}
    for item in query.positive:
        for pk, rank in backend.scores(item_query(query, item)):
            held[pk] = held.get(pk, 0) + 1
            ranks[pk] = ranks.get(pk, 0.0) + rank
    weighted = _weighted(list(ranks.items()))
    # A rank squashed below 1 orders papers holding as many items.
    scores = [(pk, held[pk] + rank / (1 + rank)) for pk, rank in weighted]
    factors = _proximity(backend, query, scores)
    if not factors:
        return scores
    return [
        (pk, held[pk] + rank * factors[pk] / (1 + rank * factors[pk]))
        if pk in factors
        else (pk, score)
        for (pk, rank), (_, score) in zip(weighted, scores, strict=True)
    ]


def _proximity(backend, query, scores) -> dict[int, float]:
    """{paper id: its proximity factor (> 1)} of the best RERANK_TOP of
    ``scores``: ranks raised by it never fall below others they were above."""
    parts = query_parts(query)
    if parts.count < 2 or len(scores) < 2:
        return {}
    best = heapq.nlargest(RERANK_TOP, scores, key=itemgetter(1))
    return proximity_factors(backend, parts, [pk for pk, _ in best])


def _bytes_of(bits: BitMap) -> int:
    """The bytes a bitmap's containers hold."""
    stats = bits.get_statistics()
    return sum(
        stats[f"n_bytes_{kind}_containers"] for kind in ("array", "run", "bitset")
    )
