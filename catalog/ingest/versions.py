"""One record per paper: an arXiv paper and its published version, written
as two records, are made one, conservatively; so are two addresses of one
document (a PDF and its page, a mirror, "www." or not).

Every list's papers leave their normalised titles and years (PaperTitle:
casefolded words, catalog.ingest.ranking.normalised_title). Once a chunk of
a list's papers is written, each of them that has a title of MIN_WORDS
words or more and a year is compared with the other papers some list gave
the same title, a year apart at most:

- an arXiv paper absorbs every such published (``url:``) paper, and every
  paper a list cites with no link (``title:``, rule 11);
- a published paper joins the one such arXiv paper (none when there are
  several: which one is unclear);
- a paper cited with no link joins the one such arXiv paper, else the one
  such published paper.

Papers linked outside arXiv also leave their document's address
(``doc:`` + catalog.ingest.parsing.urls.document_address) as a PaperTitle
with no year; every paper at one address is one: the arXiv one if there is
one (none if several), else the one whose key sorts first, so that the
survivor does not depend on the order the lists come in.

The arXiv record survives: its key, the values of both joined by rule
(catalog.ingest.joins), every URL, topic, code link, translation, other link
and source line of both. The published key becomes an Alias, so the next
import finds the paper at once; a PaperMerge row records the merge for the
import summary and for an editor to split it again (catalog.curation.split).
A split pair is never merged again. As the check runs for each of a pair's
titles when it arrives, against every title given before, the same pairs
are merged whatever the order the lists come in.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connections

from catalog.cache import bump_catalog_version
from catalog.ingest import joins, ranking
from catalog.ingest.ids import batched, chunks
from catalog.ingest.parsing.results import TITLE_KEY_PREFIX
from catalog.ingest.parsing.urls import document_address
from catalog.ingest.report import AutoMerge, ListReport
from catalog.ingest.specs import ImportState
from catalog.kinds import ALIAS_KIND
from catalog.models import (
    Alias,
    ImportConflict,
    Link,
    Paper,
    PaperMerge,
    PaperTitle,
    Repository,
    Source,
    Translation,
)
from catalog.search.indexing import unindex_papers

MIN_WORDS = 4
# A PaperTitle that is a document's address ("doc:openaccess.thecvf.com/...")
# rather than a normalised title (words only: never a colon).
DOCUMENT_PREFIX = "doc:"
_TITLE_LENGTH = 300
PAPER = ALIAS_KIND[Paper]
# (through table, its column for the paper, its other column)
_PAIRS = (
    (Paper.topics.through, "paper_id", "topic_id"),
    (Repository.papers.through, "paper_id", "repository_id"),
)
_POINTERS = (Translation, Link, Source)  # models with a paper_id


@dataclass
class _Known:
    """The papers a chunk's titles name: key and arXiv id, and the years
    given with each title."""

    keys: dict[int, tuple[str, str | None]] = field(default_factory=dict)
    by_title: dict[str, dict[int, set]] = field(default_factory=dict)
    moved: dict[int, int] = field(default_factory=dict)  # absorbed -> survivor

    def follow(self, pk: int) -> int:
        while pk in self.moved:
            pk = self.moved[pk]
        return pk

    def is_arxiv(self, pk: int) -> bool:
        key, arxiv_id = self.keys[pk]
        return bool(arxiv_id) and key.startswith("arxiv:")

    def is_published(self, pk: int) -> bool:
        """Not on arXiv: linked elsewhere, or cited with no link."""
        key, arxiv_id = self.keys[pk]
        return not arxiv_id and key.startswith(("url:", TITLE_KEY_PREFIX))

    def is_cited(self, pk: int) -> bool:
        return self.keys[pk][0].startswith(TITLE_KEY_PREFIX)

    def others(self, title: str, years: set, pk: int) -> list[int]:
        """Papers given ``title`` a year apart at most from one of ``years``,
        other than ``pk``."""
        found = set()
        for other, their_years in self.by_title.get(title, {}).items():
            other = self.follow(other)
            if other != pk and _close(years, their_years):
                found.add(other)
        return sorted(found, key=lambda p: self.keys[p][0])

    def years(self, title: str, pk: int) -> set:
        """The years given ``pk`` (and what it absorbed) with ``title``."""
        return {
            year
            for other, years in self.by_title.get(title, {}).items()
            if self.follow(other) == pk
            for year in years
        }

    def only_arxiv(self, title: str, pk: int) -> int | None:
        """The one arXiv paper given ``title`` close to the published paper
        ``pk``'s years; None if none or several (which one is unclear)."""
        arxiv = [
            other
            for other in self.others(title, self.years(title, pk), pk)
            if self.is_arxiv(other)
        ]
        return arxiv[0] if len(arxiv) == 1 else None

    def only_linked(self, title: str, pk: int) -> int | None:
        """The one paper given ``title`` that a list links, for the cited
        paper ``pk``: the arXiv one, else the published one; None if none or
        several."""
        linked = [
            other
            for other in self.others(title, self.years(title, pk), pk)
            if not self.is_cited(other)
        ]
        arxiv = [other for other in linked if self.is_arxiv(other)]
        found = arxiv or linked
        return found[0] if len(found) == 1 else None


