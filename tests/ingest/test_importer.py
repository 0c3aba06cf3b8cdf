import dataclasses
import datetime

import pytest
from django.db import connection

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
    Link,
    Paper,
    PaperSearch,
    ReadingList,
    Repository,
    Source,
    Topic,
    Translation,
)
from catalog.search.indexing import PAPER_FIELDS, build_documents

DL = ("Deep Learning",)
LSTM = ("Deep Learning", "LSTM")


def make_list(name="a.md", **overrides) -> ParsedList:
    paper = PaperEntry(
        key="arxiv:1708.02182",
        title="Regularizing and Optimizing LSTM Language Models",
        url="https://arxiv.org/abs/1708.02182",
        line=5,
        arxiv_id="1708.02182",
        year=2017,
        organisation="Salesforce",
        topics=(LSTM,),
        lines=(5,),
    )
    repo = RepositoryEntry(
        key="github.com/salesforce/awd-lstm-lm",
        host="github.com",
        owner="salesforce",
        name="awd-lstm-lm",
        url="https://github.com/salesforce/awd-lstm-lm",
        line=7,
        framework="pytorch",
        topics=(LSTM,),
        papers=("arxiv:1708.02182",),
    )
    fields = {
        "name": name,
        "title": "List A",
        "topics": (TopicEntry(DL, 1), TopicEntry(LSTM, 3)),
        "papers": (paper,),
        "repositories": (repo,),
        "translations": (
            TranslationEntry(
                url="https://example.cn/awd",
                paper="arxiv:1708.02182",
                line=6,
                title="译文",
            ),
        ),
        "links": (
            LinkEntry(
                url="https://blog.example/lstm",
                line=9,
                title="LSTM blog",
                kind="article",
                topics=(LSTM,),
            ),
        ),
    }
    fields.update(overrides)
    return ParsedList(**fields)


def counts(report, kind):
    c = report.counts[kind]
    return (c.created, c.updated, c.unchanged)


