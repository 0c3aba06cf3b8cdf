"""The admin history the editors' changes leave."""

import pytest

from catalog.ingest.importer import import_parsed_list
from catalog.models import (
    Paper,
)
from tests.admin.helpers import (
    admin_url,
    form_data,
    run_action,
)
from tests.curation.lists import (
    reading_list,
)


@pytest.mark.django_db
class HistoryTests:
    def test_history_page_names_who_changed_which_fields(self, editor_client):
        """The admin history lists each change with its user and fields."""
        import_parsed_list(reading_list())
        row = Paper.objects.get()
        url = admin_url(Paper, "change", row.pk)
        data = form_data(editor_client.get(url))
        data["notes"] = "Read it."
        editor_client.post(url, data)
        run_action(editor_client, Paper, "set_venue", [row], venue="ICLR", apply="1")

        page = editor_client.get(admin_url(Paper, "history", row.pk))

        content = page.content.decode()
        assert "Changed Notes." in content
        assert "Changed Venue." in content
        assert content.count("editor") >= 2
