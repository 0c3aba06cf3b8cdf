"""One spec per kind of row an import writes: its model, the field it is
found by, how a parsed record maps to the row's values, and which fields a
list only fills or only sets on creation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from catalog.ingest import joins
from catalog.ingest.ids import IdSet
from catalog.models import (
    TOPIC_SEPARATOR,
    Framework,
    Link,
    LinkKind,
    Paper,
    Repository,
    Topic,
    Translation,
)


@dataclass(frozen=True)
class WrittenTopic:
    """A topic row as written: what the next levels and slugs depend on."""

    depth: int
    slug: str
    path: str


@dataclass(frozen=True)
class WrittenTranslation:
    """A translation row as written: what its paper's search document takes."""

    paper_id: int
    title: str


@dataclass
class ImportState:
    """What one list's import keeps between its steps, by name."""

    reading_list: Any = None  # its ReadingList row
    # The ids of rows this list's provenance held before, and holds now, by
    # target ("topic", "paper", ...).
    previous: dict[str, IdSet] = field(default_factory=dict)
    current: dict[str, IdSet] = field(default_factory=dict)
    topic_ids: dict[str, int] = field(default_factory=dict)  # path -> id
    topics: dict[int, WrittenTopic] = field(default_factory=dict)
    # The list's paper key -> paper id, in the list's order.
    paper_ids: dict[str, int] = field(default_factory=dict)
    # The curated fields of the rows met that have any.
    curated: dict[tuple[type, int], set[str]] = field(default_factory=dict)
    created: dict[type, IdSet] = field(default_factory=dict)  # rows created
    # Paper id -> kind ("repositories", "translations") -> [(row id, text)]
    # written for a paper this import created, for its search document.
    extras: dict[int, dict[str, list[tuple[int, str]]]] = field(default_factory=dict)
    alias_kinds: set[str] | None = None
    done: int = 0  # entries written, for progress
    total: int = 0

    def created_of(self, model: type) -> IdSet:
        return self.created.get(model) or IdSet()


@dataclass(frozen=True)
class KindSpec:
    """How the records of one kind become rows.

    ``values(record, state)`` gives the row's field values from the list;
    fields in ``fill_only`` are only written when empty (another list may own
    them), fields in ``create_only`` only when the row is created.
    ``remember(row)``, if given, is kept for every row as written (see
    Upserted.written). ``joins`` choose the values of a row other lists hold
    too (catalog.ingest.joins): the best any list gives wins.
    """

    kind: str  # the report's name for it
    model: type
    lookup: str  # the record's and row's identity field
    values: Callable[[Any, ImportState], dict]
    fill_only: frozenset[str] = frozenset()
    create_only: frozenset[str] = frozenset()
    remember: Callable[[dict], object] | None = None
    joins: tuple[joins.Join, ...] = ()


def join(path: tuple[str, ...]) -> str:
    return TOPIC_SEPARATOR.join(path)


@dataclass
class TopicRow:
    """A topic record with its position in the list and, once known, the
    suffix that keeps its slug unique."""

    entry: Any
    order: int
    slug_suffix: str = ""

    @cached_property
    def path(self) -> str:
        return join(self.entry.path)

    @cached_property
    def slug(self) -> str:
        return Topic.slug_for_path(self.path)

    @property
    def line(self) -> int:
        return self.entry.line


def topic_values(row: TopicRow, state: ImportState) -> dict:
    parent_id = state.topic_ids.get(join(row.entry.path[:-1]))
    return {
        "name": row.entry.path[-1],
        "parent_id": parent_id,
        # Below the parent the row resolved to (an editor may have moved
        # it), not the depth the list's path suggests.
        "depth": state.topics[parent_id].depth + 1 if parent_id else 0,
        "order": row.order,
        "description": row.entry.description or "",
        "slug": row.slug + row.slug_suffix,
    }


def paper_values(entry, state: ImportState | None = None) -> dict:
    return {
        "title": entry.title[:1000],
        "short_name": (entry.short_name or "")[:200],
        "url": entry.url,
        "alt_urls": list(entry.alt_urls),
        "arxiv_id": entry.arxiv_id,
        "year": entry.year,
        "date": entry.date,
        "venue": (entry.venue or "")[:100],
        "venue_year": entry.venue_year,
        "organisation": (entry.organisation or "")[:200],
        "notes": entry.notes or "",
    }


def repository_values(entry, state: ImportState) -> dict:
    row = {
        "host": entry.host,
        "owner": entry.owner,
        "name": entry.name,
        "url": entry.url,
    }
    # An unknown framework never overwrites a known one.
    if entry.framework and entry.framework in Framework.values:
        row["framework"] = entry.framework
    return row


def translation_values(entry, state: ImportState) -> dict:
    return {
        "paper_id": state.paper_ids[entry.paper],
        "language": entry.language,
        "title": (entry.title or "")[:1000],
    }


# LinkKind.values rebuilds its list at every call.
_LINK_KINDS = frozenset(LinkKind.values)


def link_values(entry, state: ImportState) -> dict:
    return {
        "title": (entry.title or "")[:1000],
        "kind": entry.kind if entry.kind in _LINK_KINDS else LinkKind.LINK,
        "paper_id": state.paper_ids.get(entry.paper) if entry.paper else None,
    }


TOPICS = KindSpec(
    kind="topics",
    model=Topic,
    lookup="path",
    values=topic_values,
    create_only=frozenset({"slug", "depth"}),
    remember=lambda row: WrittenTopic(row["depth"], row["slug"], row["path"]),
    joins=joins.TOPICS,
)
PAPERS = KindSpec(
    kind="papers",
    model=Paper,
    lookup="key",
    values=paper_values,
    fill_only=frozenset({"url", "alt_urls"}),
    joins=joins.PAPERS,
)
REPOSITORIES = KindSpec(
    kind="repositories",
    model=Repository,
    lookup="key",
    values=repository_values,
    fill_only=frozenset({"url"}),
    # The text a paper's search document takes from its code.
    remember=lambda row: f"{row['owner']} {row['name']}",
    joins=joins.REPOSITORIES,
)
TRANSLATIONS = KindSpec(
    kind="translations",
    model=Translation,
    lookup="url",
    values=translation_values,
    remember=lambda row: WrittenTranslation(row["paper_id"], row["title"]),
    joins=joins.TRANSLATIONS,
)
LINKS = KindSpec(
    kind="links", model=Link, lookup="url", values=link_values, joins=joins.LINKS
)