@pytest.mark.django_db
class ImportParsedListTests:
    def test_creates_every_entity_with_its_relations(self):
        """A first import creates every entity and links them together."""
        report = import_parsed_list(make_list())

        paper = Paper.objects.get(key="arxiv:1708.02182")
        assert [t.path for t in paper.topics.all()] == ["Deep Learning > LSTM"]
        assert list(paper.repositories.values_list("key", flat=True)) == [
            "github.com/salesforce/awd-lstm-lm"
        ]
        assert paper.translations.get().title == "译文"
        assert (
            Topic.objects.get(path="Deep Learning > LSTM").parent.path
            == "Deep Learning"
        )
        assert Link.objects.get().kind == "article"
        assert counts(report, "papers") == (1, 0, 0)
        assert counts(report, "topics") == (2, 0, 0)

    def test_importing_twice_changes_nothing(self):
        """The second import of the same list creates and updates nothing."""
        import_parsed_list(make_list())
        before = Source.objects.count()

        report = import_parsed_list(make_list())

        assert not report.changed
        assert counts(report, "papers") == (0, 0, 1)
        assert counts(report, "repositories") == (0, 0, 1)
        assert Source.objects.count() == before
        assert Paper.objects.count() == 1

    def test_edited_list_updates_its_entries(self):
        """A field the list now writes differently is updated."""
        import_parsed_list(make_list())
        edited = make_list()
        paper = dataclasses.replace(edited.papers[0], title="AWD-LSTM")

        report = import_parsed_list(dataclasses.replace(edited, papers=(paper,)))

        assert Paper.objects.get().title == "AWD-LSTM"
        assert counts(report, "papers") == (0, 1, 0)

    def test_curated_field_is_kept_and_reported_as_conflict(self):
        """An editor's value survives a re-import; the difference is a conflict."""
        import_parsed_list(make_list())
        Paper.objects.update(title="Curated title", curated_fields=["title"])
        edited = make_list()
        paper = dataclasses.replace(edited.papers[0], title="List title")

        report = import_parsed_list(dataclasses.replace(edited, papers=(paper,)))

        assert Paper.objects.get().title == "Curated title"
        [conflict] = report.conflicts
        assert (conflict.field, conflict.list_value) == ("title", "List title")

    def test_same_paper_in_two_lists_is_one_paper_with_both_topics_and_sources(self):
        """Lists share papers: topics are united and every list is a source."""
        import_parsed_list(make_list())
        other_topic = ("NLP",)
        second = make_list(
            name="b.md",
            topics=(TopicEntry(other_topic, 1),),
            papers=(
                dataclasses.replace(
                    make_list().papers[0],
                    url="http://cn.arxiv.org/abs/1708.02182",
                    topics=(other_topic,),
                    line=2,
                    lines=(2,),
                ),
            ),
            repositories=(),
            translations=(),
            links=(),
        )

        import_parsed_list(second)

        paper = Paper.objects.get()
        assert {t.path for t in paper.topics.all()} == {"Deep Learning > LSTM", "NLP"}
        assert set(paper.sources.values_list("reading_list__path", flat=True)) == {
            "a.md",
            "b.md",
        }
        assert paper.url == "https://arxiv.org/abs/1708.02182"
        assert "http://cn.arxiv.org/abs/1708.02182" in paper.alt_urls

    def test_entry_gone_from_list_is_reported_and_kept_without_prune(self):
        """Entries that left a list stay unless --prune; the report names them."""
        import_parsed_list(make_list())

        report = import_parsed_list(make_list(links=()))

        assert Link.objects.count() == 1
        assert report.missing == ["link https://blog.example/lstm"]
        assert report.pruned == []

    @pytest.mark.parametrize("returning", [True, False])
    def test_provenance_is_replaced_with_or_without_delete_returning(
        self, monkeypatch, returning
    ):
        """A re-import replaces the list's sources and still finds what left the
        list, whether the database returns deleted rows or not."""
        import_parsed_list(make_list())
        monkeypatch.setattr(
            connection.features, "can_return_columns_from_insert", returning
        )
        before = Source.objects.count()

        report = import_parsed_list(make_list(links=()))

        assert report.missing == ["link https://blog.example/lstm"]
        assert Source.objects.count() == before - 1
        assert not Source.objects.filter(link__isnull=False).exists()

    def test_a_topic_name_holding_the_separator_meets_the_same_path_deeper(self):
        """Topics "A > B" and "A", then "B" below "A": the deeper heading finds
        the row the first one wrote, as it would in a later import."""
        parsed = make_list(
            topics=(
                TopicEntry(("A > B",), 1),
                TopicEntry(("A",), 3),
                TopicEntry(("A", "B"), 5),
            ),
            papers=(),
            repositories=(),
            translations=(),
            links=(),
        )

        report = import_parsed_list(parsed)

        assert report.error is None
        assert counts(report, "topics") == (2, 1, 0)
        topic = Topic.objects.get(path="A > B")
        assert (topic.name, topic.parent.path) == ("B", "A")

    def test_prune_removes_entries_no_other_list_or_editor_holds(self):
        """--prune deletes what only this list held, never curated entries."""
        import_parsed_list(make_list())
        Translation.objects.update(curated_fields=["title"])

        report = import_parsed_list(make_list(links=(), translations=()), prune=True)

        assert not Link.objects.exists()
        assert Translation.objects.exists()
        assert report.pruned == ["link https://blog.example/lstm"]

    def test_dry_run_writes_nothing(self):
        """A dry run reports what would change and leaves the database as it was."""
        report = import_parsed_list(make_list(), dry_run=True)

        assert counts(report, "papers") == (1, 0, 0)
        assert not Paper.objects.exists()
        assert not ReadingList.objects.exists()

    def test_unknown_framework_never_overwrites_a_known_one(self):
        """A list that does not name a framework leaves the known one."""
        import_parsed_list(make_list())
        repo = dataclasses.replace(make_list().repositories[0], framework=None)

        import_parsed_list(make_list(name="b.md", repositories=(repo,)))

        assert Repository.objects.get().framework == "pytorch"

    def test_every_entity_records_its_list_and_line(self):
        """Provenance: each entity knows the list and line it came from."""
        import_parsed_list(make_list())

        paper = Paper.objects.get()
        [source] = paper.sources.select_related("reading_list")
        assert (source.reading_list.path, source.reading_list.title, source.line) == (
            "a.md",
            "List A",
            5,
        )
        assert Repository.objects.get().sources.get().line == 7
        assert Link.objects.get().sources.get().line == 9


