import pytest

from catalog import curation
from catalog.ingest.importer import import_parsed_list
from catalog.models import (
    Alias,
    ImportConflict,
    Paper,
)
from tests.curation.lists import (
    AWD,
    duplicate_list,
    reading_list,
)


@pytest.fixture
def editor(db):
    user, _ = curation.create_editor(username="editor", password="Curate-1-thing")
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def catalog(db):
    """Two lists writing the same paper twice, plus a conflict and an alias."""
    import_parsed_list(reading_list())
    import_parsed_list(duplicate_list())
    row = Paper.objects.get(key=AWD)
    row.title = "Curated"
    row.save()
    import_parsed_list(reading_list())
    Alias.objects.create(kind="paper", key="url:old.example/awd", target_id=row.pk)
    assert ImportConflict.objects.exists()
