"""The paper change page: inlines, provenance, search, autocomplete."""

import pytest
from django.contrib.admin.views.main import SEARCH_VAR
from django.urls import reverse

from catalog.models import (
    Link,
    Paper,
    Repository,
    Translation,
)
from tests.admin.helpers import (
    CHANGELIST_MAX_QUERIES,
    admin_url,
)
from tests.curation.lists import (
    AWD,
    AWD_PDF,
)


@pytest.mark.django_db
class PaperChangePageTests:
    def test_shows_inlines_provenance_and_curated_fields(self, editor_client, catalog):
        """Repositories, translations, links inline; sources and curation shown."""
        row = Paper.objects.get(key=AWD)

        response = editor_client.get(admin_url(Paper, "change", row.pk))

        inlines = [i.formset.model for i in response.context["inline_admin_formsets"]]
        assert inlines == [Repository.papers.through, Translation, Link]
        content = response.content.decode()
        assert "a.md: line 5" in content
        assert "Title (curated)" in content
        assert 'name="release"' in content
        assert "a.md:5 says Regularizing and Optimizing" in content

    def test_search_uses_the_ranked_full_text_search(
        self, editor_client, catalog, django_assert_max_num_queries
    ):
        """Admin search goes through Paper.objects.search(), in bounded queries."""
        with django_assert_max_num_queries(CHANGELIST_MAX_QUERIES):
            response = editor_client.get(admin_url(Paper), {SEARCH_VAR: "AWD-LSTM"})

        assert response.status_code == 200
        found = [p.key for p in response.context["cl"].result_list]
        # The title match ranks above the paper whose repository is awd-lstm-lm.
        assert found == [AWD_PDF, AWD]

    def test_topic_autocomplete_answers_searches(self, editor_client, catalog):
        """The topic picker (on papers) finds topics by path."""
        url = reverse("admin:autocomplete")
        topics = editor_client.get(
            url,
            {
                "term": "LSTM",
                "app_label": "catalog",
                "model_name": "paper",
                "field_name": "topics",
            },
        )
        assert topics.status_code == 200
        assert {r["text"] for r in topics.json()["results"]} >= {"Deep Learning > LSTM"}
