"""A search's matches as arrays: the pages they give are the ranking's,
best rank first and ties by id, however the arrays hold them."""

import random

import numpy as np
from pyroaring import BitMap

from catalog.browse.matches import Matches, Ranked, best_first
from catalog.search.priors import PaperWeights


def _scored(pairs):
    return Ranked.of([pk for pk, _ in pairs], [rank for _, rank in pairs])


def _expected(pairs, members=None):
    kept = [(pk, r) for pk, r in pairs if members is None or pk in members]
    return [pk for pk, _ in sorted(kept, key=lambda p: (-p[1], p[0]))]


def _pairs(count, seed):
    rng = random.Random(seed)
    ids = rng.sample(range(1, 10 * count), count)
    # Few distinct ranks: many ties, across every page boundary.
    return [(pk, rng.choice([0.1, 0.25, 0.5, 1.0])) for pk in ids]


def test_first_page_is_the_best_ranks_with_ties_broken_by_id():
    pairs = _pairs(500, seed=1)
    expected = _expected(pairs)
    for offset in (0, 25, 475):
        matches = Matches(_scored(pairs), ranked=True)
        assert matches.page(None, offset, 25) == expected[offset : offset + 25]


def test_later_pages_read_the_same_order_once_sorted():
    pairs = _pairs(300, seed=2)
    expected = _expected(pairs)
    matches = Matches(_scored(pairs), ranked=True)
    pages = [matches.page(None, offset, 25) for offset in range(0, 300, 25)]
    assert sum(pages, []) == expected
    assert matches.page(None, 300, 25) == []


def test_pages_among_members_keep_only_members_in_rank_order():
    pairs = _pairs(400, seed=3)
    members = BitMap(pk for pk, _ in pairs[::3])
    members.add(10**6)  # a member the search does not match
    expected = _expected(pairs, members)
    first = Matches(_scored(pairs), ranked=True)
    assert first.page(members, 0, 25) == expected[:25]
    assert first.page(members, 25, 25) == expected[25:50]
    assert first.page(members, 10**4, 25) == []


def test_pages_are_plain_ints():
    matches = Matches(_scored([(7, 0.5), (3, 0.5)]), ranked=True)
    assert [type(pk) for pk in matches.page(None, 0, 25)] == [int, int]
    assert matches.page(None, 0, 25) == [3, 7]


def test_best_first_of_more_than_there_are_is_all_of_them():
    ids = np.array([5, 1, 9], dtype=np.uint32)
    ranks = np.array([0.2, 0.2, 0.9])
    assert ids[best_first(ids, ranks, 10)].tolist() == [9, 1, 5]
    assert best_first(ids, ranks, 0).tolist() == []


def test_paper_weights_weigh_listed_papers_and_one_for_others():
    weights = PaperWeights(np.array([2, 8], dtype=np.uint32), np.array([1.5, 1.25]))
    ids = np.array([8, 3, 2, 100], dtype=np.uint32)
    assert weights.of(ids).tolist() == [1.25, 1.0, 1.5, 1.0]
    assert weights.get(2) == 1.5
    assert weights.get(5) == 1.0
    empty = PaperWeights(np.array([], dtype=np.uint32), np.array([]))
    assert empty.of(ids).tolist() == [1.0] * 4
