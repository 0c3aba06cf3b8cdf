import io
import json
import os
import pickle
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from catalog.ingest import importer as importers
from catalog.ingest.parsing import ParseError
from catalog.models import (
    Link,
    Paper,
    PaperSearch,
    ReadingList,
    Repository,
    Source,
    Topic,
)
from catalog.search.indexing import PAPER_FIELDS, build_documents
from tests.corpus import corpus_paths
from tests.golden import LIST_DIR, SEEDS, golden_diff, load_golden

SMALL_LIST = """\
# Deep Learning

## LSTM

- [Regularizing and Optimizing LSTM Language Models - Salesforce2017](https://arxiv.org/abs/1708.02182)

    **Code**: <https://github.com/salesforce/awd-lstm-lm> (PyTorch)

- [Understanding LSTM Networks - 2015](https://colah.github.io/posts/2015-08-Understanding-LSTMs/)
"""


def run(*args, stdin=None) -> str:
    out = io.StringIO()
    call_command("import_lists", *args, stdout=out, stderr=io.StringIO(), stdin=stdin)
    return out.getvalue()


def catalog_size() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Topic, Paper, Repository, Link, Source))


@pytest.fixture
def small_list(tmp_path) -> Path:
    path = tmp_path / "small.md"
    path.write_text(SMALL_LIST, encoding="utf-8")
    return path


@pytest.mark.django_db
class ImportListsCommandTests:
    def test_imports_a_file_and_reports_counts_per_list(self, small_list):
        """The summary names the list and its created counts."""
        output = run(str(small_list))

        assert "small.md" in output
        assert "1 created" not in output  # totals are summed over kinds
        assert Paper.objects.get().key == "arxiv:1708.02182"
        assert Repository.objects.get().framework == "pytorch"
        assert Link.objects.get().url.startswith("https://colah.github.io/")

    def test_a_terminal_sees_a_progress_bar_and_a_log_does_not(
        self, small_list, monkeypatch
    ):
        """On a terminal the run draws a bar (lists and entries written) on
        standard error and clears it; elsewhere (a CI log) nothing."""
        import sys

        err = io.StringIO()
        call_command("import_lists", str(small_list), stdout=io.StringIO(), stderr=err)
        assert err.getvalue() == ""

        monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
        call_command("import_lists", str(small_list), stdout=io.StringIO(), stderr=err)

        drawn = err.getvalue()
        assert "[------------------------] 1/1 lists · " in drawn
        assert "[########################] 1/1 lists · " in drawn
        assert drawn.endswith("3/3 entries\r\033[K")

    def test_second_run_reports_nothing_to_do(self, small_list):
        """Importing the same list again changes nothing and says so."""
        run(str(small_list))
        before = catalog_size()

        output = run(str(small_list))

        assert catalog_size() == before
        assert "0 created, 0 updated" in output
        assert "unchanged since the last import" in output

    def test_directories_are_walked_for_lists(self, tmp_path, small_list):
        """A directory imports every .md/.markdown/.txt file below it."""
        nested = tmp_path / "more" / "deeper"
        nested.mkdir(parents=True)
        (nested / "seed.txt").write_bytes(
            (LIST_DIR / "003_1d7f973795d1461c.txt").read_bytes()
        )
        (nested / "ignored.json").write_text("{}")

        run(str(tmp_path))

        assert set(ReadingList.objects.values_list("path", flat=True)) == {
            "small.md",
            "seed.txt",
        }

    def test_standard_input_is_read_for_dash(self):
        """`-` reads one list from standard input."""
        stdin = io.TextIOWrapper(io.BytesIO(SMALL_LIST.encode()), encoding="utf-8")

        run("-", stdin=stdin)

        assert Paper.objects.count() == 1

    def test_dry_run_writes_nothing(self, small_list):
        """--dry-run reports what would change and leaves the catalog empty."""
        output = run(str(small_list), "--dry-run")

        assert "dry run" in output
        assert catalog_size() == (0, 0, 0, 0, 0)

    @pytest.mark.parametrize(
        ("content", "message"),
        [
            (b"", "empty"),
            (b"# Title\n\x00\x01\x02binary", "binary"),
            (b"# Title\n\nok line\n\xff\xfe bad", "bad.md:4"),
        ],
        ids=["empty", "binary", "not-utf8"],
    )
    def test_bad_file_fails_alone_naming_file_and_line(
        self, tmp_path, small_list, content, message
    ):
        """A bad list changes nothing, the others import, and the exit is non-zero."""
        bad = tmp_path / "bad.md"
        bad.write_bytes(content)

        with pytest.raises(CommandError) as excinfo:
            out = io.StringIO()
            call_command("import_lists", str(bad), str(small_list), stdout=out)
        output = out.getvalue()

        assert "1 list(s) failed" in str(excinfo.value)
        assert "bad.md" in output
        assert message in output
        assert Paper.objects.count() == 1
        assert not ReadingList.objects.filter(path="bad.md").exists()

    def test_file_over_the_size_limit_is_refused(self, tmp_path, settings):
        """Lists larger than IMPORT_MAX_BYTES are refused with a clear error."""
        settings.IMPORT_MAX_BYTES = 100
        big = tmp_path / "big.md"
        big.write_text("# T\n" + "- [x](https://example.org)\n" * 20)

        with pytest.raises(CommandError):
            call_command("import_lists", str(big), stdout=io.StringIO())

        assert not Topic.objects.exists()

    def test_utf8_with_bom_is_accepted(self, tmp_path):
        """A byte-order mark before the first heading is not part of the heading."""
        path = tmp_path / "bom.md"
        path.write_bytes(b"\xef\xbb\xbf" + SMALL_LIST.encode())

        run(str(path))

        assert Topic.objects.filter(path="Deep Learning").exists()

    def test_missing_file_is_reported(self, tmp_path):
        """A path that does not exist is an error naming it."""
        out = io.StringIO()
        with pytest.raises(CommandError):
            call_command("import_lists", str(tmp_path / "nope.md"), stdout=out)

        assert "nope.md" in out.getvalue()


