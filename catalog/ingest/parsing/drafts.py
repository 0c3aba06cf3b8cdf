"""An entry as the walk reads it, before it becomes records."""

from __future__ import annotations

from dataclasses import dataclass, field

from catalog.ingest.parsing.inline import Piece
from catalog.ingest.parsing.results import TopicPath
from catalog.ingest.parsing.urls import Target


@dataclass
class Context:
    """The headings an entry sits under."""

    topic: TopicPath
    kind: str | None  # normalised kind heading ("code", "article"...)
    year: int | None
    venue: str | None
    venue_year: int | None


@dataclass
class Entry:
    """One entry: its first paragraph (``head``), the rest, its lines."""

    line: int
    head: list[Piece]
    context: Context
    rest: list[Piece] = field(default_factory=list)
    lines: set[int] = field(default_factory=set)
    columns: dict[str, str] = field(default_factory=dict)  # role -> table cell

    def links(self):
        return [p for p in (*self.head, *self.rest) if p.kind == "link"]


@dataclass(slots=True)
class Linked:
    """A link of an entry and what it points at."""

    piece: Piece
    target: Target
