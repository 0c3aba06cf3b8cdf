import pytest
from django.contrib.admin.models import CHANGE, DELETION, LogEntry
from django.contrib.auth.models import Group
from django.contrib.redirects.models import Redirect
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from catalog import curation
from catalog.ingest.importer import import_parsed_list
from catalog.ingest.parsing import (
    LinkEntry,
    PaperEntry,
    ParsedList,
    RepositoryEntry,
    TopicEntry,
    TranslationEntry,
)
from catalog.models import (
    Alias,
    ImportConflict,
    Link,
    Paper,
    Repository,
    Source,
    Topic,
    Translation,
)

DL = ("Deep Learning",)
LSTM = ("Deep Learning", "LSTM")
RNN = ("Deep Learning", "RNN")
GATES = ("Deep Learning", "LSTM", "Gates")
AWD = "arxiv:1708.02182"
AWD_PDF = "url:example.org/awd-lstm.pdf"
AWD_REPO = "github.com/salesforce/awd-lstm-lm"


def paper(key=AWD, **fields) -> PaperEntry:
    defaults = {
        "title": "Regularizing and Optimizing LSTM Language Models",
        "url": "https://arxiv.org/abs/1708.02182",
        "line": 5,
        "year": 2017,
        "organisation": "Salesforce",
        "topics": (LSTM,),
        "lines": (5,),
    }
    if key.startswith("arxiv:"):
        defaults["arxiv_id"] = key.removeprefix("arxiv:")
    return PaperEntry(key=key, **{**defaults, **fields})


def repository(key=AWD_REPO, **fields) -> RepositoryEntry:
    host, owner, name = key.split("/")
    defaults = {
        "url": f"https://{key}",
        "line": 7,
        "framework": "pytorch",
        "topics": (LSTM,),
        "papers": (AWD,),
    }
    return RepositoryEntry(
        key=key, host=host, owner=owner, name=name, **{**defaults, **fields}
    )


def reading_list(name="a.md", **fields) -> ParsedList:
    """Topics DL > LSTM > Gates, a paper with a repository, translation and link."""
    defaults = {
        "title": f"List {name}",
        "topics": (TopicEntry(DL, 1), TopicEntry(LSTM, 3), TopicEntry(GATES, 4)),
        "papers": (paper(),),
        "repositories": (repository(),),
        "translations": (
            TranslationEntry(url="https://example.cn/awd", paper=AWD, line=6),
        ),
        "links": (
            LinkEntry(
                url="https://blog.example/awd",
                line=9,
                title="AWD explained",
                kind="blog",
                topics=(LSTM,),
                paper=AWD,
            ),
        ),
    }
    return ParsedList(name=name, **{**defaults, **fields})


def duplicate_list() -> ParsedList:
    """A second list writing the same paper under another key, with its own rows."""
    return reading_list(
        "b.md",
        topics=(TopicEntry(DL, 1), TopicEntry(RNN, 2)),
        papers=(
            paper(
                AWD_PDF,
                url="https://example.org/awd-lstm.pdf",
                title="AWD-LSTM",
                venue="ICLR",
                topics=(RNN,),
                line=3,
                lines=(3, 4),
            ),
        ),
        repositories=(
            repository(papers=(AWD_PDF,), topics=(RNN,), line=5),
            repository("github.com/other/awd", papers=(AWD_PDF,), topics=(), line=6),
        ),
        translations=(
            TranslationEntry(url="https://example.cn/awd-2", paper=AWD_PDF, line=7),
        ),
        links=(
            LinkEntry(
                url="https://forum.example/awd",
                line=8,
                title="Discussion",
                paper=AWD_PDF,
                topics=(RNN,),
            ),
        ),
    )


def relations(obj) -> dict[str, set]:
    """Everything that points at ``obj``, per relation, as comparable ids."""
    found = {}
    for relation in curation.RELATIONS[type(obj)]:
        rows = relation.model.objects.filter(**{relation.fk: obj.pk})
        column = relation.other or "pk"
        found[relation.label] = set(rows.values_list(column, flat=True))
    return found


