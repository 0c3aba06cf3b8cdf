"""The topic tree: placing, moving, renaming, reordering."""

import pytest
from django.contrib.redirects.models import Redirect
from django.core.exceptions import ValidationError

from catalog import curation
from catalog.ingest.importer import import_parsed_list
from catalog.models import (
    Alias,
    ImportConflict,
    Topic,
)
from tests.curation.lists import (
    duplicate_list,
    reading_list,
)


@pytest.mark.django_db
class TopicTreeTests:
    @pytest.fixture
    def tree(self):
        import_parsed_list(reading_list())
        import_parsed_list(duplicate_list())
        return {t.path: t for t in Topic.objects.all()}

    def test_move_repaths_the_subtree_and_leaves_aliases(self, tree, editor):
        """Descendants follow; old paths become aliases, old URLs redirect."""
        lstm, rnn = tree["Deep Learning > LSTM"], tree["Deep Learning > RNN"]
        gates = tree["Deep Learning > LSTM > Gates"]
        old_urls = (lstm.get_absolute_url(), gates.get_absolute_url())

        curation.move_topic(lstm, parent=rnn, user=editor)

        lstm.refresh_from_db()
        gates.refresh_from_db()
        assert lstm.path == "Deep Learning > RNN > LSTM"
        assert (gates.path, gates.depth) == ("Deep Learning > RNN > LSTM > Gates", 3)
        assert gates.slug == Topic.slug_for_path(gates.path)
        assert set(lstm.curated_fields) == {"parent_id", "depth"}
        assert dict(Alias.objects.values_list("key", "target_id")) == {
            "Deep Learning > LSTM": lstm.pk,
            "Deep Learning > LSTM > Gates": gates.pk,
        }
        redirects = dict(Redirect.objects.values_list("old_path", "new_path"))
        assert redirects == {
            old_urls[0]: lstm.get_absolute_url(),
            old_urls[1]: gates.get_absolute_url(),
        }

    def test_reimport_after_a_move_keeps_the_tree(self, tree, editor):
        """The old list finds the moved topics; the curated parent is a conflict."""
        lstm, rnn = tree["Deep Learning > LSTM"], tree["Deep Learning > RNN"]
        curation.move_topic(lstm, parent=rnn, user=editor)
        count = Topic.objects.count()

        import_parsed_list(reading_list())

        assert Topic.objects.count() == count
        lstm.refresh_from_db()
        assert lstm.parent == rnn
        assert set(
            ImportConflict.objects.filter(object_id=lstm.pk).values_list(
                "field", flat=True
            )
        ) == {"parent_id"}
        assert lstm.depth == 2

    def test_rename_changes_path_slug_and_redirects(self, tree, editor):
        """A renamed topic gets a new path and slug; the old URL redirects."""
        lstm = tree["Deep Learning > LSTM"]
        old_url = lstm.get_absolute_url()

        curation.move_topic(lstm, name="LSTM/GRU", user=editor)

        lstm.refresh_from_db()
        assert (lstm.path, lstm.curated_fields) == (
            "Deep Learning > LSTM/GRU",
            ["name"],
        )
        assert (
            Redirect.objects.get(old_path=old_url).new_path == lstm.get_absolute_url()
        )
        import_parsed_list(reading_list())
        assert not Topic.objects.filter(path="Deep Learning > LSTM").exists()

    def test_renaming_back_removes_the_stale_redirect(self, tree, editor):
        """Going back to the old name leaves no redirect away from a live URL."""
        lstm = tree["Deep Learning > LSTM"]
        original = lstm.get_absolute_url()

        curation.move_topic(lstm, name="LSTM/GRU", user=editor)
        curation.move_topic(lstm, name="LSTM", user=editor)

        lstm.refresh_from_db()
        assert lstm.get_absolute_url() == original
        assert not Redirect.objects.filter(old_path=original).exists()
        assert not Alias.objects.filter(key="Deep Learning > LSTM").exists()

    @pytest.mark.parametrize(
        "target, name",
        [
            ("Deep Learning > LSTM > Gates", None),
            ("Deep Learning > LSTM", None),
            (None, "RNN"),
            (None, "A > B"),
        ],
    )
    def test_impossible_places_are_refused(self, tree, target, name):
        """Under itself, under a descendant, onto a sibling's path, or a bad name."""
        lstm = tree["Deep Learning > LSTM"]
        kwargs = {"name": name} if name else {"parent": tree[target]}

        with pytest.raises(ValidationError):
            curation.move_topic(lstm, **kwargs)

    def test_shift_swaps_siblings_and_curates_the_order(self, tree, editor):
        """Moving a topic up swaps it with the sibling above it."""
        lstm, rnn = tree["Deep Learning > LSTM"], tree["Deep Learning > RNN"]
        assert [
            t.name for t in Topic.objects.filter(depth=1).order_by("order", "path")
        ] == [
            "LSTM",
            "RNN",
        ]

        assert curation.shift_topic(rnn, -1, user=editor) is True

        siblings = Topic.objects.filter(depth=1).order_by("order", "path")
        assert [t.name for t in siblings] == ["RNN", "LSTM"]
        assert Topic.objects.get(pk=rnn.pk).curated_fields == ["order"]
        assert curation.shift_topic(Topic.objects.get(pk=rnn.pk), -1) is False
        assert Topic.objects.get(pk=lstm.pk).order > Topic.objects.get(pk=rnn.pk).order
