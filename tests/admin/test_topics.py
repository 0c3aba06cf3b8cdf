"""The topic admin: tree edits through curation."""

import pytest
from django.contrib.redirects.models import Redirect

from catalog.models import (
    Alias,
    Topic,
)
from tests.admin.helpers import (
    admin_url,
    form_data,
    run_action,
)


@pytest.mark.django_db
class TopicAdminTests:
    def test_rename_on_the_change_form_repaths_and_redirects(
        self, editor_client, catalog
    ):
        """Renaming renames the descendants' paths and leaves a redirect."""
        lstm = Topic.objects.get(path="Deep Learning > LSTM")
        old_url = lstm.get_absolute_url()
        url = admin_url(Topic, "change", lstm.pk)
        data = form_data(editor_client.get(url))
        data["name"] = "LSTM/GRU"

        assert editor_client.post(url, data).status_code == 302

        lstm.refresh_from_db()
        assert lstm.path == "Deep Learning > LSTM/GRU"
        assert Topic.objects.filter(path="Deep Learning > LSTM/GRU > Gates").exists()
        assert Redirect.objects.get(old_path=old_url).new_path == (
            lstm.get_absolute_url()
        )
        assert set(lstm.curated_fields) == {"name"}

    def test_moving_under_its_own_child_is_a_form_error(self, editor_client, catalog):
        """The change form refuses a parent inside the topic."""
        lstm = Topic.objects.get(path="Deep Learning > LSTM")
        gates = Topic.objects.get(path="Deep Learning > LSTM > Gates")
        url = admin_url(Topic, "change", lstm.pk)
        data = form_data(editor_client.get(url))
        data["parent"] = str(gates.pk)

        response = editor_client.post(url, data)

        assert response.status_code == 200
        assert response.context["adminform"].form.errors
        assert Topic.objects.get(pk=lstm.pk).path == "Deep Learning > LSTM"

    def test_add_page_places_a_new_topic(self, editor_client, catalog):
        """A topic added under a parent gets its path, depth and slug."""
        dl = Topic.objects.get(path="Deep Learning")
        url = admin_url(Topic, "add")
        data = form_data(editor_client.get(url))
        data.update(name="Attention", parent=str(dl.pk), order="5")

        assert editor_client.post(url, data).status_code == 302

        topic = Topic.objects.get(name="Attention")
        assert (topic.path, topic.depth, topic.slug) == (
            "Deep Learning > Attention",
            1,
            "deep-learning-attention",
        )

    def test_move_action_reparents_the_selection(self, editor_client, catalog):
        """The move action asks for a parent, then moves each selected topic."""
        rnn = Topic.objects.get(path="Deep Learning > RNN")
        lstm = Topic.objects.get(path="Deep Learning > LSTM")

        page = run_action(editor_client, Topic, "move_under", [rnn])
        assert page.status_code == 200
        run_action(
            editor_client, Topic, "move_under", [rnn], parent=str(lstm.pk), apply="1"
        )

        rnn.refresh_from_db()
        assert rnn.path == "Deep Learning > LSTM > RNN"
        assert Alias.objects.get(key="Deep Learning > RNN").target_id == rnn.pk

    def test_move_up_and_down_reorder_siblings(self, editor_client, catalog):
        """Move up puts the topic before its sibling; move down undoes it."""
        rnn = Topic.objects.get(path="Deep Learning > RNN")

        def names():
            siblings = Topic.objects.filter(parent__path="Deep Learning")
            return [t.name for t in siblings.order_by("order", "path")]

        run_action(editor_client, Topic, "move_up", [rnn])
        assert names() == ["RNN", "LSTM"]
        run_action(editor_client, Topic, "move_down", [rnn])
        assert names() == ["LSTM", "RNN"]
