"""Which entries have each facet value, as compressed bitmaps held in memory.

Counting facets in SQL costs a probe per matching entry and relation, and
grows with every match. Here each facet value's entries are one Roaring
bitmap (pyroaring), read once per catalog version (the caller keeps the
index by version). A page's count for a value is the size of an
intersection, computed without building it; a facet's "other filters" are
ANDs of bitmaps.

Pure Python: no Django import, unit-tested on plain ids (below 2**32, the
range a Roaring bitmap holds).
"""

from __future__ import annotations

import heapq
from array import array
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
from pyroaring import BitMap, FrozenBitMap

# The most entries ``in_order`` sorts by a heap in Python rather than in numpy
# (whose arrays cost more to set up than a small heap does).
SMALL_SORT = 500


def bits_of(ids: Iterable[int]) -> BitMap:
    """The bitmap of these (non-negative) ids."""
    return BitMap(ids)


def union(maps: Iterable[BitMap]) -> BitMap:
    """The entries of any of ``maps`` (an empty bitmap for none)."""
    return BitMap.union(BitMap(), *maps)


def positions_of(ordered: Iterable[int], size: int) -> array:
    """Each id's position in ``ordered``, indexed by id; ids from ``size`` on
    are left out (an entry written after the index read its entries)."""
    positions = array("i", [0]) * size  # 4 bytes an entry
    for position, entry in enumerate(ordered):
        if entry < size:
            positions[entry] = position
    return positions


# How a filter's cleaned value picks entries: (bitmap by value, the value,
# every entry) -> the entries it keeps.
Select = Callable[[Mapping[object, BitMap], object, BitMap], BitMap]


def any_of(values: Mapping[object, BitMap], chosen, entries: BitMap) -> BitMap:
    """Entries with any of the chosen values."""
    return union(values[value] for value in chosen if value in values)


def in_spans(values: Mapping[object, BitMap], spans, entries: BitMap) -> BitMap:
    """Entries whose value lies in any (low, high) span; None is open."""
    return union(
        bits
        for value, bits in values.items()
        if any(
            (lo is None or value >= lo) and (hi is None or value <= hi)
            for lo, hi in spans
        )
    )


def yes_or_no(values: Mapping[object, BitMap], flag: bool, entries: BitMap) -> BitMap:
    """Entries that have the ``True`` value, or (``flag`` false) the others."""
    having = values.get(True, BitMap())
    return BitMap(having) if flag else entries - having


@dataclass(frozen=True)
class Dimension:
    """One facet: the filter parameter it answers (``name``), the facet's
    ``label``, its (value, entry id) pairs, how the filter's value selects,
    and an optional ``finish`` that turns the bitmaps by value into those the
    facet counts (a topic's subtopics, say)."""

    name: str
    pairs: Callable[[], Iterable[tuple[object, int]]]
    select: Select = any_of
    finish: Callable[[dict[object, BitMap]], dict[object, BitMap]] | None = None
    label: str = ""


def _grouped(pairs: Iterable[tuple[object, int]]) -> dict[object, list[int]]:
    """Entry ids by value; pairs naming no value or no entry left out."""
    grouped: dict[object, list[int]] = {}
    for value, entry in pairs:
        if value is not None and value != "" and entry is not None:
            grouped.setdefault(value, []).append(entry)
    return grouped


