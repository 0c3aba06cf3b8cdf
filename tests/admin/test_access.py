"""Who may open the admin's pages, and what a change list costs."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.ingest.importer import import_parsed_list
from catalog.models import (
    Alias,
    ImportConflict,
    Paper,
    ReadingList,
    Repository,
    Source,
)
from tests.admin.helpers import (
    CHANGELIST_MAX_QUERIES,
    EDITABLE,
    MODELS,
    admin_url,
    one_of_each,
    synthetic_list,
)


@pytest.mark.django_db
class AdminAccessTests:
    @pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
    def test_editor_opens_list_and_change_pages(self, editor_client, catalog, model):
        """Changelist and change (or view) page load for an editor."""
        obj = one_of_each()[model]

        assert editor_client.get(admin_url(model)).status_code == 200
        assert editor_client.get(admin_url(model, "change", obj.pk)).status_code == 200
        history = editor_client.get(admin_url(model, "history", obj.pk))
        assert history.status_code == 200

    def test_editor_sees_the_catalog_on_the_admin_index(self, editor_client):
        """The index lists the catalog and redirects for an editor."""
        response = editor_client.get(reverse("admin:index"))

        apps = {app["app_label"] for app in response.context["app_list"]}
        assert apps == {"catalog", "redirects"}

    @pytest.mark.parametrize("model", EDITABLE, ids=lambda m: m.__name__)
    def test_editor_opens_add_pages(self, editor_client, model):
        """Editors may add catalog entries."""
        assert editor_client.get(admin_url(model, "add")).status_code == 200

    @pytest.mark.parametrize("model", (ReadingList, Source, Alias, ImportConflict))
    def test_import_bookkeeping_cannot_be_added(self, editor_client, model):
        """Lists, sources, aliases and conflicts are written by the importer only."""
        assert editor_client.get(admin_url(model, "add")).status_code == 403

    @pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
    def test_anonymous_user_is_sent_to_login(self, client, db, model):
        """Without a session the admin redirects to its login page."""
        response = client.get(admin_url(model))

        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))

    @pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
    def test_staff_outside_the_group_is_refused(self, client, db, model):
        """A staff user who is no editor gets 403."""
        user = get_user_model().objects.create_user("visitor", is_staff=True)
        client.force_login(user)

        assert client.get(admin_url(model)).status_code == 403


@pytest.mark.django_db
class ChangelistQueryTests:
    def count(self, client, url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    @pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
    def test_query_count_does_not_grow_with_the_page(
        self, editor_client, django_assert_max_num_queries, model
    ):
        """Three rows or forty, every changelist runs the same bounded queries."""
        import_parsed_list(synthetic_list("small.md", 3))
        ImportConflict.objects.create(
            kind="paper",
            object_id=Paper.objects.first().pk,
            entity_key="k",
            field="title",
            reading_list=ReadingList.objects.get(),
            line=1,
        )
        Alias.objects.create(kind="paper", key="k0", target_id=1)
        url = admin_url(model)
        small = self.count(editor_client, url)

        import_parsed_list(synthetic_list("large.md", 40))
        for i in range(1, 40):
            Alias.objects.create(kind="topic", key=f"k{i}", target_id=1)
        ImportConflict.objects.bulk_create(
            ImportConflict(
                kind="repository",
                object_id=repo.pk,
                entity_key=repo.key,
                field="framework",
                reading_list=ReadingList.objects.get(path="large.md"),
                line=1,
            )
            for repo in Repository.objects.all()
        )

        with django_assert_max_num_queries(CHANGELIST_MAX_QUERIES):
            large = self.count(editor_client, url)
        assert large == small
