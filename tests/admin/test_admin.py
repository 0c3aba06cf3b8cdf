from pathlib import Path

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.admin.views.main import SEARCH_VAR
from django.contrib.auth import get_user_model
from django.contrib.redirects.models import Redirect
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog import curation
from catalog.ingest import parsing
from catalog.ingest.importer import import_parsed_list
from catalog.ingest.parsing import ParsedList
from catalog.models import (
    Alias,
    ImportConflict,
    Link,
    Paper,
    ReadingList,
    Repository,
    Source,
    Topic,
    Translation,
)
from tests.curation.test_curation import (
    AWD,
    AWD_PDF,
    AWD_REPO,
    duplicate_list,
    paper,
    reading_list,
    relations,
    repository,
    union,
)

MODELS = (
    Topic,
    Paper,
    Repository,
    Translation,
    Link,
    ReadingList,
    Source,
    Alias,
    ImportConflict,
)
EDITABLE = (Topic, Paper, Repository, Translation, Link)
CHANGELIST_MAX_QUERIES = 16


def admin_url(model, view="changelist", *args):
    return reverse(f"admin:catalog_{model._meta.model_name}_{view}", args=args)


def form_data(response) -> dict:
    """The POST data of a rendered admin change form, inlines included."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for bound in form:
            value = bound.value()
            if value is None or value is False:
                continue
            if value is True:
                value = "on"
            elif isinstance(value, list | tuple):
                value = [str(v) for v in value]
            data[bound.html_name] = value
            if bound.field.show_hidden_initial:
                # Fields with a callable default post their initial value too.
                data[bound.html_initial_name] = value
    return data


def run_action(client, model, action, objects, **extra):
    data = {"action": action, "_selected_action": [o.pk for o in objects], **extra}
    return client.post(admin_url(model), data)


def synthetic_list(name, count) -> ParsedList:
    """A list of ``count`` papers, each with topics, a repository and a link."""
    papers, repositories = [], []
    for i in range(count):
        key = f"arxiv:2001.{i:05d}"
        papers.append(paper(key, title=f"Paper {i}", url=f"https://arxiv.org/abs/{i}"))
        repositories.append(
            repository(f"github.com/{name}/r{i}", papers=(key,), line=100 + i)
        )
    return reading_list(
        name, papers=tuple(papers), repositories=tuple(repositories), translations=()
    )


@pytest.fixture
def editor(db):
    user, _ = curation.create_editor(username="editor", password="Curate-1-thing")
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def catalog(db):
    """Two lists writing the same paper twice, plus a conflict and an alias."""
    import_parsed_list(reading_list())
    import_parsed_list(duplicate_list())
    row = Paper.objects.get(key=AWD)
    row.title = "Curated"
    row.save()
    import_parsed_list(reading_list())
    Alias.objects.create(kind="paper", key="url:old.example/awd", target_id=row.pk)
    assert ImportConflict.objects.exists()


def one_of_each():
    return {
        Topic: Topic.objects.first(),
        Paper: Paper.objects.first(),
        Repository: Repository.objects.first(),
        Translation: Translation.objects.first(),
        Link: Link.objects.first(),
        ReadingList: ReadingList.objects.first(),
        Source: Source.objects.first(),
        Alias: Alias.objects.first(),
        ImportConflict: ImportConflict.objects.first(),
    }


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

    def test_the_paper_page_links_only_web_addresses(self, editor_client, client):
        import_parsed_list(reading_list())
        row = Paper.objects.get()
        self.edit(editor_client, row, alt_urls='["https://mirror.example/awd"]')

        page = client.get(row.get_absolute_url()).content.decode()

        assert 'href="https://mirror.example/awd"' in page
        assert "javascript:" not in page

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
