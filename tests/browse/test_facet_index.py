"""The facet index on plain ids: bitmaps, selections and disjunctive counts."""

import pickle

from catalog.browse.facets import index as index_module
from catalog.browse.facets.index import (
    Dimension,
    FacetIndex,
    Selection,
    any_of,
    bits_of,
    in_spans,
    union,
    yes_or_no,
)


def ids_in(bits) -> list[int]:
    return list(bits)


# Six entries: id -> (year, venue, has code)
ENTRIES = {
    1: (2017, "ICML", True),
    2: (2018, "ICML", False),
    3: (2018, "NeurIPS", True),
    5: (2019, "", False),
    8: (None, "NeurIPS", False),
    70: (2019, "ICLR", True),
}


def index():
    return FacetIndex.build(
        ENTRIES,
        [
            Dimension(
                "year",
                lambda: [(y, i) for i, (y, _, _) in ENTRIES.items()],
                select=in_spans,
            ),
            Dimension("venue", lambda: [(v, i) for i, (_, v, _) in ENTRIES.items()]),
            Dimension(
                "has_code",
                lambda: [(True, i) for i, (_, _, c) in ENTRIES.items() if c],
                select=yes_or_no,
            ),
        ],
        labels={"venue": [("ICML", "International Conference on ML")]},
        # Newest first, the entry without a year last; ties by id, highest first.
        orders={"newest": lambda: [70, 5, 3, 2, 1, 8]},
    )


def test_bits_round_trip_any_ids_in_any_order():
    ids = [70, 0, 9, 8, 1, 1000, 7]

    assert ids_in(bits_of(ids)) == sorted(ids)
    assert ids_in(bits_of([])) == [] and not bits_of([])


def test_a_bitmap_answers_for_ids_inside_and_beyond_its_span():
    members = bits_of([3, 64])

    assert 3 in members and 64 in members
    assert 4 not in members and 65 not in members and 10**6 not in members


def test_a_value_far_from_zero_costs_its_own_ids_not_the_span_below():
    high = [10**6, 10**6 + 5, 10**6 + 9]
    bits = bits_of(high)

    assert ids_in(bits) == high and len(bits) == 3
    assert bits.intersection_cardinality(bits_of([5, 10**6 + 5, 10**6 + 9, 10**7])) == 2
    assert len(pickle.dumps(bits)) < 200
    assert ids_in(union([])) == [] and ids_in(union([bits_of([2]), bits])) == [2, *high]


def test_an_index_survives_pickling_as_the_shared_cache_keeps_it():
    built = index()
    copy = pickle.loads(pickle.dumps(built))

    assert copy.values == built.values and copy.entries == built.entries
    assert copy.in_order("newest", copy.entries, 0, 6) == [70, 5, 3, 2, 1, 8]


def test_build_keeps_labels_and_leaves_out_empty_values_and_missing_entries():
    built = FacetIndex.build(
        [1, 2],
        [Dimension("venue", lambda: [("ICML", 1), ("", 2), (None, 2), ("X", None)])],
    )

    assert {v: ids_in(b) for v, b in built.full("venue").items()} == {"ICML": [1]}
    assert ids_in(built.entries) == [1, 2]
    assert index().labels == {"venue": {"ICML": "International Conference on ML"}}


def test_finish_turns_the_bits_by_value_into_what_the_facet_counts():
    built = FacetIndex.build(
        [1, 2, 3],
        [
            Dimension(
                "topic",
                lambda: [("child", 1), ("parent", 2)],
                finish=lambda v: {**v, "parent": v["parent"] | v["child"]},
            )
        ],
    )

    assert ids_in(built.full("topic")["parent"]) == [1, 2]


def test_selectors_pick_values_spans_and_yes_or_no():
    built = index()
    years, venues = built.full("year"), built.full("venue")
    code = built.full("has_code")

    assert ids_in(any_of(venues, ["ICML", "ICLR", "unknown"], built.entries)) == [
        1,
        2,
        70,
    ]
    assert ids_in(in_spans(years, [(2018, 2018), (None, 2017)], built.entries)) == [
        1,
        2,
        3,
    ]
    assert ids_in(in_spans(years, [(2019, None)], built.entries)) == [5, 70]
    assert ids_in(yes_or_no(code, True, built.entries)) == [1, 3, 70]
    assert ids_in(yes_or_no(code, False, built.entries)) == [2, 5, 8]