def _titles(entries: list) -> list[tuple]:
    """(entry, normalised title) of the entries whose title and year may
    reveal another version."""
    # A title the parser marks as not the paper's own (a short name, a
    # link text, the entry's title lent to a second arXiv id) names no
    # version of it.
    titled = [
        (e, ranking.normalised_title(e.title)[:_TITLE_LENGTH])
        for e in entries
        if e.year is not None and not getattr(e, "title_is_short_name", False)
    ]
    return [(e, t) for e, t in titled if len(t.split()) >= MIN_WORDS]


def _addresses(entries: list) -> list[tuple]:
    """(entry, its document's address as a PaperTitle text) of the entries
    linked outside arXiv."""
    found = []
    for entry in entries:
        if address := document_address(entry.key):
            text = DOCUMENT_PREFIX + address
            if len(text) > _TITLE_LENGTH:  # a hash never reads as a title
                text = DOCUMENT_PREFIX + hashlib.sha256(address.encode()).hexdigest()
            found.append((entry, text))
    return found


def _insert_titles(db: str, rows: list[tuple]) -> None:
    """PaperTitle rows from (paper id, list id, text, year), with no model
    instance built (thousands a list): one statement of arrays on
    PostgreSQL, one statement run for each row on SQLite."""
    if not rows:
        return
    connection = connections[db]
    meta = PaperTitle._meta
    columns = ", ".join(
        connection.ops.quote_name(meta.get_field(name).column)
        for name in ("paper", "reading_list", "normalised", "year")
    )
    insert = f"INSERT INTO {connection.ops.quote_name(meta.db_table)} ({columns}) "
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                insert + "SELECT * FROM unnest(%s::bigint[], %s::bigint[], "
                "%s::text[], %s::int[])",
                [list(column) for column in zip(*rows, strict=True)],
            )
        else:
            cursor.executemany(insert + "VALUES (%s, %s, %s, %s)", rows)


def _pairs(known: _Known, title: str, pk: int) -> list[tuple[int, int]]:
    """(absorbed, survivor) of the merges the paper ``pk``'s title reveals."""
    others = known.others(title, known.years(title, pk), pk)
    if known.is_arxiv(pk):
        return [
            (o, pk)
            for o in others
            if known.is_published(o) and known.only_arxiv(title, o) == pk
        ]
    if known.is_cited(pk):
        linked = known.only_linked(title, pk)
        return [(pk, linked)] if linked else []
    if known.is_published(pk):
        return _published_pairs(known, title, pk, others)
    return []


def _published_pairs(known: _Known, title: str, pk: int, others: list[int]):
    """A published paper joins the one arXiv paper of its title; else the
    papers cited with no link join it."""
    if arxiv := known.only_arxiv(title, pk):
        return [(pk, arxiv)]
    return [
        (o, pk)
        for o in others
        if known.is_cited(o) and known.only_linked(title, o) == pk
    ]


