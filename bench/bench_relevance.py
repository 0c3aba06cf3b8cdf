"""Relevance benchmark: the site's search against a BM25 baseline, on the
corpus catalog, over a judged set of queries.

The queries (``bench/relevance/queries.tsv``) are English, Chinese and mixed,
with acronyms, typos, Traditional characters and full-width letters. Every
result the systems compared returned in their top 25 was graded by reading
its title and topics (``bench/relevance/judgments.tsv``: 2 wanted on page 1,
1 related, 0 not), stored by paper key so that a re-import keeps them.

In one run on one catalog it prints, per query group, nDCG@10, MRR and
recall@25 of

- the site: the first page of ``/papers/?q=...`` (25 rows), through the
  whole request stack (Django's test client);
- BM25: title, short name, notes, translation titles and topic paths in one
  field (k1 1.2, b 0.75), the query's tokens ORed: lowercased NFKC words, CJK
  runs as character pairs (a tokenizer of its own, so the baseline stays the
  same whatever the site's analyzer does), computed here in Python.

Unjudged results count as not relevant; ``--unjudged`` lists them to grade.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dlr_relevance \\
        python bench/bench_relevance.py [--per-query] [--unjudged]

The catalog is the database's; an empty one is migrated and the corpus
(``DLR_CORPUS_DIR``, default ../shared/corpus) imported first.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dlresources.settings")
os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT", "0")

import django  # noqa: E402

from bench.scratch_db import ensure_postgres_database  # noqa: E402

ensure_postgres_database(os.environ.get("DATABASE_URL", ""))
django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

from catalog.models import Alias, Paper, Translation  # noqa: E402

DATA = ROOT / "bench" / "relevance"
CORPUS_DIR = Path(
    os.environ.get("DLR_CORPUS_DIR", ROOT.parent / "shared" / "corpus")
).resolve()
GROUPS = ("en", "zh", "mixed")
CUTOFF_NDCG = 10
CUTOFF_RECALL = 25
_PAPER_LINK = re.compile(r'href="/papers/(\d+)/')
_CJK_OR_WORD = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+|[^\W_]+")


def bm25_tokens(text: str) -> list[str]:
    """Lowercased NFKC words; CJK runs as overlapping character pairs."""
    found = []
    for run in _CJK_OR_WORD.findall(unicodedata.normalize("NFKC", text).lower()):
        if "\u3400" <= run[0] <= "\u9fff" and len(run) > 1:
            found += [run[i : i + 2] for i in range(len(run) - 1)]
        else:
            found.append(run)
    return found


@dataclass
class Query:
    id: str
    group: str
    tags: str
    text: str
    grades: dict[str, int] = field(default_factory=dict)

    @property
    def relevant(self) -> int:
        return sum(1 for grade in self.grades.values() if grade > 0)


def load_queries() -> list[Query]:
    queries = {}
    for line in (DATA / "queries.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        qid, group, tags, text = line.split("\t")
        queries[qid] = Query(qid, group, tags, text)
    for line in (DATA / "judgments.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        qid, key, grade, *_ = line.split("\t")
        queries[qid].grades[key] = int(grade)
    return list(queries.values())


def paper_aliases() -> dict[str, str]:
    """The keys imports merged into other papers, and those papers' keys."""
    keys = dict(Paper.objects.values_list("pk", "key"))
    return {
        key: keys[target]
        for key, target in Alias.objects.filter(kind="paper").values_list(
            "key", "target_id"
        )
        if target in keys
    }


def merged_grades(query: Query, aliases: dict[str, str]) -> Query:
    """The query's grades by the keys the catalog knows its papers by: a
    judged key that an import merged into another paper (now an alias)
    grades that paper, with the best grade either was given."""
    grades: dict[str, int] = {}
    for key, grade in query.grades.items():
        key = aliases.get(key, key)
        grades[key] = max(grade, grades.get(key, grade))
    query.grades = grades
    return query


def ensure_catalog() -> None:
    call_command("migrate", verbosity=0, interactive=False)
    if not Paper.objects.exists():
        lists = sorted(str(p) for p in CORPUS_DIR.glob("*.md") if p.name.isascii())
        call_command("import_lists", *lists, verbosity=0)


# -- the systems ---------------------------------------------------------------------


def site_results(client: Client, keys: dict[int, str], text: str) -> list[str]:
    response = client.get(f"/papers/?q={quote(text)}", secure=True)
    assert response.status_code == 200, (text, response.status_code)
    html = response.content.decode()
    start = html.find('<ol class="results"')
    ids = [int(pk) for pk in _PAPER_LINK.findall(html[start:])]
    seen = []
    for pk in ids:
        if keys[pk] not in seen:
            seen.append(keys[pk])
    return seen[:CUTOFF_RECALL]


