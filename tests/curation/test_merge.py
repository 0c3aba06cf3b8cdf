"""Merging duplicate papers, repositories and topics."""

import pytest
from django.contrib.admin.models import CHANGE, DELETION, LogEntry
from django.contrib.redirects.models import Redirect
from django.core.exceptions import ValidationError
from django.urls import reverse

from catalog import curation
from catalog.ingest.importer import import_parsed_list
from catalog.models import (
    Alias,
    Link,
    Paper,
    Repository,
    Source,
    Topic,
    Translation,
)
from tests.curation.lists import (
    AWD,
    AWD_PDF,
    AWD_REPO,
    duplicate_list,
    reading_list,
    relations,
    union,
)


@pytest.mark.django_db
class MergePapersTests:
    @pytest.fixture
    def pair(self):
        import_parsed_list(reading_list())
        import_parsed_list(duplicate_list())
        return Paper.objects.get(key=AWD), Paper.objects.get(key=AWD_PDF)

    def test_every_relation_moves_to_the_survivor(self, pair, editor):
        """Topics, repositories, translations, links and sources end on the survivor."""
        survivor, loser = pair
        expected = union(relations(survivor), relations(loser))
        sources = Source.objects.filter(paper__in=pair).count()
        assert all(expected.values())

        curation.merge(survivor, [loser], user=editor)

        assert relations(survivor) == expected
        assert Source.objects.filter(paper=survivor).count() == sources
        assert not Paper.objects.filter(pk=loser.pk).exists()
        assert Translation.objects.count() == 2
        assert Link.objects.filter(paper=survivor).count() == 2
        assert Repository.objects.count() == 2

    def test_values_aliases_and_redirects_are_left(self, pair, editor):
        """The loser's URL, key and page stay known; differing fields become curated."""
        survivor, loser = pair
        old_url, new_url = loser.get_absolute_url(), survivor.get_absolute_url()

        plan = curation.merge(survivor, [loser], user=editor)

        survivor.refresh_from_db()
        assert loser.url in survivor.alt_urls
        assert survivor.venue == "ICLR"  # filled: the survivor had none
        assert survivor.curated_fields == ["title"]  # the duplicates differ
        assert Alias.objects.get(kind="paper", key=AWD_PDF).target_id == survivor.pk
        assert Redirect.objects.get(old_path=old_url).new_path == new_url
        assert plan.aliases == [AWD_PDF]

    def test_every_url_of_the_merged_paper_leads_to_the_survivor(
        self, client, pair, editor
    ):
        """Its canonical URL, its short URL and a stale slug all redirect."""
        survivor, loser = pair
        urls = [
            loser.get_absolute_url(),
            reverse("catalog:paper-detail-short", args=[loser.pk]),
            reverse("catalog:paper-detail", args=[loser.pk, "an-old-title"]),
        ]

        curation.merge(survivor, [loser], user=editor)

        for url in urls:
            response = client.get(url)
            assert response.status_code == 301, url
            assert response.url == survivor.get_absolute_url()
        missing = reverse("catalog:paper-detail-short", args=[survivor.pk + 1000])
        assert client.get(missing).status_code == 404

    def test_reimporting_the_duplicate_updates_the_survivor(self, pair, editor):
        """The loser's list resolves to the survivor: nothing is recreated."""
        survivor, loser = pair
        curation.merge(survivor, [loser], user=editor)

        import_parsed_list(duplicate_list())
        import_parsed_list(reading_list())

        assert list(Paper.objects.values_list("pk", flat=True)) == [survivor.pk]
        survivor.refresh_from_db()
        assert survivor.title == "Regularizing and Optimizing LSTM Language Models"
        assert Source.objects.filter(reading_list__path="b.md", paper=survivor).exists()

    def test_curated_values_of_the_duplicate_are_kept(self, pair, editor):
        """A field curated only on the loser moves to the survivor with its value."""
        survivor, loser = pair
        loser.notes = "Checked by hand"
        loser.save()

        curation.merge(survivor, [loser], user=editor)

        survivor.refresh_from_db()
        assert survivor.notes == "Checked by hand"
        assert "notes" in survivor.curated_fields

    def test_aliases_and_redirects_to_the_loser_are_repointed(self, pair, editor):
        """A key that already led to the loser now leads to the survivor."""
        survivor, loser = pair
        Alias.objects.create(
            kind="paper", key="url:old.example/awd", target_id=loser.pk
        )
        Redirect.objects.create(
            site_id=1, old_path="/papers/999999/", new_path=loser.get_absolute_url()
        )

        curation.merge(survivor, [loser], user=editor)

        assert Alias.objects.get(key="url:old.example/awd").target_id == survivor.pk
        redirect = Redirect.objects.get(old_path="/papers/999999/")
        assert redirect.new_path == survivor.get_absolute_url()

    def test_history_records_the_merge(self, pair, editor):
        """The survivor's history names the changed fields; the loser's its deletion."""
        survivor, loser = pair

        curation.merge(survivor, [loser], user=editor)

        change = LogEntry.objects.get(action_flag=CHANGE, object_id=str(survivor.pk))
        message = change.get_change_message()
        assert "Alt urls" in message
        assert "Deleted merged duplicate paper" in message
        deletion = LogEntry.objects.get(action_flag=DELETION)
        assert deletion.object_id == str(loser.pk)
        assert change.user == deletion.user == editor

    def test_plan_writes_nothing(self, pair):
        """plan_merge only describes the merge."""
        survivor, loser = pair

        plan = curation.plan_merge(survivor, [loser])

        moves = {m.label: (m.rows, m.new) for m in plan.moves}
        assert moves["sources"] == (2, 2)
        assert moves["repositories"] == (2, 1)
        assert Paper.objects.count() == 2

    def test_needs_a_duplicate(self, pair):
        """Merging a row into itself is refused."""
        survivor, _ = pair
        with pytest.raises(ValidationError):
            curation.plan_merge(survivor, [survivor])


