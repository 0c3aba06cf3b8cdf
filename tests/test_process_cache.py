"""Values held in one process for the current catalog version (ProcessLRU)."""

from catalog.cache import ProcessLRU


def test_least_recently_used_values_go_first_past_the_budget():
    held = ProcessLRU(budget=10)
    held.put("a", 1, size=4, version="v")
    held.put("b", 2, size=4, version="v")
    assert held.get("a", "v") == 1  # "b" is now the least recently used
    held.put("c", 3, size=4, version="v")

    assert (held.get("a", "v"), held.get("b", "v"), held.get("c", "v")) == (1, None, 3)


def test_a_new_version_empties_it_and_an_old_one_finds_nothing():
    held = ProcessLRU(budget=10)
    held.put("a", 1, size=1, version="v1")
    assert held.get("a", "v2") is None
    held.put("b", 2, size=1, version="v2")

    assert held.get("a", "v2") is None and held.get("a", "v1") is None
    assert held.get("b", "v2") == 2


def test_a_value_over_the_budget_is_not_held():
    held = ProcessLRU(budget=10)
    held.put("a", 1, size=11, version="v")
    assert held.get("a", "v") is None
    assert ProcessLRU(budget=0).get("a", "v") is None


def test_resizing_to_nothing_drops_what_is_held():
    held = ProcessLRU(budget=10)
    held.put("a", 1, size=5, version="v")
    held.resize(0)

    assert held.get("a", "v") is None
