"""Batches and id sets of an import (catalog.ingest.ids)."""

from catalog.ingest.ids import IdSet, batched


def test_id_sets_hold_membership_length_order_and_difference():
    ids = IdSet([5, 1, 1000, 5])
    other = IdSet([5, 7])

    assert (5 in ids, 6 in ids, 10**9 in ids) == (True, False, False)
    assert len(ids) == 3 and list(ids) == [1, 5, 1000]
    difference = ids - other
    assert list(difference) == [1, 1000] and len(difference) == 2
    assert not IdSet() and list(IdSet() - ids) == []


def test_id_sets_hold_bigint_ids():
    assert 2**40 in IdSet([2**40])


def test_batched_cuts_any_iterable():
    assert list(batched(iter(range(5)), 2)) == [[0, 1], [2, 3], [4]]
    assert list(batched([], 2)) == []