@pytest.mark.django_db
class ImportSafetyTests:
    def test_a_list_that_fails_midway_leaves_nothing_behind(self, monkeypatch):
        """The list's transaction rolls back whole; the report carries the error."""
        from django.db import IntegrityError

        from catalog.ingest.steps import ListSteps

        def explode(self):
            raise IntegrityError("simulated failure")

        monkeypatch.setattr(ListSteps, "links", explode)

        report = import_parsed_list(make_list())

        assert "simulated failure" in report.error
        assert not Paper.objects.exists()
        assert not Topic.objects.exists()
        assert not ReadingList.objects.exists()


@pytest.mark.django_db(transaction=True)
class ConcurrentImportTests:
    def test_two_imports_at_once_create_no_duplicates(self):
        """Parallel imports of overlapping lists serialise and share every record."""
        from concurrent.futures import ThreadPoolExecutor

        from django.db import connection, connections

        if connection.vendor != "postgresql":
            pytest.skip("concurrent writers need PostgreSQL (SQLite serialises anyway)")

        def run(name):
            try:
                return import_parsed_list(make_list(name=name))
            finally:
                connections.close_all()

        with ThreadPoolExecutor(max_workers=4) as pool:
            reports = list(pool.map(run, ["a.md", "b.md", "c.md", "d.md"]))

        assert [r.error for r in reports] == [None] * 4
        assert Paper.objects.count() == 1
        assert Repository.objects.count() == 1
        assert Topic.objects.count() == 2
        assert Source.objects.filter(paper__isnull=False).count() == 4


@pytest.mark.django_db
class CurationSurvivesImportTests:
    def test_conflicts_are_stored_for_editors_and_cleared_when_the_list_agrees(self):
        """Each conflict is one row per entity, field and list; agreement removes it."""
        from catalog.models import ImportConflict

        import_parsed_list(make_list())
        Paper.objects.update(title="Curated title", curated_fields=["title"])
        paper = dataclasses.replace(make_list().papers[0], title="List title")
        disagreeing = make_list(papers=(paper,))

        import_parsed_list(disagreeing)
        import_parsed_list(disagreeing)

        conflict = ImportConflict.objects.get()
        assert (
            conflict.field,
            conflict.curated_value,
            conflict.list_value,
            conflict.line,
        ) == (
            "title",
            "Curated title",
            "List title",
            5,
        )
        agreeing = make_list(
            papers=(dataclasses.replace(paper, title="Curated title"),)
        )
        import_parsed_list(agreeing)
        assert not ImportConflict.objects.exists()

    def test_a_merged_duplicate_key_resolves_to_the_survivor(self):
        """After a merge, the list's old key updates the survivor."""
        from catalog.models import Alias

        survivor = Paper.objects.create(
            key="arxiv:9999.00001", title="Survivor", url="https://x.org/p"
        )
        Alias.objects.create(
            kind="paper", key="arxiv:1708.02182", target_id=survivor.pk
        )

        import_parsed_list(make_list())

        assert list(Paper.objects.values_list("key", flat=True)) == ["arxiv:9999.00001"]
        assert survivor.repositories.get().key == "github.com/salesforce/awd-lstm-lm"
        assert {t.path for t in survivor.topics.all()} == {"Deep Learning > LSTM"}

    def test_a_kept_conflict_stays_quiet_until_the_list_changes_again(self):
        """Keeping the curated value silences the conflict for the same list value."""
        from catalog import curation
        from catalog.models import ImportConflict

        import_parsed_list(make_list())
        Paper.objects.update(title="Curated title", curated_fields=["title"])
        paper = dataclasses.replace(make_list().papers[0], title="List title")
        import_parsed_list(make_list(papers=(paper,)))
        curation.keep_curated(ImportConflict.objects.all())

        quiet = import_parsed_list(make_list(papers=(paper,)))
        changed = dataclasses.replace(paper, title="Another list title")
        loud = import_parsed_list(make_list(papers=(changed,)))

        assert quiet.conflicts == []
        assert [c.list_value for c in loud.conflicts] == ["Another list title"]
        assert ImportConflict.objects.open().get().list_value == "Another list title"


