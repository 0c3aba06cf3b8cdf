"""Markdown -> blocks: headings, paragraphs, lists of items, tables, HTML.

markdown-it-py tokenizes (commonmark with tables and HTML, link targets kept
as written); ``section_blocks`` turns one section's token stream into nested
blocks whose pieces come from catalog.ingest.parsing.inline.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial

from markdown_it import MarkdownIt

from catalog.ingest.parsing.inline import Piece, inline_pieces, plain

# How deep markdown may nest: a list item takes two levels, a block quote,
# a link or an open bracket one. At its limit markdown-it drops the rest of
# the text without a word (ParserBlock.tokenize, ParserInline.skipToken), so
# reaching it fails the list instead. This is markdown-it's default preset's
# limit; its commonmark preset's 20 is ten levels of bullets.
MAX_NESTING = 100


class TooDeep(Exception):
    """Nesting reached MAX_NESTING ``at`` a line (from 0) of the text parsed,
    or, raised by the inline parser, at an offset in its paragraph."""

    def __init__(self, at: int):
        super().__init__(at)
        self.at = at


def _markdown(*, references: bool) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "maxNesting": MAX_NESTING})
    md.enable("table")
    if not references:
        # Costly, and reference definitions are rare in reading lists.
        md.disable("reference")
    # Keep link targets as written (no percent-encoding of CJK, no case change).
    md.normalizeLink = lambda url: url.strip()  # type: ignore[method-assign]
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    md.block.tokenize = partial(_tokenize_blocks, md.block.tokenize)
    md.inline.tokenize = partial(_tokenize_inline, md.inline.tokenize)
    md.inline.skipToken = partial(_skip_token, md.inline.skipToken)
    md.core.ruler.at("inline", _inline_rule)
    return md


def _tokenize_blocks(tokenize, state, start: int, end: int) -> None:
    # The tests ParserBlock.tokenize makes before it skips to the end.
    if state.level >= MAX_NESTING:
        line = state.skipEmptyLines(start)
        if line < end and state.sCount[line] >= state.blkIndent:
            raise TooDeep(line)
    tokenize(state, start, end)


def _tokenize_inline(tokenize, state) -> None:
    # Past the limit ParserInline.tokenize reads links as plain text.
    if state.level >= MAX_NESTING and state.pos < state.posMax:
        raise TooDeep(state.pos)
    tokenize(state)


def _skip_token(skip_token, state) -> None:
    # Past the limit it skips to the end of the paragraph.
    if state.level >= MAX_NESTING and state.pos not in state.cache:
        raise TooDeep(state.pos)
    skip_token(state)


def _inline_rule(state) -> None:
    """markdown-it's core "inline" rule, naming the line of a paragraph
    nested too deeply."""
    for token in state.tokens:
        if token.type == "inline":
            if token.children is None:
                token.children = []
            try:
                state.md.inline.parse(
                    token.content, state.md, state.env, token.children
                )
            except TooDeep as exc:
                line = token.map[0] + token.content.count("\n", 0, exc.at)
                raise TooDeep(line) from None


_MD = _markdown(references=False)
_MD_WITH_REFERENCES = _markdown(references=True)


# --------------------------------------------------------------------------
# Blocks
# --------------------------------------------------------------------------


@dataclass
class Para:
    pieces: list[Piece]
    line: int  # 1-based first line
    end: int  # 1-based last line


@dataclass
class Heading:
    level: int
    pieces: list[Piece]
    line: int


@dataclass
class Item:
    line: int
    end: int
    children: list = field(default_factory=list)


@dataclass
class List:
    items: list[Item]


@dataclass
class Row:
    cells: list[list[Piece]]
    line: int


@dataclass
class Table:
    header: list[str]
    rows: list[Row]


@dataclass
class Html:
    content: str
    line: int
    end: int


@dataclass
class Rule:
    line: int


def section_blocks(references: bool, offset: int, section: str) -> list:
    """The blocks of one section of a list, its lines counted from ``offset``."""
    parser = _MD_WITH_REFERENCES if references else _MD
    try:
        tokens = parser.parse(section)
    except TooDeep as exc:
        raise TooDeep(offset + exc.at) from None
    if offset:
        for token in tokens:
            if token.map:
                token.map = [token.map[0] + offset, token.map[1] + offset]
    return _BlockReader(tokens).read(0)


class _BlockReader:
    """Token stream -> nested blocks. Each ``read`` method takes the index of
    its first token and returns the index after its last."""

    def __init__(self, tokens):
        self.tokens = tokens
        self.end = 0

    def read(self, i: int, until: str | None = None, out: list | None = None):
        """Blocks up to the token ``until`` (or the end); returns the blocks,
        and sets ``self.end`` to the index after ``until``."""
        out = [] if out is None else out
        tokens = self.tokens
        while i < len(tokens):
            kind = tokens[i].type
            if until and kind == until:
                self.end = i + 1
                return out
            i = self.block(i, kind, out)
        self.end = i
        return out

    def block(self, i: int, kind: str, out: list) -> int:
        token = self.tokens[i]
        if kind in ("heading_open", "paragraph_open"):
            out.append(self.leaf(token, self.tokens[i + 1]))
            return i + 3
        if kind in ("bullet_list_open", "ordered_list_open"):
            return self.list(i + 1, out)
        if kind == "table_open":
            return self.table(i, out)
        elif kind == "html_block":
            out.append(Html(token.content, token.map[0] + 1, token.map[1]))
        elif kind == "hr":
            out.append(Rule(token.map[0] + 1))
        # else block quotes (their paragraphs are read as any), fences, code
        # blocks, stray closes: nothing
        return i + 1

    def leaf(self, token, inline) -> Heading | Para:
        line = token.map[0] + 1
        pieces = inline_pieces(inline, line)
        if token.type == "heading_open":
            return Heading(int(token.tag[1]), pieces, line)
        return Para(pieces, line, token.map[1])

    def list(self, i: int, out: list) -> int:
        items = []
        while self.tokens[i].type == "list_item_open":
            item_token = self.tokens[i]
            children = self.read(i + 1, "list_item_close")
            i = self.end
            items.append(Item(item_token.map[0] + 1, item_token.map[1], children))
        out.append(List(items))
        return i + 1  # list close

    def table(self, i: int, out: list) -> int:
        header: list[str] = []
        rows: list[Row] = []
        in_head = False
        cells: list[list[Piece]] = []
        row_line = 0
        tokens = self.tokens
        while tokens[i].type != "table_close":
            token = tokens[i]
            if token.type in ("thead_open", "thead_close"):
                in_head = token.type == "thead_open"
            elif token.type == "tr_open":
                cells = []
                row_line = token.map[0] + 1 if token.map else row_line
            elif token.type == "inline":
                cells.append(inline_pieces(token, row_line))
            elif token.type == "tr_close" and in_head:
                header = [plain(c).strip().lower() for c in cells]
            elif token.type == "tr_close":
                rows.append(Row(cells, row_line))
            i += 1
        out.append(Table(header, rows))
        return i + 1
