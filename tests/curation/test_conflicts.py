"""Import conflicts: keeping the curated value or accepting the list's."""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import ValidationError

from catalog import curation
from catalog.ingest.importer import import_parsed_list
from catalog.models import (
    ImportConflict,
    Paper,
    Topic,
)
from tests.curation.lists import (
    AWD_PDF,
    duplicate_list,
    paper,
    reading_list,
)


@pytest.mark.django_db
class ResolveConflictTests:
    @pytest.fixture
    def conflict(self):
        import_parsed_list(reading_list())
        row = Paper.objects.get()
        row.title = "Curated"
        row.save()
        import_parsed_list(reading_list(papers=(paper(title="From the list"),)))
        return ImportConflict.objects.get()

    def test_accepting_applies_the_list_value_and_releases_the_field(
        self, conflict, editor
    ):
        """The list's value is written, the field released, the conflict gone."""
        curation.accept_list_value(conflict, user=editor)

        row = Paper.objects.get()
        assert (row.title, row.curated_fields) == ("From the list", [])
        assert not ImportConflict.objects.exists()
        entry = LogEntry.objects.get(action_flag=CHANGE, object_id=str(row.pk))
        assert entry.user == editor
        assert entry.get_change_message() == "Changed Title."

    def test_keeping_leaves_the_curated_value(self, conflict, editor):
        """Keeping closes the conflict; the field stays curated."""
        assert curation.keep_curated([conflict], user=editor) == 1

        row = Paper.objects.get()
        assert (row.title, row.curated_fields) == ("Curated", ["title"])
        assert not ImportConflict.objects.open().exists()
        assert LogEntry.objects.filter(object_id=str(row.pk)).exists()

    def test_accepting_an_invalid_value_is_refused(self, editor):
        """A list value that breaks a constraint is refused; nothing changes."""
        import_parsed_list(reading_list())
        import_parsed_list(duplicate_list())
        other = Paper.objects.get(key=AWD_PDF)
        other.arxiv_id = "2001.00001"
        other.save()
        import_parsed_list(
            reading_list("b.md", papers=(paper(AWD_PDF, arxiv_id="1708.02182"),))
        )
        conflict = ImportConflict.objects.get(field="arxiv_id")

        with pytest.raises(ValidationError):
            curation.accept_list_value(conflict, user=editor)

        assert Paper.objects.get(key=AWD_PDF).arxiv_id == "2001.00001"

    def test_accepting_a_topic_name_renames_the_subtree(self, editor):
        """A topic's name conflict is resolved by a rename, so paths stay right."""
        import_parsed_list(reading_list())
        lstm = Topic.objects.get(path="Deep Learning > LSTM")
        curation.move_topic(lstm, name="LSTM/GRU", user=editor)
        import_parsed_list(reading_list())
        conflict = ImportConflict.objects.get(field="name")

        curation.accept_list_value(conflict, user=editor)

        assert Topic.objects.filter(path="Deep Learning > LSTM > Gates").exists()
        assert Topic.objects.get(pk=lstm.pk).curated_fields == []