def test_a_facets_own_filter_does_not_narrow_its_counts():
    built = index()
    venue = any_of(built.full("venue"), ["ICML"], built.entries)
    year = in_spans(built.full("year"), [(2018, 2018)], built.entries)
    selection = Selection(built, built.entries, {"venue": venue, "year": year})

    assert selection.total == 1  # entry 2: ICML in 2018
    # Venues under the year filter alone; years under the venue filter alone.
    assert dict(selection.counts("venue")) == {"ICML": 1, "NeurIPS": 1}
    assert dict(selection.counts("year")) == {2017: 1, 2018: 1}
    assert dict(selection.counts("has_code")) == {}  # entry 2 has none
    assert selection.count("has_code", True) == 0


def test_the_universe_bounds_every_count():
    built = index()
    selection = Selection(built, bits_of([3, 8, 70]), {})

    assert selection.total == 3
    assert dict(selection.counts("venue")) == {"NeurIPS": 2, "ICLR": 1}
    assert selection.base("venue") == bits_of([3, 8, 70])


def test_leading_values_hold_the_first_results_in_their_order():
    """Sorted by year, newest first (no year last), where do the first n
    results lie? Among the results of the years that come first."""
    selection = Selection(index(), bits_of(ENTRIES), {"venue": bits_of([2, 3, 5, 70])})
    newest = [2019, 2018, 2017]

    assert ids_in(selection.leading("year", newest, 1)) == [5, 70]
    assert ids_in(selection.leading("year", newest, 2)) == [5, 70]
    assert ids_in(selection.leading("year", newest, 3)) == [2, 3, 5, 70]
    assert ids_in(selection.leading("year", [2017, 2018], 1)) == [2, 3]
    # More than the years hold: the entries without a year come too.
    everything = Selection(index(), bits_of(ENTRIES), {})
    assert ids_in(everything.leading("year", newest, 6)) == sorted(ENTRIES)


def test_a_page_of_entries_is_picked_in_a_held_order():
    """``in_order`` reads the page at an offset of any entries, in the order
    the index was given, whatever their ids."""
    built = index()

    assert built.in_order("newest", bits_of(ENTRIES), 0, 2) == [70, 5]
    assert built.in_order("newest", bits_of([1, 8, 3]), 0, 10) == [3, 1, 8]
    assert built.in_order("newest", bits_of([1, 8, 3]), 1, 1) == [1]
    assert built.in_order("newest", bits_of([1, 8, 3]), 3, 5) == []


def test_many_entries_are_picked_in_the_held_order_as_few_are(monkeypatch):
    """Past SMALL_SORT entries ``in_order`` sorts in numpy: the same pages,
    at any offset, as the heap gives."""
    ids = list(range(1, 20_000, 2))
    shuffled = sorted(ids, key=lambda i: (i * 7919) % 20_011)
    built = FacetIndex.build(ids, [], orders={"added": lambda: shuffled})
    some = bits_of(ids[::3])
    pages = [(0, 25), (25, 25), (100, 7), (len(some) - 3, 25), (len(some), 5)]
    assert len(some) > index_module.SMALL_SORT

    large = [built.in_order("added", some, *page) for page in pages]
    monkeypatch.setattr(index_module, "SMALL_SORT", 10**9)
    small = [built.in_order("added", some, *page) for page in pages]

    assert large == small
    assert large[0][:3] == [i for i in shuffled if i in some][:3]
    assert len(large[3]) == 3 and large[4] == []


def test_entries_written_after_the_index_read_its_entries_are_left_out():
    """Read one query at a time, a sort or a facet may name an entry that the
    index's entries do not hold (written meanwhile): it is left out, never
    an IndexError (a 500 while lists were imported)."""
    built = FacetIndex.build(
        [1, 2],
        [Dimension("venue", lambda: [("ICML", 1), ("ICML", 900), ("ICLR", 901)])],
        orders={"newest": lambda: [900, 2, 1]},
    )

    assert built.in_order("newest", built.entries, 0, 10) == [2, 1]
    assert Selection(built, built.entries, {}).counts("venue") == [("ICML", 1)]
