import pytest

from catalog import curation


@pytest.fixture
def editor(db):
    user, _ = curation.create_editor(username="editor", password="Curate-1-thing")
    return user