@pytest.mark.django_db
class MergeRepositoriesTests:
    def test_every_relation_moves_and_the_key_becomes_an_alias(self, editor):
        """Papers, topics and sources move; the loser's key and URL stay known."""
        import_parsed_list(reading_list())
        import_parsed_list(duplicate_list())
        survivor = Repository.objects.get(key=AWD_REPO)
        loser = Repository.objects.get(key="github.com/other/awd")
        loser.framework = "jax"
        loser.save()
        expected = union(relations(survivor), relations(loser))
        old_url = loser.get_absolute_url()

        curation.merge(survivor, [loser], user=editor)

        assert relations(survivor) == expected
        survivor.refresh_from_db()
        assert survivor.framework == "jax"
        assert "framework" in survivor.curated_fields
        assert Alias.objects.get(kind="repository").key == "github.com/other/awd"
        assert Redirect.objects.get(old_path=old_url).new_path == (
            survivor.get_absolute_url()
        )
        import_parsed_list(duplicate_list())
        assert Repository.objects.count() == 1


@pytest.mark.django_db
class MergeTopicsTests:
    @pytest.fixture
    def topics(self):
        import_parsed_list(reading_list())
        import_parsed_list(duplicate_list())
        return (
            Topic.objects.get(path="Deep Learning > LSTM"),
            Topic.objects.get(path="Deep Learning > RNN"),
        )

    def test_every_relation_and_child_moves(self, topics, editor):
        """Papers, repositories, links, sources and children end on the survivor."""
        survivor, loser = topics
        Topic.objects.create(
            name="Tricks",
            path="Deep Learning > RNN > Tricks",
            slug="rnn-tricks",
            parent=loser,
            depth=2,
        )
        expected = union(relations(survivor), relations(loser))
        old_url = loser.get_absolute_url()

        curation.merge(survivor, [loser], user=editor)

        assert relations(survivor) == expected
        tricks = Topic.objects.get(name="Tricks")
        assert (tricks.parent, tricks.path) == (
            survivor,
            "Deep Learning > LSTM > Tricks",
        )
        assert Alias.objects.get(key="Deep Learning > RNN").target_id == survivor.pk
        assert (
            Alias.objects.get(key="Deep Learning > RNN > Tricks").target_id == tricks.pk
        )
        assert Redirect.objects.get(old_path=old_url).new_path == (
            survivor.get_absolute_url()
        )

    def test_children_with_the_same_name_are_merged_too(self, topics, editor):
        """A child both topics have becomes one topic holding both sets."""
        survivor, loser = topics
        twin = Topic.objects.create(
            name="Gates",
            path="Deep Learning > RNN > Gates",
            slug="rnn-gates",
            parent=loser,
            depth=2,
        )
        paper_row = Paper.objects.get(key=AWD_PDF)
        paper_row.topics.add(twin)
        gates = Topic.objects.get(path="Deep Learning > LSTM > Gates")

        curation.merge(survivor, [loser], user=editor)

        assert not Topic.objects.filter(pk=twin.pk).exists()
        assert paper_row.topics.filter(pk=gates.pk).exists()
        assert Alias.objects.get(key="Deep Learning > RNN > Gates").target_id == (
            gates.pk
        )

    def test_reimport_does_not_recreate_the_merged_topic(self, topics, editor):
        """The loser's list updates the survivor through the alias."""
        survivor, loser = topics
        curation.merge(survivor, [loser], user=editor)
        count = Topic.objects.count()

        import_parsed_list(duplicate_list())

        assert Topic.objects.count() == count
        assert Paper.objects.get(key=AWD_PDF).topics.get() == survivor

    def test_a_topic_cannot_merge_into_its_descendant(self, topics):
        """Merging an ancestor into its child is refused."""
        lstm, _ = topics
        with pytest.raises(ValidationError):
            curation.merge(lstm, [Topic.objects.get(path="Deep Learning")])


@pytest.mark.django_db
def test_a_paper_cited_with_no_link_takes_its_duplicates_url(editor):
    cited = Paper.objects.create(
        key="title:convolutional pose machines",
        title="Convolutional pose machines",
        url="",
        year=2016,
    )
    linked = Paper.objects.create(
        key="arxiv:1602.00134",
        title="Convolutional Pose Machines",
        url="https://arxiv.org/abs/1602.00134",
        alt_urls=["https://arxiv.org/pdf/1602.00134.pdf"],
        arxiv_id="1602.00134",
        year=2016,
    )

    curation.merge(cited, [linked], user=editor)

    cited.refresh_from_db()
    assert cited.url == "https://arxiv.org/abs/1602.00134"
    assert cited.alt_urls == ["https://arxiv.org/pdf/1602.00134.pdf"]
    assert Alias.objects.get(key="arxiv:1602.00134").target_id == cited.pk