def union(*mappings) -> dict[str, set]:
    return {k: set().union(*(m[k] for m in mappings)) for k in mappings[0]}


@pytest.fixture
def editor(db):
    user, _ = curation.create_editor(username="editor", password="Curate-1-thing")
    return user


@pytest.mark.django_db
class CuratedMixinTests:
    def test_save_records_each_changed_field(self):
        """save() adds the fields that changed since loading, and no others."""
        import_parsed_list(reading_list())
        row = Paper.objects.get()

        row.title = "AWD-LSTM"
        row.venue = "ICLR"
        row.save()

        assert Paper.objects.get().curated_fields == ["title", "venue"]

    def test_in_place_edit_of_a_list_field_is_recorded(self):
        """Appending to alt_urls counts as a change."""
        import_parsed_list(reading_list())
        row = Paper.objects.get()

        row.alt_urls.append("https://example.org/mirror.pdf")
        row.save()

        assert Paper.objects.get().curated_fields == ["alt_urls"]

    def test_foreign_keys_are_recorded_by_attribute_name(self):
        """A moved translation records paper_id, the name the importer checks."""
        import_parsed_list(reading_list())
        import_parsed_list(duplicate_list())
        translation = Translation.objects.get(url="https://example.cn/awd")

        translation.paper = Paper.objects.get(key=AWD_PDF)
        translation.save()

        assert Translation.objects.get(pk=translation.pk).curated_fields == ["paper_id"]

    def test_unchanged_save_new_rows_and_curate_false_record_nothing(self):
        """Saving without changes, creating, or curate=False leaves no curated field."""
        import_parsed_list(reading_list())
        row = Paper.objects.get()
        row.save()
        row.notes = "typo fixed by a script"
        row.save(curate=False)
        created = Topic(name="New", path="New", slug="new")
        created.save()

        assert Paper.objects.get().curated_fields == []
        assert Topic.objects.get(path="New").curated_fields == []

    def test_update_fields_limits_what_is_recorded(self):
        """save(update_fields=...) records only those fields, and saves the record."""
        import_parsed_list(reading_list())
        row = Paper.objects.get()
        row.title = "Not saved"
        row.venue = "ICLR"

        row.save(update_fields=["venue"])

        fresh = Paper.objects.get()
        assert (fresh.venue, fresh.curated_fields) == ("ICLR", ["venue"])
        assert fresh.title != "Not saved"

    def test_curated_field_survives_reimport_and_reports_a_conflict(self):
        """A field changed through save() survives the import of an edited list."""
        import_parsed_list(reading_list())
        row = Paper.objects.get()
        row.title = "AWD-LSTM (curated)"
        row.save()

        edited = reading_list(papers=(paper(title="New list title", year=2018),))
        import_parsed_list(edited)

        row = Paper.objects.get()
        assert row.title == "AWD-LSTM (curated)"
        assert row.year == 2018
        conflict = ImportConflict.objects.get()
        assert (conflict.field, conflict.list_value) == ("title", "New list title")


@pytest.mark.django_db
class ReleaseFieldsTests:
    def test_released_field_is_set_by_the_next_import(self, editor):
        """Releasing drops the field from curated_fields and its conflicts."""
        import_parsed_list(reading_list())
        row = Paper.objects.get()
        row.title = "Curated"
        row.save()
        edited = reading_list(papers=(paper(title="From the list"),))
        import_parsed_list(edited)

        released = curation.release_fields(row, ["title"], user=editor)
        import_parsed_list(edited)

        assert released == ["title"]
        assert Paper.objects.get().title == "From the list"
        assert not ImportConflict.objects.exists()
        entry = LogEntry.objects.get(object_id=str(row.pk))
        assert "Title" in entry.get_change_message()


