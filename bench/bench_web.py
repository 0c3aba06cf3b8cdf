"""Web benchmark: server time of the main pages on a synthetic catalog.

Builds a catalog of N papers (100,000 by default, --papers 1000000 for the big
one) with English and Chinese titles, topics, years, venues, repositories,
source lists and translations, then times each page twice and prints median
and p95 against a hello-world view:

- in process, through Django's test client: the full request stack
  (middleware, views, templates), no HTTP;
- over HTTP on loopback, served by gunicorn (one sync worker, as deployed
  behind a proxy): the time from sending a request to reading the whole
  response, HTTP parsing and the socket included, for every page alike.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dlr_bench_web \
        python bench/bench_web.py [--papers 100000] [--requests 60] [--reuse]
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.scratch_db import ensure_postgres_database  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dlresources.settings")
os.environ.setdefault(
    "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dlr_bench_web"
)
# The catalog's build runs statements longer than the site's 30 s limit.
os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT", "0")

# Title words, most frequent first. Their Zipf weights give shares close to
# those of the corpus's 3,410 paper titles, on the high side: "network(s)" in
# 27% of titles (corpus: 19%), "learning" 21% (19%), "detection" 14% (11%),
# "regulariz-" 2.6% (0.6%). So a query matches about as many papers as on a
# real catalog (a vocabulary of a few dozen words would make every word match
# a fifth of the catalog). Model names come from NAME_SYLLABLES.
EN = [
    "learning", "networks", "deep", "neural", "detection", "object", "image",
    "transformer", "network", "convolutional", "visual", "segmentation",
    "recognition", "video", "vision", "attention", "adversarial", "language",
    "models", "training", "semantic", "representation", "generative", "graph",
    "efficient", "self-supervised", "reinforcement", "pre-training", "scale",
    "unsupervised", "features", "transfer", "end-to-end", "fast", "robust",
    "estimation", "prediction", "sparse", "optimization", "policy", "memory",
    "contrastive", "diffusion", "retrieval", "embedding", "knowledge",
    "distillation", "compression", "pruning", "quantization", "generation",
    "translation", "question", "answering", "reasoning", "point", "cloud",
    "tracking", "pose", "depth", "instance", "multi-task", "few-shot",
    "zero-shot", "meta-learning", "domain", "adaptation", "gradient",
    "descent", "stochastic", "normalization", "batch", "dropout", "residual",
    "recurrent", "sequence", "speech", "text", "classification", "regression",
    "clustering", "variational", "inference", "bayesian", "uncertainty",
    "regularization", "architecture", "search", "mixture", "experts",
    "federated", "privacy", "fairness", "interpretability", "explanation",
    "captioning", "dialogue", "summarization", "parsing", "alignment",
]  # fmt: skip
CONNECTIVES = ["for", "with", "and", "via", "of", "in", "from", "using", "towards"]
NAME_SYLLABLES = ["ra", "vo", "len", "tes", "mi", "kor", "bel", "dax", "nu", "ze"]
ZH = [
    "深度学习", "神经网络", "目标检测", "卷积", "注意力", "预训练", "语义分割",
    "生成对抗网络", "强化学习", "图神经网络", "知识蒸馏", "模型压缩", "梯度",
    "优化", "自监督", "对比学习", "扩散模型", "检索", "机器翻译", "问答",
    "推理", "点云", "跟踪", "姿态估计", "深度估计", "小样本", "域适应",
    "归一化", "循环神经网络", "语音识别", "文本分类", "聚类", "变分推断",
    "不确定性", "正则化", "架构搜索", "联邦学习", "可解释性", "图像描述",
    "对话系统", "摘要", "句法分析", "量化", "剪枝", "多任务", "表示学习",
]  # fmt: skip


def _zipf(words, exponent=1.0, offset=12):
    return [1 / (rank + offset) ** exponent for rank in range(len(words))]


EN_WEIGHTS = _zipf(EN)
ZH_WEIGHTS = _zipf(ZH)


def title_words(rng: random.Random) -> list[str]:
    """4 to 10 words: frequent title words, a connective, a rare name."""
    words = rng.choices(EN, EN_WEIGHTS, k=rng.randint(3, 8))
    words.insert(rng.randrange(1, len(words) + 1), rng.choice(CONNECTIVES))
    if rng.random() < 0.4:
        name = "".join(rng.choices(NAME_SYLLABLES, k=rng.randint(2, 3)))
        words.insert(0, f"{name.capitalize()}:")
    return [w if w in CONNECTIVES else w.capitalize() for w in words]


VENUES = ["NeurIPS", "ICML", "ICLR", "CVPR", "ICCV", "ECCV", "ACL", "EMNLP", "AAAI", ""]
FRAMEWORKS = ["pytorch", "tensorflow", "keras", "jax", "unknown"]


def build_catalog(papers: int, seed: int = 11) -> None:
    from django.db import transaction

    from catalog import search
    from catalog.models import (
        Paper,
        ReadingList,
        Repository,
        Source,
        Topic,
        Translation,
    )

    rng = random.Random(seed)
    with transaction.atomic():
        # Every paper comes from a list (one in eight from two), as imports
        # record; lists are of very different sizes, as real ones are.
        lists = ReadingList.objects.bulk_create(
            ReadingList(path=f"lists/list-{n:02d}.md", title=f"Reading list {n}")
            for n in range(40)
        )
        list_weights = _zipf(lists, offset=2)
        roots = []
        for r in range(10):
            root = Topic.objects.create(
                name=f"Area {r}", path=f"Area {r}", slug=f"area-{r}", order=r
            )
            roots.append(root)
        topics = list(roots)
        for root in roots:
            for c in range(20):
                path = f"{root.path} > Sub {c}"
                topics.append(
                    Topic.objects.create(
                        name=f"Sub {c}",
                        path=path,
                        slug=Topic.slug_for_path(path),
                        parent=root,
                        depth=1,
                        order=c,
                    )
                )
        leaves = topics[10:]
        batch = 5000
        for start in range(0, papers, batch):
            rows = []
            for i in range(start, min(start + batch, papers)):
                chinese = i % 3 == 0
                title = " ".join(title_words(rng))
                if chinese:
                    zh = rng.choices(ZH, ZH_WEIGHTS, k=rng.randint(2, 3))
                    title = "".join(dict.fromkeys(zh)) + "：" + title
                year = rng.randint(2010, 2025)
                rows.append(
                    Paper(
                        key=f"arxiv:{year % 100:02d}{rng.randint(1, 12):02d}.{i:06d}",
                        title=title,
                        url=f"https://arxiv.org/abs/{i}",
                        year=year,
                        venue=rng.choice(VENUES),
                        venue_year=year,
                        notes=f"{rng.choices(ZH, ZH_WEIGHTS)[0]}的"
                        f"{rng.choices(EN, EN_WEIGHTS)[0]} method"
                        if i % 2
                        else "",
                    )
                )
            created = Paper.objects.bulk_create(rows)
            # One topic each, a second one for one paper in five.
            Paper.topics.through.objects.bulk_create(
                Paper.topics.through(paper_id=p.pk, topic_id=topic.pk)
                for p in created
                for topic in set(rng.choices(leaves, k=1 if rng.random() < 0.8 else 2))
            )
            Source.objects.bulk_create(
                Source(reading_list=reading_list, line=1 + n, paper=p)
                for n, p in enumerate(created)
                for reading_list in set(
                    rng.choices(lists, list_weights, k=1 if n % 8 else 2)
                )
            )
            # A Chinese translation for one paper in twenty.
            Translation.objects.bulk_create(
                Translation(
                    paper=p,
                    title=f"{rng.choices(ZH, ZH_WEIGHTS)[0]}：论文解读",
                    url=f"https://zhuanlan.zhihu.com/p/{p.pk}",
                )
                for p in created[::20]
            )
            repos = Repository.objects.bulk_create(
                Repository(
                    key=f"github.com/owner{p.pk % 5000}/repo{p.pk}",
                    host="github.com",
                    owner=f"owner{p.pk % 5000}",
                    name=f"repo{p.pk}",
                    url=f"https://github.com/owner{p.pk % 5000}/repo{p.pk}",
                    framework=rng.choice(FRAMEWORKS),
                )
                for p in created[::3]
            )
            Repository.papers.through.objects.bulk_create(
                Repository.papers.through(repository_id=r.pk, paper_id=p.pk)
                for r, p in zip(repos, created[::3], strict=True)
            )
            print(f"  built {start + len(rows):,} papers", end="\r", flush=True)
        print()
        search.index_papers()


def prepare_catalog(papers: int, *, reuse: bool) -> None:
    """Migrate the database (DATABASE_URL, set up by django.setup()), collect
    the static files the server's manifest storage needs, build a catalog of
    ``papers`` unless ``reuse`` and one is there, and refresh the planner's
    statistics."""
    from django.core.management import call_command
    from django.db import connection

    from catalog.models import Paper

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)  # manifest storage
    if not reuse or not Paper.objects.exists():
        call_command("flush", "--noinput", verbosity=0)
        # flush empties the tables migrations filled: the search glossary.
        call_command("load_glossary", verbosity=0)
        print(f"building {papers:,} papers on {connection.vendor}")
        started = time.perf_counter()
        build_catalog(papers)
        print(f"built in {time.perf_counter() - started:.0f} s")
    # As an import run ends: the common words' ranked matches kept ready.
    from catalog import search

    started = time.perf_counter()
    search.refresh_postings()
    print(f"search postings refreshed in {time.perf_counter() - started:.1f} s")
    if connection.vendor == "postgresql":
        # Planner statistics and visibility maps (index-only scans), as
        # autovacuum keeps them on a live site.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def time_requests(get: Callable[[str], int], url: str, n: int) -> list[float]:
    """ms of ``n`` GETs of ``url`` (``get`` returns the status) after one
    that warms caches and connections."""
    assert get(url) == 200, url
    times = []
    for _ in range(n):
        started = time.perf_counter()
        status = get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert status == 200, (url, status)
    return times


@contextmanager
def http_server(
    matches_cache_bytes: int | None = None,
    *,
    workers: int = 1,
    env: dict[str, str] | None = None,
    log=None,
    options: tuple[str, ...] = (),
):
    """A gunicorn server of the site (bench/settings.py) on a free loopback
    port; yields the port once it answers. ``env`` adds to or overrides the
    environment (DATABASE_URL, REDIS_URL...); ``log``, a file, takes the
    server's output; ``options`` are more of gunicorn's."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_DEBUG": "0",
        # The API's throttle counts every request (its cost is timed) but
        # never refuses one: one client sends them all.
        "DJANGO_API_THROTTLE_RATE": f"{10**9}/minute",
        **(env or {}),
    }
    if matches_cache_bytes is not None:
        env["SEARCH_MATCHES_CACHE_BYTES"] = str(matches_cache_bytes)
    server = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "--workers", str(workers),
            "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
            *options, "dlresources.wsgi:application",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
    )  # fmt: skip
    try:
        for _ in range(300):
            if server.poll() is not None:
                raise RuntimeError(f"gunicorn exited with status {server.returncode}")
            try:
                if http_get(port, "/__bench__/hello/") == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("gunicorn did not answer in 30 s")
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


