"""Blocks -> entries: the walk of headings, paragraphs, list items and tables.

``Headings`` tracks where the walk is (the open topics, years and venues,
and the kind heading); ``ListWalker`` cuts the blocks into entries (a list
item, a paragraph with a paper link and its continuation, a table row) and
hands each to the RecordBook (catalog.ingest.parsing.records).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import PurePath

from catalog.ingest.parsing import vocabulary
from catalog.ingest.parsing.blocks import (
    Heading,
    Html,
    Item,
    List,
    Para,
    Row,
    Table,
    section_blocks,
)
from catalog.ingest.parsing.cited import whole_citation
from catalog.ingest.parsing.drafts import Context, Entry
from catalog.ingest.parsing.inline import HtmlLinks, Piece, has_link, plain
from catalog.ingest.parsing.records import RecordBook
from catalog.ingest.parsing.results import ParsedList, TopicEntry, TopicPath
from catalog.ingest.parsing.source import PreparedLines, Section, sections
from catalog.ingest.parsing.text import (
    GROUP_LABELS,
    NUMBERING_RE,
    QUOTE_RE,
    YEAR_ALONE_RE,
    clean,
)
from catalog.ingest.parsing.urls import ARXIV_TEXT_RE, classify_url

# A line of a paragraph opening a new reference: "[2] ...", bold or not.
_REFERENCE_LINE_RE = re.compile(r"^\s*\[\d{1,4}\]")
# Lines per section: a long list is tokenized a section at a time.
SECTION_LINES = 2000


# --------------------------------------------------------------------------
# Headings
# --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TopicFrame:
    level: float
    name: str


@dataclass(frozen=True, slots=True)
class YearFrame:
    level: float
    year: int


@dataclass(frozen=True, slots=True)
class VenueFrame:
    level: float
    venue: str
    year: int | None


Frame = TopicFrame | YearFrame | VenueFrame


class Headings:
    """The open headings, outermost first, and the kind heading in force."""

    def __init__(self, share):
        self.share = share  # RecordBook.share: one object for equal values
        self.stack: list[Frame] = []
        self.kind: str | None = None  # normalised kind heading ("code"...)
        self.level = 0  # of the last real heading
        self.topics: dict[TopicPath, TopicEntry] = {}

    def context(self) -> Context:
        topic = self.share(
            tuple(f.name for f in self.stack if isinstance(f, TopicFrame))
        )
        year = venue = venue_year = None
        for frame in self.stack:
            if isinstance(frame, YearFrame):
                year = frame.year
            elif isinstance(frame, VenueFrame):
                # Rule 10: "## 2021" over "**NeurIPS**" is NeurIPS 2021.
                venue, venue_year = frame.venue, frame.year or year
                year = venue_year or year
        return Context(topic, self.kind, year, venue, venue_year)

    def heading(self, node: Heading) -> None:
        text = clean(plain([p for p in node.pieces if not p.image]))
        text = text.rstrip(" :：")
        if not text or set(text) <= set("-=#*_ "):
            return
        self.kind = None
        if self.level == 0 and node.level == 1:
            self._list_venue(text)
        self.level = node.level
        self._close_to(node.level)
        # Rule 12: numbering ("1.X", "3.4.1 ", "a 论文") is no part of a name.
        text = NUMBERING_RE.sub("", text).strip() or text
        if vocabulary.is_contents_heading(text):
            # Rule 12: a table of contents is no topic; the sections under
            # it belong to the heading above it.
            return
        if vocabulary.heading_kind(text) is not None:
            # Rule 1: a kind heading is no topic; it sets the kind of the
            # entries that follow, until the next heading.
            self.kind = vocabulary.normalise_label(text).split(" ")[0]
            return
        self._frame_or_topic(node, text)

    def _frame_or_topic(self, node: Heading, text: str) -> None:
        """A year or venue heading ("2018", "NIPS 2018"), else a topic."""
        frame = self._year_frame(node.level, text)
        if frame is None:
            frame = self._venue_frame(node.level, text, short=True)
        if frame is not None:
            self.stack.append(frame)
        else:
            self._topic(node, text)

    def _list_venue(self, title: str) -> None:
        """Rule 10: a venue and year in the list's title ("# CVPR 2024
        papers") apply to all its entries that state none of their own."""
        venue, venue_year = vocabulary.find_venue(title)
        if venue and venue_year:
            self.stack.insert(0, VenueFrame(0, venue, venue_year))

    def _topic(self, node: Heading, text: str) -> None:
        # Rule 1: a topic is its path (numbering stripped by heading()), and
        # every prefix of the path is a topic too.
        self.stack.append(TopicFrame(node.level, text))
        path = tuple(f.name for f in self.stack if isinstance(f, TopicFrame))
        for depth in range(1, len(path) + 1):
            prefix = path[:depth]
            if prefix not in self.topics:
                self.topics[prefix] = TopicEntry(prefix, node.line)

    def pseudo_heading(self, para: Para) -> bool:
        """A bold or italic paragraph alone: "**ECCV**", "*(2016)*", "**Journal**"."""
        text = _emphasised_alone(para)
        if text is None:
            return False
        # Below the last real heading, replacing an earlier pseudo-heading.
        level = self.level + 0.5
        self._close_to(level)
        frame = self._year_frame(level, text)
        if frame is None:
            frame = self._venue_frame(level, text, short=False)
        if frame is not None:
            self.stack.append(frame)
            return True
        return vocabulary.normalise_label(text) in GROUP_LABELS

    def _close_to(self, level: float) -> None:
        while self.stack and self.stack[-1].level >= level:
            self.stack.pop()

    @staticmethod
    def _year_frame(level: float, text: str) -> YearFrame | None:
        year = YEAR_ALONE_RE.match(text)
        if year and vocabulary.sane_year(int(year[1])):
            return YearFrame(level, int(year[1]))
        return None

    @staticmethod
    def _venue_frame(level: float, text: str, *, short: bool) -> VenueFrame | None:
        """A venue heading ("NIPS 2018"); ``short``: little else written."""
        venue, venue_year = vocabulary.find_venue(text)
        if not venue:
            return None
        if short and len(vocabulary.VENUE_RE.sub("", text).strip()) > 3:
            return None
        return VenueFrame(level, venue, venue_year)