def papers(count: int, *, nested_after: int = 0, depth: int = 0) -> str:
    """A list of ``count`` papers; notes nested ``depth`` bullets deep below
    paper ``nested_after``."""
    lines = ["# T", ""]
    for n in range(count):
        lines.append(f"- [P{n}](https://arxiv.org/abs/1901.{n:05d})")
        if n == nested_after:
            lines += ["  " * level + "- a note" for level in range(1, depth + 1)]
    return "\n".join(lines) + "\n"


@pytest.mark.django_db
class NestedListImportTests:
    def test_nested_notes_keep_every_entry_under_prune(self, tmp_path):
        """Ten levels of notes (markdown-it's commonmark preset stopped at
        them) hide none of the entries after them: --prune deletes none."""
        path = tmp_path / "papers.md"
        path.write_text(papers(100))
        run(str(path))

        path.write_text(papers(100, nested_after=2, depth=10))
        output = run(str(path), "--prune")

        assert Paper.objects.count() == 100
        assert "pruned" not in output

    def test_a_list_nested_too_deeply_changes_nothing_under_prune(self, tmp_path):
        path = tmp_path / "papers.md"
        path.write_text(papers(100))
        run(str(path))

        path.write_text(papers(100, nested_after=2, depth=3000))
        out = io.StringIO()
        with pytest.raises(CommandError, match="papers.md"):
            call_command("import_lists", str(path), "--prune", stdout=out)

        assert "papers.md:54: nested too deeply" in out.getvalue()
        assert Paper.objects.count() == 100


