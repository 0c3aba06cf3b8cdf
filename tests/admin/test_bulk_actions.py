"""The bulk actions on selected rows."""

import pytest
from django.contrib.admin.models import LogEntry

from catalog.models import (
    Paper,
    Repository,
    Topic,
)
from tests.admin.helpers import (
    run_action,
)
from tests.curation.lists import (
    AWD,
    AWD_PDF,
)


@pytest.mark.django_db
class BulkActionTests:
    def test_assign_topic_asks_then_adds(self, editor_client, catalog):
        """Assigning shows a topic picker, then adds the topic to every paper."""
        papers = list(Paper.objects.all())
        dl = Topic.objects.get(path="Deep Learning")

        page = run_action(editor_client, Paper, "assign_topic", papers)
        assert page.status_code == 200
        assert "admin/catalog/action_form.html" in [t.name for t in page.templates]
        run_action(
            editor_client, Paper, "assign_topic", papers, topic=str(dl.pk), apply="1"
        )

        assert all(p.topics.filter(pk=dl.pk).exists() for p in papers)
        assert all("topics" in p.curated_fields for p in Paper.objects.all())

    def test_remove_topic_offers_the_selection_topics(self, editor_client, catalog):
        """Removing lists only topics the selected papers have."""
        papers = list(Paper.objects.all())
        rnn = Topic.objects.get(path="Deep Learning > RNN")

        page = run_action(editor_client, Paper, "remove_topic", papers)
        offered = set(page.context["form"].fields["topic"].queryset)
        assert offered == {rnn, Topic.objects.get(path="Deep Learning > LSTM")}
        run_action(
            editor_client, Paper, "remove_topic", papers, topic=str(rnn.pk), apply="1"
        )

        assert not rnn.papers.exists()

    def test_set_venue(self, editor_client, catalog):
        """Setting the venue writes it, curated, on every selected paper."""
        papers = list(Paper.objects.all())

        run_action(editor_client, Paper, "set_venue", papers, venue="ICLR", apply="1")

        assert set(Paper.objects.values_list("venue", flat=True)) == {"ICLR"}
        assert "venue" in Paper.objects.get(key=AWD).curated_fields

    def test_set_framework_on_the_papers_repositories(self, editor_client, catalog):
        """From the paper list, the framework of their repositories is set."""
        papers = [Paper.objects.get(key=AWD_PDF)]

        run_action(
            editor_client,
            Paper,
            "set_repository_framework",
            papers,
            framework="tensorflow",
            apply="1",
        )

        assert set(Repository.objects.values_list("framework", flat=True)) == {
            "tensorflow"
        }
        entries = LogEntry.objects.filter(content_type__model="repository")
        assert entries.count() == 2

    def test_invalid_input_shows_the_form_again(self, editor_client, catalog):
        """A framework that does not exist is a form error, nothing changes."""
        papers = list(Paper.objects.all())

        page = run_action(
            editor_client,
            Paper,
            "set_repository_framework",
            papers,
            framework="cobol",
            apply="1",
        )

        assert page.status_code == 200
        assert page.context["form"].errors
        assert "cobol" not in Repository.objects.values_list("framework", flat=True)
