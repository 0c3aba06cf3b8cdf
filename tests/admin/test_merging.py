"""The merge action and its confirmation page."""

import pytest
from django.contrib.redirects.models import Redirect

from catalog.models import (
    Alias,
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
    AWD_REPO,
    relations,
    union,
)


@pytest.mark.django_db
class MergeActionTests:
    @pytest.mark.parametrize(
        "model, keys",
        [
            (Paper, (AWD, AWD_PDF)),
            (Repository, (AWD_REPO, "github.com/other/awd")),
            (Topic, ("Deep Learning > LSTM", "Deep Learning > RNN")),
        ],
        ids=["papers", "repositories", "topics"],
    )
    def test_confirmation_then_merge_keeps_every_relation(
        self, editor_client, catalog, model, keys
    ):
        """The action shows what will move, then moves it all to the survivor."""
        lookup = "path" if model is Topic else "key"
        survivor, loser = (model.objects.get(**{lookup: k}) for k in keys)
        expected = union(relations(survivor), relations(loser))

        page = run_action(editor_client, model, "merge_selected", [loser, survivor])

        assert page.status_code == 200
        assert "admin/catalog/merge_confirmation.html" in [
            t.name for t in page.templates
        ]
        plan = page.context["plan"]
        assert (plan.survivor, plan.losers) == (survivor, [loser])
        assert "Rows that move" in page.content.decode()
        assert model.objects.count() >= 2

        done = run_action(
            editor_client,
            model,
            "merge_selected",
            [loser, survivor],
            survivor=str(survivor.pk),
            confirm="Merge",
        )

        assert done.status_code == 302
        assert not model.objects.filter(pk=loser.pk).exists()
        assert relations(survivor) == expected
        assert Redirect.objects.filter(new_path=survivor.get_absolute_url()).exists()

    def test_the_editor_chooses_the_survivor(self, editor_client, catalog):
        """Previewing with another survivor describes the merge the other way round."""
        first, second = Paper.objects.get(key=AWD), Paper.objects.get(key=AWD_PDF)

        page = run_action(
            editor_client,
            Paper,
            "merge_selected",
            [first, second],
            survivor=str(second.pk),
            preview="1",
        )

        assert page.context["plan"].survivor == second
        assert Alias.objects.filter(key=AWD).exists() is False
        assert Paper.objects.count() == 2

    def test_one_row_is_not_enough(self, editor_client, catalog):
        """Merging a single row is refused with a message."""
        response = run_action(
            editor_client, Paper, "merge_selected", [Paper.objects.first()]
        )

        assert response.status_code == 302
        assert Paper.objects.count() == 2