@pytest.mark.django_db
class ReadListTests:
    """A list is read once, and only a regular file or standard input."""

    def test_a_pipe_is_refused_and_prune_deletes_nothing(self, tmp_path):
        """Process substitution (/dev/fd/N) or /dev/stdin of a pipe: reading
        it twice found nothing the second time, and --prune deleted every
        entry of the list."""
        path = tmp_path / "small.md"
        path.write_text(SMALL_LIST)
        run(str(path))
        before = catalog_size()
        read, write = os.pipe()
        os.write(write, SMALL_LIST.encode())
        os.close(write)
        path.unlink()
        path.symlink_to(f"/dev/fd/{read}")
        out = io.StringIO()
        try:
            with pytest.raises(CommandError, match="small.md"):
                call_command("import_lists", str(path), "--prune", stdout=out)
        finally:
            os.close(read)

        assert "small.md: not a regular file (a FIFO or pipe)" in out.getvalue()
        assert catalog_size() == before

    def test_a_named_fifo_is_refused_without_waiting_for_a_writer(self, tmp_path):
        fifo = tmp_path / "list.md"
        os.mkfifo(fifo)
        outcome = []
        reader = threading.Thread(
            target=lambda: outcome.append(_read_error(fifo)), daemon=True
        )
        reader.start()
        reader.join(timeout=5)
        if reader.is_alive():  # blocked in open(): give it a writer
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
            reader.join()
            pytest.fail("opening the FIFO waited for a writer")

        assert outcome == [
            f"{fifo}: not a regular file (a FIFO or pipe); "
            "give a file, or - for standard input"
        ]

    def test_a_character_device_is_refused_before_reading(self):
        """/dev/zero never ends and says it is empty (its size is 0)."""
        assert _read_error("/dev/zero").startswith(
            "/dev/zero: not a regular file (a character device)"
        )

    def test_standard_input_past_the_limit_fails_having_read_one_byte_more(
        self, settings
    ):
        settings.IMPORT_MAX_BYTES = 10_000
        stdin = EndlessList()

        with pytest.raises(ParseError, match="-: file is larger than the limit"):
            importers.read_list("-", stdin=stdin)

        assert stdin.given == 10_001

    def test_a_directory_holding_no_list_fails_naming_it(self, tmp_path, small_list):
        """The other lists of the run still import; the exit is non-zero."""
        empty = tmp_path / "empty"
        (empty / "notes").mkdir(parents=True)
        (empty / "notes" / "readme.rst").write_text("# not a list")
        out = io.StringIO()

        with pytest.raises(CommandError, match="empty"):
            call_command("import_lists", str(empty), str(small_list), stdout=out)

        assert f"{empty}: a directory holding no lists" in out.getvalue()
        assert Paper.objects.count() == 1


def _read_error(path) -> str:
    try:
        importers.read_list(path)
    except ParseError as exc:
        return str(exc)
    return "read"