class BM25:
    """Okapi BM25 over one field per paper, query tokens ORed."""

    k1 = 1.2
    b = 0.75

    def __init__(self, documents: dict[str, list[str]]):
        self.postings: dict[str, dict[str, int]] = defaultdict(dict)
        self.lengths = {key: len(tokens) for key, tokens in documents.items()}
        for key, tokens in documents.items():
            for token, count in Counter(tokens).items():
                self.postings[token][key] = count
        self.average = sum(self.lengths.values()) / max(len(self.lengths), 1)
        self.n = len(documents)

    def search(self, text: str) -> list[str]:
        scores: Counter[str] = Counter()
        for token in set(bm25_tokens(text)):
            posting = self.postings.get(token, {})
            if not posting:
                continue
            idf = math.log(1 + (self.n - len(posting) + 0.5) / (len(posting) + 0.5))
            for key, tf in posting.items():
                norm = 1 - self.b + self.b * self.lengths[key] / self.average
                scores[key] += idf * tf * (self.k1 + 1) / (tf + self.k1 * norm)
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
        return [key for key, _ in ranked[:CUTOFF_RECALL]]


def bm25_index() -> BM25:
    texts: dict[int, list[str]] = defaultdict(list)
    keys = {}
    for pk, key, title, short, notes in Paper.objects.values_list(
        "pk", "key", "title", "short_name", "notes"
    ):
        keys[pk] = key
        texts[pk] += [title, short, notes]
    for pk, title in Translation.objects.values_list("paper_id", "title"):
        texts[pk].append(title)
    for pk, path in Paper.topics.through.objects.values_list("paper_id", "topic__path"):
        texts[pk].append(path)
    return BM25({keys[pk]: bm25_tokens(" ".join(t)) for pk, t in texts.items()})


# -- metrics -------------------------------------------------------------------------


def ndcg(results: list[str], grades: dict[str, int], k: int = CUTOFF_NDCG) -> float:
    gain = sum(
        (2 ** grades.get(key, 0) - 1) / math.log2(rank + 2)
        for rank, key in enumerate(results[:k])
    )
    ideal = sorted(grades.values(), reverse=True)[:k]
    best = sum((2**g - 1) / math.log2(rank + 2) for rank, g in enumerate(ideal))
    return gain / best if best else 0.0


def mrr(results: list[str], grades: dict[str, int]) -> float:
    for rank, key in enumerate(results):
        if grades.get(key, 0) > 0:
            return 1 / (rank + 1)
    return 0.0


def recall(results: list[str], grades: dict[str, int]) -> float:
    relevant = {key for key, grade in grades.items() if grade > 0}
    if not relevant:
        return 0.0
    return len(relevant & set(results[:CUTOFF_RECALL])) / len(relevant)


@dataclass
class Scores:
    ndcg: list[float] = field(default_factory=list)
    mrr: list[float] = field(default_factory=list)
    recall: list[float] = field(default_factory=list)
    empty: int = 0

    def add(self, results: list[str], grades: dict[str, int]) -> None:
        self.ndcg.append(ndcg(results, grades))
        self.mrr.append(mrr(results, grades))
        self.recall.append(recall(results, grades))
        self.empty += not results

    @staticmethod
    def mean(values: list[float]) -> float:
        return sum(values) / len(values) if values else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--per-query", action="store_true")
    parser.add_argument(
        "--unjudged", action="store_true", help="list unjudged results to grade"
    )
    args = parser.parse_args()
    ensure_catalog()
    aliases = paper_aliases()
    queries = [merged_grades(q, aliases) for q in load_queries()]
    queries = [q for q in queries if q.relevant or args.unjudged]
    keys = dict(Paper.objects.values_list("pk", "key"))
    titles = dict(Paper.objects.values_list("key", "title"))
    topics = dict(Paper.topics.through.objects.values_list("paper__key", "topic__path"))
    bm25 = bm25_index()
    scores = {(s, g): Scores() for s in ("site", "bm25") for g in (*GROUPS, "all")}
    storages = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
    with override_settings(ALLOWED_HOSTS=["*"], DEBUG=False, STORAGES=storages):
        client = Client()
        for query in queries:
            runs = {
                "site": site_results(client, keys, query.text),
                "bm25": bm25.search(query.text),
            }
            for system, results in runs.items():
                scores[system, query.group].add(results, query.grades)
                scores[system, "all"].add(results, query.grades)
            if args.per_query:
                print(
                    f"{query.id} {query.text!r:32} relevant {query.relevant:3d}  "
                    + "  ".join(
                        f"{s} ndcg {ndcg(r, query.grades):.3f} n={len(r)}"
                        for s, r in runs.items()
                    )
                )
            if args.unjudged:
                for results in runs.values():
                    for key in results:
                        if key not in query.grades:
                            query.grades[key] = -1  # listed once
                            print(
                                f"{query.id}\t{key}\t?\t{titles.get(key, '')}"
                                f"\t{topics.get(key, '')}"
                            )
    print(f"{Paper.objects.count()} papers, {len(queries)} judged queries")
    print(
        f"{'queries':8} {'n':>3} | {'nDCG@10 site':>12} {'BM25':>6} | "
        f"{'MRR site':>8} {'BM25':>6} | {'R@25 site':>9} {'BM25':>6} | "
        f"{'empty site':>10}"
    )
    for group in (*GROUPS, "all"):
        site, base = scores["site", group], scores["bm25", group]
        m = Scores.mean
        print(
            f"{group:8} {len(site.ndcg):3d} | {m(site.ndcg):12.3f} {m(base.ndcg):6.3f}"
            f" | {m(site.mrr):8.3f} {m(base.mrr):6.3f}"
            f" | {m(site.recall):9.3f} {m(base.recall):6.3f} | {site.empty:10d}"
        )


if __name__ == "__main__":
    main()