def _repoint(db: str, model, column: str, moved: dict[int, int], **where) -> None:
    """Rows of ``model`` naming an absorbed paper in ``column`` name its
    survivor: one UPDATE ... FROM a VALUES list of (absorbed, survivor), on
    both databases (a CASE per absorbed paper cost more to build than to run)."""
    connection = connections[db]
    table = connection.ops.quote_name(model._meta.db_table)
    name = connection.ops.quote_name(model._meta.get_field(column).column)
    extra = "".join(f" AND t.{connection.ops.quote_name(f)} = %s" for f in where)
    # Within the database's limit of parameters per statement (SQLite's).
    limit = connection.features.max_query_params
    size = (limit - len(where)) // 2 if limit else len(moved)
    with connection.cursor() as cursor:
        for batch in batched(moved.items(), max(size, 1)):
            pairs = ", ".join(["(%s, %s)"] * len(batch))
            cursor.execute(
                f"WITH m (loser, survivor) AS (VALUES {pairs}) "
                f"UPDATE {table} AS t SET {name} = m.survivor FROM m "
                f"WHERE t.{name} = m.loser{extra}",
                [value for pair in batch for value in pair] + list(where.values()),
            )


def _joined(row: dict, theirs: dict) -> dict:
    """The survivor's uncurated fields that take the better of both rows'
    values; ``row`` is updated with them, for the survivor's next merge."""
    chosen = {}
    for join in joins.PAPERS:
        chosen.update(join(row, theirs, None))
    changed = {
        name: value
        for name, value in chosen.items()
        if name not in row["curated_fields"] and value != row[name]
    }
    row.update(changed)
    return changed


def _close(years: set, others: set) -> bool:
    return any(
        a is not None and b is not None and abs(a - b) <= 1
        for a in years
        for b in others
    )


class VersionMerger:
    """Records one list's titles and merges the versions they reveal."""

    def __init__(self, *, using: str, state: ImportState, report: ListReport):
        self.using = using
        self.state = state
        self.report = report
        # (absorbed key, survivor key) of the merges editors split: few.
        self.split: set[tuple[str, str]] = set()

    def begin(self) -> None:
        """The list's titles are written anew."""
        PaperTitle.objects.using(self.using).filter(
            reading_list=self.state.reading_list
        ).delete()
        self.split = set(
            PaperMerge.objects.using(self.using)
            .filter(split=True)
            .values_list("merged_key", "paper__key")
        )

    def written(self, entries: list, ids: dict) -> None:
        """After a chunk of papers is written: its titles and document
        addresses, then the merges they reveal."""
        titled = _titles(entries)
        addressed = _addresses(entries)
        if not titled and not addressed:
            return
        list_id = self.state.reading_list.pk
        _insert_titles(
            self.using,
            [(ids[e.key], list_id, title, e.year) for e, title in titled]
            + [(ids[e.key], list_id, address, None) for e, address in addressed],
        )
        known = self._known({t for _, t in titled} | {a for _, a in addressed})
        for entry, address in addressed:
            self._merge_document(known, address, entry)
        for entry, title in titled:
            self._merge(known, title, entry)
        if known.moved:
            # A survivor that later joined another paper hands on what it took.
            known.moved = {pk: known.follow(pk) for pk in known.moved}
            _write_merges(self.using, known.moved)
            self._remap(known)

    def _known(self, titles: set[str]) -> _Known:
        known = _Known()
        rows = PaperTitle.objects.using(self.using)
        for chunk in chunks(sorted(titles)):
            for pk, title, year, key, arxiv_id in rows.filter(
                normalised__in=chunk
            ).values_list(
                "paper_id", "normalised", "year", "paper__key", "paper__arxiv_id"
            ):
                known.keys[pk] = (key, arxiv_id)
                known.by_title.setdefault(title, {}).setdefault(pk, set()).add(year)
        return known

    def _merge_document(self, known: _Known, address: str, entry) -> None:
        """Every paper at the document's address is one: the arXiv one
        survives (none if there are several), else the first key."""
        pk = known.follow(self.state.paper_ids[entry.key])
        if pk not in known.keys:
            return
        group = {known.follow(other) for other in known.by_title.get(address, {})}
        group.add(pk)
        arxiv = [p for p in group if known.is_arxiv(p)]
        if len(group) < 2 or len(arxiv) > 1:
            return
        survivor = arxiv[0] if arxiv else min(group, key=lambda p: known.keys[p][0])
        pairs = [(other, survivor) for other in sorted(group - {survivor})]
        for loser, into in self._not_split(known, pairs):
            self._absorb(known, loser, into, entry)

    def _merge(self, known: _Known, title: str, entry) -> None:
        pk = known.follow(self.state.paper_ids[entry.key])
        if pk not in known.keys:
            return
        for loser, survivor in self._not_split(known, _pairs(known, title, pk)):
            self._absorb(known, loser, survivor, entry)

    def _not_split(self, known: _Known, pairs: list[tuple[int, int]]):
        return [
            (a, b)
            for a, b in pairs
            if (known.keys[a][0], known.keys[b][0]) not in self.split
        ]

    def _absorb(self, known: _Known, loser: int, survivor: int, entry) -> None:
        """The paper ``loser`` (published, or cited with no link) becomes
        part of ``survivor``; the chunk's merges are written together
        (``_write``)."""
        mine = known.follow(self.state.paper_ids[entry.key])
        self.report.merges.append(
            AutoMerge(
                line=entry.line,
                key=entry.key,
                other=known.keys[survivor if mine == loser else loser][0],
                into=known.keys[survivor][0],
                title=entry.title,
            )
        )
        known.moved[loser] = survivor

    def _remap(self, known: _Known) -> None:
        """The list's keys now lead to the survivors; their search documents
        are read back from the database."""
        state = self.state
        remapped = {
            key: known.follow(pk)
            for key, pk in state.paper_ids.items()
            if pk in known.moved
        }
        state.paper_ids.update(remapped)
        created = state.created_of(Paper)
        touched: Iterable[int] = [*known.moved, *known.moved.values()]
        for pk in touched:
            created.discard(pk)
        state.current["paper"].update(known.follow(pk) for pk in known.moved)


