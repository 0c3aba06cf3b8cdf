import io
import json
import os
import pickle
import re
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from catalog.exports.dump import without_volatile
from catalog.ingest import ahead, ids
from catalog.ingest import importer as importers
from catalog.ingest.parsing import ParseError
from catalog.ingest.report import Reporter
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
        monkeypatch.setenv("COLUMNS", "500")  # wide enough for the whole path
        call_command("import_lists", str(small_list), stdout=io.StringIO(), stderr=err)

        drawn = re.sub(r"\x1b\[[0-9;]*m", "", err.getvalue())  # colours
        assert f"1/1 lists · 0/? entries · {small_list}" in drawn  # begun
        assert f"1/1 lists · 3/3 entries · {small_list}" in drawn  # all written
        assert "\x1b[2K" in drawn  # the bar is cleared at the end
        assert not drawn.rstrip("\x1b[?25h\r\n").endswith("entries")

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


class ParseErrorTests:
    def test_parse_errors_cross_processes_with_their_file_and_line(self):
        error = pickle.loads(pickle.dumps(ParseError("bad", name="a.md", line=3)))

        assert (error.name, error.line, str(error)) == ("a.md", 3, "a.md:3: bad")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
class KilledImportTests:
    def test_a_killed_import_leaves_no_child_and_no_temporary_file(self, tmp_path):
        """kill -9 mid-run: the worker parsing ahead does not outlive it and
        no temporary file is left behind."""
        tmp_dir = tmp_path / "tmp"
        tmp_dir.mkdir()
        env = dict(
            os.environ,
            DJANGO_SETTINGS_MODULE="dlresources.settings",
            DATABASE_URL=f"sqlite:///{tmp_path / 'unused.sqlite3'}",
            TMPDIR=str(tmp_dir),
            SQLITE_TMPDIR=str(tmp_dir),
        )
        paths = [str(LIST_DIR / f"{seed}.txt") for seed in SEEDS]
        importer = subprocess.Popen(
            [sys.executable, "-c", KILLED_MID_IMPORT, *paths],
            cwd=Path(__file__).resolve().parents[2],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        try:
            assert importer.stdout.readline() == b"parsed\n"
            children = _descendants(importer.pid)
            assert children  # the worker parsing the next list ahead
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
        assert list(tmp_dir.iterdir()) == []


# Imports a list and hangs once it is parsed, until killed.
KILLED_MID_IMPORT = """
import sys

import django

django.setup()
from catalog.ingest import parsing

parse = parsing.parse_list_file


def parse_and_hang(*args, **kwargs):
    parsed = parse(*args, **kwargs)
    assert parsed.papers
    print("parsed", flush=True)
    sys.stdin.read()


parsing.parse_list_file = parse_and_hang
from catalog.ingest import ahead, importer

ahead.AHEAD_BYTES = 0  # the next list parsed by a worker

importer.import_reading_lists(paths=sys.argv[1:])
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
    """A long list's entries are written BATCH at a time: the catalog is the
    same as when one batch holds them all."""

    @pytest.fixture
    def tiny_batches(self, monkeypatch):
        monkeypatch.setattr(ids, "BATCH", 3)

    @pytest.mark.parametrize("seed", SEEDS)
    def test_a_seed_written_in_small_batches_exports_its_golden_file(
        self, seed, tiny_batches, capsys
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
    def test_corpus_lists_import_the_same_in_small_batches(self, monkeypatch, capsys):
        paths = [str(p) for p in corpus_paths()][:8]

        def import_and_export():
            run(*paths)
            capsys.readouterr()
            call_command("export_catalog", "--format", "json")
            # Ids and times differ between two imports of the same lists.
            export = without_volatile(json.loads(capsys.readouterr().out))
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

        whole = import_and_export()
        monkeypatch.setattr(ids, "BATCH", 7)
        batched = import_and_export()

        assert whole["papers"]
        whole.pop("documents"), batched.pop("documents")  # ids differ
        assert batched == whole


@pytest.mark.django_db
def test_progress_follows_each_list_batch_by_batch(monkeypatch):
    """Progress names each list as it begins, then the entries written after
    every batch, up to the list's total; the run's share never goes back."""
    monkeypatch.setattr(ids, "BATCH", 7)

    class Heard(Reporter):
        counts_entries = True

        def __init__(self):
            self.heard = []
            self.closed = False

        def update(self, progress):
            self.heard.append(progress)

        def close(self):
            self.closed = True

    reporter = Heard()
    importers.import_reading_lists(paths=[LIST_DIR], reporter=reporter)
    heard = reporter.heard
    assert reporter.closed

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


@pytest.mark.django_db(transaction=True)
class ParsedAheadTests:
    """Past AHEAD_BYTES of later lists, a worker process parses the next list
    while the current one is written: the same catalog and reports."""

    def run_and_export(self, paths, capsys):
        out = run(*paths)
        capsys.readouterr()
        call_command("export_catalog", "--format", "json")
        # Ids and times differ between two imports of the same lists.
        export = without_volatile(json.loads(capsys.readouterr().out))
        call_command("flush", "--no-input", verbosity=0)
        return out, export

    def test_lists_parsed_ahead_import_as_lists_parsed_in_turn(
        self, monkeypatch, capsys
    ):
        paths = [str(LIST_DIR / f"{seed}.txt") for seed in SEEDS]
        paths += [str(p) for p in corpus_paths()][:3]
        monkeypatch.setattr(ahead, "AHEAD_BYTES", 10**12)
        in_turn = self.run_and_export(paths, capsys)
        monkeypatch.setattr(ahead, "AHEAD_BYTES", 0)
        submitted = []
        submit = ProcessPoolExecutor.submit
        monkeypatch.setattr(
            ProcessPoolExecutor,
            "submit",
            lambda pool, fn, *a, **k: submitted.append(fn) or submit(pool, fn, *a, **k),
        )

        parsed_ahead = self.run_and_export(paths, capsys)

        assert len(submitted) == len(paths) - 1
        assert parsed_ahead == in_turn
        assert in_turn[1]["papers"]

    @pytest.mark.parametrize(
        "limit, handed_out", [(10**9, 4), (1, 1)], ids=["all-ahead", "one-ahead"]
    )
    def test_the_worker_runs_ahead_up_to_the_byte_limit(
        self, monkeypatch, tmp_path, limit, handed_out
    ):
        monkeypatch.setattr(ahead, "AHEAD_BYTES", 0)
        monkeypatch.setattr(ahead, "AHEAD_LIMIT", limit)
        paths = []
        for n in range(5):
            path = tmp_path / f"{n}.md"
            path.write_text(f"# T\n- [P](https://arxiv.org/abs/2101.0000{n})\n")
            paths.append(str(path))
        started = []
        start = ahead._start
        monkeypatch.setattr(
            ahead, "_start", lambda path, *a: started.append(path) or start(path, *a)
        )

        lists = ahead.parsed_lists(paths)
        first = next(lists)

        # The first list is parsed here, the worker is handed the next ones.
        assert started == paths[: 1 + handed_out]
        assert first.parsed.papers and first.path == paths[0]
        assert [item.path for item in lists] == paths[1:]

    def test_a_list_failing_in_the_worker_fails_alone(
        self, monkeypatch, tmp_path, capsys
    ):
        monkeypatch.setattr(ahead, "AHEAD_BYTES", 0)
        good = tmp_path / "good.md"
        good.write_text("# T\n- [P](https://arxiv.org/abs/2101.00001)\n")
        deep = tmp_path / "deep.md"
        deep.write_text("# T\n\n" + "".join(f"{'  ' * n}- x\n" for n in range(80)))
        later = tmp_path / "later.md"
        later.write_text("# T\n- [Q](https://arxiv.org/abs/2101.00002)\n")

        with pytest.raises(CommandError, match="1 list"):
            call_command("import_lists", str(good), str(deep), str(later))

        assert "deep.md:" in capsys.readouterr().out
        assert sorted(Paper.objects.values_list("key", flat=True)) == [
            "arxiv:2101.00001",
            "arxiv:2101.00002",
        ]
