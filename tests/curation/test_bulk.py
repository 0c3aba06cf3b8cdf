"""The bulk actions' services."""

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from catalog import curation
from catalog.ingest.importer import import_parsed_list
from catalog.models import (
    Paper,
    Topic,
)
from tests.curation.lists import (
    AWD,
    AWD_PDF,
    duplicate_list,
    reading_list,
)


@pytest.mark.django_db
class BulkChangeTests:
    def test_assign_and_remove_topic_curate_and_log(self, editor):
        """Adding and removing a topic records "topics" as curated, with history."""
        import_parsed_list(reading_list())
        import_parsed_list(duplicate_list())
        rnn = Topic.objects.get(path="Deep Learning > RNN")
        papers = Paper.objects.all()

        assert curation.assign_topic(papers, rnn, user=editor) == 1
        assert all(p.topics.filter(pk=rnn.pk).exists() for p in papers)
        assert curation.remove_topic(papers, rnn, user=editor) == 2

        assert not rnn.papers.exists()
        assert all(p.curated_fields == ["topics"] for p in Paper.objects.all())
        messages = [e.get_change_message() for e in LogEntry.objects.all()]
        assert "Changed Topics. Added topic “Deep Learning > RNN”." in messages

    def test_assigning_a_topic_shows_in_the_catalog_at_once(self, client, editor):
        """Bulk writes send no signal: the topic facet and the topic's cached
        page still follow them."""
        import_parsed_list(reading_list())
        import_parsed_list(duplicate_list())
        rnn = Topic.objects.get(path="Deep Learning > RNN")
        page = reverse("catalog:topic-detail", args=[rnn.slug])
        before = client.get(page).context["paginator"].count

        curation.assign_topic(Paper.objects.all(), rnn, user=editor)
        assigned = client.get(page).context["paginator"].count
        curation.remove_topic(Paper.objects.all(), rnn, user=editor)
        removed = client.get(page)

        assert before == 1
        assert assigned == Paper.objects.count() == 2
        assert removed.context["paginator"].count == 0
        assert (
            client.get(reverse("catalog:paper-list"), {"topic": rnn.slug})
            .context["paginator"]
            .count
            == 0
        )

    def test_a_removed_topic_stays_removed_after_reimport(self, editor):
        """An editor's removal of a topic is not undone by the next import."""
        import_parsed_list(reading_list())
        lstm = Topic.objects.get(path="Deep Learning > LSTM")
        curation.remove_topic(Paper.objects.all(), lstm, user=editor)

        import_parsed_list(reading_list())

        assert not Paper.objects.get().topics.exists()

    def test_set_field_saves_each_row_as_curated(self, editor):
        """Setting the venue in bulk curates it on the rows that changed."""
        import_parsed_list(reading_list())
        import_parsed_list(duplicate_list())

        assert (
            curation.set_field(Paper.objects.all(), "venue", "ICLR", user=editor) == 1
        )

        assert dict(Paper.objects.values_list("key", "curated_fields")) == {
            AWD: ["venue"],
            AWD_PDF: [],
        }
        assert set(Paper.objects.values_list("venue", flat=True)) == {"ICLR"}
