"""The steps of one list's import, a kind of record each, in the order rows
point at each other: topics, papers, repositories, translations, links;
then the search documents of the papers written."""

from __future__ import annotations

from collections.abc import Iterator

from catalog.ingest import specs
from catalog.ingest.documents import index_new_papers
from catalog.ingest.ids import chunks
from catalog.ingest.parsing import ParsedList
from catalog.ingest.provenance import Provenance
from catalog.ingest.report import ListProgress, ListReport
from catalog.ingest.specs import ImportState, join
from catalog.ingest.topics import TopicStep
from catalog.ingest.upsert import Upserter
from catalog.ingest.versions import VersionMerger
from catalog.ingest.writers import Writer
from catalog.models import Link, Paper, Repository


class ListSteps:
    """Writes one list's records, kind by kind, into its import's state."""

    def __init__(
        self,
        parsed: ParsedList,
        report: ListReport,
        state: ImportState,
        provenance: Provenance,
        progress: ListProgress,
    ):
        self.parsed = parsed
        self.state = state
        self.provenance = provenance
        self.progress = progress
        self.using = provenance.using
        self.writer = provenance.writer
        self.upserter = Upserter(
            using=self.using, writer=self.writer, report=report, state=state
        )
        self.versions = VersionMerger(using=self.using, state=state, report=report)
        if progress.counts_entries:
            # A long list's links are counted by reading them back (some
            # are dropped as translations): only for a reporter showing them.
            kinds = (
                parsed.papers,
                parsed.repositories,
                parsed.translations,
                parsed.links,
            )
            state.total = sum(map(len, kinds))

    def topics(self) -> None:
        TopicStep(self.upserter, self.provenance, self.state).run(self.parsed.topics)

    # -- papers, code, translations, links ---------------------------------------------

    def papers(self) -> None:
        topics = Paper._meta.get_field("topics")
        self.versions.begin()
        for entries in chunks(self.parsed.papers):
            upserted = self.upserter.upsert(specs.PAPERS, entries)
            ids = upserted.ids
            _merge_alt_urls(self.writer, self.state, entries, ids, upserted.existing)
            # In the list's order: _new_documents walks both together.
            for entry in entries:
                self.state.paper_ids[entry.key] = ids[entry.key]
            self._add_topics(topics, entries, ids, "key")
            self.provenance.add("paper", _lines_of(entries, ids, "key"))
            self.versions.written(entries, ids)
            self._advance(len(entries))
        self.upserter.clashes.warn()

    def repositories(self) -> None:
        topics = Repository._meta.get_field("topics")
        papers = Repository._meta.get_field("papers")
        for entries in chunks(self.parsed.repositories):
            upserted = self.upserter.upsert(specs.REPOSITORIES, entries)
            ids = upserted.ids
            self._add_topics(topics, entries, ids, "key")
            pairs = {
                (ids[e.key], paper_id)
                for e in entries
                for key in e.papers
                if (paper_id := self.state.paper_ids.get(key)) is not None
            }
            names = upserted.written
            self._remember_extras(
                "repositories",
                ((r, p, names[r]) for r, p in self._add_m2m(papers, pairs)),
            )
            self.provenance.add("repository", _lines_of(entries, ids, "key"))
            self._advance(len(entries))

    def translations(self) -> None:
        for chunk in chunks(self.parsed.translations):
            entries = [e for e in chunk if e.paper in self.state.paper_ids]
            upserted = self.upserter.upsert(specs.TRANSLATIONS, entries)
            self._remember_extras(
                "translations",
                (
                    (pk, written.paper_id, written.title)
                    for pk, written in upserted.written.items()
                ),
            )
            self.provenance.add(
                "translation", ((upserted.ids[e.url], e.line) for e in entries)
            )
            self._advance(len(chunk))

    def links(self) -> None:
        topics = Link._meta.get_field("topics")
        for entries in chunks(self.parsed.links):
            ids = self.upserter.upsert(specs.LINKS, entries).ids
            self._add_topics(topics, entries, ids, "url")
            self.provenance.add("link", _lines_of(entries, ids, "url"))
            self._advance(len(entries))

    def _advance(self, entries: int) -> None:
        self.state.done += entries
        self.progress.entries_written(self.state.done, self.state.total)

    # -- many-to-many ------------------------------------------------------------------

    def _add_m2m(self, field, pairs: set[tuple[int, int]]) -> list[tuple[int, int]]:
        """Add (row, related) pairs of a many-to-many field unless it is curated;
        returns the pairs it wrote."""
        model = field.model
        curated = self.state.curated
        rows = [
            (a, b) for a, b in pairs if field.name not in curated.get((model, a), ())
        ]
        self.writer.add_pairs(
            field.remote_field.through,
            field.m2m_field_name(),
            field.m2m_reverse_field_name(),
            rows,
            new=self.state.created_of(model),
        )
        return rows

    def _add_topics(self, field, entries, ids: dict, lookup: str) -> None:
        """File each entry's row under the topics the list gives it."""
        topic_ids = self.state.topic_ids
        self._add_m2m(
            field,
            {
                (ids[getattr(e, lookup)], topic_ids[path])
                for e in entries
                for t in e.topics
                if (path := join(t)) in topic_ids
            },
        )

    def _remember_extras(self, kind: str, rows) -> None:
        """Keep (row id, text) of repositories or translations written for a
        paper this import created, for the paper's search document."""
        created = self.state.created_of(Paper)
        for pk, paper_id, text in rows:
            if paper_id in created and text:
                extras = self.state.extras.setdefault(paper_id, {})
                extras.setdefault(kind, []).append((pk, text))

    def index_search(self) -> None:
        index_new_papers(self.parsed, self.state, using=self.using)


def _merge_alt_urls(
    writer: Writer, state: ImportState, entries, ids: dict, existing: dict[str, dict]
) -> None:
    """Every URL a list wrote a paper with is kept, whichever list came first.

    ``existing`` holds the papers that existed, as written, by the key the
    list gave (a row found through an alias keeps its own key).
    """
    # A paper this import created holds exactly the list's URLs already.
    created = state.created_of(Paper)
    wanted = {e.key: {e.url, *e.alt_urls} for e in entries if ids[e.key] not in created}
    to_update = []
    for key, urls in wanted.items():
        row = existing.get(key)
        if row is None or row["key"] != key:
            continue
        alt_urls = row["alt_urls"]
        extra = sorted(urls - {row["url"], *alt_urls, ""})
        if extra:
            to_update.append({"id": row["id"], "alt_urls": [*alt_urls, *extra]})
    writer.update(Paper, to_update, ["alt_urls"])


def _lines_of(entries, ids: dict, lookup: str) -> Iterator[tuple[int, int]]:
    """(row id, line) of every line an entry was written on."""
    for entry in entries:
        pk = ids[getattr(entry, lookup)]
        for line in entry.lines or (entry.line,):
            yield pk, line
