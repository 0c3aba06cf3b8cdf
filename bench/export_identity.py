"""Exports of every list imported alone, saved or compared: a change meant to
keep behaviour (a refactoring) must leave every one identical.

    python bench/export_identity.py save DIR      # before the change
    python bench/export_identity.py compare DIR   # after it: exits 1 on a difference

Each list (the seeds of fixtures/lists/ and every corpus list) is imported
into an empty SQLite database of its own, and the catalog exported as JSON;
the seeds are also imported together, as `make run` does.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("DLR_CORPUS_DIR", ROOT.parent / "shared" / "corpus"))


def lists() -> dict[str, list[Path]]:
    """Name of each export: the lists it imports."""
    seeds = sorted((ROOT / "fixtures" / "lists").glob("*.*"))
    corpus = sorted(p for p in CORPUS.glob("*.md") if p.name != "FORMATS.md")
    named = {"seeds-together": seeds}
    named.update({f"seed-{p.stem}": [p] for p in seeds})
    named.update({f"corpus-{p.stem}": [p] for p in corpus})
    return named


# Ids and times of the dump (catalog.exports.dump.VOLATILE): they differ from
# one import to the next, the catalog must not.
VOLATILE = {"id", "target_id", "object_id", "created", "updated", "imported_at"}


def without_volatile(document):
    if isinstance(document, dict):
        return {
            k: without_volatile(v) for k, v in document.items() if k not in VOLATILE
        }
    if isinstance(document, list):
        return [without_volatile(item) for item in document]
    return document


def manage(*args: str, env: dict) -> str:
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def export(paths: list[Path], template: Path, work: Path) -> str:
    work.mkdir()
    database = work / "db.sqlite3"
    shutil.copy(template, database)
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_CACHE_DIR": str(work / "cache"),
    }
    env.pop("REDIS_URL", None)
    manage("import_lists", *map(str, paths), "-v", "0", env=env)
    export = json.loads(manage("export_catalog", "--format", "json", env=env))
    return json.dumps(without_volatile(export), ensure_ascii=False, indent=1)


def exports() -> dict[str, str]:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        template = tmp / "template.sqlite3"
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{template}"}
        env.pop("REDIS_URL", None)
        manage("migrate", "-v", "0", env=env)
        named = lists()
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            done = {
                name: pool.submit(export, paths, template, tmp / name)
                for name, paths in named.items()
            }
            return {name: future.result() for name, future in done.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["save", "compare"])
    parser.add_argument("directory", type=Path)
    args = parser.parse_args()
    made = exports()
    if args.action == "save":
        args.directory.mkdir(parents=True, exist_ok=True)
        for name, text in made.items():
            (args.directory / f"{name}.json").write_text(text)
        print(f"saved {len(made)} exports in {args.directory}")
        return 0
    differing = 0
    for name, text in made.items():
        saved = (args.directory / f"{name}.json").read_text()
        if saved != text:
            differing += 1
            diff = difflib.unified_diff(
                saved.splitlines(), text.splitlines(), "before", "after", lineterm=""
            )
            print(f"== {name} differs", *list(diff)[:40], sep="\n")
    print(f"{len(made) - differing} of {len(made)} exports identical")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