# --------------------------------------------------------------------------
# The walk
# --------------------------------------------------------------------------

_KEY_VALUE_RE = re.compile(r"^\s*[\w .-]{1,20}\s*[:：]")

# Table headers naming the columns an entry's fields may come from.
_COLUMN_NAMES = {
    "title": (
        "title",
        "paper",
        "papers",
        "name",
        "标题",
        "名字",
        "名称",
        "论文",
        "paper / source",
    ),
    "venue": (
        "conf",
        "venue",
        "conference",
        "published in",
        "publication",
        "会议",
        "期刊",
    ),
    "year": ("year", "date", "年份", "日期", "time", "发布日期"),
    "organisation": (
        "institute",
        "institution",
        "organization",
        "organisation",
        "org",
        "机构",
        "affiliation",
    ),
}


@dataclass
class _Walk:
    """What the walk carries from block to block."""

    open_entry: Entry | None = None
    descriptions: dict[TopicPath, list[str]] = field(default_factory=dict)


class ListWalker:
    """Walks a list's blocks, section by section, into a RecordBook."""

    def __init__(self, name: str, *, section_lines: int | None = None):
        self.name = name
        self.section_lines = section_lines or SECTION_LINES
        self.book = RecordBook(own_repository(name))
        self.headings = Headings(self.book.share)
        self.section = Section()  # the one being walked
        self.state = _Walk()

    def run(self, lines: Iterable[str], *, references: bool) -> ParsedList:
        """Parse the list's lines, a section at a time (memory follows the
        section's size, not the list's); in one piece if ``references``: a
        reference definition ("[id]: url") may be used anywhere."""
        prepared = PreparedLines(lines)
        if references:
            pieces = iter([Section(0, list(prepared))])
        else:
            pieces = sections(prepared, self.section_lines)
        for section in pieces:
            self.section = section
            self.walk(
                section_blocks(references, section.start, "\n".join(section.lines))
            )
        self.section = Section()
        return self.result(prepared.title)

    def walk(self, blocks: list) -> None:
        i = 0
        while i < len(blocks):
            i = self.block(blocks, i)
        self.close()

    def block(self, blocks: list, i: int) -> int:
        """Walk the block at ``i``; the index of the next one."""
        node = blocks[i]
        if isinstance(node, Para):
            return i + 1 if self.references(node) else self.paragraph(blocks, i)
        if isinstance(node, Html):
            if not node.content.lstrip().startswith("<!--"):
                self.html(node)
            return i + 1
        self.close()  # any other block ends the open entry
        if isinstance(node, Heading):
            self.headings.heading(node)
        elif isinstance(node, List):
            for item in node.items:
                self.item(item)
        elif isinstance(node, Table):
            self.table(node)
        return i + 1

    def close(self) -> None:
        if self.state.open_entry is not None:
            self.book.emit(self.state.open_entry, self.section)
        self.state.open_entry = None

    def paragraph(self, blocks: list, i: int) -> int:
        node = blocks[i]
        has_links = any(self.book.usable(p) for p in node.pieces)
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if not has_links and _titled_fields(node, nxt):
            self.close()
            entry = self.new_entry(node.pieces, node.line)
            entry.lines.update(range(node.line, node.end + 1))
            for item in nxt.items:
                for child in item.children:
                    _absorb(entry, child)
            self.book.emit(entry, self.section)
            return i + 2
        if not has_links and self.headings.pseudo_heading(node):
            self.close()
        elif self.starts_entry(node):
            self.close()
            self.state.open_entry = self.new_entry(node.pieces, node.line)
            self.state.open_entry.lines.update(range(node.line, node.end + 1))
        elif self.state.open_entry is not None:
            _absorb(self.state.open_entry, node)
        else:
            self.prose(node)
        return i + 1

    def references(self, para: Para) -> bool:
        """Rule 11: a paragraph of references with no link, one a line ("[1]
        A. Author. **Title**. ICML 2016." / "[2] ..."), is an entry each;
        the last stays open for the notes below it."""
        parts = _reference_lines(para)
        if len(parts) < 2 or not all(whole_citation(p.pieces) for p in parts):
            return False
        self.close()
        for part in parts:
            self.close()
            entry = self.new_entry(part.pieces, part.line)
            entry.lines.update(range(part.line, part.end + 1))
            self.state.open_entry = entry
        return True

    def starts_entry(self, para: Para) -> bool:
        """A paragraph with a web link starts an entry; inside an entry, only
        one with a paper (a link, or an arXiv id as text)."""
        links = _web_links(para.pieces)
        if not links and not _arxiv_in_text(para):
            # Rule 11: a reference written with no link starts an entry too.
            return not has_link(para.pieces) and whole_citation(para.pieces) is not None
        if self.state.open_entry is None:
            return True
        return any(classify_url(p.url).kind == "paper" for p in links) or (
            _arxiv_in_text(para)
        )

    def new_entry(self, head, line) -> Entry:
        return Entry(line=line, head=list(head), context=self.headings.context())

    def prose(self, para: Para) -> None:
        # Rule 7: prose before the first entry of a topic describes the topic.
        topic = self.headings.context().topic
        if topic and topic not in self.book.topics_with_entries:
            text = "\n".join(
                QUOTE_RE.sub("", self.section.line(n)).strip()
                for n in range(para.line, para.end + 1)
            ).strip()
            if text:
                self.state.descriptions.setdefault(topic, []).append(text)

    def item(self, item: Item) -> None:
        """A list item is an entry; its sub-items belong to it, unless either
        the item holds no paper or the sub-item holds one of its own."""
        children = item.children
        head = children[0] if children and isinstance(children[0], Para) else None
        entry = self.new_entry(head.pieces if head else [], item.line)
        if head:
            entry.lines.update(range(head.line, head.end + 1))
        separate: list[Item] = []
        for child in children[1 if head else 0 :]:
            if isinstance(child, List):
                separate += _sub_items(entry, child)
            elif isinstance(child, Heading):
                self.headings.heading(child)
            else:
                _absorb(entry, child)
        self.book.emit(entry, self.section)
        for sub in separate:
            self.item(sub)

    def table(self, table: Table) -> None:
        """Each row with a link is an entry; named columns give its fields."""
        columns = _columns(table.header)
        for row in table.rows:
            head = _row_head(row)
            if any(self.book.usable(p) for p in head):
                entry = self.new_entry(head, row.line)
                entry.lines.add(row.line)
                entry.columns.update(_cells(row, columns))
                self.book.emit(entry, self.section)

    def html(self, node: Html) -> None:
        """An HTML block with an http(s) link is an entry of its own."""
        pieces = _html_pieces(node)
        if pieces is not None:
            entry = self.new_entry(pieces, node.line)
            self.close()
            self.book.emit(entry, self.section)

    def result(self, title: str | None) -> ParsedList:
        descriptions = self.state.descriptions
        topics = tuple(
            replace(t, description="\n\n".join(descriptions.get(path, ())))
            for path, t in self.headings.topics.items()
        )
        return self.book.result(name=self.name, title=title, topics=topics)


