import json

import pytest
from django.core.management import call_command

from tests.golden import (
    LIST_DIR,
    SEEDS,
    golden_diff,
    load_golden,
    urls_in_export,
    urls_in_text,
)


def export(capsys) -> dict:
    capsys.readouterr()
    call_command("export_catalog", "--format", "json")
    return json.loads(capsys.readouterr().out)


@pytest.mark.django_db
@pytest.mark.parametrize("seed", SEEDS)
def test_importing_a_seed_alone_exports_its_golden_file(seed, capsys):
    """Each seed, imported into an empty catalog, exports exactly its golden labels."""
    call_command("import_lists", str(LIST_DIR / f"{seed}.txt"), verbosity=0)
    actual = export(capsys)

    problems = golden_diff(load_golden(seed), actual)

    assert not problems, "export differs from golden:\n  " + "\n  ".join(problems)


@pytest.mark.django_db
@pytest.mark.parametrize("seed", SEEDS)
def test_every_url_of_a_seed_is_in_the_catalog(seed, capsys):
    """No http(s) link of a seed list is dropped."""
    path = LIST_DIR / f"{seed}.txt"
    call_command("import_lists", str(path), verbosity=0)

    missing = urls_in_text(path.read_text(encoding="utf-8")) - urls_in_export(
        export(capsys)
    )

    assert not missing, f"URLs dropped: {sorted(missing)}"