def _write_merges(db: str, moved: dict[int, int]) -> None:
    """The chunk's merges, in the order they were found: each is
    recorded, the survivor takes the better of both rows' values and the
    absorbed key becomes an alias; then the absorbed rows move over."""
    rows = {
        row["id"]: row
        for row in Paper.objects.using(db)
        .filter(pk__in=[*moved, *moved.values()])
        .values()
    }
    first_source: dict[int, tuple] = {}
    for paper_id, *where in (
        Source.objects.using(db)
        .filter(paper_id__in=list(moved))
        .order_by("reading_list__path", "line")
        .values_list("paper_id", "reading_list_id", "line")
    ):
        first_source.setdefault(paper_id, tuple(where))
    merges, aliases, changed = [], [], {}
    for loser, survivor in moved.items():
        row = rows[loser]
        reading_list_id, line = first_source.get(loser, (None, 0))
        merges.append(
            PaperMerge(
                paper_id=survivor,
                merged_key=row["key"],
                merged_url=row["url"],
                title=row["title"],
                year=row["year"],
                reading_list_id=reading_list_id,
                line=line,
            )
        )
        aliases.append(Alias(kind=PAPER, key=row["key"], target_id=survivor))
        changed.setdefault(survivor, {}).update(_joined(rows[survivor], row))
    PaperMerge.objects.using(db).bulk_create(
        merges,
        update_conflicts=True,
        unique_fields=["paper", "merged_key"],
        update_fields=["merged_url", "title", "year", "reading_list", "line"],
    )
    for survivor, values in changed.items():
        if values:
            Paper.objects.using(db).filter(pk=survivor).update(**values)
    Alias.objects.using(db).bulk_create(
        aliases,
        update_conflicts=True,
        unique_fields=["kind", "key"],
        update_fields=["target_id"],
    )
    _move_rows(db, moved)


def _move_rows(db: str, moved: dict[int, int]) -> None:
    """Every row of the absorbed papers moves to its survivor, a few
    set-based statements for the whole chunk (an absorbed paper never
    survives another, so one step suffices); then the absorbed papers
    leave the search index and go, with nothing left pointing at them."""
    losers = sorted(moved)
    for through, column, related in _PAIRS:
        rows = through.objects.using(db).filter(**{f"{column}__in": losers})
        through.objects.using(db).bulk_create(
            [
                through(**{column: moved[pk], related: value})
                for pk, value in rows.values_list(column, related)
            ],
            ignore_conflicts=True,
        )
        rows._raw_delete(db)
    for model in (PaperTitle, *_POINTERS, PaperMerge):
        _repoint(db, model, "paper_id", moved)
    _repoint(db, Alias, "target_id", moved, kind=PAPER)
    ImportConflict.objects.using(db).filter(kind=PAPER, object_id__in=losers).delete()
    unindex_papers(losers, using=db)
    Paper.objects.using(db).filter(pk__in=losers)._raw_delete(db)
    bump_catalog_version(using=db)
