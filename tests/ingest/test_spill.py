"""Records and ids kept on disk or in bitmaps (catalog.ingest.spill)."""

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from catalog.ingest.spill import IdSet, Records, SpillDict, batched


class SpillDictTests:
    def test_keys_keep_their_first_position_across_the_file(self):
        store = SpillDict(limit=2)
        for key in "abcde":
            store[key] = key.upper()
        store["b"] = "B2"  # read back from the file and set again
        store["f"] = "F"

        assert store.spilled
        assert list(store.items()) == [
            ("a", "A"),
            ("b", "B2"),
            ("c", "C"),
            ("d", "D"),
            ("e", "E"),
            ("f", "F"),
        ]
        assert len(store) == 6

    def test_values_on_disk_are_found_and_missing_keys_are_not(self):
        store = SpillDict(limit=1)
        store["x"] = {"papers": [1]}
        store["y"] = {"papers": [2]}
        store["z"] = {"papers": [3]}

        assert store.get("x") == {"papers": [1]}
        assert "x" in store and "nope" not in store
        assert store.get("nope", 0) == 0

    def test_keys_never_written_to_disk_are_missing_without_a_query(self):
        """A filter of the keys on disk answers most misses: of 2,000 keys
        never set, at most a few reach the file; every key set is found."""
        store = SpillDict(limit=10)
        for n in range(5000):
            store[f"arxiv:{n}"] = n
        queries = []
        store._flush()
        store._db.set_trace_callback(queries.append)

        missing = [store.get(f"url:{n}") for n in range(2000)]

        assert missing == [None] * 2000
        assert len(queries) <= 5
        assert all(store[f"arxiv:{n}"] == n for n in range(0, 5000, 7))

    def test_a_value_read_back_is_a_copy_until_set_again(self):
        store = SpillDict(limit=1)
        store["x"] = ["a"]
        store["y"] = []
        store["z"] = []
        value = store["x"]
        value.append("b")
        assert store["x"] == ["a"]
        store["x"] = value
        assert store["x"] == ["a", "b"]

    def test_reading_back_crosses_batches(self, monkeypatch):
        from catalog.ingest import spill

        monkeypatch.setattr(spill, "READ_BATCH", 3)
        store = SpillDict(limit=2)
        for n in range(10):
            store[f"{n:02d}"] = n
        assert list(store.values()) == list(range(10))

    @pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="reads /proc")
    def test_no_file_outlives_a_killed_process(self, tmp_path):
        """SIGKILL leaves no chance to clean up: the file of a spilled
        mapping is gone from the temporary directory while still in use."""
        env = dict(os.environ, TMPDIR=str(tmp_path), SQLITE_TMPDIR=str(tmp_path))
        process = subprocess.Popen(
            [sys.executable, "-c", SPILL_AND_WAIT],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        try:
            assert process.stdout.readline() == b"spilled\n"
            fds = Path(f"/proc/{process.pid}/fd")
            held = [os.readlink(fd) for fd in fds.iterdir()]
            # On disk, in TMPDIR (more than SQLite's cache of it).
            assert any(name.startswith(str(tmp_path)) for name in held), held
        finally:
            process.kill()
            process.wait()

        assert list(tmp_path.iterdir()) == []


SPILL_AND_WAIT = """
import sys
from catalog.ingest.spill import SpillDict

store = SpillDict(limit=1)
for n in range(4000):
    store[str(n)] = str(n) * 400
assert store.spilled and store["7"] == "7" * 400
print("spilled", flush=True)
sys.stdin.read()
"""
ROOT = Path(__file__).resolve().parents[2]


class RecordsTests:
    def test_a_view_transforms_filters_and_pickles_as_a_tuple(self):
        store = SpillDict(limit=1)
        for n in range(5):
            store[str(n)] = n
        records = Records(store, transform=lambda n: n * 10, keep=lambda n: n != 20)

        assert list(records) == [0, 10, 30, 40]
        assert list(records) == [0, 10, 30, 40]  # read again
        assert len(records) == 4 and records[1] == 10 and records
        assert records == (0, 10, 30, 40)
        assert pickle.loads(pickle.dumps(records)) == (0, 10, 30, 40)


class IdSetTests:
    def test_membership_length_order_and_difference(self):
        ids = IdSet([5, 1, 1000, 5])
        other = IdSet([5, 7])

        assert (5 in ids, 6 in ids, 10**9 in ids) == (True, False, False)
        assert len(ids) == 3 and list(ids) == [1, 5, 1000]
        difference = ids - other
        assert list(difference) == [1, 1000] and len(difference) == 2
        assert not IdSet() and list(IdSet() - ids) == []


def test_batched_cuts_any_iterable():
    assert list(batched(iter(range(5)), 2)) == [[0, 1], [2, 3], [4]]
    assert list(batched([], 2)) == []
