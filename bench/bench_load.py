"""Load benchmark: the site under concurrent clients, alone and during an import.

gunicorn (2 sync workers, as deployed behind a proxy: DEBUG off, a random
secret key, HTTPS forwarded, the page cache in Redis shared by both workers)
serves bench_web.py's synthetic 100,000-paper catalog. For each page, 8
clients on loopback (threads, each on its own keep-alive connection, which a
sync worker closes after every response) request it back to back for 20 s;
the table gives requests per second, p50/p95/max latency (from sending the
request to reading the whole response) and errors: responses other than
2xx/3xx, and connection errors or timeouts (60 s). A hello-world view is the
baseline.

The whole measurement then runs again while ``manage.py import_lists`` imports
synthetic lists (bench_import.py's generator, 25,000 new papers each) one
after another into the database the server reads, from before the first page
until the last page is done. Each import sets a new catalog version, which
retires the cached pages and facet indexes. This phase runs on a copy of the
catalog made for it (CREATE DATABASE ... TEMPLATE) and dropped afterwards, so
the catalog stays as built and every run starts from the same one.

    BENCH_WEB_DATABASE_URL=postgres://postgres@127.0.0.1:5432/dlr_benchweb \\
    BENCH_LOAD_REDIS_URL=redis://127.0.0.1:6379/7 \\
        python bench/bench_load.py [--seconds 20] [--clients 8] [--rebuild]

The catalog is built in BENCH_WEB_DATABASE_URL if it holds none (as
``bench_web.py`` builds it; ``--rebuild`` replaces it) and reused otherwise.
The Redis database BENCH_LOAD_REDIS_URL names is emptied at the start.

A folder of logs is kept (its name is printed): per phase, the server's
output with an access log (each response's worker and time) and the SQL
statements seen running over 1 s; the imports' reports. Exceptions the
server logged are counted under each table.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE_URL = os.environ.get(
    "BENCH_WEB_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dlr_benchweb"
)
REDIS_URL = os.environ.get("BENCH_LOAD_REDIS_URL", "redis://127.0.0.1:6379/7")
# The catalog's database is bench_web's, never the site's own DATABASE_URL.
os.environ["DATABASE_URL"] = DATABASE_URL
os.environ["DJANGO_SETTINGS_MODULE"] = "dlresources.settings"

from bench_import import synthetic_list  # noqa: E402
from bench_web import (  # noqa: E402
    PROXY_HEADERS,
    ensure_postgres_database,
    http_server,
    prepare_catalog,
    request_path,
)

TIMEOUT = 60  # s a client waits for a response (gunicorn's worker timeout: 30)
# The application_name of the server's and the import's database sessions.
SERVER_APP, IMPORT_APP = "bench-load-server", "bench-load-import"
# Each response's worker and time in the server's log.
ACCESS_LOG = (
    "--access-logfile",
    "-",
    "--access-logformat",
    '%(t)s %(p)s "%(r)s" %(s)s %(B)s %(M)sms',
)


@dataclass
class Measurement:
    label: str
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)  # ms, answered requests
    statuses: Counter = field(default_factory=Counter)
    failures: Counter = field(default_factory=Counter)  # exception names
    body_bytes: int = 0
    client_cpu: float = 0.0  # share of one core used by this process (clients)
    machine_cpu: float = 0.0  # share of all cores busy (any process)
    others_cpu: float = 0.0  # share of all cores used outside this benchmark
    window: tuple[float, float] = (0.0, 0.0)

    @property
    def requests(self) -> int:
        return len(self.latencies) + sum(self.failures.values())

    @property
    def errors(self) -> int:
        bad = sum(n for status, n in self.statuses.items() if not 200 <= status < 400)
        return bad + sum(self.failures.values())

    def percentile(self, p: int) -> float:
        if len(self.latencies) < 2:
            return self.latencies[0] if self.latencies else float("nan")
        return statistics.quantiles(self.latencies, n=100)[p - 1]


def cpu_ticks() -> tuple[int, int]:
    """(busy, total) jiffies of all cores since boot, from /proc/stat."""
    with open("/proc/stat", encoding="ascii") as stat:
        values = [int(v) for v in stat.readline().split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    return sum(values) - idle, sum(values)


def process_ticks() -> dict[int, tuple[int, str, int]]:
    """{pid: (parent pid, name, CPU jiffies used)} of every process, from
    /proc."""
    processes = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(
                f"/proc/{entry.name}/stat", encoding="ascii", errors="replace"
            ) as f:
                stat = f.read()
        except OSError:  # gone meanwhile
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        # After the name: state, ppid, ... utime, stime.
        ticks = int(fields[11]) + int(fields[12])
        processes[int(entry.name)] = (int(fields[1]), name, ticks)
    return processes


SHARED_SERVICES = {"postgres", "redis-server"}


def others_ticks(before: dict, after: dict) -> int:
    """The CPU jiffies spent between two process_ticks() by processes that
    are not this benchmark's (this process, its servers, imports and their
    workers) nor the shared services (PostgreSQL, Redis). A process that
    started meanwhile counts whole; one that ended meanwhile is missed, so
    this is a lower bound."""
    ours: dict[int, bool] = {os.getpid(): True}

    def is_ours(pid: int) -> bool:
        if pid not in ours:
            parent = after.get(pid, (0,))[0]
            ours[pid] = parent > 1 and is_ours(parent)
        return ours[pid]

    total = 0
    for pid, (_, name, ticks) in after.items():
        if name in SHARED_SERVICES or is_ours(pid):
            continue
        total += ticks - (before[pid][2] if pid in before else 0)
    return max(total, 0)


def load(port: int, label: str, url: str, clients: int, seconds: float):
    """``clients`` threads GET ``url`` back to back for ``seconds``."""
    path = request_path(url)
    result = Measurement(label)
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)
    deadline = 0.0

    def client():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
        latencies, statuses, failures, body = [], Counter(), Counter(), 0
        start.wait()
        while time.perf_counter() < deadline:
            sent = time.perf_counter()
            try:
                # Reopens the connection when the server closed it.
                connection.request("GET", path, headers=PROXY_HEADERS)
                response = connection.getresponse()
                body += len(response.read())
            except (OSError, http.client.HTTPException) as exc:
                failures[type(exc).__name__] += 1
                connection.close()
                continue
            latencies.append((time.perf_counter() - sent) * 1000)
            statuses[response.status] += 1
        connection.close()
        with lock:
            result.latencies += latencies
            result.statuses.update(statuses)
            result.failures.update(failures)
            result.body_bytes += body

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    cpu_before, ticks_before = time.process_time(), cpu_ticks()
    processes_before = process_ticks()
    began = time.perf_counter()
    deadline = began + seconds
    start.wait()
    for thread in threads:
        thread.join(seconds + TIMEOUT + 10)
    ended = time.perf_counter()
    busy, total = (a - b for a, b in zip(cpu_ticks(), ticks_before, strict=True))
    result.seconds = ended - began
    result.window = (began, ended)
    result.client_cpu = (time.process_time() - cpu_before) / result.seconds
    result.machine_cpu = busy / total if total else 0.0
    result.others_cpu = others_ticks(processes_before, process_ticks()) / (
        os.sysconf("SC_CLK_TCK") * result.seconds * (os.cpu_count() or 1)
    )
    return result


def warm_up(port: int, pages: list[tuple[str, str]]) -> None:
    """One request per page (the workers' first queries, caches): each must
    answer 200, not a redirect (to HTTPS) or an error."""
    for label, url in pages:
        for _ in range(2):  # each of the two workers, most likely
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
            try:
                connection.request("GET", request_path(url), headers=PROXY_HEADERS)
                response = connection.getresponse()
                response.read()
            finally:
                connection.close()
            if response.status != 200:
                raise SystemExit(
                    f"{label} ({url}) answered {response.status} "
                    f"{response.getheader('Location') or ''}"
                )


@dataclass
class ImportRun:
    path: str
    started: float
    ended: float | None = None
    returncode: int | None = None
    created: int | None = None
    updated: int | None = None


class ImportLoop(threading.Thread):
    """``manage.py import_lists`` of one synthetic list after another, into
    the database ``env`` names, until stopped; the run in progress then
    finishes. Each list holds new papers (and topics, repositories) while
    its keys last, so every import writes."""

    def __init__(self, env: dict, workdir: Path, entries: int, log):
        super().__init__(daemon=True)
        self.env, self.workdir, self.entries, self.log = env, workdir, entries, log
        self.stopping = threading.Event()
        self.runs: list[ImportRun] = []
        self.next_path = self._write(0)  # before the clock starts

    def _write(self, n: int) -> Path:
        path = self.workdir / f"bench-load-{n:03d}.md"
        # Topics of 2,500 entries (not 50): some 10 new top-level topics a
        # list, not 500, so the home page, which lists them all, stays about
        # the size it is on the catalog alone.
        text = synthetic_list(
            self.entries, seed=n, first=n * self.entries, topic_size=2500
        )
        path.write_text(text, "utf-8")
        return path

    def run(self) -> None:
        n, path = 0, self.next_path
        while not self.stopping.is_set():
            run = ImportRun(path.name, time.perf_counter())
            self.runs.append(run)
            self.log.write(f"== import {path.name}\n")
            self.log.flush()
            process = subprocess.Popen(
                [sys.executable, "manage.py", "import_lists", str(path)],
                cwd=ROOT,
                env=self.env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            n += 1
            following = self._write(n)  # while this one imports
            output = process.communicate()[0]
            run.ended, run.returncode = time.perf_counter(), process.returncode
            self.log.write(output)
            self.log.flush()
            if match := re.search(r"(\d+) created, (\d+) updated", output):
                run.created, run.updated = int(match[1]), int(match[2])
            path.unlink()
            path = following
        path.unlink(missing_ok=True)

    def share_of(self, window: tuple[float, float]) -> float:
        """The share of ``window`` during which an import process ran."""
        began, ended = window
        now = time.perf_counter()
        covered = sum(
            max(0.0, min(ended, run.ended or now) - max(began, run.started))
            for run in self.runs
        )
        return covered / (ended - began)


class SlowQueries(threading.Thread):
    """Statements of ``database`` running over ``threshold`` seconds, as
    pg_stat_activity shows them every half second: each one's longest age
    seen, the waits it was seen in (a lock, I/O...) and its text. Sessions
    are told apart by application_name (the server's, the import's)."""

    def __init__(self, database: str, threshold: float = 1.0):
        super().__init__(daemon=True)
        self.database, self.threshold = database, threshold
        self.stopping = threading.Event()
        self.seen: dict[tuple, dict] = {}  # (pid, query_start): what was seen

    def run(self) -> None:
        import psycopg

        admin = DATABASE_URL.split("?")[0].rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            while not self.stopping.wait(0.5):
                rows = conn.execute(
                    "SELECT pid, query_start, application_name,"
                    " extract(epoch FROM clock_timestamp() - query_start),"
                    " wait_event_type, wait_event, query FROM pg_stat_activity"
                    " WHERE datname = %s AND state = 'active'"
                    " AND clock_timestamp() - query_start > %s * interval '1 second'",
                    [self.database, self.threshold],
                ).fetchall()
                for pid, started, app, age, wait_type, wait, query in rows:
                    entry = self.seen.setdefault(
                        (pid, started),
                        {"app": app, "age": 0.0, "waits": Counter(), "query": query},
                    )
                    entry["age"] = max(entry["age"], float(age))
                    entry["waits"][f"{wait_type}:{wait}" if wait_type else "CPU"] += 1

    def report(self, log) -> list[dict]:
        """Write every slow statement to ``log``, longest first; return the
        server's."""
        entries = sorted(self.seen.values(), key=lambda e: -e["age"])
        for e in entries:
            log.write(
                f"{e['age']:7.1f} s  {e['app']}  waits {dict(e['waits'])}\n"
                f"    {' '.join(e['query'].split())[:2000]}\n"
            )
        return [e for e in entries if e["app"] == SERVER_APP]


def server_problems(log: Path) -> Counter:
    """The exceptions (a traceback's last line) and gunicorn's errors (a
    worker timed out or killed) in a server's output, with their counts."""
    problems = Counter()
    previous = ""
    with open(log, encoding="utf-8", errors="replace") as lines:
        for line in lines:
            line = line.rstrip("\n")
            if "[CRITICAL]" in line or "[ERROR]" in line:
                problems[line.split("] ", 2)[-1]] += 1
            elif (
                previous.startswith(" ")
                and line
                and not line[0].isspace()
                and not line.startswith(("[", "Internal Server Error"))
            ):
                problems[line] += 1  # the exception closing a traceback
            previous = line
    return problems


def print_table(
    title: str,
    results: list[Measurement],
    slow: list,
    problems: Counter,
    imports=None,
) -> None:
    print(f"\n{title}")
    head = (
        f"{'page':30} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} "
        f"{'errors':>6} {'KB/resp':>7} {'busy':>5} {'others':>6} {'client':>6}"
    )
    print(head + (f" {'import':>7}" if imports else ""))
    print("-" * (len(head) + (8 if imports else 0)))
    for m in results:
        answered = len(m.latencies)
        line = (
            f"{m.label:30} {m.requests / m.seconds:7.1f} {m.percentile(50):7.1f} "
            f"{m.percentile(95):7.1f} {max(m.latencies, default=0):7.0f} "
            f"{m.errors:6d} {m.body_bytes / 1024 / max(answered, 1):7.1f} "
            f"{m.machine_cpu:5.0%} {m.others_cpu:6.0%} {m.client_cpu:6.0%}"
        )
        if imports:
            line += f" {imports.share_of(m.window):7.0%}"
        print(line)
    for m in results:
        if m.errors:
            detail = dict(m.failures) | {
                f"HTTP {s}": n for s, n in m.statuses.items() if not 200 <= s < 400
            }
            print(f"  errors on {m.label}: {detail}")
    for problem, n in problems.most_common(5):
        print(f"  the server logged {n} x {problem}")
    if slow:
        waits = sum((e["waits"] for e in slow), Counter())
        print(
            f"(the server's SQL statements seen running over 1 s: {len(slow)}, "
            f"the longest {slow[0]['age']:.1f} s; samples by wait: {dict(waits)})"
        )


def recreate_database(source: str, copy: str) -> None:
    """``copy``, a new database holding what ``source`` does."""
    import psycopg

    admin = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{copy}"')
        # The template must have no other session: the servers' and this
        # process's are closed, their backends may take a moment to exit.
        for attempt in range(50):
            try:
                conn.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{source}"')
                return
            except psycopg.errors.ObjectInUse:
                if attempt == 49:
                    raise
                time.sleep(0.2)


def database_name(url: str) -> str:
    return url.split("?")[0].rsplit("/", 1)[1]


def with_app(url: str, name: str) -> str:
    """``url`` with its sessions named ``name`` (pg_stat_activity)."""
    return f"{url}{'&' if '?' in url else '?'}application_name={name}"


def count_papers(url: str) -> int:
    import psycopg

    from catalog.models import Paper

    with psycopg.connect(url) as conn:
        return conn.execute(
            f'SELECT count(*) FROM "{Paper._meta.db_table}"'
        ).fetchone()[0]


def drop_database(name: str) -> None:
    import psycopg

    admin = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=20, help="per page")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--import-entries",
        type=int,
        default=25_000,
        help="entries of each list imported during the second run",
    )
    parser.add_argument(
        "--rebuild", action="store_true", help="Replace the catalog found."
    )
    args = parser.parse_args()
    if not DATABASE_URL.startswith(("postgres://", "postgresql://")):
        raise SystemExit("BENCH_WEB_DATABASE_URL must name a PostgreSQL database")
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()  # no page or version of a past run
    ensure_postgres_database(DATABASE_URL)
    source = database_name(DATABASE_URL)
    copy = f"{source}_load"
    copy_url = DATABASE_URL.replace(f"/{source}", f"/{copy}", 1)

    import django

    django.setup()
    from django.db import connection

    from catalog.models import Paper

    prepare_catalog(args.papers, reuse=not args.rebuild)
    papers = Paper.objects.count()
    paper = Paper.objects.order_by("pk")[papers // 2]
    pages = [
        ("hello-world view (baseline)", "/__bench__/hello/"),
        # Common values of bench_web's catalog: 1 paper in 10 is at CVPR,
        # 1 in 3 has code.
        ("paper list, venue + has code", "/papers/?venue=CVPR&has_code=true"),
        ("English search", "/papers/?q=detection"),
        ("Chinese search", "/papers/?q=目标检测"),
        ("paper page", paper.get_absolute_url()),
        ("home page", "/"),
    ]
    connection.close()  # CREATE DATABASE ... TEMPLATE needs it closed

    logs = Path(tempfile.mkdtemp(prefix="bench-load-"))
    server_env = {
        "REDIS_URL": REDIS_URL,
        "DJANGO_ALLOWED_HOSTS": "localhost,127.0.0.1",
    }
    print(
        f"{papers:,} papers in {source}; gunicorn, {args.workers} sync workers, "
        f"page cache in {REDIS_URL}; {args.clients} clients x {args.seconds:.0f} s "
        f"per page; logs in {logs}"
    )

    def measure(database: str, name: str, before_load=None):
        """(a Measurement per page, the server's statements over 1 s, the
        exceptions it logged) of the server on ``database``."""
        env = {**server_env, "DATABASE_URL": with_app(database, SERVER_APP)}
        slow = SlowQueries(database_name(database))
        with (
            open(logs / f"server-{name}.log", "w") as log,
            http_server(
                workers=args.workers, env=env, log=log, options=ACCESS_LOG
            ) as port,
        ):
            warm_up(port, pages)
            slow.start()
            try:
                if before_load:
                    before_load()
                results = [
                    load(port, label, url, args.clients, args.seconds)
                    for label, url in pages
                ]
            finally:
                slow.stopping.set()
                slow.join()
        with open(logs / f"slow-queries-{name}.log", "w") as log:
            slow = slow.report(log)
        return results, slow, server_problems(logs / f"server-{name}.log")

    alone, slow, problems = measure(DATABASE_URL, "alone")
    print_table("no import running", alone, slow, problems)

    recreate_database(source, copy)
    try:
        env = {
            **os.environ,
            "DATABASE_URL": with_app(copy_url, IMPORT_APP),
            # The import retires cached pages through the version it sets in
            # the server's cache.
            "REDIS_URL": REDIS_URL,
        }
        with (
            open(logs / "imports.log", "w") as import_log,
            tempfile.TemporaryDirectory() as workdir,
        ):
            imports = ImportLoop(env, Path(workdir), args.import_entries, import_log)
            try:
                during, slow, problems = measure(
                    copy_url, "import", before_load=imports.start
                )
            finally:
                imports.stopping.set()
                if imports.is_alive():
                    print("\n(waiting for the import in progress to finish)")
                    imports.join()
        grown = count_papers(copy_url)
    finally:
        drop_database(copy)
    print_table(
        "while lists are imported (import: share of the time an import ran)",
        during,
        slow,
        problems,
        imports,
    )
    print(
        f"\nimports (manage.py import_lists, into the database served: "
        f"{papers:,} papers before, {grown:,} after):"
    )
    for run in imports.runs:
        counts = (
            f"{run.created:,} created, {run.updated:,} updated"
            if run.created is not None
            else "no summary"
        )
        print(
            f"  {run.path}  {args.import_entries:,} entries  "
            f"{run.ended - run.started:6.1f} s  exit {run.returncode}  {counts}"
        )
    failed = [run for run in imports.runs if run.returncode != 0]
    errors = sum(m.errors for m in alone + during)
    print(
        f"\nbusy: the share of the machine's {os.cpu_count()} cores busy (any "
        "process); others: at least that used by processes not of this "
        "benchmark (PostgreSQL and Redis, shared, not counted); client: this "
        "process's share of one core (its client threads, mostly). Figures are "
        "indicative on a shared machine."
    )
    if errors or failed:
        print(
            f"{errors} errors ({sum(m.errors for m in during)} during the import), "
            f"{len(failed)} of {len(imports.runs)} imports failed"
        )
    else:
        print(f"0 errors, also during an import ({len(imports.runs)} imports, exit 0)")
    if errors or failed:
        print(f"see the server's and imports' output in {logs}")
        raise SystemExit(1)


if __name__ == "__main__":
    main()
