"""The parser alone (no database) gives the hand-labelled golden results."""

import pytest

from catalog.ingest.parsing import as_export, parse_reading_list
from tests.golden import LIST_DIR, SEEDS, golden_diff, load_golden


@pytest.mark.parametrize("seed", SEEDS)
def test_parsing_a_seed_gives_its_golden_labels(seed):
    text = (LIST_DIR / f"{seed}.txt").read_text(encoding="utf-8")

    actual = as_export(parse_reading_list(text, name=f"{seed}.txt"))

    problems = golden_diff(load_golden(seed), actual)
    assert not problems, "parse differs from golden:\n  " + "\n  ".join(problems)