@dataclass
class FacetIndex:
    """Every entry (``entries``) and, per dimension, the entries of each
    value (frozen bitmaps)."""

    entries: FrozenBitMap
    values: dict[str, dict[object, FrozenBitMap]] = field(default_factory=dict)
    labels: dict[str, dict[object, str]] = field(default_factory=dict)
    # Per named sort of the entries: each entry's position in it, by id.
    positions: dict[str, array] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        ids: Iterable[int],
        dimensions: Iterable[Dimension],
        labels: Mapping[str, Mapping[object, str]] | None = None,
        orders: Mapping[str, Callable[[], Iterable[int]]] | None = None,
    ) -> FacetIndex:
        """An index of these entry ids; pairs naming no value or no entry
        are left out. ``orders`` gives, per name, every id in that order."""
        entries = FrozenBitMap(ids)
        index = cls(entries, labels={k: dict(v) for k, v in (labels or {}).items()})
        size = entries.max() + 1 if entries else 0
        for name, ordered in (orders or {}).items():
            index.positions[name] = positions_of(ordered(), size)
        for dimension in dimensions:
            index.values[dimension.name] = index._values_of(dimension)
        return index

    def _values_of(self, dimension: Dimension) -> dict[object, FrozenBitMap]:
        # Entries written after the index read its entries are not in it.
        values = {
            value: BitMap(ids) & self.entries
            for value, ids in _grouped(dimension.pairs()).items()
        }
        if dimension.finish is not None:
            values = dimension.finish(values)
        return {value: FrozenBitMap(bits) for value, bits in values.items()}

    def full(self, name: str) -> Mapping[object, FrozenBitMap]:
        """A dimension's values as bitmaps (what ``Select`` takes)."""
        return self.values[name]

    def in_order(self, order: str, bits: BitMap, offset: int, limit: int) -> list[int]:
        """The entries of ``bits`` at ``offset`` (``limit`` of them) in the
        named order."""
        need = offset + limit
        if len(bits) <= SMALL_SORT:
            position = self.positions[order].__getitem__
            return heapq.nsmallest(need, bits, key=position)[offset:]
        # In numpy: 25 of 100,000 entries in 0.3 ms, where a heap keyed by a
        # Python call takes 6.5.
        ids = np.frombuffer(bits.to_array(), dtype=np.uint32)
        positions = np.frombuffer(self.positions[order], dtype=np.int32)[ids]
        if need < len(ids):
            first = np.argpartition(positions, need - 1)[:need]
        else:
            first = np.arange(len(ids))
        first = first[np.argsort(positions[first], kind="stable")]
        return ids[first[offset:]].tolist()


class Selection:
    """One page's results over a ``FacetIndex``: the entries every filter
    keeps, and, per facet, the entries the *other* filters keep (disjunctive
    faceting: a facet's own choice does not zero out its siblings)."""

    def __init__(
        self, index: FacetIndex, universe: BitMap, filters: Mapping[str, BitMap]
    ):
        self.index = index
        self.universe = universe
        self.filters = dict(filters)
        self.results = BitMap(universe)
        for bits in self.filters.values():
            self.results &= bits
        self._bases: dict[str, BitMap] = {}

    @property
    def total(self) -> int:
        return len(self.results)

    def base(self, name: str) -> BitMap:
        """The entries a facet counts: the results without its own filter."""
        if name not in self.filters:
            return self.results
        if name not in self._bases:
            bits = BitMap(self.universe)
            for other, other_bits in self.filters.items():
                if other != name:
                    bits &= other_bits
            self._bases[name] = bits
        return self._bases[name]

    def count(self, name: str, value) -> int:
        """Entries with ``value`` of a dimension, under the other filters."""
        bits = self.index.values[name].get(value)
        return 0 if bits is None else bits.intersection_cardinality(self.base(name))

    def leading(self, name: str, order: Iterable, need: int) -> BitMap:
        """The results whose value of dimension ``name`` comes first in
        ``order``, value by value, until they hold ``need`` or more; entries
        without a value come after every value (all results, then). Sorted by
        that value, the first ``need`` results are among them."""
        values = self.index.values[name]
        leading, count = BitMap(), 0
        for value in order:
            bits = values.get(value)
            if bits is None:
                continue
            bits = self.results & bits
            leading |= bits
            count += len(bits)
            if count >= need:
                return leading
        return self.results

    def counts(self, name: str) -> list[tuple[object, int]]:
        """(value, entries) of every value of a dimension that has any."""
        base = self.base(name)
        counted = []
        for value, bits in self.index.values[name].items():
            n = bits.intersection_cardinality(base)
            if n:
                counted.append((value, n))
        return counted
