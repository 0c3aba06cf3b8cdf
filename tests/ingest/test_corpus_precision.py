"""Field precision of an import of the corpus against its hand-labelled sample.

The labels (../shared/expected/corpus-labels.json) and the scorer
(../shared/tools/field_precision.py) are shared material, read where they
are: this test imports every corpus list, exports the catalog and runs the
scorer on the export. ``make quality`` prints the same table.
"""

import io
import json
import subprocess
import sys

import pytest
from django.core.management import call_command

from catalog.exporters import export_catalog
from tests.corpus import CORPUS_DIR, corpus_paths

SHARED = CORPUS_DIR.parent
TOOL = SHARED / "tools" / "field_precision.py"
LABELS = SHARED / "expected" / "corpus-labels.json"

# The precision reached on the labels; raise a floor when a change reaches more.
FLOORS = {
    "found": 1.0,
    "kind": 1.0,
    "title": 0.98,
    "year": 1.0,
    "venue": 1.0,
    "venue_name": 1.0,
    "topic": 1.0,
    "code": 1.0,
    "framework": 1.0,
    "paper": 1.0,
    "none": 0.81,
}


def score(export_path) -> tuple[dict[str, list[int]], str]:
    """The scorer's counts per field ({"title": [right, scored]}) and its report."""
    out = subprocess.run(
        [sys.executable, str(TOOL), str(export_path), str(LABELS)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1]), out


@pytest.mark.django_db(transaction=True)
def test_every_field_of_the_imported_corpus_reaches_its_precision(tmp_path):
    paths = corpus_paths()
    if not TOOL.is_file() or not LABELS.is_file():
        pytest.skip(f"corpus labels or scorer not found under {SHARED}")
    call_command(
        "import_lists", *map(str, paths), stdout=io.StringIO(), stderr=io.StringIO()
    )
    export = tmp_path / "export.json"
    export.write_text(json.dumps(export_catalog()), encoding="utf-8")

    counts, report = score(export)

    below = {
        field: f"{right}/{scored}"
        for field, (right, scored) in counts.items()
        if scored and right / scored < FLOORS[field]
    }
    assert not below, f"below the floor: {below}\n{report}"
