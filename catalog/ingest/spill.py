"""Mappings and id sets whose memory stays flat in the number of entries.

A long reading list's parse and import keep a record (or an id) per entry
until the list is written. Past a few thousand entries these live on disk, in
a temporary SQLite file, so the import of a 100,000-entry list needs about
the memory of a 10,000-entry one. Pure Python (``sqlite3`` is in the
standard library); no Django.
"""

from __future__ import annotations

import pickle
import sqlite3
import weakref
from collections.abc import Callable, Iterable, Iterator
from itertools import islice

from catalog.browse.facets.index import ids_in

# Values a SpillDict keeps in memory before it writes them to its file.
SPILL_AFTER = 4000
# Values read back per statement when iterating a spilled mapping.
READ_BATCH = 1000
# Bits of a spilled mapping's filter of the keys on disk (1 MiB): a key it
# never saw is answered without a query. Two bits a key: at 100,000 keys
# on disk some 0.06% of missing keys still query, at 1,000,000 some 5%.
FILTER_BITS = 1 << 23


def batched(items: Iterable, size: int) -> Iterator[list]:
    """Lists of ``size`` items (the last one shorter), from any iterable."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


class SpillDict:
    """An insertion-ordered mapping holding at most ``limit`` values in memory.

    The others are pickled into a temporary SQLite file, which is deleted
    with the mapping. A value read back from the file is a copy: a caller
    that changes a value sets it again (which costs nothing for a value still
    in memory). Keys are strings; a key keeps the position it was first set
    at, as in a dict.
    """

    def __init__(self, limit: int | None = None):
        self.limit = SPILL_AFTER if limit is None else limit
        self._memory: dict = {}
        self._db: sqlite3.Connection | None = None
        self._on_disk = bytearray()  # the filter of the keys on disk
        self._next = 0  # the position of the next key first set
        self._finalizer = None

    # -- mapping ----------------------------------------------------------------

    def get(self, key, default=None):
        value = self._memory.get(key, _MISSING)
        if value is not _MISSING:
            return value
        if self._db is None or not self._may_be_on_disk(key):
            return default
        row = self._db.execute(
            "SELECT value FROM records WHERE key = ?", (key,)
        ).fetchone()
        return default if row is None else pickle.loads(row[0])

    def _may_be_on_disk(self, key) -> bool:
        bits = self._on_disk
        return all(bits[i >> 3] >> (i & 7) & 1 for i in _filter_bits(key))

    def __getitem__(self, key):
        value = self.get(key, _MISSING)
        if value is _MISSING:
            raise KeyError(key)
        return value

    def __contains__(self, key) -> bool:
        return self.get(key, _MISSING) is not _MISSING

    def __setitem__(self, key, value) -> None:
        self._memory[key] = value
        if len(self._memory) > self.limit:
            self._flush()

    def __len__(self) -> int:
        if self._db is None:
            return len(self._memory)
        self._flush()
        return self._db.execute("SELECT count(*) FROM records").fetchone()[0]

    def __iter__(self) -> Iterator:
        for key, _ in self.items():
            yield key

    def values(self) -> Iterator:
        for _, value in self.items():
            yield value

    def items(self) -> Iterator[tuple]:
        """(key, value) pairs in the order the keys were first set."""
        if self._db is None:
            yield from list(self._memory.items())
            return
        self._flush()
        last = -1
        while True:
            rows = self._db.execute(
                "SELECT position, key, value FROM records WHERE position > ? "
                "ORDER BY position LIMIT ?",
                (last, READ_BATCH),
            ).fetchall()
            for _, key, value in rows:
                yield key, pickle.loads(value)
            if len(rows) < READ_BATCH:
                return
            last = rows[-1][0]

    @property
    def spilled(self) -> bool:
        return self._db is not None

    def close(self) -> None:
        """Close the file now (it is closed with the mapping anyway)."""
        if self._finalizer is not None:
            self._finalizer()
        self._db = None
        self._memory = {}
        self._on_disk = bytearray()

    # -- the file ---------------------------------------------------------------

    def _flush(self) -> None:
        if not self._memory:
            return
        if self._db is None:
            self._db = self._open()
            self._on_disk = bytearray(FILTER_BITS // 8)
        known = set()
        keys = list(self._memory)
        for chunk in batched(keys, 500):
            marks = ",".join("?" * len(chunk))
            known.update(
                key
                for (key,) in self._db.execute(
                    f"SELECT key FROM records WHERE key IN ({marks})", chunk
                )
            )
        rows = []
        bits = self._on_disk
        for key, value in self._memory.items():
            for i in _filter_bits(key):
                bits[i >> 3] |= 1 << (i & 7)
            data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
            if key in known:
                rows.append((None, key, data))
            else:
                rows.append((self._next, key, data))
                self._next += 1
        # A key met before keeps its position; a new one takes the next.
        self._db.executemany(
            "INSERT INTO records (position, key, value) VALUES (?, ?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            rows,
        )
        self._memory = {}

    def _open(self) -> sqlite3.Connection:
        # A private temporary database (https://www.sqlite.org/inmemorydb.html
        # #temp_db): on Unix SQLite unlinks its file (in $SQLITE_TMPDIR,
        # $TMPDIR or /var/tmp) right after creating it, so no file outlives
        # the process, even one killed.
        db = sqlite3.connect("", isolation_level=None, check_same_thread=False)
        # Scratch data: no journal, no waiting for the disk, a small cache.
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        db.execute("PRAGMA cache_size = -1024")  # KiB
        db.execute(
            "CREATE TABLE records (key TEXT PRIMARY KEY, position INTEGER, value BLOB)"
        )
        db.execute("CREATE INDEX records_position ON records (position)")
        db.execute("BEGIN")
        self._finalizer = weakref.finalize(self, db.close)
        return db


_MISSING = object()


def _filter_bits(key) -> tuple[int, int]:
    """The two filter bits of a key (from its hash: this process only)."""
    h = hash(key)
    return h & (FILTER_BITS - 1), (h >> 32) & (FILTER_BITS - 1)


class Records:
    """A re-iterable view of a mapping's values, optionally transformed and
    filtered: what a parsed list holds, whether in memory or spilled."""

    def __init__(
        self,
        source: SpillDict | dict,
        transform: Callable | None = None,
        keep: Callable | None = None,
    ):
        self.source = source
        self.transform = transform
        self.keep = keep

    def __iter__(self) -> Iterator:
        for value in self.source.values():
            if self.transform is not None:
                value = self.transform(value)
            if self.keep is None or self.keep(value):
                yield value

    def __len__(self) -> int:
        if self.keep is None:
            return len(self.source)
        return sum(1 for _ in self)

    def __bool__(self) -> bool:
        return next(iter(self), _MISSING) is not _MISSING

    def __getitem__(self, index):
        # Tests and small lists index a parsed list's records.
        return list(self)[index]

    def __eq__(self, other) -> bool:
        if isinstance(other, Records | tuple | list):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None

    def __reduce__(self):
        # Sent to another process (a parsing worker) as the tuple it reads.
        return (tuple, (tuple(self),))

    def __repr__(self) -> str:
        return f"Records({list(self)!r})"


class IdSet:
    """A set of non-negative integer ids as a bitmap: one bit per id up to
    the largest, so 1,000,000 ids take 125 KB instead of some 60 MB."""

    def __init__(self, ids: Iterable[int] = ()):
        self._bits = bytearray()
        self._count = 0
        for pk in ids:
            self.add(pk)

    def add(self, pk: int) -> None:
        byte, bit = pk >> 3, 1 << (pk & 7)
        if byte >= len(self._bits):
            self._bits.extend(bytes(max(byte + 1 - len(self._bits), len(self._bits))))
        if not self._bits[byte] & bit:
            self._bits[byte] |= bit
            self._count += 1

    def update(self, ids: Iterable[int]) -> None:
        for pk in ids:
            self.add(pk)

    def __contains__(self, pk) -> bool:
        byte = pk >> 3
        return byte < len(self._bits) and bool(self._bits[byte] >> (pk & 7) & 1)

    def __len__(self) -> int:
        return self._count

    def __bool__(self) -> bool:
        return self._count > 0

    @property
    def bits(self) -> int:
        """The ids as a bitset (catalog.browse.facets.index's form)."""
        return int.from_bytes(self._bits, "little")

    def __iter__(self) -> Iterator[int]:
        return iter(ids_in(self.bits))

    def __sub__(self, other: IdSet) -> IdSet:
        return IdSet(ids_in(self.bits & ~other.bits))
