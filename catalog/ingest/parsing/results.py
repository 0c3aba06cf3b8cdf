"""What a parsed list holds: frozen records, keyed as the catalog keys them."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from catalog.ingest.parsing.errors import ParseWarning

TopicPath = tuple[str, ...]


# Rule 11: the key of a paper a list cites with no link ("title:" + its words).
TITLE_KEY_PREFIX = "title:"


@dataclass(frozen=True, slots=True)
class TopicEntry:
    path: TopicPath
    line: int
    description: str = ""


@dataclass(frozen=True, slots=True)
class PaperEntry:
    key: str
    title: str
    url: str
    line: int
    short_name: str | None = None
    alt_urls: tuple[str, ...] = ()
    arxiv_id: str | None = None
    year: int | None = None
    date: datetime.date | None = None
    venue: str | None = None
    venue_year: int | None = None
    organisation: str | None = None
    notes: str | None = None
    topics: tuple[TopicPath, ...] = ()
    lines: tuple[int, ...] = ()
    # Rule 8: the title is only a short name, a link text ("this survey
    # paper") or an organisation: any list's full title should replace it.
    title_is_short_name: bool = False


@dataclass(frozen=True, slots=True)
class RepositoryEntry:
    key: str
    host: str
    owner: str
    name: str
    url: str
    line: int
    framework: str | None = None
    topics: tuple[TopicPath, ...] = ()
    papers: tuple[str, ...] = ()
    lines: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class TranslationEntry:
    url: str
    paper: str
    line: int
    title: str | None = None
    language: str = "zh"


@dataclass(frozen=True, slots=True)
class LinkEntry:
    url: str
    line: int
    title: str | None = None
    kind: str = "link"
    topics: tuple[TopicPath, ...] = ()
    paper: str | None = None
    lines: tuple[int, ...] = ()


@dataclass(frozen=True)
class ParsedList:
    """What one list holds, each kind of record in the order first met."""

    name: str
    title: str | None = None
    topics: tuple[TopicEntry, ...] = ()
    papers: tuple[PaperEntry, ...] = ()
    repositories: tuple[RepositoryEntry, ...] = ()
    translations: tuple[TranslationEntry, ...] = ()
    links: tuple[LinkEntry, ...] = ()
    warnings: tuple[ParseWarning, ...] = field(default=())