# A list saved as "owner__repository__path.md" (how a list fetched from a
# GitHub repository is named: ../shared/corpus/MANIFEST.tsv).
_OWN_REPOSITORY_RE = re.compile(r"^([A-Za-z0-9-]+)__([\w.-]+?)__")


def own_repository(name: str) -> str | None:
    """The GitHub repository a list's file name says it comes from."""
    match = _OWN_REPOSITORY_RE.match(PurePath(name).name)
    return f"github.com/{match[1]}/{match[2]}".lower() if match else None


def _titled_fields(para: Para, nxt) -> bool:
    """A bold title over a list of "Key: value" items: one entry."""
    return (
        isinstance(nxt, List)
        and _bold_title(para)
        and all(_key_value_item(item) for item in nxt.items)
    )


def _absorb(entry: Entry, node) -> None:
    """Add a paragraph, list or HTML block to an entry as continuation."""
    if isinstance(node, Para):
        entry.rest.append(Piece("break", node.line))
        entry.rest.extend(node.pieces)
        entry.lines.update(range(node.line, node.end + 1))
    elif isinstance(node, List):
        for item in node.items:
            for child in item.children:
                _absorb(entry, child)
    elif isinstance(node, Html) and not node.content.lstrip().startswith("<!--"):
        parser = HtmlLinks(node.line)
        parser.feed(node.content)
        entry.rest.extend(parser.text + parser.links)
    elif isinstance(node, Table):
        for row in node.rows:
            for cell in row.cells:
                entry.rest.extend(cell)