# The headers of a request forwarded by the site's proxy: HTTPS, so that
# SECURE_SSL_REDIRECT (on with DEBUG off) serves the page, not a redirect.
PROXY_HEADERS = {"Host": "localhost", "X-Forwarded-Proto": "https"}


def request_path(url: str) -> str:
    """``url`` as sent on the wire (non-ASCII characters percent-encoded)."""
    return quote(url, safe="/?&=+%")


def http_get(port: int, url: str) -> int:
    """GET url from the server as its proxy would (HTTPS forwarded); reads
    the whole response and returns its status."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", request_path(url), headers=PROXY_HEADERS)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def print_table(title: str, results: list[tuple[str, list[float]]], n: int) -> None:
    base = statistics.median(results[0][1])
    base_p95 = statistics.quantiles(results[0][1], n=20)[-1]
    print(f"\n{title}")
    print(f"{'page':32} {'median ms':>10} {'p95 ms':>10} {'p95/base':>9}")
    for label, times in results:
        p95 = statistics.quantiles(times, n=20)[-1]
        print(
            f"{label:32} {statistics.median(times):10.2f} {p95:10.2f} "
            f"{p95 / base_p95:8.1f}x"
        )
    print(f"(baseline median {base:.2f} ms; {n} requests per page)")


def time_drawing() -> None:
    """Print how long the statistics page's charts of the whole catalog take
    to count and draw (what its first request per catalog version waits
    for)."""
    from django.http import QueryDict

    from catalog.browse.filters import PaperFilter
    from catalog.browse.params import Params
    from catalog.models import Paper
    from catalog.stats import views

    for by in views.STACK_BY:
        filterset = PaperFilter(QueryDict(), queryset=Paper.objects.all())
        started = time.perf_counter()
        views._draw(filterset, Params(QueryDict(), "/papers/"), by)
        elapsed = (time.perf_counter() - started) * 1000
        print(f"statistics charts (by {by}) counted and drawn in {elapsed:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument(
        "--reuse", action="store_true", help="Keep an existing catalog."
    )
    args = parser.parse_args()
    ensure_postgres_database(os.environ.get("DATABASE_URL", ""))

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    from catalog.models import Paper, Repository, Topic
    from catalog.routes import url_for

    settings.ALLOWED_HOSTS = ["*"]
    prepare_catalog(args.papers, reuse=args.reuse)
    from catalog.browse import matches, selectors
    from catalog.browse.facets import dimensions
    from catalog.browse.topics import topic_tree

    topic_tree()
    started = time.perf_counter()
    dimensions._build(Paper)  # what the first page after a write waits for
    print(f"facet index built in {(time.perf_counter() - started) * 1000:.0f} ms")
    time_drawing()
    paper = Paper.objects.order_by("pk")[args.papers // 2]
    repository = Repository.objects.order_by("pk")[Repository.objects.count() // 2]
    # The top-level topic with the most papers, subtopics included.
    topics = selectors.topic_counts()
    topic = max(Topic.objects.filter(parent=None), key=lambda t: topics.get(t.pk, 0))
    pages = [
        ("hello-world view (baseline)", "/__bench__/hello/"),
        ("paper list, unfiltered", "/papers/"),
        ("paper list, 2 facets", "/papers/?venue=CVPR&year=2019"),
        ("English query", "/papers/?q=regularizing+networks"),
        ("Chinese query", "/papers/?q=目标检测"),
        ("paper detail", paper.get_absolute_url()),
        # Beyond the list: pages users reach from the ones above.
        ("Chinese query, newest first", "/papers/?q=目标检测&sort=newest"),
        ("topic page, 1 facet", f"{topic.get_absolute_url()}?year=2019"),
        # Feeds and citations of a selection (issue 17).
        ("Atom feed, 2 facets", "/papers/atom.xml?venue=CVPR&year=2019"),
        ("Atom feed, English query", "/papers/atom.xml?q=regularizing+networks"),
        (
            "BibTeX of 25 results, 2 facets",
            "/papers/cite.bib?venue=CVPR&year=2019&page=1",
        ),
        # Charts are drawn once per catalog version, language and selection
        # (timed apart, below); these time the page around them.
        ("statistics, whole catalog", "/stats/"),
        ("statistics, 2 facets", "/stats/?venue=CVPR&year=2015-&by=framework"),
        # A search's first page matches and ranks; its next pages, sorts and
        # facet clicks reuse the matches held in the process. The pages
        # above repeat one URL, so they time the reuse: these time the
        # first page of a search.
        ("English query, matched afresh", "/papers/?q=regularizing+networks", 0),
        ("Chinese query, matched afresh", "/papers/?q=目标检测", 0),
        # The API (JSON): the same selections, facets and rows.
        ("API papers, 2 facets", "/api/papers/?venue=CVPR&year=2019"),
        ("API English query", "/api/papers/?q=regularizing+networks"),
        ("API Chinese query, 1 facet", "/api/papers/?q=目标检测&year=2015-"),
        ("API repositories, 1 facet", "/api/repositories/?framework=pytorch"),
        ("API paper detail", url_for("api:paper-detail", paper.key)),
        ("API repository detail", url_for("api:repository-detail", repository.key)),
        ("API English query, afresh", "/api/papers/?q=regularizing+networks", 0),
    ]
    held = matches._MATCHES.budget
    with override_settings(
        ROOT_URLCONF="bench.urls", DEBUG=False, API_THROTTLE_RATE=f"{10**9}/minute"
    ):
        client = Client()

        def get(url):
            response = client.get(url, secure=True)  # HTTPS, as served
            if response.streaming:
                b"".join(response.streaming_content)  # a streamed export
            return response.status_code

        results = []
        for label, url, *budget in pages:
            matches._MATCHES.resize(budget[0] if budget else held)
            results.append((label, time_requests(get, url, args.requests)))
        matches._MATCHES.resize(held)
    print_table("in process (Django test client)", results, args.requests)
    connection.close()  # the servers' workers open their own
    # One server holds recent searches' matches as the site does; the other
    # holds none, for the pages that time a search matched afresh.
    with http_server() as port, http_server(matches_cache_bytes=0) as fresh_port:
        results = [
            (
                label,
                time_requests(
                    partial(http_get, fresh_port if budget else port),
                    url,
                    args.requests,
                ),
            )
            for label, url, *budget in pages
        ]
    print_table(
        "over HTTP on loopback (gunicorn, 1 sync worker)", results, args.requests
    )


if __name__ == "__main__":
    main()