@pytest.mark.django_db
class ImportWritesTests:
    """New rows are copied in on PostgreSQL and bulk-created elsewhere."""

    def test_text_is_stored_exactly_as_the_list_wrote_it(self):
        """Tabs, newlines and backslashes survive the write unchanged."""
        title = "Back\\slash\tand \\N \\. tab"
        notes = "line one\nline\ttwo \\n\r\nend\\"
        paper = dataclasses.replace(make_list().papers[0], title=title, notes=notes)

        import_parsed_list(make_list(papers=(paper,)))

        stored = Paper.objects.get()
        assert (stored.title, stored.notes) == (title, notes)
        assert stored.alt_urls == []
        assert stored.curated_fields == []

    def test_updated_fields_of_every_type_are_stored_exactly(self):
        """An edited list's text, numbers, dates and empty values reach the
        rows it changed, array and quote characters included; other rows keep
        their values and their time of update."""
        first = make_list().papers[0]
        second = dataclasses.replace(
            first, key="arxiv:1801.00001", arxiv_id="1801.00001", url="https://x.org/2"
        )
        import_parsed_list(make_list(papers=(first, second)))
        before = dict(Paper.objects.values_list("key", "updated"))
        title = 'Quote " {brace}, comma\\ NULL \t\ttab'
        edited = dataclasses.replace(
            first,
            title=title,
            short_name="",
            year=2019,
            date=datetime.date(2019, 3, 1),
            venue_year=2020,
            notes="line one\nline two {a,b}",
        )

        report = import_parsed_list(make_list(papers=(edited, second)))

        paper = Paper.objects.get(key=first.key)
        assert (paper.title, paper.year, paper.date, paper.venue_year) == (
            title,
            2019,
            datetime.date(2019, 3, 1),
            2020,
        )
        assert paper.notes == "line one\nline two {a,b}"
        assert paper.organisation == "Salesforce"
        assert paper.updated > before[first.key]
        assert Paper.objects.get(key=second.key).updated == before[second.key]
        assert counts(report, "papers") == (0, 1, 1)

    def test_created_rows_are_numbered_in_list_order(self):
        """Ids follow the list, as bulk_create numbers rows."""
        first = make_list().papers[0]
        second = dataclasses.replace(
            first, key="arxiv:1801.00001", arxiv_id="1801.00001", url="https://x.org/2"
        )

        import_parsed_list(make_list(papers=(first, second)))

        assert list(Paper.objects.order_by("pk").values_list("key", flat=True)) == [
            first.key,
            second.key,
        ]
        lines = Source.objects.order_by("pk").values_list("line", flat=True)
        assert list(lines) == [1, 3, 5, 5, 7, 6, 9]

    def test_a_row_breaking_a_constraint_fails_the_whole_list(self):
        """A database error while writing rolls the list back and is reported."""
        Paper.objects.create(
            key="url:x.org/taken", title="Taken", url="https://x.org/taken",
            arxiv_id="1708.02182",
        )  # fmt: skip

        report = import_parsed_list(make_list())

        assert "database error" in report.error
        assert Paper.objects.count() == 1
        assert not Topic.objects.exists()
        assert not Source.objects.exists()

    def test_new_papers_are_indexed_as_a_rebuild_would_index_them(self):
        """Documents built from the import equal those read back from the rows,
        with an editor's repository name and a translation title."""
        Repository.objects.create(
            key="github.com/salesforce/awd-lstm-lm",
            host="github.com",
            owner="Curated",
            name="awd-lstm-lm",
            url="https://github.com/salesforce/awd-lstm-lm",
            curated_fields=["owner"],
        )

        import_parsed_list(make_list())

        rows = Paper.objects.values_list(*PAPER_FIELDS)
        expected = {pk: d.text for pk, d in build_documents(rows, "default").items()}
        assert dict(PaperSearch.objects.values_list("paper_id", "document")) == (
            expected
        )
        assert "curated awd lstm lm" in next(iter(expected.values()))
        assert list(Paper.objects.search("curated")) == [Paper.objects.get()]
