"""Curated fields: marking on save, releasing to the lists."""

import pytest
from django.contrib.admin.models import LogEntry

from catalog import curation
from catalog.ingest.importer import import_parsed_list
from catalog.models import (
    ImportConflict,
    Paper,
    Topic,
    Translation,
)
from tests.curation.lists import (
    AWD_PDF,
    duplicate_list,
    paper,
    reading_list,
)


@pytest.mark.django_db
class CuratedMixinTests:
    def test_save_records_each_changed_field(self):
        """save() adds the fields that changed since loading, and no others."""
        import_parsed_list(reading_list())
        row = Paper.objects.get()

        row.title = "AWD-LSTM"
        row.venue = "ICLR"
        row.save()

        assert Paper.objects.get().curated_fields == ["title", "venue"]

    def test_in_place_edit_of_a_list_field_is_recorded(self):
        """Appending to alt_urls counts as a change."""
        import_parsed_list(reading_list())
        row = Paper.objects.get()

        row.alt_urls.append("https://example.org/mirror.pdf")
        row.save()

        assert Paper.objects.get().curated_fields == ["alt_urls"]

    def test_foreign_keys_are_recorded_by_attribute_name(self):
        """A moved translation records paper_id, the name the importer checks."""
        import_parsed_list(reading_list())
        import_parsed_list(duplicate_list())
        translation = Translation.objects.get(url="https://example.cn/awd")

        translation.paper = Paper.objects.get(key=AWD_PDF)
        translation.save()

        assert Translation.objects.get(pk=translation.pk).curated_fields == ["paper_id"]

    def test_unchanged_save_new_rows_and_curate_false_record_nothing(self):
        """Saving without changes, creating, or curate=False leaves no curated field."""
        import_parsed_list(reading_list())
        row = Paper.objects.get()
        row.save()
        row.notes = "typo fixed by a script"
        row.save(curate=False)
        created = Topic(name="New", path="New", slug="new")
        created.save()

        assert Paper.objects.get().curated_fields == []
        assert Topic.objects.get(path="New").curated_fields == []

    def test_update_fields_limits_what_is_recorded(self):
        """save(update_fields=...) records only those fields, and saves the record."""
        import_parsed_list(reading_list())
        row = Paper.objects.get()
        row.title = "Not saved"
        row.venue = "ICLR"

        row.save(update_fields=["venue"])

        fresh = Paper.objects.get()
        assert (fresh.venue, fresh.curated_fields) == ("ICLR", ["venue"])
        assert fresh.title != "Not saved"

    def test_curated_field_survives_reimport_and_reports_a_conflict(self):
        """A field changed through save() survives the import of an edited list."""
        import_parsed_list(reading_list())
        row = Paper.objects.get()
        row.title = "AWD-LSTM (curated)"
        row.save()

        edited = reading_list(papers=(paper(title="New list title", year=2018),))
        import_parsed_list(edited)

        row = Paper.objects.get()
        assert row.title == "AWD-LSTM (curated)"
        assert row.year == 2018
        conflict = ImportConflict.objects.get()
        assert (conflict.field, conflict.list_value) == ("title", "New list title")


@pytest.mark.django_db
class ReleaseFieldsTests:
    def test_released_field_is_set_by_the_next_import(self, editor):
        """Releasing drops the field from curated_fields and its conflicts."""
        import_parsed_list(reading_list())
        row = Paper.objects.get()
        row.title = "Curated"
        row.save()
        edited = reading_list(papers=(paper(title="From the list"),))
        import_parsed_list(edited)

        released = curation.release_fields(row, ["title"], user=editor)
        import_parsed_list(edited)

        assert released == ["title"]
        assert Paper.objects.get().title == "From the list"
        assert not ImportConflict.objects.exists()
        entry = LogEntry.objects.get(object_id=str(row.pk))
        assert "Title" in entry.get_change_message()
