"""The full take-out: export_catalog's dump, restored by import_catalog."""

import gzip

import pytest
from django.contrib.redirects.models import Redirect
from django.core.management import CommandError, call_command

from catalog import curation
from catalog.ingest.importer import import_parsed_list
from catalog.models import Alias, ImportConflict, Paper, Topic
from catalog.search import suggest
from tests.corpus import corpus_paths
from tests.curation.lists import AWD, AWD_PDF, duplicate_list, paper, reading_list
from tests.exports.helpers import catalog_of, dump_text, dump_to, empty_catalog
from tests.golden import LIST_DIR

pytestmark = pytest.mark.django_db


@pytest.fixture
def curated(editor):
    """Two lists, then an editor's work: a curated title with a kept
    conflict, a merge, a renamed topic with a description."""
    import_parsed_list(reading_list())
    import_parsed_list(duplicate_list())
    row = Paper.objects.get(key=AWD)
    row.title = "Curated title"
    row.save()
    import_parsed_list(reading_list(papers=(paper(title="From the list"),)))
    curation.keep_curated(ImportConflict.objects.all(), user=editor)
    curation.merge(row, [Paper.objects.get(key=AWD_PDF)], user=editor)
    lstm = Topic.objects.get(path="Deep Learning > LSTM")
    curation.move_topic(lstm, name="LSTM/GRU", user=editor)
    lstm.refresh_from_db()
    lstm.description = "Gated recurrent networks."
    lstm.save()


def test_the_dump_holds_what_an_editor_would_miss(curated):
    """Provenance, curated fields, conflicts, aliases, redirects, topic details."""
    dump = catalog_of(dump_text())

    assert (dump["format"], dump["version"]) == ("dlresources-catalog", 1)
    [awd] = [p for p in dump["papers"] if p["key"] == AWD]
    assert awd["title"] == "Curated title"
    assert "title" in awd["curated_fields"]
    assert {s["list"] for s in awd["sources"]} == {"a.md", "b.md"}
    [conflict] = dump["conflicts"]
    assert (conflict["target"], conflict["field"], conflict["kept"]) == (
        AWD,
        "title",
        True,
    )
    assert conflict["list_value"] == "From the list"
    aliases = {(a["kind"], a["key"]): a["target"] for a in dump["aliases"]}
    assert aliases[("paper", AWD_PDF)] == AWD
    assert aliases[("topic", "Deep Learning > LSTM")] == "Deep Learning > LSTM/GRU"
    assert dump["redirects"]
    [lstm] = [t for t in dump["topic_details"] if t["name"] == "LSTM/GRU"]
    assert lstm["description"] == "Gated recurrent networks."
    assert lstm["parent"] == "Deep Learning"


def test_restoring_a_curated_catalog_gives_back_the_same_dump(curated, tmp_path):
    """export(restore(export)) is the export, byte for byte."""
    before = dump_to(tmp_path / "catalog.json")
    empty_catalog()

    call_command("import_catalog", str(tmp_path / "catalog.json"), verbosity=0)

    assert dump_text() == before
    assert Redirect.objects.exists() and Alias.objects.exists()


def test_a_gzip_dump_restores_too(curated, tmp_path):
    before = dump_text()
    (tmp_path / "catalog.json.gz").write_bytes(gzip.compress(before.encode()))
    empty_catalog()

    call_command("import_catalog", str(tmp_path / "catalog.json.gz"), verbosity=0)

    assert dump_text() == before


def test_a_restored_catalog_takes_new_imports_and_searches(tmp_path):
    """Ids continue after the restored ones; search documents and the
    vocabulary of typo corrections are rebuilt."""
    call_command("import_lists", str(LIST_DIR), verbosity=0)
    dump_to(tmp_path / "catalog.json")
    empty_catalog()
    call_command("import_catalog", str(tmp_path / "catalog.json"), verbosity=0)

    import_parsed_list(reading_list())

    assert Paper.objects.filter(key=AWD).exists()
    assert Paper.objects.search("Regularizing").filter(key=AWD).exists()
    assert Paper.objects.search("Understanding difficulty").exists()
    assert suggest("nderstanding") == "understanding"


def test_restoring_into_a_catalog_that_holds_data_is_refused(tmp_path):
    call_command("import_lists", str(LIST_DIR), verbosity=0)
    dump_to(tmp_path / "catalog.json")
    papers = Paper.objects.count()

    with pytest.raises(CommandError, match="not empty .*papers"):
        call_command("import_catalog", str(tmp_path / "catalog.json"), verbosity=0)

    assert Paper.objects.count() == papers


def test_a_file_that_is_not_a_dump_is_refused(tmp_path):
    (tmp_path / "golden.json").write_text('{"topics": [], "papers": []}')

    with pytest.raises(CommandError, match="not a dlresources-catalog dump"):
        call_command("import_catalog", str(tmp_path / "golden.json"), verbosity=0)


def test_a_dump_of_a_newer_version_is_refused(tmp_path):
    (tmp_path / "new.json").write_text(
        '{"format": "dlresources-catalog", "version": 99}'
    )

    with pytest.raises(CommandError, match="version 99"):
        call_command("import_catalog", str(tmp_path / "new.json"), verbosity=0)


def test_restoring_the_seeds_and_the_corpus_gives_back_the_same_dump(tmp_path):
    paths = [str(p) for p in corpus_paths()]
    call_command("import_lists", *paths, str(LIST_DIR), verbosity=0)
    before = dump_to(tmp_path / "catalog.json")
    empty_catalog()

    call_command("import_catalog", str(tmp_path / "catalog.json"), verbosity=0)

    assert dump_text() == before
    assert len(catalog_of(before)["papers"]) > 3000
