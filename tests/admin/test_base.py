"""The curated-field machinery every catalog admin shares."""

from pathlib import Path

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.redirects.models import Redirect
from django.core.management import call_command
from django.urls import reverse

from catalog.ingest import parsing
from catalog.ingest.importer import import_parsed_list
from catalog.models import (
    Alias,
    ImportConflict,
    Link,
    Paper,
    Repository,
    Translation,
)
from tests.admin.helpers import (
    admin_url,
    form_data,
    run_action,
)
from tests.curation.lists import (
    AWD,
    paper,
    reading_list,
)


@pytest.mark.django_db
class AdminCurationTests:
    def edit(self, client, obj, **changes):
        url = admin_url(type(obj), "change", obj.pk)
        data = form_data(client.get(url))
        data.update(changes)
        response = client.post(url, data)
        assert response.status_code == 302, response.context["adminform"].form.errors
        return response

    def test_edited_field_is_curated_and_logged(self, editor_client, editor):
        """A field changed on the form is recorded as curated, with history."""
        import_parsed_list(reading_list())
        row = Paper.objects.get()

        self.edit(editor_client, row, title="AWD-LSTM", venue="ICLR")

        row.refresh_from_db()
        assert row.curated_fields == ["title", "venue"]
        entry = LogEntry.objects.get(object_id=str(row.pk))
        assert (entry.user, entry.get_change_message()) == (
            editor,
            "Changed Title and Venue.",
        )

    @pytest.mark.parametrize(
        "changes",
        [
            {"alt_urls": '["javascript:alert(document.domain)"]'},
            {"alt_urls": '["https://ok.example/a", "data:text/html,<script>"]'},
            {"alt_urls": '"https://not-a-list.example/"'},
            {"url": "javascript:alert(1)"},
            {"url": "ftp://files.example/paper.pdf"},
        ],
    )
    def test_addresses_other_than_http_are_refused(self, editor_client, changes):
        import_parsed_list(reading_list())
        row = Paper.objects.get()
        url = admin_url(Paper, "change", row.pk)
        data = {**form_data(editor_client.get(url)), **changes}

        response = editor_client.post(url, data)

        assert response.status_code == 200
        assert set(response.context["adminform"].form.errors) == set(changes)
        refreshed = Paper.objects.get(pk=row.pk)
        assert (refreshed.url, refreshed.alt_urls) == (row.url, row.alt_urls)

    def test_an_other_url_saved_by_an_editor_is_linked_on_the_paper_page(
        self, editor_client, client
    ):
        import_parsed_list(reading_list())
        row = Paper.objects.get()
        self.edit(editor_client, row, alt_urls='["https://mirror.example/awd"]')

        page = client.get(row.get_absolute_url()).content.decode()

        assert 'href="https://mirror.example/awd"' in page

    @pytest.mark.parametrize(
        "target", ["https://evil.example/", "//evil.example/x", "/\\evil.example"]
    )
    def test_a_redirect_to_another_site_cannot_be_saved(self, editor_client, target):
        url = reverse("admin:redirects_redirect_add")
        data = {"site": "1", "old_path": "/old/", "new_path": target}

        response = editor_client.post(url, data)

        assert response.status_code == 200
        assert "new_path" in response.context["adminform"].form.errors
        assert not Redirect.objects.filter(old_path="/old/").exists()

    def test_a_redirect_to_a_path_of_the_site_is_saved(self, editor_client):
        url = reverse("admin:redirects_redirect_add")
        data = {"site": "1", "old_path": "/old/", "new_path": "/papers/"}

        response = editor_client.post(url, data)

        assert response.status_code == 302
        assert Redirect.objects.get(old_path="/old/").new_path == "/papers/"

    def test_inline_edits_curate_the_inline_row(self, editor_client):
        """Changing a translation inline on the paper page curates that translation."""
        import_parsed_list(reading_list())
        row = Paper.objects.get()

        self.edit(editor_client, row, **{"translations-0-title": "中文译文"})

        assert Translation.objects.get().curated_fields == ["title"]
        assert Paper.objects.get().curated_fields == []

    def test_edited_urls_stay_known_to_the_importer(self, editor_client):
        """A link or translation URL fixed by hand leaves an alias: no duplicate."""
        import_parsed_list(reading_list())
        row = Paper.objects.get()

        self.edit(
            editor_client,
            row,
            **{
                "translations-0-url": "https://example.cn/awd-fixed",
                "links-0-url": "https://blog.example/awd-fixed",
            },
        )
        import_parsed_list(reading_list())

        assert list(Translation.objects.values_list("url", flat=True)) == [
            "https://example.cn/awd-fixed"
        ]
        assert list(Link.objects.values_list("url", flat=True)) == [
            "https://blog.example/awd-fixed"
        ]
        assert set(Alias.objects.values_list("kind", "key")) == {
            ("translation", "https://example.cn/awd"),
            ("link", "https://blog.example/awd"),
        }

    def test_release_gives_the_field_back(self, editor_client):
        """Checking "release" drops the field from the curated ones."""
        import_parsed_list(reading_list())
        row = Paper.objects.get()
        self.edit(editor_client, row, title="AWD-LSTM")

        self.edit(editor_client, row, release=["title"])

        assert Paper.objects.get().curated_fields == []

    def test_curated_value_survives_reimport_end_to_end(self, editor_client, tmp_path):
        """Admin edit, re-import of an edited list, conflict, then accept the list."""
        import_parsed_list(reading_list())
        row = Paper.objects.get()
        self.edit(editor_client, row, title="AWD-LSTM (editor)")

        edited = reading_list(
            papers=(paper(title="Regularizing LSTMs", organisation="Salesforce AI"),)
        )
        import_parsed_list(edited)

        row.refresh_from_db()
        assert row.title == "AWD-LSTM (editor)"
        assert row.organisation == "Salesforce AI"
        conflict = ImportConflict.objects.get()
        assert (conflict.field, conflict.curated_value, conflict.list_value) == (
            "title",
            "AWD-LSTM (editor)",
            "Regularizing LSTMs",
        )
        listing = editor_client.get(admin_url(ImportConflict))
        assert b"Regularizing LSTMs" in listing.content
        assert b"a.md:5" in listing.content

        response = run_action(
            editor_client, ImportConflict, "accept_list_value", [conflict]
        )

        assert response.status_code == 302
        row.refresh_from_db()
        assert (row.title, row.curated_fields) == ("Regularizing LSTMs", [])
        assert not ImportConflict.objects.exists()
        import_parsed_list(edited)
        assert not ImportConflict.objects.exists()

    def test_import_command_keeps_the_curated_value(
        self, editor_client, tmp_path, monkeypatch
    ):
        """`import_lists` after an admin edit keeps it and stores the conflict.

        The parser is stubbed at its module boundary, so this runs before the
        markdown parser lands; the next test does the same on real markdown.
        """
        versions = {
            "v1": reading_list("awd.md"),
            "v2": reading_list("awd.md", papers=(paper(title="Regularizing LSTMs"),)),
        }
        monkeypatch.setattr(
            parsing,
            "parse_list_file",
            lambda source, **kwargs: versions[Path(source.path).read_text()],
        )
        path = tmp_path / "awd.md"
        path.write_text("v1")
        call_command("import_lists", str(path), verbosity=0)
        row = Paper.objects.get()
        self.edit(editor_client, row, title="AWD-LSTM (editor)")

        path.write_text("v2")
        call_command("import_lists", str(path), verbosity=0)

        assert Paper.objects.get().title == "AWD-LSTM (editor)"
        conflict = ImportConflict.objects.get()
        assert (conflict.field, conflict.list_value, conflict.line) == (
            "title",
            "Regularizing LSTMs",
            5,
        )

    def test_editing_a_curated_field_again_logs_plain_field_names(self, editor_client):
        """History says "Title", not the form's "Title (curated)"."""
        import_parsed_list(reading_list())
        row = Paper.objects.get()
        self.edit(editor_client, row, title="AWD-LSTM")

        self.edit(editor_client, row, title="AWD-LSTM, again")

        messages = {e.get_change_message() for e in LogEntry.objects.all()}
        assert messages == {"Changed Title."}

    def test_change_page_links_to_its_conflicts(self, editor_client, catalog):
        """The "Resolve…" link lists exactly this row's conflicts."""
        row = Paper.objects.get(key=AWD)
        page = editor_client.get(admin_url(Paper, "change", row.pk))
        assert f"?kind=paper&amp;object_id={row.pk}" in page.content.decode()

        response = editor_client.get(
            admin_url(ImportConflict), {"kind": "paper", "object_id": row.pk}
        )

        assert response.status_code == 200
        assert [c.object_id for c in response.context["cl"].result_list] == [row.pk]

    def test_curated_value_survives_the_import_command(self, editor_client, tmp_path):
        """The same through `manage.py import_lists` on markdown files."""
        entry = (
            "# Deep Learning\n\n## LSTM\n"
            "1. [{title} - Salesforce2017](https://arxiv.org/abs/1708.02182)\n"
        )
        path = tmp_path / "awd.md"
        path.write_text(entry.format(title="Regularizing LSTM Language Models"))
        call_command("import_lists", str(path), verbosity=0)
        row = Paper.objects.get(key=AWD)
        self.edit(editor_client, row, title="AWD-LSTM (editor)")

        path.write_text(entry.format(title="Regularizing LSTMs"))
        call_command("import_lists", str(path), verbosity=0)

        assert Paper.objects.get(pk=row.pk).title == "AWD-LSTM (editor)"
        conflict = ImportConflict.objects.get()
        assert (conflict.field, conflict.list_value) == ("title", "Regularizing LSTMs")

    def test_keep_action_dismisses_the_conflict(self, editor_client, catalog):
        """Keeping the curated value removes the conflict and leaves the value."""
        conflict = ImportConflict.objects.get()

        run_action(editor_client, ImportConflict, "keep_curated", [conflict])

        assert not ImportConflict.objects.open().exists()
        assert Paper.objects.get(key=AWD).title == "Curated"

    def test_framework_edited_in_the_list_is_curated(self, editor_client):
        """The repository changelist edits framework in place, as curated."""
        import_parsed_list(reading_list())
        repo = Repository.objects.get()
        response = editor_client.get(admin_url(Repository))
        formset = response.context["cl"].formset
        data = {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": str(repo.pk),
            "form-0-framework": "jax",
            "_save": "Save",
        }
        assert formset.prefix == "form"

        assert editor_client.post(admin_url(Repository), data).status_code == 302

        repo.refresh_from_db()
        assert (repo.framework, repo.curated_fields) == ("jax", ["framework"])
