"""The papers a search matches, ids and ranks read once per query and kept
in this process for the current catalog version: a search's next pages,
other sorts and facet clicks (each a new request) match and rank once."""

from __future__ import annotations

import threading
from array import array
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from pyroaring import BitMap

from catalog.cache import ProcessLRU, catalog_version
from catalog.fulltext.analyzer import SearchQuery, item_query
from catalog.fulltext.backends import Scored, get_backend
from catalog.search.expansion import corrected, expand
from catalog.search.priors import paper_weights
from catalog.search.proximity import RERANK_TOP, proximity_factors, query_parts

# A search whose every word few papers hold is broadened to the papers that
# hold most of them (the ones holding all first).
BROADEN_BELOW = 10


@dataclass(frozen=True)
class Ranked:
    """A query's matches as numpy arrays (the backends' ``Scored`` holds
    stdlib arrays: numpy is loaded by the read side only, not by every
    process that loads the models): ids (uint32, as the facet index's
    bitmaps hold them) and ranks (float64), in the same order."""

    ids: np.ndarray
    ranks: np.ndarray

    @classmethod
    def of(cls, ids, ranks) -> Ranked:
        return cls(
            np.asarray(ids, dtype=np.uint32), np.asarray(ranks, dtype=np.float64)
        )

    @classmethod
    def scored(cls, scored: Scored) -> Ranked:
        return cls.of(scored.ids, scored.ranks)


class Matches:
    """The papers a search matches: their ids as a bitmap and, for a ranked
    search, their ranks (``Ranked``: two numpy arrays, no object per match).
    The first page is picked from the arrays; once the matches are used
    again (a next page, a facet click), they are sorted by rank once and
    pages are read from that order."""

    def __init__(self, scored: Ranked, *, ranked: bool, broadened=False):
        self.bits = BitMap(array("I", scored.ids.tobytes()))
        # True: few papers hold every word, these hold most of them.
        self.broadened = broadened
        self.scored = scored if ranked else None
        self.best_first: np.ndarray | None = None
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
                scored = self.scored
                self.best_first = scored.ids[np.lexsort((scored.ids, -scored.ranks))]
                self.scored = None
        ordered = self.best_first
        if members is not None:
            ordered = ordered[self._among(ordered, members)]
        return ordered[offset : offset + limit].tolist()

    def _first_page(self, members: BitMap | None, offset: int, limit: int):
        ids, ranks = self.scored.ids, self.scored.ranks
        if members is not None:
            kept = self._among(ids, members)
            ids, ranks = ids[kept], ranks[kept]
        return ids[best_first(ids, ranks, offset + limit)[offset:]].tolist()

    def _among(self, ids: np.ndarray, members: BitMap) -> np.ndarray:
        """Which of ``ids`` (matches) are ``members``, as a mask."""
        both = np.frombuffer((self.bits & members).to_array(), dtype=np.uint32)
        return np.isin(ids, both, assume_unique=True)


def best_first(ids: np.ndarray, ranks: np.ndarray, count: int) -> np.ndarray:
    """Positions of the ``count`` best ranks, best first, ties by id."""
    candidates = _leading(ranks, count)
    order = np.lexsort((ids[candidates], -ranks[candidates]))
    return candidates[order[:count]]


def _leading(ranks: np.ndarray, count: int) -> np.ndarray:
    """Positions (ascending) of the ranks at least the ``count``-th best:
    the ``count`` best and any tied with the last of them."""
    if count >= len(ranks):
        return np.arange(len(ranks))
    if count <= 0:
        return np.arange(0)
    threshold = np.partition(ranks, len(ranks) - count)[len(ranks) - count]
    return np.flatnonzero(ranks >= threshold)


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
    scored, query = _scores(backend, query, ranked)
    broadened = len(scored.ids) < BROADEN_BELOW and len(query.positive) > 1
    if broadened:
        scored = _most_items(backend, query)
        ranked = True
    matches = Matches(scored, ranked=ranked, broadened=broadened)
    # The bitmap, and the arrays until they are sorted (then the ids alone).
    arrays = len(scored.ids) * (scored.ids.itemsize + scored.ranks.itemsize)
    size = _bytes_of(matches.bits) + (arrays if ranked else 0) + 200
    _MATCHES.put((db, expression, ranked), matches, size=size, version=version)
    return matches


def _scores(backend, query, ranked: bool) -> tuple[Ranked, SearchQuery]:
    """The matches and the query matched: with the closest title words of
    its unknown words when it finds few papers."""
    scored = _ranked(backend, query, ranked)
    if len(scored.ids) < BROADEN_BELOW:
        fixed = corrected(query, using=backend.connection.alias)
        if fixed != query:
            query = fixed
            scored = _ranked(backend, query, ranked)
    return scored, query


def _ranked(backend, query, ranked: bool) -> Ranked:
    scored = Ranked.scored(backend.scored(query, ranked=ranked))
    if not ranked:
        return scored
    scored = _weighted(scored)
    factors = _proximity(backend, query, scored)
    if factors:
        ranks = scored.ranks.copy()
        for i, factor in factors.items():
            ranks[i] *= factor
        scored = Ranked(scored.ids, ranks)
    return scored


def _weighted(scored: Ranked) -> Ranked:
    """Ranks times what the catalog knows of each paper (lists, code)."""
    return Ranked(scored.ids, scored.ranks * paper_weights().of(scored.ids))


def _most_items(backend, query) -> Ranked:
    """Papers matching any item, ranked by how many items they hold, then
    by rank (each item matched once, with its other names)."""
    held: dict[int, int] = {}
    ranks: dict[int, float] = {}
    for item in query.positive:
        for pk, rank in backend.scores(item_query(query, item)):
            held[pk] = held.get(pk, 0) + 1
            ranks[pk] = ranks.get(pk, 0.0) + rank
    weighted = _weighted(Ranked.of(list(ranks), list(ranks.values())))
    items = np.array(list(held.values()), dtype=np.float64)  # in ranks' order
    # A rank squashed below 1 orders papers holding as many items.
    squashed = items + weighted.ranks / (1 + weighted.ranks)
    scored = Ranked(weighted.ids, squashed)
    for i, factor in _proximity(backend, query, scored).items():
        raised = weighted.ranks[i] * factor
        squashed[i] = items[i] + raised / (1 + raised)
    return scored


def _proximity(backend, query, scored: Ranked) -> dict[int, float]:
    """{position in ``scored``: its proximity factor (>= 1)} of the best
    RERANK_TOP matches: ranks raised by it never fall below others they were
    above."""
    parts = query_parts(query)
    if parts.count < 2 or len(scored.ids) < 2:
        return {}
    leading = _leading(scored.ranks, RERANK_TOP)
    # The best first, ties in the matches' order.
    order = np.argsort(-scored.ranks[leading], kind="stable")
    best = leading[order[:RERANK_TOP]]
    chosen = scored.ids[best].tolist()
    factors = proximity_factors(backend, parts, chosen)
    return {
        i: factors[pk]
        for i, pk in zip(best.tolist(), chosen, strict=True)
        if pk in factors
    }


def _bytes_of(bits: BitMap) -> int:
    """The bytes a bitmap's containers hold."""
    stats = bits.get_statistics()
    return sum(
        stats[f"n_bytes_{kind}_containers"] for kind in ("array", "run", "bitset")
    )
