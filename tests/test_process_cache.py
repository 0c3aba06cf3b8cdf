"""Values held in one process for the current catalog version (ProcessLRU)."""

import threading

import pytest
from django.core.cache import cache
from django.core.management import call_command

from catalog import cache as catalog_cache
from catalog.cache import ProcessLRU, catalog_version, versioned
from tests.golden import LIST_DIR


@pytest.fixture
def seeds(db):
    call_command("import_lists", str(LIST_DIR), verbosity=0)


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


def test_a_process_waits_for_another_processs_build_instead_of_building_too(
    monkeypatch,
):
    """After an import every web worker needs the new facet index at once:
    one builds it, the others take its result from the shared cache."""
    monkeypatch.setattr(catalog_cache, "BUILD_POLL", 0.01)
    name = "test-shared-build"
    version = catalog_version()
    key = f"catalog:{name}"
    # Another process holds the build lock and stores its value a little later.
    assert cache.add(f"{key}:building:{version}", 1, 60)
    later = threading.Timer(0.2, cache.set, args=(key, (version, "theirs")))
    later.start()
    try:
        assert versioned(name, lambda: "ours") == "theirs"
    finally:
        later.cancel()


def test_a_process_builds_itself_when_the_other_builder_never_finishes(monkeypatch):
    monkeypatch.setattr(catalog_cache, "BUILD_POLL", 0.01)
    monkeypatch.setattr(catalog_cache, "BUILD_WAIT", 0.1)
    name = "test-stuck-build"
    version = catalog_version()
    key = f"catalog:{name}"
    assert cache.add(f"{key}:building:{version}", 1, 60)  # never released

    assert versioned(name, lambda: "ours") == "ours"
    assert cache.get(key) == (version, "ours")
    # Its own lock is gone once stored: the next version's build can begin.
    assert cache.get(f"{key}:building:{version}") is None


def test_a_failed_build_releases_the_lock():
    name = "test-failed-build"
    version = catalog_version()

    def fail():
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        versioned(name, fail)

    assert cache.get(f"catalog:{name}:building:{version}") is None
    assert versioned(name, lambda: "ours") == "ours"


def test_a_cache_that_is_down_never_makes_a_build_wait(monkeypatch):
    """django-redis ignoring a connection error answers None to everything."""

    class DeadCache:
        def __getattr__(self, name):
            return lambda *args, **kwargs: None

    monkeypatch.setattr(catalog_cache, "BUILD_WAIT", 30)
    monkeypatch.setattr(catalog_cache, "cache", DeadCache())
    monkeypatch.setattr(
        catalog_cache.time, "sleep", lambda s: pytest.fail("waited on a dead cache")
    )

    assert versioned("test-dead-cache", lambda: "ours") == "ours"


class CountingCache:
    """The shared cache, its reads counted by key."""

    def __init__(self, inner):
        self.inner = inner
        self.reads = []

    def get(self, key, *args, **kwargs):
        self.reads.append(key)
        return self.inner.get(key, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.inner, name)


def test_a_request_reads_the_version_from_the_shared_cache_once(
    client, seeds, monkeypatch
):
    """A search page asks for the version some five times (its cached page,
    facet index, matches...); the shared cache is read once."""
    client.get("/papers/", {"q": "dropout"})  # builds what the page needs
    counted = CountingCache(cache)
    monkeypatch.setattr(catalog_cache, "cache", counted)

    client.get("/papers/", {"q": "lstm", "venue": "NeurIPS"})

    assert counted.reads.count(catalog_cache.VERSION_KEY) == 1


def test_a_request_sees_one_version_but_its_own_writes(db):
    """Another process's write shows from the next request on; the
    request's own write at once. Outside requests, every read is fresh."""
    catalog_cache._request_begins()
    try:
        first = catalog_version()
        cache.set(catalog_cache.VERSION_KEY, "another-process")
        assert catalog_version() == first
        catalog_cache.bump_catalog_version()
        own = catalog_version()
        assert own not in (first, "another-process")
    finally:
        catalog_cache._request_ends()
    cache.set(catalog_cache.VERSION_KEY, "another-process")
    assert catalog_version() == "another-process"