def _sub_items(entry: Entry, node: List) -> list[Item]:
    """Absorb the sub-items that belong to ``entry``; the others."""
    has_paper = _has_paper(entry.head)
    separate = []
    for sub in node.items:
        sub_head = (
            sub.children[0].pieces
            if sub.children and isinstance(sub.children[0], Para)
            else []
        )
        if not has_paper or _has_paper(sub_head):
            separate.append(sub)
        else:
            entry.lines.update(range(sub.line, sub.end + 1))
            for grandchild in sub.children:
                _absorb(entry, grandchild)
    return separate


def _html_pieces(node: Html) -> list[Piece] | None:
    """The pieces of an HTML block, if it links to an http(s) address."""
    parser = HtmlLinks(node.line)
    try:
        parser.feed(node.content)
        parser.close()
    except Exception:  # noqa: BLE001 - html.parser is lenient; be safe
        return None
    pieces = parser.text + parser.links
    if not any(
        p.kind == "link" and not p.image and (p.url or "").startswith("http")
        for p in pieces
    ):
        return None
    return pieces


def _emphasised_alone(para: Para) -> str | None:
    """The text of a short paragraph all bold or italic, with no link."""
    if any(p.kind == "link" for p in para.pieces):
        return None
    texts = [p for p in para.pieces if p.kind == "text" and p.text.strip()]
    if not texts or not all(p.bold or p.italic for p in texts):
        return None
    text = clean(plain(para.pieces))
    return text if len(text) <= 40 else None


def _web_links(pieces: list[Piece]) -> list[Piece]:
    # Badges included: one may wrap an entry's only link (rule 14).
    return [
        p
        for p in pieces
        if p.kind == "link"
        and (p.url or "").lower().startswith(("http://", "https://"))
    ]


def _reference_lines(para: Para) -> list[Para]:
    """A link-less paragraph cut before each line that opens with a
    reference number ("[2]", bold or not); [para] if none does."""
    if has_link(para.pieces):
        return [para]
    pieces = para.pieces
    cuts = [
        n
        for n in range(len(pieces) - 1)
        if pieces[n].kind == "break"
        and _REFERENCE_LINE_RE.match(pieces[n + 1].text or "")
    ]
    bounds = zip([-1, *cuts], [*cuts, len(pieces)], strict=True)
    parts = [pieces[a + 1 : b] for a, b in bounds]
    return [Para(part, part[0].line, part[-1].line) for part in parts if part]


def _arxiv_in_text(para: Para) -> bool:
    return bool(ARXIV_TEXT_RE.search(plain(para.pieces, links=False)))


def _bold_title(para: Para) -> bool:
    texts = [p for p in para.pieces if p.kind == "text" and p.text.strip()]
    return bool(texts) and all(p.bold for p in texts)


def _key_value_item(item: Item) -> bool:
    """ "Code: https://...", or a label and its link with the colon left out
    ("Paper  https://...")."""
    head = (
        item.children[0]
        if item.children and isinstance(item.children[0], Para)
        else None
    )
    if head is None:
        return False
    text = plain(head.pieces, links=False)
    if _KEY_VALUE_RE.match(text):
        return True
    label = vocabulary.normalise_label(text)
    return vocabulary.is_link_label(label) and has_link(head.pieces)


def _has_paper(pieces) -> bool:
    for p in pieces:
        if (
            p.kind == "link"
            and not p.image
            and (p.url or "").lower().startswith("http")
            and classify_url(p.url).kind == "paper"
        ):
            return True
    return bool(ARXIV_TEXT_RE.search(plain(pieces, links=False)))


def _row_head(row: Row) -> list[Piece]:
    """A table row's cells as one line, " | " between them."""
    head: list[Piece] = []
    for n, cell in enumerate(row.cells):
        if n:
            head.append(Piece("text", row.line, " | "))
        head.extend(cell)
    return head


def _cells(row: Row, columns: dict[str, int]) -> dict[str, str]:
    """The row's text in each named column it has."""
    return {
        role: clean(plain(row.cells[index]))
        for role, index in columns.items()
        if index < len(row.cells)
    }


def _columns(header: list[str]) -> dict[str, int]:
    """Which column holds each role: the first whose header names it."""
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        for role, words in _COLUMN_NAMES.items():
            if role not in columns and name in words:
                columns[role] = index
    return columns