class EndlessList(io.RawIOBase):
    """Standard input that never ends: counts the bytes it gave."""

    given = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        size = min(len(buffer), 1 << 16)
        buffer[:size] = b"- x\n" * (size // 4) + b"-" * (size % 4)
        self.given += size
        return size


class ParseAheadTests:
    """With lists enough, a worker process parses the next list while one is
    written: same records, same errors, same order."""

    def test_lists_parsed_in_a_worker_equal_lists_parsed_in_process(self, monkeypatch):
        paths = sorted(LIST_DIR.glob("*.txt")) * 2
        in_process = [
            parsed() for _, parsed in importers._parsed_lists(paths, stdin=None)
        ]
        monkeypatch.setattr(importers, "PARALLEL_PARSE_BYTES", 0)
        here = []
        parse = importers._parse
        monkeypatch.setattr(
            importers,
            "_parse",
            lambda source, name, *a: here.append(name) or parse(source, name, *a),
        )

        ahead = [parsed() for _, parsed in importers._parsed_lists(paths, stdin=None)]

        assert [name for name, _, _ in ahead] == [p.name for p in paths]
        assert ahead == in_process
        # Only the first list was parsed here: the worker parsed the others.
        assert here == [paths[0].name]

    @pytest.mark.parametrize(("ahead_bytes", "submitted"), [(0, 1), (10**9, 3)])
    def test_the_worker_parses_lists_ahead_up_to_a_byte_budget(
        self, monkeypatch, ahead_bytes, submitted
    ):
        """While the first list is written, the worker holds the next list,
        or as many as PARSE_AHEAD_BYTES allows (a late large list is ready in
        time); the lists still come back in order."""
        paths = sorted(LIST_DIR.glob("*.txt")) * 2
        monkeypatch.setattr(importers, "PARALLEL_PARSE_BYTES", 0)
        monkeypatch.setattr(importers, "PARSE_AHEAD_BYTES", ahead_bytes)
        calls = []
        submit = importers._submit
        monkeypatch.setattr(
            importers, "_submit", lambda *a, **k: calls.append(a[1]) or submit(*a, **k)
        )
        lists = importers._parsed_lists(paths, stdin=None)

        next(lists)[1]()
        assert calls == paths[1 : 1 + submitted]
        rest = [parsed()[0] for _, parsed in lists]

        assert rest == [p.name for p in paths[1:]]
        assert calls == paths[1:]

    def test_a_bad_list_read_ahead_fails_alone_naming_its_file_and_line(
        self, tmp_path, small_list, monkeypatch
    ):
        bad = tmp_path / "bad.md"
        bad.write_bytes(b"# Title\n\nok line\n\xff\xfe bad")
        monkeypatch.setattr(importers, "PARALLEL_PARSE_BYTES", 0)

        results = []
        for _, parsed in importers._parsed_lists([small_list, bad], stdin=None):
            try:
                results.append(parsed()[0])
            except ParseError as exc:
                results.append(str(exc))

        assert results[0] == "small.md"
        assert "bad.md:4" in results[1]

    def test_a_long_list_alone_is_tokenized_with_a_worker_to_the_same_records(
        self, monkeypatch
    ):
        """A list of SHARED_PARSE_BYTES or more, parsed with no worker busy
        (a single list), shares its sections with a worker process."""
        from catalog.ingest import parsing

        path = LIST_DIR / "004_a4353365c8c44131.txt"
        alone = importers._parsed_lists([path], stdin=None)
        in_process = next(alone)[1]()
        monkeypatch.setattr(importers, "SHARED_PARSE_BYTES", 0)
        monkeypatch.setattr(parsing, "SECTION_LINES", 20)
        pools = []
        parse = parsing.parse_list_file
        monkeypatch.setattr(
            parsing,
            "parse_list_file",
            lambda source, **k: pools.append(k.get("pool")) or parse(source, **k),
        )

        shared = next(importers._parsed_lists([path], stdin=None))[1]()

        assert pools and pools[0] is not None
        assert shared == in_process

    def test_a_long_list_is_parsed_here_if_its_worker_dies(self, monkeypatch):
        from concurrent.futures.process import BrokenProcessPool

        from catalog.ingest import parsing

        path = LIST_DIR / "004_a4353365c8c44131.txt"
        expected = next(importers._parsed_lists([path], stdin=None))[1]()
        monkeypatch.setattr(importers, "SHARED_PARSE_BYTES", 0)
        parse = parsing.parse_list_file
        pools = []

        def worker_dies(source, *, pool=None, **kwargs):
            pools.append(pool)
            if pool is not None:
                raise BrokenProcessPool("killed")
            return parse(source, **kwargs)

        monkeypatch.setattr(parsing, "parse_list_file", worker_dies)

        assert next(importers._parsed_lists([path], stdin=None))[1]() == expected
        assert pools[0] is not None and pools[-1] is None

    def test_lists_read_ahead_are_parsed_here_if_the_worker_dies(self, monkeypatch):
        """The worker process dies (killed, out of memory) with lists queued:
        those lists, and the ones after, are parsed in this process."""
        import os
        from concurrent.futures import ProcessPoolExecutor

        paths = sorted(LIST_DIR.glob("*.txt")) * 2
        in_process = [
            parsed() for _, parsed in importers._parsed_lists(paths, stdin=None)
        ]

        class DyingPool(ProcessPoolExecutor):
            """Its worker exits before the second list it is given."""

            submitted = 0

            def submit(self, fn, *args, **kwargs):
                DyingPool.submitted += 1
                if DyingPool.submitted == 2:
                    super().submit(os._exit, 1)
                return super().submit(fn, *args, **kwargs)

        monkeypatch.setattr(importers, "ProcessPoolExecutor", DyingPool)
        monkeypatch.setattr(importers, "PARALLEL_PARSE_BYTES", 0)
        monkeypatch.setattr(importers, "PARSE_AHEAD_BYTES", 0)

        survived = [
            parsed() for _, parsed in importers._parsed_lists(paths, stdin=None)
        ]

        assert DyingPool.submitted == len(paths) - 1
        assert survived == in_process

    def test_parse_errors_cross_processes_with_their_file_and_line(self):
        error = pickle.loads(pickle.dumps(ParseError("bad", name="a.md", line=3)))

        assert (error.name, error.line, str(error)) == ("a.md", 3, "a.md:3: bad")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
class KilledImportTests:
    def test_a_killed_import_leaves_no_worker_and_no_spill_file(self, tmp_path):
        """kill -9 mid-run, its parse worker up and its records spilled to
        disk: the worker exits soon after and no file is left behind."""
        spill_dir = tmp_path / "tmp"
        spill_dir.mkdir()
        env = dict(
            os.environ,
            DJANGO_SETTINGS_MODULE="dlresources.settings",
            DATABASE_URL=f"sqlite:///{tmp_path / 'unused.sqlite3'}",
            TMPDIR=str(spill_dir),
            SQLITE_TMPDIR=str(spill_dir),
        )
        path = LIST_DIR / "004_a4353365c8c44131.txt"
        importer = subprocess.Popen(
            [sys.executable, "-c", KILLED_MID_IMPORT, str(path)],
            cwd=Path(__file__).resolve().parents[2],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        try:
            assert importer.stdout.readline() == b"parsed\n"
            children = _descendants(importer.pid)
            assert children  # the worker (and multiprocessing's tracker)
        finally:
            importer.kill()
            importer.wait()

        deadline = time.monotonic() + 5
        while _alive(children) and time.monotonic() < deadline:
            time.sleep(0.05)
        left = _alive(children)
        for pid in left:
            os.kill(pid, signal.SIGKILL)
        assert not left
        assert list(spill_dir.iterdir()) == []


# Imports a list in sections shared with a worker, records spilled past two,
# and hangs once they are parsed, until killed.
KILLED_MID_IMPORT = """
import sys

import django

django.setup()
from catalog.ingest import importer as importers
from catalog.ingest import parsing, spill

spill.SPILL_AFTER = 2
parsing.SECTION_LINES = 5
importers.SHARED_PARSE_BYTES = 0
parse = importers._parse


def parse_and_hang(*args):
    parsed = parse(*args)
    assert parsed.papers.source.spilled
    print("parsed", flush=True)
    sys.stdin.read()


importers._parse = parse_and_hang
importers.import_reading_lists(paths=sys.argv[1:])
"""


def _descendants(pid: int) -> list[int]:
    """The processes below ``pid`` (Linux: read from /proc)."""
    parents = {}
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat_file.read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended meanwhile
            continue
        parents[int(stat_file.parent.name)] = int(fields[1])
    found = [pid]
    for parent in found:
        found += [child for child, of in parents.items() if of == parent]
    return found[1:]


def _alive(pids: list[int]) -> list[int]:
    """Those of ``pids`` still running (a zombie has ended)."""
    alive = []
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            alive.append(pid)
    return alive


@pytest.mark.django_db
class ImportCorpusTests:
    def test_every_corpus_list_imports_without_error(self):
        """All real-world lists import; their links land in the catalog."""
        paths = [str(p) for p in corpus_paths()]

        output = run(*paths)
        before = catalog_size()
        again = run(*paths)

        assert "ERROR" not in output
        assert Paper.objects.count() > 1000
        assert catalog_size() == before
        assert "0 created, 0 updated" in again


@pytest.mark.django_db
class LongListTests:
    """A long list's records wait on disk and are written BATCH at a time:
    the catalog is the same as when they all fit in memory."""

    @pytest.fixture
    def tiny_memory(self, monkeypatch):
        from catalog.ingest import spill

        monkeypatch.setattr(spill, "SPILL_AFTER", 2)
        monkeypatch.setattr(importers, "BATCH", 3)

    @pytest.mark.parametrize("seed", SEEDS)
    def test_a_seed_with_records_on_disk_exports_its_golden_file(
        self, seed, tiny_memory, capsys
    ):
        path = LIST_DIR / f"{seed}.txt"
        call_command("import_lists", str(path), verbosity=0)
        capsys.readouterr()
        call_command("export_catalog", "--format", "json")

        problems = golden_diff(load_golden(seed), json.loads(capsys.readouterr().out))

        assert not problems, "export differs from golden:\n  " + "\n  ".join(problems)
        again = run(str(path))
        assert "0 created, 0 updated" in again and "missing" not in again.lower()

    # Committed imports: the catalog is flushed between the two.
    @pytest.mark.django_db(transaction=True)
    def test_corpus_lists_import_the_same_with_records_on_disk(
        self, monkeypatch, capsys
    ):
        from catalog.ingest import spill

        paths = [str(p) for p in corpus_paths()][:8]

        def import_and_export():
            run(*paths)
            capsys.readouterr()
            call_command("export_catalog", "--format", "json")
            export = json.loads(capsys.readouterr().out)
            export["provenance"] = sorted(
                map(
                    repr,
                    Source.objects.values_list(
                        "reading_list__path",
                        "line",
                        "topic__path",
                        "paper__key",
                        "repository__key",
                        "translation__url",
                        "link__url",
                    ),
                )
            )
            # Search documents written from the records equal those read back.
            rows = Paper.objects.order_by("pk").values_list(*PAPER_FIELDS)
            export["documents"] = {
                pk: document.text
                for pk, document in build_documents(rows, "default").items()
            }
            assert export["documents"] == dict(
                PaperSearch.objects.values_list("paper_id", "document")
            )
            call_command("flush", "--no-input", verbosity=0)
            return export

        in_memory = import_and_export()
        monkeypatch.setattr(spill, "SPILL_AFTER", 40)
        monkeypatch.setattr(importers, "BATCH", 7)
        on_disk = import_and_export()

        assert in_memory["papers"]
        in_memory.pop("documents"), on_disk.pop("documents")  # ids differ
        assert on_disk == in_memory


@pytest.mark.django_db
def test_progress_follows_each_list_batch_by_batch(monkeypatch):
    """Progress names each list as it begins, then the entries written after
    every batch, up to the list's total; the run's share never goes back."""
    monkeypatch.setattr(importers, "BATCH", 7)
    heard = []

    importers.import_reading_lists(paths=[LIST_DIR], on_progress=heard.append)

    lists = sorted({p.path for p in heard})
    assert len(lists) == len(SEEDS) == heard[0].lists
    for path in lists:
        steps = [(p.done, p.total) for p in heard if p.path == path]
        total = steps[-1][1]
        assert steps[0] == (0, 0) and steps[-1] == (total, total) and total > 7
        done = [0] + [done for done, _ in steps[1:]]
        assert all(0 < b - a <= 7 for a, b in zip(done, done[1:], strict=False))
    shares = [p.fraction for p in heard]
    assert shares == sorted(shares) and shares[-1] == 1.0
