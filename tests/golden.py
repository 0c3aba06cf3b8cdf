"""Compare an export with a hand-labelled golden file and explain differences."""

import json
import re
from pathlib import Path

GOLDEN_DIR = Path(__file__).parent / "golden"
LIST_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "lists"
SEEDS = ["003_1d7f973795d1461c", "004_a4353365c8c44131"]
URL_RE = re.compile(r"https?://[^\s)>\]\"'<]+")

# Fields compared per record kind; references to other records are sets.
FIELDS = {
    "papers": (
        "key",
        [
            "title",
            "short_name",
            "url",
            "year",
            "date",
            "venue",
            "venue_year",
            "organisation",
            "notes",
        ],
        ["topics", "repositories", "alt_urls"],
    ),
    "repositories": ("key", ["url", "framework"], ["topics", "papers"]),
    "translations": ("url", ["title", "language", "paper"], []),
    "others": ("url", ["title", "kind", "paper"], ["topics"]),
}


def load_golden(seed: str) -> dict:
    return json.loads((GOLDEN_DIR / f"{seed}.json").read_text(encoding="utf-8"))


def golden_diff(expected: dict, actual: dict) -> list[str]:
    """Readable differences between two exports; empty when they agree."""
    problems = []
    if expected.get("title") != actual.get("title"):
        problems.append(
            f"title: expected {expected['title']!r}, got {actual.get('title')!r}"
        )
    missing = [t for t in expected["topics"] if t not in actual["topics"]]
    extra = [t for t in actual["topics"] if t not in expected["topics"]]
    problems += [f"topic missing: {t}" for t in missing] + [
        f"topic extra: {t}" for t in extra
    ]
    for kind, (key, scalars, sets) in FIELDS.items():
        want = {r[key]: r for r in expected[kind]}
        got = {r[key]: r for r in actual[kind]}
        problems += [f"{kind} missing: {k}" for k in want.keys() - got.keys()]
        problems += [f"{kind} extra: {k}" for k in got.keys() - want.keys()]
        for k in want.keys() & got.keys():
            for name in scalars:
                if want[k].get(name) != got[k].get(name):
                    problems.append(
                        f"{kind} {k} {name}: expected {want[k].get(name)!r}, "
                        f"got {got[k].get(name)!r}"
                    )
            for name in sets:
                if set(want[k].get(name) or []) != set(got[k].get(name) or []):
                    expected_refs = sorted(want[k].get(name) or [])
                    actual_refs = sorted(got[k].get(name) or [])
                    problems.append(
                        f"{kind} {k} {name}: want {expected_refs}, got {actual_refs}"
                    )
    return problems


def urls_in_export(export: dict) -> set[str]:
    found = set()
    for paper in export["papers"]:
        found.add(paper["url"])
        found.update(paper.get("alt_urls") or [])
    for kind in ("repositories", "translations", "others"):
        found.update(r["url"] for r in export[kind])
    return found


def urls_in_text(text: str) -> set[str]:
    return set(URL_RE.findall(text))
