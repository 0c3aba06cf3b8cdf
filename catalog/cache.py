"""A catalog-wide version: cached pages and data are keyed by it.

Every write (model saves and deletes, m2m changes, imports) sets a new
version, so nothing cached before the write is ever served after it. A
version is a random token, never a counter: if the cache loses it, the next
one is new too, so no process can mistake old data for current.
"""

import threading
import time
import uuid
from contextvars import ContextVar
from typing import NamedTuple

from cachetools import LRUCache
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from catalog import models

VERSION_KEY = "catalog:version"

# name: (version, value) of ``versioned`` values, in this process.
_held: dict[str, tuple[str, object]] = {}
# name: the lock its builders take, so threads build a value once.
_building: dict[str, threading.Lock] = {}
# Seconds a process waits for another process's build of a shared value
# (after an import every web worker needs the new facet index at once),
# and how often it looks; past the wait it builds the value itself.
BUILD_WAIT = 15
BUILD_POLL = 0.05


def _new_version() -> str:
    return uuid.uuid4().hex


# The version a request read first, kept to its end: a page asks for it some
# five times (its cached page, indexes, matches), each a read of the shared
# cache. A request so sees one version throughout, as if it had read the
# catalog at once; its own writes set a new one. Outside requests: None.
_request_version: ContextVar[str | None] = ContextVar("request_version", default=None)
_UNREAD = ""  # in a request that has not read the version yet


def _request_begins(**kwargs) -> None:
    _request_version.set(_UNREAD)


def _request_ends(**kwargs) -> None:
    _request_version.set(None)


request_started.connect(_request_begins)
request_finished.connect(_request_ends)


def catalog_version() -> str:
    held = _request_version.get()
    if held:
        return held
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, _new_version(), timeout=None)
        version = cache.get(VERSION_KEY) or _new_version()
    if held is not None:
        _request_version.set(version)
    return version


def bump_catalog_version(using=None, **kwargs) -> None:
    """Set a new version now and, for a write inside a transaction, again
    when it commits: a reader that took the first version before the commit
    may have cached data read without the write under it."""
    _set_version()
    alias = using or DEFAULT_DB_ALIAS
    if transaction.get_connection(alias).in_atomic_block:
        transaction.on_commit(_set_version, using=alias)


def _set_version() -> None:
    cache.set(VERSION_KEY, _new_version(), timeout=None)
    if _request_version.get() is not None:
        _request_version.set(_UNREAD)  # the request reads its own write


def versioned(name: str, build, timeout: int = 3600):
    """``build()`` as of the current catalog version: held in this process,
    else from the shared cache, else built and stored in both. The shared
    cache keeps one version of each name (a write replaces the last), so
    large values (a facet index) do not pile up as the catalog changes.
    Threads of one process that need a value at once build it once.
    Callers must not change the value (it is shared)."""
    version = catalog_version()
    held = _held.get(name)
    if held is not None and held[0] == version:
        return held[1]
    with _building.setdefault(name, threading.Lock()):
        held = _held.get(name)  # another thread may have built it meanwhile
        if held is not None and held[0] == version:
            return held[1]
        value = _shared(f"catalog:{name}", version, build, timeout)
        _held[name] = (version, value)
    return value


_MISSING = object()


def _shared(key: str, version: str, build, timeout: int):
    """The value of ``version`` from the shared cache; else built here, unless
    another process is building it: then its result, once stored."""
    value = _stored(key, version)
    if value is not _MISSING:
        return value
    lock = f"{key}:building:{version}"
    # False: another process holds the lock. None: the cache is down
    # (django-redis ignoring the error), so nobody can share a build.
    if cache.add(lock, 1, BUILD_WAIT) is False:
        deadline = time.monotonic() + BUILD_WAIT
        while time.monotonic() < deadline:
            time.sleep(BUILD_POLL)
            value = _stored(key, version)
            if value is not _MISSING:
                return value
        # The builder died or is stuck: build here rather than wait on.
    try:
        value = build()
        cache.set(key, (version, value), timeout)
    finally:
        cache.delete(lock)
    return value


def _stored(key: str, version: str):
    shared = cache.get(key)
    if shared is not None and shared[0] == version:
        return shared[1]
    return _MISSING


def connect_signals() -> None:
    for model in (
        models.Topic,
        models.Paper,
        models.Repository,
        models.Translation,
        models.Link,
        models.Source,
        models.ReadingList,
        models.GlossaryTerm,  # expands searches (catalog.search.expansion)
    ):
        post_save.connect(bump_catalog_version, sender=model, weak=False)
        post_delete.connect(bump_catalog_version, sender=model, weak=False)
    for field in (
        models.Paper.topics,
        models.Repository.papers,
        models.Repository.topics,
        models.Link.topics,
    ):
        m2m_changed.connect(bump_catalog_version, sender=field.through, weak=False)


class ProcessLRU:
    """Values of the current catalog version held in this process, least
    recently used dropped first past ``budget`` bytes (each value's size is
    given when it is put). A new version empties it. Thread-safe."""

    def __init__(self, budget: int):
        self._version: str | None = None
        self._items = _sized_lru(budget)
        self._lock = threading.Lock()

    @property
    def budget(self) -> int:
        return int(self._items.maxsize)

    def get(self, key, version: str):
        with self._lock:
            if version != self._version:
                return None
            item = self._items.get(key)  # marks it the most recently used
            return None if item is None else item.value

    def put(self, key, value, *, size: int, version: str) -> None:
        if size > self.budget:
            return
        with self._lock:
            if version != self._version:
                self._items.clear()
                self._version = version
            self._items[key] = _Sized(size, value)

    def resize(self, budget: int) -> None:
        """Hold at most ``budget`` bytes from now on (0: hold nothing): the
        least recently used values go first, as when a value is put."""
        with self._lock:
            old, self._items = self._items, _sized_lru(budget)
            oldest_first = [old.popitem() for _ in range(len(old))]
            kept, size = [], 0
            for key, item in reversed(oldest_first):
                size += item.size
                if size > budget:
                    break
                kept.append((key, item))
            for key, item in reversed(kept):
                self._items[key] = item

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


class _Sized(NamedTuple):
    size: int
    value: object


def _sized_lru(budget: int) -> LRUCache:
    """An LRU cache of ``_Sized`` values holding at most ``budget`` bytes."""
    return LRUCache(maxsize=budget, getsizeof=lambda item: item.size)
