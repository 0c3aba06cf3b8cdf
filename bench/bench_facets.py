"""Micro-benchmark of the facet index (catalog.browse.facets.index) on
synthetic ids: build time, pickled size (what the shared cache stores) and
the time of one page's counts (seven facets under two filters) and of its
year-sorted page ids.

    python bench/bench_facets.py [--papers 100000 1000000] [--module PATH]

``--module`` times another version of the index module (a file path), so
a change can be compared with the code before it, e.g.
``git show 2133dde:catalog/browse/facets/index.py > /tmp/old_index.py``.
Pure Python: no Django, no database.
"""

from __future__ import annotations

import argparse
import importlib.util
import pickle
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load(path: Path):
    spec = importlib.util.spec_from_file_location("facet_index_under_test", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def catalog(papers: int, seed: int = 11) -> dict[str, list[tuple[object, int]]]:
    """(value, id) pairs per dimension, shaped like the real catalog's:
    skewed venues, years, topics (one to three a paper), code for a third,
    frameworks, translations and source lists in runs of ids (an import
    writes a list's entries together)."""
    rng = random.Random(seed)
    venues = [f"Venue {n}" for n in range(600)]
    pairs: dict[str, list[tuple[object, int]]] = {
        k: [] for k in ("topic", "year", "venue", "framework", "has_code", "list")
    }
    pairs["has_translation"] = []
    for pk in range(1, papers + 1):
        pairs["year"].append((rng.choice(range(1990, 2026)), pk))
        venue = venues[min(int(rng.paretovariate(1.2)) - 1, len(venues) - 1)]
        pairs["venue"].append((venue, pk))
        for topic in rng.sample(range(210), rng.randint(1, 3)):
            pairs["topic"].append((f"topic-{topic}", pk))
        if rng.random() < 0.33:
            pairs["has_code"].append((True, pk))
            pairs["framework"].append((rng.choice("ABCDE"), pk))
        if rng.random() < 0.05:
            pairs["has_translation"].append((True, pk))
        pairs["list"].append((f"list-{pk * 37 // (papers + 1)}.md", pk))
    return pairs


def build(module, papers: int, pairs):
    flags = {"has_code", "has_translation"}
    dimensions = [
        module.Dimension(
            name,
            (lambda name=name: pairs[name]),
            select=module.yes_or_no
            if name in flags
            else module.in_spans
            if name == "year"
            else module.any_of,
        )
        for name in pairs
    ]
    ids = list(range(1, papers + 1))
    by_year = sorted(ids, key=lambda pk: -dict_year[pk])
    return module.FacetIndex.build(ids, dimensions, orders={"newest": lambda: by_year})


dict_year: dict[int, int] = {}


def page(module, index):
    """One page: a venue and a year range chosen; every facet counted; the
    page's ids picked newest first."""
    filters = {
        "venue": module.any_of(index.full("venue"), ["Venue 0"], index.entries),
        "year": module.in_spans(index.full("year"), [(2015, None)], index.entries),
    }
    selection = module.Selection(index, index.entries, filters)
    for name in index.values:
        selection.counts(name)
    years = sorted(index.values["year"], reverse=True)
    leading = selection.leading("year", years, 25)
    return index.in_order("newest", leading, 0, 25)


def measure(path: Path, papers: int, repeat: int) -> dict[str, float]:
    module = load(path)
    pairs = catalog(papers)
    dict_year.clear()
    dict_year.update({pk: year for year, pk in pairs["year"]})
    started = time.perf_counter()
    index = build(module, papers, pairs)
    built = time.perf_counter() - started
    pickled = pickle.dumps(index, protocol=pickle.HIGHEST_PROTOCOL)
    started = time.perf_counter()
    pickle.loads(pickled)
    loaded = time.perf_counter() - started
    page(module, index)  # warm
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        ids = page(module, index)
        times.append(time.perf_counter() - started)
    return {
        "build_s": built,
        "pickle_mb": len(pickled) / 1e6,
        "unpickle_ms": loaded * 1000,
        "page_ms": statistics.median(times) * 1000,
        "first_ids": ids[:3],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument(
        "--module", type=Path, default=ROOT / "catalog/browse/facets/index.py"
    )
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    print(f"facet index: {args.module}")
    for papers in args.papers:
        r = measure(args.module, papers, args.repeat)
        print(
            f"{papers:>9,} papers: build {r['build_s']:.2f} s, pickled "
            f"{r['pickle_mb']:.1f} MB (unpickled in {r['unpickle_ms']:.0f} ms), "
            f"a page's counts and ids {r['page_ms']:.2f} ms; ids {r['first_ids']}"
        )


if __name__ == "__main__":
    main()
