"""Field precision of the importer on the corpus labels (``make quality``).

Imports every corpus list into a scratch SQLite database, exports the
catalog and scores the export with ../shared/tools/field_precision.py
against ../shared/expected/corpus-labels.json: one line per field, then the
mismatches. Usage:

    python bench/quality.py [--misses]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("DLR_SHARED_DIR", ROOT.parent / "shared"))
CORPUS = Path(os.environ.get("DLR_CORPUS_DIR", SHARED / "corpus"))
TOOL = SHARED / "tools" / "field_precision.py"
LABELS = SHARED / "expected" / "corpus-labels.json"


def manage(database_url: str, *args: str, stdout=None) -> None:
    env = {**os.environ, "DATABASE_URL": database_url}
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=stdout,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list the mismatches")
    options = parser.parse_args()
    lists = sorted(str(p) for p in CORPUS.glob("*.md") if p.name != "FORMATS.md")
    if not lists or not TOOL.is_file() or not LABELS.is_file():
        sys.exit(f"corpus, labels or field_precision.py not found under {SHARED}")
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/quality.sqlite3"
        manage(url, "migrate", "--noinput", "-v0")
        manage(url, "import_lists", *lists, stdout=subprocess.DEVNULL)
        export = Path(tmp) / "export.json"
        with export.open("w", encoding="utf-8") as out:
            manage(url, "export_catalog", stdout=out)
        scored = subprocess.run(
            [sys.executable, str(TOOL), str(export), str(LABELS)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    table, _, rest = scored.partition("\n\n")
    print(table)
    if options.misses:
        print(rest.rsplit("\n\n", 1)[0])


if __name__ == "__main__":
    main()
