"""Import benchmark: the corpus and synthetic lists, on PostgreSQL and SQLite.

Each measurement runs in a fresh subprocess on an empty database and prints
entries per second and the process's peak resident memory, so memory growth
with list size is visible. Usage:

    python bench/bench_import.py [--sizes 10000,100000] [--databases postgres,sqlite]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from markdown_it import MarkdownIt

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("DLR_CORPUS_DIR", ROOT.parent / "shared" / "corpus"))
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/dlr_bench")
VENUES = ["NeurIPS", "ICML", "ICLR", "CVPR", "ACL", "EMNLP", "AAAI", "KDD"]
FRAMEWORKS = ["PyTorch", "TensorFlow", "Keras", "JAX"]
WORDS = [
    "deep", "residual", "attention", "graph", "neural", "network", "transformer",
    "convolutional", "recurrent", "learning", "representation", "adversarial",
    "generative", "optimization", "sparse", "efficient", "contrastive", "language",
    "vision", "detection", "segmentation", "self-supervised",
]  # fmt: skip
CJK = [
    "卷积",
    "神经网络",
    "目标检测",
    "生成对抗网络",
    "注意力机制",
    "预训练",
    "梯度",
    "优化",
]


def synthetic_list(
    entries: int, seed: int = 7, first: int = 0, topic_size: int = 50
) -> str:
    """A liuyaox-style list: topics of ``topic_size`` entries, papers with
    code and notes.

    Entry ``i`` (from ``first``) is arXiv paper YYMM.iiiii, or past the five
    digits of arXiv numbers, OpenReview paper i: lists of disjoint ranges of
    ``i`` hold different papers."""
    rng = random.Random(seed)
    lines = ["# Synthetic reading list", ""]
    for i in range(first, first + entries):
        if i % topic_size == 0 or i == first:
            n = i // topic_size
            lines += [f"## {n + 1}. Topic {n}", "", "#### Paper", ""]
        year = 2012 + i % 12
        arxiv = f"{year % 100:02d}{(i % 12) + 1:02d}.{i:05d}"
        title = " ".join(rng.choice(WORDS).capitalize() for _ in range(6))
        venue = rng.choice(VENUES)
        url = (
            f"https://arxiv.org/abs/{arxiv}"
            if i < 100_000
            else f"https://openreview.net/pdf?id=Syn{i}"
        )
        lines.append(f"- [{title} - Org{year}]({url}) {venue} {year}")
        lines.append("")
        lines.append(f"    {rng.choice(CJK)}：{rng.choice(CJK)}的改进方法。")
        lines.append("")
        if i % 3 == 0:
            fw = rng.choice(FRAMEWORKS)
            lines.append(
                f"    **Code**: <https://github.com/owner{i % 997}/repo{i}> ({fw})"
            )
            lines.append("")
    return "\n".join(lines) + "\n"


def worker(paths: list[str]) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dlresources.settings")
    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.core.management import call_command

    from catalog.ingest.importer import import_reading_lists

    call_command("migrate", verbosity=0)
    base_rss = peak_rss_mb()
    children = ChildPeaks()
    started = time.perf_counter()
    with children:
        result = import_reading_lists(paths=paths)
    elapsed = time.perf_counter() - started
    entries = sum(
        c.created + c.updated + c.unchanged
        for r in result.reports
        for kind, c in r.counts.items()
        if kind != "topics"
    )
    return {
        "entries": entries,
        "seconds": elapsed,
        "errors": [r.error for r in result.failed],
        "peak_rss_mb": peak_rss_mb(),
        "base_rss_mb": base_rss,
        "worker_peak_rss_mb": children.peak_mb,
    }


class ChildPeaks:
    """The largest peak resident memory (VmHWM) of this process's children
    (the parse worker), read every 20 ms while they live (from
    /proc/self/task/*/children, so no scan of every process): an exec'd child's
    VmHWM counts its own memory only, and it never falls, so the last
    reading before the child exits is its peak, give or take 20 ms."""

    def __init__(self, every: float = 0.02):
        self.every = every
        self.peak_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _watch(self) -> None:
        tasks = Path("/proc/self/task")
        while not self._stop.wait(self.every):
            for children in tasks.glob("*/children"):
                try:
                    pids = children.read_text().split()
                except OSError:
                    continue
                for pid in pids:
                    self.peak_mb = max(self.peak_mb, _hwm_mb(pid))


def _hwm_mb(pid: str) -> float:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass  # exited
    return 0.0


def bare_parse_seconds(paths: list[str], rounds: int = 3) -> float:
    """The best of ``rounds`` times markdown-it-py takes to tokenize these
    files, read as the importer reads them: the yardstick of the import's
    speed (it should take at most twice as long)."""
    texts = [Path(p).read_text(encoding="utf-8-sig") for p in paths]
    md = MarkdownIt("commonmark")
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        for text in texts:
            md.parse(text)
        best = min(best, time.perf_counter() - started)
    return best


def peak_rss_mb() -> float:
    """This process's peak resident memory since it started.

    Linux's ``ru_maxrss`` starts from the parent's resident size at fork
    (kept across exec), so a worker would report at least the main
    process's size; VmHWM counts this program's own memory only.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def fresh_database(kind: str, workdir: Path) -> str:
    if kind == "sqlite":
        path = workdir / f"bench-{time.monotonic_ns()}.sqlite3"
        return f"sqlite:///{path}"
    name = PG_URL.rsplit("/", 1)[1]
    admin = PG_URL.rsplit("/", 1)[0] + "/postgres"
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return PG_URL


def measure(kind: str, paths: list[str], workdir: Path) -> dict:
    env = dict(os.environ, DATABASE_URL=fresh_database(kind, workdir))
    out = subprocess.run(
        [sys.executable, __file__, "--worker", *paths],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def cases(sizes: str, workdir: Path) -> list[tuple[str, list[str]]]:
    """(label, paths) of each measurement: the corpus, then synthetic lists."""
    found = []
    if CORPUS.is_dir():
        corpus = sorted(str(p) for p in CORPUS.glob("*.md") if p.name != "FORMATS.md")
        found.append((f"corpus ({len(corpus)} lists)", corpus))
    for size in [int(s) for s in sizes.split(",") if s]:
        path = workdir / f"synthetic-{size}.md"
        path.write_text(synthetic_list(size), encoding="utf-8")
        found.append((f"synthetic {size:,}", [str(path)]))
    return found


def show(database: str, label: str, m: dict) -> None:
    rate = m["entries"] / m["seconds"] if m["seconds"] else 0
    print(
        f"{database:9} {label:22} {m['entries']:>8,} entries "
        f"{m['seconds']:8.2f} s {rate:10,.0f} entries/s "
        f"peak RSS {m['peak_rss_mb']:7.1f} MB "
        f"({m['base_rss_mb']:.0f} MB before importing; "
        f"parse worker {m['worker_peak_rss_mb']:.0f} MB)"
        + (f"  ERRORS: {m['errors']}" if m["errors"] else ""),
        flush=True,
    )


def show_yardstick(paths: list[str], seconds: float) -> None:
    bare = bare_parse_seconds(paths)
    print(
        f"{'':9} bare markdown-it-py parse of the corpus {bare:.2f} s: the "
        f"import takes {seconds / bare:.1f}x as long (target: at most 2x)",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,50000,100000")
    parser.add_argument("--databases", default="postgres,sqlite")
    parser.add_argument("--worker", nargs="*")
    args = parser.parse_args()
    if args.worker is not None:
        print(json.dumps(worker(args.worker)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        measured = cases(args.sizes, workdir)
        for database in args.databases.split(","):
            for label, paths in measured:
                m = measure(database, paths, workdir)
                show(database, label, m)
                if label.startswith("corpus"):
                    show_yardstick(paths, m["seconds"])


if __name__ == "__main__":
    main()
