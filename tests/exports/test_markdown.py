"""export_catalog --format markdown: a list that import_lists reads back
into the same catalog (tests/exports/roundtrip.py says what "same" means)."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from catalog.models import Paper, Topic
from tests.corpus import corpus_paths
from tests.exports.helpers import catalog_of, dump_text, empty_catalog
from tests.exports.roundtrip import differences
from tests.golden import LIST_DIR, SEEDS

pytestmark = pytest.mark.django_db


def markdown(*args: str) -> str:
    out = StringIO()
    call_command("export_catalog", "--format", "markdown", *args, stdout=out)
    return out.getvalue()


def round_trip(paths: list[Path], folder: Path) -> tuple[dict, dict]:
    """Import ``paths``; write every list back as markdown under its own
    name; import those, in the same order, into an empty catalog. Returns
    the dumps before and after."""
    call_command("import_lists", *map(str, paths), verbosity=0)
    before = catalog_of(dump_text())
    call_command(
        "export_catalog", "--format", "markdown", "--output-dir", folder, verbosity=0
    )
    written = [str(folder / path.name) for path in paths]
    empty_catalog()
    call_command("import_lists", *written, verbosity=0)
    return before, catalog_of(dump_text())


def seed_paths() -> list[Path]:
    return [LIST_DIR / f"{seed}.txt" for seed in SEEDS]


def test_each_seed_written_back_imports_into_the_same_catalog(tmp_path):
    before, after = round_trip(seed_paths(), tmp_path)

    assert before["papers"] and before["others"] and before["translations"]
    assert differences(before, after) == []


def test_the_whole_catalog_as_one_list_imports_into_the_same_catalog(tmp_path):
    """One file for both seeds: topic order is then that file's, so siblings
    are compared by their sequence, not their numbers."""
    call_command("import_lists", str(LIST_DIR), verbosity=0)
    before = catalog_of(dump_text())
    (tmp_path / "catalog.md").write_text(markdown(), encoding="utf-8")
    empty_catalog()
    call_command("import_lists", str(tmp_path / "catalog.md"), verbosity=0)
    after = catalog_of(dump_text())

    before["lists"] = after["lists"] = []  # one file instead of two
    assert differences(before, after, topic_order=False) == []


def test_every_corpus_list_written_back_imports_into_the_same_catalog(tmp_path):
    """The real lists: the same topics and lists, and all but a handful of
    records the same in every field. What the plainest markdown cannot
    say (measured: 14 or 15 differences in 8,040 records from run to run,
    on both databases): an organisation of several words ("CMU et al."),
    which the " - Org2018" suffix cannot carry (4); YOLO's published
    versions, which the original import left apart from its arXiv record
    and the written lists' import merges into it (5 or 6); the published
    versions of Faster R-CNN and Deep compression, which the version merge
    matches by the title their own list gave, where every written list
    gives the catalog's one title (2); an other link titled by a label
    ("[Code]", "Video", "ICLR 2018 总结") under a kind label, read back
    titled by the kind label (3)."""
    before, after = round_trip([*corpus_paths(), *seed_paths()], tmp_path)

    found = differences(before, after)
    records = sum(len(before[kind]) for kind in ("papers", "repositories", "others"))
    assert records > 8000
    assert not [d for d in found if d.startswith(("topic", "reading lists"))]
    assert len(found) <= records * 0.0025, "\n".join(found)


def test_an_editors_values_are_in_the_markdown_and_read_back(tmp_path):
    call_command("import_lists", *map(str, seed_paths()), verbosity=0)
    paper = Paper.objects.get(key="arxiv:1905.10268")
    paper.title = "A curated title"
    paper.venue, paper.venue_year = "ICML", 2019
    paper.save()
    topic = Topic.objects.get(path="基础 > 神经网络")
    topic.description = "Curated description."
    topic.save()

    text = markdown("--list", SEEDS[0] + ".txt")
    (tmp_path / f"{SEEDS[0]}.txt").write_text(text, encoding="utf-8")
    empty_catalog()
    call_command("import_lists", str(tmp_path / f"{SEEDS[0]}.txt"), verbosity=0)

    assert "[A curated title - 2019](" in text
    paper = Paper.objects.get(key="arxiv:1905.10268")
    assert (paper.title, paper.venue, paper.venue_year) == (
        "A curated title",
        "ICML",
        2019,
    )
    assert Topic.objects.get(path="基础 > 神经网络").description == (
        "Curated description."
    )


def test_a_topic_is_written_with_its_subtopics_under_its_ancestors():
    call_command("import_lists", *map(str, seed_paths()), verbosity=0)
    slug = Topic.objects.get(path="基础 > 卷积").slug

    text = markdown("--topic", slug)

    assert "# 1 基础\n" in text and "## 1.1 卷积\n" in text
    assert "### 1.1.4 维度卷积" in text
    assert "DiCENet" in text
    assert "激活函数" not in text and "Mean Field Limit" not in text


def test_one_list_alone_is_what_output_dir_writes_for_it(tmp_path):
    call_command("import_lists", *map(str, seed_paths()), verbosity=0)
    call_command(
        "export_catalog", "--format", "markdown", "--output-dir", tmp_path, verbosity=0
    )

    for seed in SEEDS:
        alone = markdown("--list", f"{seed}.txt")
        assert (tmp_path / f"{seed}.txt").read_text(encoding="utf-8") == alone


def test_an_unknown_list_or_topic_is_an_error_naming_it():
    with pytest.raises(CommandError, match="no reading list 'nope.md'"):
        markdown("--list", "nope.md")
    with pytest.raises(CommandError, match="no topic with the slug 'nope'"):
        markdown("--topic", "nope")