@pytest.mark.django_db
class ResolveConflictTests:
    @pytest.fixture
    def conflict(self):
        import_parsed_list(reading_list())
        row = Paper.objects.get()
        row.title = "Curated"
        row.save()
        import_parsed_list(reading_list(papers=(paper(title="From the list"),)))
        return ImportConflict.objects.get()

    def test_accepting_applies_the_list_value_and_releases_the_field(
        self, conflict, editor
    ):
        """The list's value is written, the field released, the conflict gone."""
        curation.accept_list_value(conflict, user=editor)

        row = Paper.objects.get()
        assert (row.title, row.curated_fields) == ("From the list", [])
        assert not ImportConflict.objects.exists()
        entry = LogEntry.objects.get(action_flag=CHANGE, object_id=str(row.pk))
        assert entry.user == editor
        assert entry.get_change_message() == "Changed Title."

    def test_keeping_leaves_the_curated_value(self, conflict, editor):
        """Keeping closes the conflict; the field stays curated."""
        assert curation.keep_curated([conflict], user=editor) == 1

        row = Paper.objects.get()
        assert (row.title, row.curated_fields) == ("Curated", ["title"])
        assert not ImportConflict.objects.open().exists()
        assert LogEntry.objects.filter(object_id=str(row.pk)).exists()

    def test_accepting_an_invalid_value_is_refused(self, editor):
        """A list value that breaks a constraint is refused; nothing changes."""
        import_parsed_list(reading_list())
        import_parsed_list(duplicate_list())
        other = Paper.objects.get(key=AWD_PDF)
        other.arxiv_id = "2001.00001"
        other.save()
        import_parsed_list(
            reading_list("b.md", papers=(paper(AWD_PDF, arxiv_id="1708.02182"),))
        )
        conflict = ImportConflict.objects.get(field="arxiv_id")

        with pytest.raises(ValidationError):
            curation.accept_list_value(conflict, user=editor)

        assert Paper.objects.get(key=AWD_PDF).arxiv_id == "2001.00001"

    def test_accepting_a_topic_name_renames_the_subtree(self, editor):
        """A topic's name conflict is resolved by a rename, so paths stay right."""
        import_parsed_list(reading_list())
        lstm = Topic.objects.get(path="Deep Learning > LSTM")
        curation.move_topic(lstm, name="LSTM/GRU", user=editor)
        import_parsed_list(reading_list())
        conflict = ImportConflict.objects.get(field="name")

        curation.accept_list_value(conflict, user=editor)

        assert Topic.objects.filter(path="Deep Learning > LSTM > Gates").exists()
        assert Topic.objects.get(pk=lstm.pk).curated_fields == []


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


@pytest.mark.django_db
class CreateEditorTests:
    def test_creates_a_staff_user_with_exactly_the_editor_permissions(self):
        """The editor is staff, not superuser, and in a group with the listed perms."""
        call_command("create_editor", "ada", "--email=ada@example.org", "--no-input")

        user = Group.objects.get(name="Editors").user_set.get()
        assert (user.username, user.is_staff, user.is_superuser) == ("ada", True, False)
        assert user.has_usable_password() is False
        assert user.has_perm("catalog.change_paper") is True
        assert user.has_perm("catalog.delete_importconflict") is True
        assert user.has_perm("catalog.change_source") is False
        assert user.has_perm("auth.change_user") is False
        expected = sum(len(a) for a in curation.EDITOR_PERMISSIONS.values())
        assert Group.objects.get(name="Editors").permissions.count() == expected

    def test_running_again_updates_and_sets_the_password(self, monkeypatch):
        """A second run keeps one user and sets a password from the environment."""
        call_command("create_editor", "ada", "--no-input")
        monkeypatch.setenv("DJANGO_EDITOR_PASSWORD", "Curate-1-thing")

        call_command("create_editor", "ada", "--no-input")

        user = Group.objects.get(name="Editors").user_set.get()
        assert user.check_password("Curate-1-thing") is True
