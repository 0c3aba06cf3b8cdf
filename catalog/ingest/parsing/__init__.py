"""Markdown reading lists -> plain data (no Django, no database, no network).

The interpretation rules are tests/golden/RULES.md. Entry points:
``parse_reading_list(text, name=...) -> ParsedList``, and for a list's bytes,
``parse_list_file(check_list_bytes(data, path=...), name=...)``, which decodes
them a section at a time and keeps a long list's records on disk
(catalog.ingest.spill), so memory stays flat in the list's length. Bad input raises
ParseError.
"""

from __future__ import annotations

import datetime
import gc
import hashlib
import io
import re
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from html.parser import HTMLParser
from urllib.parse import urlsplit

from markdown_it import MarkdownIt

from catalog.ingest.parsing import vocabulary
from catalog.ingest.spill import Records, SpillDict
from catalog.weburls import is_web_url

TopicPath = tuple[str, ...]


class ParseError(ValueError):
    """A list that cannot be read at all; names the file and, where known, the line."""

    def __init__(
        self, message: str, *, name: str | None = None, line: int | None = None
    ):
        self.message = message
        self.name = name
        self.line = line
        where = name or "<input>"
        if line is not None:
            where = f"{where}:{line}"
        super().__init__(f"{where}: {message}")

    def __reduce__(self):
        # Keyword-only arguments: pickle (to and from a parsing process) by them.
        return (_parse_error, (self.message, self.name, self.line))


def _parse_error(message, name, line) -> ParseError:
    return ParseError(message, name=name, line=line)


class _Record:
    """Pickles as its class and field values (records wait on disk in a
    long list, see catalog.ingest.spill): a paper's round trip takes 4.2 µs, 5.8 µs
    through a slotted dataclass's own state (measured)."""

    __slots__ = ()

    def __reduce__(self):
        return (type(self), tuple(getattr(self, name) for name in self.__slots__))


@dataclass(frozen=True, slots=True)
class TopicEntry:
    path: TopicPath
    line: int
    description: str = ""


@dataclass(frozen=True, slots=True)
class PaperEntry(_Record):
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


@dataclass(frozen=True, slots=True)
class RepositoryEntry(_Record):
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
class TranslationEntry(_Record):
    url: str
    paper: str
    line: int
    title: str | None = None
    language: str = "zh"


@dataclass(frozen=True, slots=True)
class LinkEntry(_Record):
    url: str
    line: int
    title: str | None = None
    kind: str = "link"
    topics: tuple[TopicPath, ...] = ()
    paper: str | None = None
    lines: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class ParseWarning:
    line: int
    message: str


@dataclass(frozen=True)
class ParsedList:
    """What one list holds. A long list's papers, repositories, translations
    and links are ``Records`` read back from disk (see catalog.ingest.spill): iterate
    them, once or more; a short list's are tuples."""

    name: str
    title: str | None = None
    topics: tuple[TopicEntry, ...] = ()
    papers: Sequence[PaperEntry] = ()
    repositories: Sequence[RepositoryEntry] = ()
    translations: Sequence[TranslationEntry] = ()
    links: Sequence[LinkEntry] = ()
    warnings: tuple[ParseWarning, ...] = field(default=())


# --------------------------------------------------------------------------
# Reading bytes
# --------------------------------------------------------------------------


_BOM = b"\xef\xbb\xbf"
# UTF-32 first: its little-endian mark starts with UTF-16's.
_WIDE_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)
# A list's bytes are read, and checked, this many bytes (and the rest of a
# line) at a time.
READ_BLOCK = 1 << 20


def decode_list_bytes(data: bytes, *, name: str = "<input>") -> str:
    """Bytes of a list file -> text, or a ParseError naming the file (and line)."""
    check = _ByteCheck(name)
    check.block(data)
    check.finish()
    return data.decode("utf-8-sig")


class _ByteCheck:
    """Checks a list's bytes, block by block (each a whole number of lines),
    and raises the first problem in the order: empty, UTF-16 or UTF-32, NUL
    byte, not UTF-8, whichever block it is in."""

    def __init__(self, name: str):
        self.name = name
        self.offset = 0  # bytes before the current block
        self.newlines = 0  # lines before the current block
        self.blank = True
        self.nul: ParseError | None = None
        self.invalid: ParseError | None = None

    def block(self, data: bytes) -> str | None:
        """Check one block; its text, if it decodes."""
        if self.offset == 0:
            for bom, encoding in _WIDE_BOMS:
                if data.startswith(bom):
                    raise ParseError(
                        f"file is {encoding}; save it as UTF-8", name=self.name
                    )
        if self.blank and data.strip(b" \t\r\n\xef\xbb\xbf"):
            self.blank = False
        text = None
        nul = data.find(b"\x00")
        if nul != -1 and self.nul is None:
            self.nul = ParseError(
                f"binary file (NUL byte at offset {self.offset + nul})",
                name=self.name,
                line=self.newlines + data.count(b"\n", 0, nul) + 1,
            )
        skip = len(_BOM) if self.offset == 0 and data.startswith(_BOM) else 0
        try:
            text = data[skip:].decode("utf-8")
        except UnicodeDecodeError as exc:
            if self.invalid is None:
                at = skip + exc.start
                self.invalid = ParseError(
                    f"not UTF-8: invalid byte 0x{data[at]:02x} at offset "
                    f"{self.offset + at}",
                    name=self.name,
                    line=self.newlines + data.count(b"\n", 0, at) + 1,
                )
        self.offset += len(data)
        self.newlines += data.count(b"\n")
        return text

    def finish(self) -> None:
        if self.blank:
            raise ParseError("file is empty", name=self.name)
        for problem in (self.nul, self.invalid):
            if problem is not None:
                raise problem


@dataclass(frozen=True)
class ListFile:
    """A list's bytes, read once and checked by ``check_list_bytes``: the
    parser decodes them a section at a time, so the whole text is never in
    memory (a str can take four bytes a character)."""

    path: str  # where it was read from, "-" for standard input
    data: bytes = field(repr=False)
    sha256: str
    # Whether a reference definition ("[id]: url") may be written: such a
    # list is parsed in one piece (see _ListParser.run).
    references: bool

    @property
    def size(self) -> int:
        """Bytes."""
        return len(self.data)

    def lines(self) -> Iterator[str]:
        """The lines as the text's ``split("\\n")`` would give them: universal
        newlines (a CR LF or a lone CR ends a line too), no BOM."""
        stream = io.TextIOWrapper(
            io.BytesIO(self.data), encoding="utf-8-sig", newline=None
        )
        line = "\n"
        for line in stream:
            yield line[:-1] if line.endswith("\n") else line
        if line.endswith("\n"):
            yield ""


def check_list_bytes(data: bytes, *, path: str) -> ListFile:
    """Check a list's bytes a block at a time (the errors of
    ``decode_list_bytes``, naming ``path``) and take their SHA-256."""
    check = _ByteCheck(path)
    references = False
    tail = ""
    for block in _line_blocks(data):
        text = check.block(block)
        if text is not None and not references:
            text = _normalise(text)
            # With the end of the block before: a definition cut in two.
            references = bool(_REFERENCE_RE.search(tail + text))
            tail = text[-1000:]
    check.finish()
    return ListFile(path, data, hashlib.sha256(data).hexdigest(), references)


def _line_blocks(data: bytes) -> Iterator[bytes]:
    """READ_BLOCK bytes at a time and the rest of the line: each block
    decodes on its own (a character never spans two)."""
    start = 0
    while start < len(data):
        end = data.find(b"\n", start + READ_BLOCK)
        end = len(data) if end == -1 else end + 1
        yield data[start:end]
        start = end


def _normalise(text: str) -> str:
    """Line ends, zero-width characters and no-break spaces, as parsed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _ZERO_WIDTH_RE.sub("", text).replace("\u00a0", " ")


# --------------------------------------------------------------------------
# URLs: papers, repositories, everything else
# --------------------------------------------------------------------------

_ARXIV_ID = r"(?:\d{4}\.\d{4,5}|[a-z][a-z.-]*(?:\.[A-Z]{2})?/\d{7})"
_ARXIV_URL_RE = re.compile(
    rf"^https?://(?:[\w-]+\.)?arxiv\.org/(?:abs|pdf|html|format|ps)/+({_ARXIV_ID})"
    r"(v\d+)?",
    re.IGNORECASE,
)
_ARXIV_TEXT_RE = re.compile(
    rf"(?<![\w/.])arxiv\s*(?:preprint\s*)?(?:arxiv)?\s*[:：]?\s*({_ARXIV_ID})(v\d+)?"
    r"(?![\d])",
    re.IGNORECASE,
)
_PAPER_HOSTS = (
    "openreview.net/pdf",
    "papers.nips.cc",
    "proceedings.neurips.cc",
    "papers.neurips.cc",
    "proceedings.mlr.press",
    "jmlr.org/papers",
    "jmlr.org/proceedings",
    "openaccess.thecvf.com",
    "thecvf.com",
    "aclweb.org/anthology",
    "aclanthology.org",
    "aclanthology.info",
    "ieeexplore.ieee.org/document",
    "ieeexplore.ieee.org/abstract",
    "dl.acm.org/doi",
    "dl.acm.org/citation",
    "doi.org",
    "link.springer.com",
    "semanticscholar.org/paper",
    "ojs.aaai.org",
    "aaai.org/ojs",
    "ijcai.org/proceedings",
    "jair.org",
    "nature.com/articles",
    "science.org/doi",
    "openreview.net/attachment",
)
_REPO_HOSTS = {"github.com", "gitlab.com", "bitbucket.org"}
_NOT_OWNERS = frozenset(
    [
        "about",
        "apps",
        "blog",
        "collections",
        "contact",
        "customer-stories",
        "enterprise",
        "events",
        "explore",
        "features",
        "login",
        "join",
        "marketplace",
        "orgs",
        "pricing",
        "readme",
        "search",
        "security",
        "settings",
        "site",
        "sponsors",
        "topics",
        "trending",
        "users",
    ]
)


@dataclass(frozen=True)
class _Target:
    kind: str  # "paper" | "repository" | "other"
    key: str = ""
    arxiv_id: str | None = None
    host: str = ""
    owner: str = ""
    name: str = ""


def classify_url(url: str) -> _Target:
    """What a link points at: an arXiv or other paper, a repository, or other."""
    try:
        return _classify(url)
    except ValueError:  # "https://[paper": not a usable address
        return _Target("other")


def _classify(url: str) -> _Target:
    match = _ARXIV_URL_RE.match(url)
    if match:
        arxiv_id = match[1]
        return _Target("paper", f"arxiv:{arxiv_id}", arxiv_id=arxiv_id)
    split = urlsplit(url)
    host = (split.hostname or "").lower()
    bare_host = host.removeprefix("www.")
    if bare_host in _REPO_HOSTS:
        parts = [p for p in split.path.split("/") if p]
        if len(parts) >= 2 and parts[0].lower() not in _NOT_OWNERS:
            owner, name = parts[0], parts[1].removesuffix(".git")
            if name:
                key = f"{bare_host}/{owner}/{name}".lower()
                return _Target(
                    "repository", key, host=bare_host, owner=owner, name=name
                )
        return _Target("other")
    location = bare_host + split.path
    on_paper_host = any(
        location.startswith(h) or ("/" not in h and bare_host.endswith("." + h))
        for h in _PAPER_HOSTS
    )
    if on_paper_host or split.path.rstrip("/").lower().endswith(".pdf"):
        if bare_host == "openreview.net" and not split.path.startswith(
            ("/pdf", "/attachment")
        ):
            return _Target("other")
        return _Target("paper", "url:" + _url_key(url))
    return _Target("other")


def _url_key(url: str) -> str:
    split = urlsplit(url.strip())
    host = (split.hostname or "").lower()
    if split.port:
        host = f"{host}:{split.port}"
    rest = split.path
    if split.query:
        rest += "?" + split.query
    return (host + rest).rstrip("/")


def _arxiv_year(arxiv_id: str) -> int | None:
    digits = arxiv_id.split("/")[-1][:2]
    if not digits.isdigit():
        return None
    yy = int(digits)
    return 2000 + yy if yy < 90 else 1900 + yy


# --------------------------------------------------------------------------
# Markdown -> blocks
# --------------------------------------------------------------------------


# How deep markdown may nest: a list item takes two levels, a block quote,
# a link or an open bracket one. At its limit markdown-it drops the rest of
# the text without a word (ParserBlock.tokenize, ParserInline.skipToken), so
# reaching it fails the list instead. This is markdown-it's default preset's
# limit; its commonmark preset's 20 is ten levels of bullets.
MAX_NESTING = 100


class _TooDeep(Exception):
    """Nesting reached MAX_NESTING ``at`` a line (from 0) of the text parsed,
    or, raised by the inline parser, at an offset in its paragraph."""

    def __init__(self, at: int):
        super().__init__(at)
        self.at = at


def _markdown(*, references: bool) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "maxNesting": MAX_NESTING})
    md.enable("table")
    if not references:
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
            raise _TooDeep(line)
    tokenize(state, start, end)


def _tokenize_inline(tokenize, state) -> None:
    # Past the limit ParserInline.tokenize reads links as plain text.
    if state.level >= MAX_NESTING and state.pos < state.posMax:
        raise _TooDeep(state.pos)
    tokenize(state)


def _skip_token(skip_token, state) -> None:
    # Past the limit it skips to the end of the paragraph.
    if state.level >= MAX_NESTING and state.pos not in state.cache:
        raise _TooDeep(state.pos)
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
            except _TooDeep as exc:
                line = token.map[0] + token.content.count("\n", 0, exc.at)
                raise _TooDeep(line) from None


_MD = _markdown(references=False)
_MD_WITH_REFERENCES = _markdown(references=True)
_REFERENCE_RE = re.compile(r"^ {0,3}\[[^\]^][^\]]*\]:\s*\S", re.MULTILINE)

_ZERO_WIDTH_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\ufffc]")
_BARE_URL_RE = re.compile(r"https?://[^\s<>\"'\[\]（）【】，。；、]+", re.IGNORECASE)


@dataclass
class _Piece:
    kind: str  # "text" | "link" | "break"
    line: int
    text: str | None = ""
    url: str | None = None
    bold: bool = False
    italic: bool = False
    image: bool = False
    generic: bool = False  # link written without text of its own (<url>)


@dataclass
class _Para:
    pieces: list[_Piece]
    line: int  # 1-based first line
    end: int  # 1-based last line
    quote: bool = False


@dataclass
class _Heading:
    level: int
    pieces: list[_Piece]
    line: int


@dataclass
class _Item:
    line: int
    end: int
    children: list = field(default_factory=list)


@dataclass
class _List:
    items: list[_Item]


@dataclass
class _Row:
    cells: list[list[_Piece]]
    line: int


@dataclass
class _Table:
    header: list[str]
    rows: list[_Row]


@dataclass
class _Html:
    content: str
    line: int
    end: int


@dataclass
class _Rule:
    line: int


class _OpenLink:
    def __init__(self, url, line, autolink, bold):
        # "[LLM]([https://github.com/simonw/llm)": salvage the address.
        self.url = (url or "").strip().lstrip("[(<（").strip()
        self.line = line
        self.autolink = autolink
        self.bold = bold
        self.parts: list[str] = []
        self.image = False

    def finish(self) -> _Piece:
        text = "".join(self.parts).strip()
        return _Piece(
            "link",
            self.line,
            text=None if self.autolink else text,
            url=self.url,
            bold=self.bold,
            image=self.image and not text,
            generic=self.autolink,
        )


def _split_bare_urls(text, line, bold, italic) -> list[_Piece]:
    pieces = []
    pos = 0
    for match in _BARE_URL_RE.finditer(text):
        url = match.group().rstrip(".,;:!?*_")
        if url.endswith(")") and url.count("(") < url.count(")"):
            url = url.rstrip(")")
        if match.start() > pos:
            pieces.append(
                _Piece(
                    "text", line, text[pos : match.start()], bold=bold, italic=italic
                )
            )
        pieces.append(_Piece("link", line, text=None, url=url, generic=True))
        pos = match.start() + len(url)
    if pos < len(text):
        pieces.append(_Piece("text", line, text[pos:], bold=bold, italic=italic))
    return pieces


_HREF_RE = re.compile(r"""href\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)


def _inline_pieces(token, first_line: int) -> list[_Piece]:
    line = first_line
    pieces: list[_Piece] = []
    bold = italic = 0
    link: _OpenLink | None = None
    for child in token.children or ():
        kind = child.type
        if kind in ("softbreak", "hardbreak"):
            if link:
                link.parts.append(" ")
            else:
                pieces.append(_Piece("break", line))
            line += 1
        elif kind == "link_open":
            link = _OpenLink(
                # attrs directly: Token.attrGet is slow in markdown-it-py
                (child.attrs or {}).get("href") or "",
                line,
                child.markup == "autolink",
                bold > 0,
            )
        elif kind == "link_close":
            if link:
                pieces.append(link.finish())
            link = None
        elif kind == "image":
            if link:
                link.image = True
        elif kind in ("text", "code_inline"):
            if link:
                link.parts.append(child.content)
            else:
                pieces.extend(
                    _split_bare_urls(child.content, line, bold > 0, italic > 0)
                )
        elif kind == "strong_open":
            bold += 1
        elif kind == "strong_close":
            bold = max(0, bold - 1)
        elif kind == "em_open":
            italic += 1
        elif kind == "em_close":
            italic = max(0, italic - 1)
        elif kind == "html_inline":
            html = child.content.lower()
            if html.startswith("<br"):
                pieces.append(_Piece("break", line))
            elif html.startswith("<a ") and link is None:
                href = _HREF_RE.search(child.content)
                link = _OpenLink(href[1] if href else "", line, False, bold > 0)
            elif html.startswith("</a") and link:
                pieces.append(link.finish())
                link = None
    if link:  # unclosed <a>: keep what it wrote
        pieces.append(link.finish())
    return pieces


def _blocks(tokens, start: int = 0, until: str | None = None):
    """Token stream -> nested blocks; returns (blocks, index after ``until``)."""
    out: list = []
    i = start
    quote = 0
    while i < len(tokens):
        token = tokens[i]
        kind = token.type
        if until and kind == until:
            return out, i + 1
        if kind == "heading_open":
            inline = tokens[i + 1]
            out.append(
                _Heading(
                    int(token.tag[1]),
                    _inline_pieces(inline, token.map[0] + 1),
                    token.map[0] + 1,
                )
            )
            i += 3
        elif kind == "paragraph_open":
            inline = tokens[i + 1]
            out.append(
                _Para(
                    _inline_pieces(inline, token.map[0] + 1),
                    token.map[0] + 1,
                    token.map[1],
                    quote=quote > 0,
                )
            )
            i += 3
        elif kind in ("bullet_list_open", "ordered_list_open"):
            items = []
            i += 1
            while tokens[i].type == "list_item_open":
                item_token = tokens[i]
                children, i = _blocks(tokens, i + 1, "list_item_close")
                items.append(_Item(item_token.map[0] + 1, item_token.map[1], children))
            out.append(_List(items))
            i += 1  # list close
        elif kind == "blockquote_open":
            quote += 1
            i += 1
        elif kind == "blockquote_close":
            quote -= 1
            i += 1
        elif kind == "table_open":
            i, table = _table(tokens, i)
            out.append(table)
        elif kind == "html_block":
            out.append(_Html(token.content, token.map[0] + 1, token.map[1]))
            i += 1
        elif kind == "hr":
            out.append(_Rule(token.map[0] + 1))
            i += 1
        else:  # fences, code blocks, stray closes
            i += 1
    return out, i


def _table(tokens, i):
    header: list[str] = []
    rows: list[_Row] = []
    in_head = False
    cells: list[list[_Piece]] = []
    row_line = 0
    while tokens[i].type != "table_close":
        token = tokens[i]
        if token.type == "thead_open":
            in_head = True
        elif token.type == "thead_close":
            in_head = False
        elif token.type == "tr_open":
            cells = []
            row_line = token.map[0] + 1 if token.map else row_line
        elif token.type == "inline":
            cells.append(_inline_pieces(token, row_line))
        elif token.type == "tr_close":
            if in_head:
                header = [_plain(c).strip().lower() for c in cells]
            else:
                rows.append(_Row(cells, row_line))
        i += 1
    return i + 1, _Table(header, rows)


def _plain(pieces, *, links: bool = True) -> str:
    out = []
    for p in pieces:
        if p.kind == "text":
            out.append(p.text)
        elif p.kind == "break":
            out.append("\n")
        elif links and p.text:
            out.append(p.text)
    return "".join(out)


class _HtmlLinks(HTMLParser):
    """<a href> links of an HTML block, each with its text and line."""

    def __init__(self, first_line):
        super().__init__(convert_charrefs=True)
        self.first_line = first_line
        self.links: list[_Piece] = []
        self.text: list[_Piece] = []
        self._open: _OpenLink | None = None

    def handle_starttag(self, tag, attrs):
        line = self.first_line + self.getpos()[0] - 1
        if tag == "a":
            href = dict(attrs).get("href") or ""
            self._open = _OpenLink(href, line, False, False)
        elif tag == "img" and self._open:
            self._open.image = True

    def handle_endtag(self, tag):
        if tag == "a" and self._open:
            self.links.append(self._open.finish())
            self._open = None

    def handle_data(self, data):
        line = self.first_line + self.getpos()[0] - 1
        if self._open:
            self._open.parts.append(data)
        elif data.strip():
            self.text.extend(_split_bare_urls(data, line, False, False))


# --------------------------------------------------------------------------
# Text helpers
# --------------------------------------------------------------------------

_NUMBERING_RE = re.compile(
    r"^\s*(?:\d+(?:\.\d+)*\.?|[一二三四五六七八九十百]+\s*[.、．]|[IVX]+\.)\s+(?=\S)"
)
_SUFFIX_RE = re.compile(r"\s*[-–—]\s*([^\s\d\-–—][^\s]*?)?((?:19|20)\d\d)\s*$")
_DATE_RE = re.compile(
    r"(?<![\d.])((?:19|20)\d\d)[-/.](\d{1,2})(?:[-/.](\d{1,2}))?(?![\d])"
)
_YEAR_IN_PARENS_RE = re.compile(r"[(（,，]\s*((?:19|20)\d\d)\s*[)）.,]")
_YEAR_ALONE_RE = re.compile(r"^\s*\(?\s*((?:19|20)\d\d)\s*\)?\s*$")
_SHORT_NAME_RE = re.compile(r"^\s*([^:：\s][^:：]{0,40}?)\s*[:：]\s*$")
_ALIAS_RE = re.compile(r"^\s*\[([^\[\]]{1,40})\]\s*$")
_GENERIC_TEXT_RE = re.compile(
    r"^(?:paper|papers|pdf|arxiv|abs|link|links|here|full ?text|doi|url|download"
    r"|html|论文|原文|paper link|paper version \d+|paper-\w+|pdf-\w+|thesis|report"
    r"|\d+|\.|project|home ?page|web|website|preprint)$",
    re.IGNORECASE,
)
_HR_RE = re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$")
_LIST_MARKER_RE = re.compile(r"^\s*(?:>\s*)*(?:[-*+]|\d+[.)])\s+")
_QUOTE_RE = re.compile(r"^\s*(?:>\s?)+")
_GROUP_LABELS = frozenset(
    {
        "arxiv",
        "journal",
        "journals",
        "conference",
        "conferences",
        "preprint",
        "preprints",
    }
)
_CODE_KINDS = frozenset(
    {"code", "codes", "代码", "github", "implementation", "implementations"}
)


def _clean(text: str) -> str:
    # str.split() and the re module agree on what whitespace is.
    return " ".join(text.split())


def _is_generic(text: str | None, url: str) -> bool:
    if not text:
        return True
    label = _clean(text).strip(" []()`【】*_:：")
    if len(label) > 40:  # a title, not a label ("pdf", "[CVPR2018 Oral]")
        return False
    if not label or label == url or label.startswith(("http://", "https://")):
        return True
    if _GENERIC_TEXT_RE.match(label):
        return True
    if _DATE_RE.search(label) and len(_DATE_RE.sub("", label).strip(" ,-")) <= 8:
        return True
    venue, _ = vocabulary.find_venue(label)
    return bool(venue) and len(vocabulary.VENUE_RE.sub("", label).strip()) <= 10


def _split_suffix(title: str) -> tuple[str, str | None, int | None]:
    """ "Title - Salesforce2017" -> ("Title", "Salesforce", 2017)."""
    match = _SUFFIX_RE.search(title)
    if not match or not title[: match.start()].strip():
        return title.strip(), None, None
    year = int(match[2])
    if not vocabulary.sane_year(year):
        return title.strip(), None, None
    return title[: match.start()].strip(), match[1] or None, year


def _find_date(text: str) -> tuple[datetime.date | None, int | None]:
    for match in _DATE_RE.finditer(text):
        year, month = int(match[1]), int(match[2])
        if not vocabulary.sane_year(year) or not 1 <= month <= 12:
            continue
        if match[3]:
            try:
                return datetime.date(year, month, int(match[3])), year
            except ValueError:
                continue
        return None, year
    return None, None


# --------------------------------------------------------------------------
# Entries
# --------------------------------------------------------------------------


@dataclass
class _Context:
    topic: TopicPath
    kind: str | None  # normalised kind heading ("code", "article"...)
    year: int | None
    venue: str | None
    venue_year: int | None


@dataclass
class _Entry:
    line: int
    head: list[_Piece]
    context: _Context
    rest: list[_Piece] = field(default_factory=list)
    lines: set[int] = field(default_factory=set)
    columns: dict[str, str] = field(default_factory=dict)

    def links(self):
        return [p for p in (*self.head, *self.rest) if p.kind == "link"]


_FRONT_TITLE_RE = re.compile(r"^title\s*:\s*(.*)$")
_TIGHT_HEADING_RE = re.compile(r"^(\s{0,3}#{1,6})(?=[^\s#])")
_HASHTAG_RE = re.compile(r"^\s{0,3}#+[A-Za-z_-]+$")
_TIGHT_ITEM_RE = re.compile(r"^(\s*\d{1,3}\.)(?=\[)")
_KEY_VALUE_RE = re.compile(r"^\s*[\w .-]{1,20}\s*[:：]")
_FRAMEWORK_SUFFIX_RE = re.compile(r"^(?:[(（]([^)）]{1,40})[)）]|-\s*([\w-]{1,20}))")
_YEAR_RE = re.compile(r"(?:19|20)\d\d")
_NUMBER_LABEL_RE = re.compile(r"^\[?\d+\]?$")
_QUOTED_RE = re.compile(r"[\"“]([^\"”]{8,})[\"”]")
_LINE_NUMBERING_RE = re.compile(r"^\s*(?:\[\d+\]|\(\d{4}-\d{2}\)|:\w+:|\d+[.)])\s*")
_LINE_DATE_RE = re.compile(r"\*?\d{4}-\d{1,2}(-\d{1,2})?\*?")
_LINE_LABEL_RE = re.compile(r"^\s*\[[^\]]{1,40}\]\s*")
_COLUMN_SPLIT_RE = re.compile(r"\s+\|\s+|\s\|$|^\|\s")
_NAME_PREFIX_RE = re.compile(r"^(?:\d+[.)]|【[^】]*】)\s*")


# Sharing a long list's sections with a worker (``parse_reading_list(pool=)``):
# this process tokenizes one section in SHARE_LOCAL, and keeps at most
# SHARE_AHEAD sections submitted or waiting ahead of the one it walks. The
# walk (and spilling records) keeps this process the busier one: the
# 100,000-entry bench list parses in 9.5-10.1 s with 16, 10.1 with 8, 11.5
# with 4.
SHARE_LOCAL = 16
SHARE_AHEAD = 8


def _section_blocks(references: bool, offset: int, section: str) -> list:
    """The blocks of one section of a list, its lines counted from ``offset``
    (runs in a worker process too: it needs no parser state)."""
    parser = _MD_WITH_REFERENCES if references else _MD
    try:
        tokens = parser.parse(section)
    except _TooDeep as exc:
        raise _TooDeep(offset + exc.at) from None
    if offset:
        for token in tokens:
            if token.map:
                token.map = [token.map[0] + offset, token.map[1] + offset]
    blocks, _ = _blocks(tokens)
    return blocks


# Lines per section: a long list is tokenized a section at a time.
SECTION_LINES = 2000


class _ListParser:
    def __init__(self, name: str, *, section_lines: int | None = None):
        self.name = name
        self.section_lines = section_lines or SECTION_LINES
        self.title: str | None = None
        # The lines of the section being walked, from line section_start + 1.
        self.section_start = 0
        self.section: list[str] = []
        self.warnings: dict[ParseWarning, None] = {}  # ordered, no repeats
        self.topics: dict[TopicPath, TopicEntry] = {}
        self.topic_has_entries: set[TopicPath] = set()
        self.descriptions: dict[TopicPath, list[str]] = {}
        self.stack: list[tuple[int, str, str | None]] = []  # (level, kind, value)
        self.kind: str | None = None
        self.heading_level = 0
        # The records, by key, until the list is written: past a few thousand
        # they wait on disk, so memory stays flat in the list's length. A
        # paper met again is merged into its record.
        self.papers: SpillDict = SpillDict()
        self.repos: SpillDict = SpillDict()  # key -> dict, set again when changed
        self.translations: SpillDict = SpillDict()
        self.links: SpillDict = SpillDict()  # url -> dict, set again when changed
        # Per topic: its first paper and how many papers (counted up to 2).
        self.topic_papers: dict[TopicPath, tuple[str, int]] = {}
        # Repositories written under a "code" heading of a topic that had one
        # paper so far: (repository key, topic, that paper).
        self.code_repos: list[tuple[str, TopicPath, str]] = []
        self.shared: dict = {}  # see share()

    # -- pre-pass -----------------------------------------------------------

    def _prepare(self, lines: Iterable[str]) -> Iterator[str]:
        """The lines with front matter blanked (its title kept), kramdown
        attribute lines dropped and tight headings and items mended."""
        lines = iter(lines)
        head = [_normalise(line) for _, line in zip(range(200), lines, strict=False)]
        if head and head[0].strip() == "---":
            for end in range(1, len(head)):
                if head[end].strip() in ("---", "..."):
                    for i in range(end + 1):
                        match = _FRONT_TITLE_RE.match(head[i])
                        if match and self.title is None:
                            self.title = match[1].strip().strip("'\"").strip() or None
                        head[i] = ""
                    break
        for line in head:
            yield self._mend(line)
        for line in lines:
            yield self._mend(_normalise(line))

    @staticmethod
    def _mend(line: str) -> str:
        stripped = line.strip()
        if stripped.startswith("{:") and stripped.endswith("}"):
            return ""
        if "#" in line and (
            _TIGHT_HEADING_RE.match(line) and not _HASHTAG_RE.match(line)
        ):
            # "#2 Deep Learning": clearly meant as a heading.
            return _TIGHT_HEADING_RE.sub(r"\1 ", line, count=1)
        if ".[" in line and _TIGHT_ITEM_RE.match(line):
            return _TIGHT_ITEM_RE.sub(r"\1 ", line, count=1)
        return line

    def line(self, number: int) -> str:
        """Line ``number`` (from 1) of the section being walked, or ""."""
        index = number - 1 - self.section_start
        return self.section[index] if 0 <= index < len(self.section) else ""

    def share(self, value):
        """One object for equal values: a long list repeats its topic paths,
        years and venues on most entries, and the records live until written.
        Only for strings, numbers, dates and tuples of them (no bools)."""
        return self.shared.setdefault(value, value)

    # -- context ------------------------------------------------------------

    def context(self) -> _Context:
        topic = self.share(tuple(v for _, k, v in self.stack if k == "topic"))
        year = venue = venue_year = None
        for _, k, v in self.stack:
            if k == "year":
                year = v
            elif k == "venue":
                venue, venue_year = v
                year = venue_year or year
        return _Context(topic, self.kind, year, venue, venue_year)

    def heading(self, node: _Heading):
        text = _clean(_plain([p for p in node.pieces if not p.image]))
        text = text.rstrip(" :：")
        if not text or set(text) <= set("-=#*_ "):
            return
        self.kind = None
        self.heading_level = node.level
        while self.stack and self.stack[-1][0] >= node.level:
            self.stack.pop()
        kind = vocabulary.heading_kind(text)
        if kind is not None:
            self.kind = vocabulary.normalise_label(text).split(" ")[0]
            return
        year = _YEAR_ALONE_RE.match(text)
        if year and vocabulary.sane_year(int(year[1])):
            self.stack.append((node.level, "year", int(year[1])))
            return
        venue, venue_year = vocabulary.find_venue(text)
        if venue and len(vocabulary.VENUE_RE.sub("", text).strip()) <= 3:
            self.stack.append((node.level, "venue", (venue, venue_year)))
            return
        name = _NUMBERING_RE.sub("", text).strip() or text
        self.stack.append((node.level, "topic", name))
        path = tuple(v for _, k, v in self.stack if k == "topic")
        for depth in range(1, len(path) + 1):
            prefix = path[:depth]
            if prefix not in self.topics:
                self.topics[prefix] = TopicEntry(prefix, node.line)

    def pseudo_heading(self, para: _Para) -> bool:
        """A bold or italic paragraph alone: "**ECCV**", "*(2016)*", "**Journal**"."""
        texts = [p for p in para.pieces if p.kind == "text" and p.text.strip()]
        if not texts or any(p.kind == "link" for p in para.pieces):
            return False
        if not all(p.bold or p.italic for p in texts):
            return False
        text = _clean(_plain(para.pieces))
        if len(text) > 40:
            return False
        # Below the last real heading, replacing an earlier pseudo-heading.
        level = self.heading_level + 0.5
        while self.stack and self.stack[-1][0] >= level:
            self.stack.pop()
        year = _YEAR_ALONE_RE.match(text)
        if year and vocabulary.sane_year(int(year[1])):
            self.stack.append((level, "year", int(year[1])))
            return True
        venue, venue_year = vocabulary.find_venue(text)
        if venue:
            self.stack.append((level, "venue", (venue, venue_year)))
            return True
        return vocabulary.normalise_label(text) in _GROUP_LABELS

    # -- walking ------------------------------------------------------------

    def run(self, lines: Iterable[str], *, references: bool, pool=None) -> ParsedList:
        """Parse the list's lines. Reference definitions ("[id]: url") are
        rare in reading lists and the rule that looks for them is costly: it
        runs only when ``references`` says one may be written, and as they can
        be used anywhere, such a list is parsed in one piece. Any other list
        is tokenized and walked a section at a time: memory follows the
        section's size, not the list's."""
        lines = self._prepare(lines)
        if references:
            sections = iter([(0, list(lines))])
        else:
            sections = _sections(lines, self.section_lines)
        if pool is None:
            for start, section in sections:
                self._walk_section(start, section, references)
        else:
            self._walk_shared(pool, references, sections)
        self.section = []
        return self.result()

    def _walk_section(self, start, section, references, blocks=None) -> None:
        self.section_start, self.section = start, section
        if blocks is None:
            blocks = _section_blocks(references, start, "\n".join(section))
        self.walk(blocks)

    def _walk_shared(self, pool, references, sections) -> None:
        """Walk the sections in order while ``pool`` turns most of them into
        blocks: markdown-it and ``_blocks`` are two thirds of the parse and
        need no state, the walk needs the order. This process takes one
        section in SHARE_LOCAL (it also unpickles and walks the others), and
        stays at most SHARE_AHEAD sections ahead of its walk."""
        pending: deque = deque()
        for number, (start, section) in enumerate(sections):
            future = None
            if number % SHARE_LOCAL:
                future = pool.submit(
                    _section_blocks, references, start, "\n".join(section)
                )
            pending.append((start, section, future))
            while len(pending) > SHARE_AHEAD:
                self._walk_pending(pending.popleft(), references)
        while pending:
            self._walk_pending(pending.popleft(), references)

    def _walk_pending(self, item, references) -> None:
        start, section, future = item
        blocks = None if future is None else future.result()
        self._walk_section(start, section, references, blocks)

    def walk(self, blocks):
        open_entry: _Entry | None = None
        i = 0
        while i < len(blocks):
            node = blocks[i]
            if isinstance(node, _Heading):
                open_entry = self.close(open_entry)
                self.heading(node)
            elif isinstance(node, _Para):
                has_links = any(self.usable(p) for p in node.pieces)
                nxt = blocks[i + 1] if i + 1 < len(blocks) else None
                if (
                    not has_links
                    and isinstance(nxt, _List)
                    and self.bold_title(node)
                    and self.key_value_list(nxt)
                ):
                    open_entry = self.close(open_entry)
                    entry = self.new_entry(node.pieces, node.line)
                    entry.lines.update(range(node.line, node.end + 1))
                    for item in nxt.items:
                        for child in item.children:
                            self.absorb(entry, child)
                    self.emit(entry)
                    i += 2
                    continue
                if not has_links and self.pseudo_heading(node):
                    open_entry = self.close(open_entry)
                elif self.starts_entry(node, open_entry):
                    open_entry = self.close(open_entry)
                    open_entry = self.new_entry(node.pieces, node.line)
                    open_entry.lines.update(range(node.line, node.end + 1))
                elif open_entry is not None:
                    self.absorb(open_entry, node)
                else:
                    self.prose(node)
            elif isinstance(node, _List):
                open_entry = self.close(open_entry)
                for item in node.items:
                    self.item(item)
            elif isinstance(node, _Table):
                open_entry = self.close(open_entry)
                self.table(node)
            elif isinstance(node, _Html):
                if not node.content.lstrip().startswith("<!--"):
                    html_entry = self.html(node)
                    if html_entry is not None:
                        open_entry = self.close(open_entry)
                        self.emit(html_entry)
            elif isinstance(node, _Rule):
                open_entry = self.close(open_entry)
            i += 1
        self.close(open_entry)

    def close(self, entry):
        if entry is not None:
            self.emit(entry)
        return None

    def usable(self, piece: _Piece) -> bool:
        if piece.kind != "link" or piece.image:
            return False
        url = (piece.url or "").strip()
        if is_web_url(url):
            return True
        if piece.text is not None and not url:
            self.warn(piece.line, f"link {piece.text!r} has no target")
        elif url and not url.startswith(("#", "mailto:")):
            self.warn(piece.line, f"link {url!r} is not an http(s) address; skipped")
        return False

    def warn(self, line, message):
        self.warnings[ParseWarning(line, message)] = None

    def starts_entry(self, para: _Para, open_entry) -> bool:
        links = [
            p
            for p in para.pieces
            if p.kind == "link"
            and not p.image
            and (p.url or "").lower().startswith(("http://", "https://"))
        ]
        if not links and not _ARXIV_TEXT_RE.search(_plain(para.pieces, links=False)):
            return False
        if open_entry is None:
            return True
        return any(classify_url(p.url).kind == "paper" for p in links) or bool(
            _ARXIV_TEXT_RE.search(_plain(para.pieces, links=False))
        )

    @staticmethod
    def bold_title(para: _Para) -> bool:
        texts = [p for p in para.pieces if p.kind == "text" and p.text.strip()]
        return bool(texts) and all(p.bold for p in texts)

    def key_value_list(self, node: _List) -> bool:
        for item in node.items:
            head = (
                item.children[0]
                if item.children and isinstance(item.children[0], _Para)
                else None
            )
            if head is None:
                return False
            text = _plain(head.pieces, links=False)
            if not _KEY_VALUE_RE.match(text):
                return False
        return True

    def new_entry(self, head, line) -> _Entry:
        return _Entry(line=line, head=list(head), context=self.context())

    def absorb(self, entry: _Entry, node):
        """Add a paragraph, list or HTML block to an entry as continuation."""
        if isinstance(node, _Para):
            entry.rest.append(_Piece("break", node.line))
            entry.rest.extend(node.pieces)
            entry.lines.update(range(node.line, node.end + 1))
        elif isinstance(node, _List):
            for item in node.items:
                for child in item.children:
                    self.absorb(entry, child)
        elif isinstance(node, _Html) and not node.content.lstrip().startswith("<!--"):
            parser = _HtmlLinks(node.line)
            parser.feed(node.content)
            entry.rest.extend(parser.text + parser.links)
        elif isinstance(node, _Table):
            for row in node.rows:
                for cell in row.cells:
                    entry.rest.extend(cell)

    def prose(self, para: _Para):
        topic = self.context().topic
        if topic and topic not in self.topic_has_entries:
            text = "\n".join(
                _QUOTE_RE.sub("", self.line(n)).strip()
                for n in range(para.line, para.end + 1)
            ).strip()
            if text:
                self.descriptions.setdefault(topic, []).append(text)

    def item(self, item: _Item):
        children = item.children
        head = children[0] if children and isinstance(children[0], _Para) else None
        entry = self.new_entry(head.pieces if head else [], item.line)
        if head:
            entry.lines.update(range(head.line, head.end + 1))
        separate: list[_Item] = []
        for child in children[1 if head else 0 :]:
            if isinstance(child, _List):
                has_paper = self.has_paper(entry.head)
                for sub in child.items:
                    sub_head = (
                        sub.children[0].pieces
                        if sub.children and isinstance(sub.children[0], _Para)
                        else []
                    )
                    if not has_paper or self.has_paper(sub_head):
                        separate.append(sub)
                    else:
                        entry.lines.update(range(sub.line, sub.end + 1))
                        for grandchild in sub.children:
                            self.absorb(entry, grandchild)
            elif isinstance(child, _Heading):
                self.heading(child)
            else:
                self.absorb(entry, child)
        self.emit(entry)
        for sub in separate:
            self.item(sub)

    def has_paper(self, pieces) -> bool:
        for p in pieces:
            if (
                p.kind == "link"
                and not p.image
                and (p.url or "").lower().startswith("http")
                and classify_url(p.url).kind == "paper"
            ):
                return True
        return bool(_ARXIV_TEXT_RE.search(_plain(pieces, links=False)))

    def table(self, table: _Table):
        columns = {}
        names = {
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
        for index, header in enumerate(table.header):
            for role, words in names.items():
                if role not in columns and header in words:
                    columns[role] = index
        for row in table.rows:
            head: list[_Piece] = []
            for n, cell in enumerate(row.cells):
                if n:
                    head.append(_Piece("text", row.line, " | "))
                head.extend(cell)
            if not any(self.usable(p) for p in head):
                continue
            entry = self.new_entry(head, row.line)
            entry.lines.add(row.line)
            for role, index in columns.items():
                if index < len(row.cells):
                    entry.columns[role] = _clean(_plain(row.cells[index]))
            self.emit(entry)

    def html(self, node: _Html) -> _Entry | None:
        parser = _HtmlLinks(node.line)
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
        entry = self.new_entry(pieces, node.line)
        return entry

    # -- one entry -> records ----------------------------------------------

    def emit(self, entry: _Entry):
        context = entry.context
        topic = context.topic
        if topic:
            self.topic_has_entries.add(topic)
        links = [p for p in entry.links() if self.usable(p)]
        meta_pieces = [p for p in entry.head if p.kind != "link"]
        meta_text = _plain(meta_pieces, links=False)
        generic_texts = [p.text for p in links if p.text and _is_generic(p.text, p.url)]
        meta = meta_text + " " + " ".join(generic_texts)
        head_text_all = (
            _plain(entry.head, links=False) + " " + _plain(entry.rest, links=False)
        )

        targets = [(p, classify_url(p.url)) for p in links]
        paper_links = [(p, t) for p, t in targets if t.kind == "paper"]
        text_ids = [m[1] for m in _ARXIV_TEXT_RE.finditer(head_text_all)]

        primary_key = None
        if paper_links or text_ids:
            primary_key = self.paper_records(entry, paper_links, text_ids, meta)
        kind_label = context.kind
        heading_link_kind = (
            vocabulary.KIND_HEADINGS.get(kind_label or "", None) or "link"
        )
        prefix_of = self.prefixes(entry)
        seen_urls = {p.url for p, _ in paper_links}
        for piece, target in targets:
            if target.kind == "paper":
                continue
            if piece.url in seen_urls:
                continue
            seen_urls.add(piece.url)
            label = vocabulary.normalise_label(prefix_of.get(id(piece), ""))
            if target.kind == "repository":
                self.repository(
                    piece, target, entry, primary_key, prefix_of.get(id(piece), "")
                )
                continue
            text_label = vocabulary.normalise_label(piece.text or "")
            if primary_key and (
                label in vocabulary.TRANSLATION_LABELS
                or text_label in vocabulary.TRANSLATION_LABELS
            ):
                if piece.url not in self.translations:
                    self.translations[piece.url] = TranslationEntry(
                        url=piece.url,
                        paper=primary_key,
                        line=piece.line,
                        title=piece.text,
                    )
                continue
            kind = vocabulary.LABEL_KINDS.get(label) or heading_link_kind
            record = self.links.get(piece.url)
            if record is None:
                self.links[piece.url] = {
                    "url": piece.url,
                    "line": piece.line,
                    "title": piece.text or None,
                    "kind": kind,
                    "topics": [topic] if topic else [],
                    "paper": primary_key,
                    "lines": [piece.line],
                }
            else:
                if topic and topic not in record["topics"]:
                    record["topics"].append(topic)
                record["lines"].append(piece.line)
                record["paper"] = record["paper"] or primary_key
                self.links[piece.url] = record

    def prefixes(self, entry: _Entry) -> dict[int, str]:
        """For each link: the text just before it on its line (its label)."""
        out = {}
        buffer: list[str] = []
        for piece in (*entry.head, _Piece("break", 0), *entry.rest):
            if piece.kind == "break":
                buffer = []
            elif piece.kind == "text":
                buffer.append(piece.text)
            else:
                out[id(piece)] = "".join(buffer)
                buffer = []
        return out

    def suffix_of(self, entry: _Entry, target_piece) -> str:
        pieces = [*entry.head, _Piece("break", 0), *entry.rest]
        for n, piece in enumerate(pieces):
            if piece is target_piece:
                after = []
                for nxt in pieces[n + 1 :]:
                    if nxt.kind != "text":
                        break
                    after.append(nxt.text)
                return "".join(after)
        return ""

    def repository(self, piece, target, entry, primary_key, prefix):
        topic = entry.context.topic
        framework = None
        if piece.text and not piece.generic:
            framework = vocabulary.find_framework(piece.text)
        if framework is None:
            suffix = self.suffix_of(entry, piece).strip()
            match = _FRAMEWORK_SUFFIX_RE.match(suffix)
            if match:
                framework = vocabulary.find_framework(match[1] or match[2] or "")
        if framework is None:
            words = prefix.strip().split()
            if len(words) == 1:
                framework = vocabulary.find_framework(words[0])
        record = self.repos.get(target.key)
        if record is None:
            record = self.repos[target.key] = {
                "key": target.key,
                "host": target.host,
                "owner": target.owner,
                "name": target.name,
                "url": piece.url,
                "line": piece.line,
                "framework": framework,
                "topics": [],
                "papers": [],
                "lines": [],
            }
        record["framework"] = record["framework"] or framework
        if topic and topic not in record["topics"]:
            record["topics"].append(topic)
        record["lines"].append(piece.line)
        if primary_key:
            if primary_key not in record["papers"]:
                record["papers"].append(primary_key)
        elif entry.context.kind in _CODE_KINDS and topic:
            # Code for the topic's one paper, if it keeps only one (result()).
            first, count = self.topic_papers.get(topic, (None, 0))
            if count == 1:
                self.code_repos.append((target.key, topic, first))
        self.repos[target.key] = record

    def paper_records(self, entry, paper_links, text_ids, meta) -> str:
        context = entry.context
        topic = context.topic
        keys: dict[str, list] = {}
        for piece, target in paper_links:
            keys.setdefault(target.key, []).append((piece, target))
        head_ids = {id(p) for p in entry.head}
        primary_piece, primary_target = None, None
        for piece, target in paper_links:
            if id(piece) in head_ids:
                primary_piece, primary_target = piece, target
                break
        if primary_piece is None and paper_links:
            primary_piece, primary_target = paper_links[0]
        text_id = text_ids[0] if text_ids else None
        if primary_piece is None:
            url = f"https://arxiv.org/abs/{text_id}"
            primary_target = _Target("paper", f"arxiv:{text_id}", arxiv_id=text_id)
            primary_piece = _Piece("link", entry.line, text=None, url=url, generic=True)
            keys[primary_target.key] = [(primary_piece, primary_target)]
        elif primary_target.arxiv_id is None and len(set(text_ids)) == 1:
            # "... arXiv:1506.02640 [[pdf]](washington.edu/...)": one paper.
            old = primary_target.key
            primary_target = _Target("paper", f"arxiv:{text_id}", arxiv_id=text_id)
            keys[primary_target.key] = keys.pop(old)
        primary_key = primary_target.key

        for key, occurrences in keys.items():
            piece, target = occurrences[0]
            is_primary = key == primary_key
            title, organisation, suffix_year = self.title_of(entry, piece)
            date, date_year = _find_date(meta) if is_primary else (None, None)
            venue, venue_year = (None, None)
            if is_primary:
                venue, venue_year = vocabulary.find_venue(meta)
                if venue is None and entry.columns.get("venue"):
                    venue, venue_year = vocabulary.find_venue(entry.columns["venue"])
                if venue is None and context.venue:
                    venue, venue_year = context.venue, context.venue_year
                if entry.columns.get("organisation") and not organisation:
                    organisation = entry.columns["organisation"] or None
            paren_year = None
            if is_primary:
                match = _YEAR_IN_PARENS_RE.search(meta)
                paren_year = int(match[1]) if match else None
                if entry.columns.get("year"):
                    _, column_year = _find_date(entry.columns["year"])
                    year_match = _YEAR_RE.search(entry.columns["year"])
                    paren_year = column_year or (
                        int(year_match[0]) if year_match else paren_year
                    )
            arxiv_id = target.arxiv_id if key == target.key else primary_target.arxiv_id
            year = (
                suffix_year
                or date_year
                or venue_year
                or paren_year
                or (context.year if is_primary else None)
                or (_arxiv_year(arxiv_id) if arxiv_id else None)
            )
            if year is not None and not vocabulary.sane_year(year):
                year = None
            short_name = self.short_name(entry, piece) if is_primary else None
            alt = [p.url for p, _ in occurrences[1:] if p.url != piece.url]
            # Provenance: the entry's written lines (blank ones say nothing).
            lines = sorted(
                n
                for n in entry.lines or {entry.line}
                if n == entry.line or self.line(n).strip()
            )
            notes = self.notes(entry) if is_primary else None
            paper = {
                "key": key,
                "title": title,
                "url": piece.url,
                "line": entry.line,
                "short_name": short_name,
                "arxiv_id": arxiv_id,
                "year": year,
                "date": date,
                "venue": venue,
                "venue_year": venue_year if venue else None,
                "organisation": organisation,
                "notes": notes,
            }
            known = self.papers.get(key)
            if known is None:
                alt_urls, topics, paper_lines = [], [], []
            else:
                paper = _merge_paper(known, paper)
                alt_urls = list(known.alt_urls)
                topics = list(known.topics)
                paper_lines = list(known.lines)
            for url in [piece.url, *alt]:
                if url != paper["url"] and url not in alt_urls:
                    alt_urls.append(url)
            if topic and topic not in topics:
                topics.append(topic)
            paper_lines.extend(n for n in lines if n not in paper_lines)
            for attr in ("year", "date", "venue", "venue_year", "organisation"):
                paper[attr] = self.share(paper[attr])
            self.papers[key] = PaperEntry(
                **paper,
                alt_urls=tuple(alt_urls),
                topics=self.share(tuple(topics)),
                lines=tuple(paper_lines),
            )
            if topic:
                first, count = self.topic_papers.get(topic, (key, 0))
                if count == 0 or (count == 1 and key != first):
                    self.topic_papers[topic] = (first, count + 1)
        return primary_key

    def title_of(self, entry, piece):
        """(title, organisation, year): the link text with its "- Org2017"
        suffix split off, or the entry's own title when the link says "pdf"."""
        if not _is_generic(piece.text, piece.url):
            return _split_suffix(_clean(piece.text))
        return self.fallback_title(entry) or _clean(piece.text or piece.url), None, None

    def fallback_title(self, entry: _Entry) -> str | None:
        if entry.columns.get("title"):
            return entry.columns["title"]
        bold = []
        current = []
        for piece in entry.head:
            if piece.kind == "text" and piece.bold:
                current.append(piece.text)
            elif current:
                bold.append("".join(current))
                current = []
        if current:
            bold.append("".join(current))
        for text in bold:
            text = _clean(text).strip("\"“”'「」 ")
            if not text or _ALIAS_RE.match(text) or _NUMBER_LABEL_RE.match(text):
                continue
            if (
                text.endswith((":", "："))
                or vocabulary.find_venue(text)[0]
                and len(text) < 16
            ):
                continue
            if len(text) >= 8:
                return text.rstrip(".。").strip()
        before = []
        for piece in entry.head:
            if piece.kind == "link":
                break
            before.append(piece)
        text = _plain(before, links=False)
        quoted = _QUOTED_RE.search(text)
        if quoted:
            return _clean(quoted[1]).rstrip(".,，。")
        for line in text.split("\n"):
            line = _LINE_NUMBERING_RE.sub("", line)
            line = _LINE_DATE_RE.sub("", line)
            line = _LINE_LABEL_RE.sub("", line)
            parts = [_clean(p) for p in _COLUMN_SPLIT_RE.split(line)]
            parts = [p.strip(" [(（-–,:：|") for p in parts]
            parts = [p for p in parts if len(p) >= 4 and not _is_generic(p, "")]
            if parts:
                return max(parts, key=len).rstrip(".,，。")
        return None

    def short_name(self, entry, piece) -> str | None:
        before = []
        for p in entry.head:
            if p is piece:
                break
            if p.kind == "break":
                before = []
            elif p.kind == "link":
                return None
            else:
                before.append(p)
        else:
            return None
        text = _clean(_plain(before, links=False))
        match = _SHORT_NAME_RE.match(text)
        if match:
            name = match[1].strip("*_ ")
            name = _NAME_PREFIX_RE.sub("", name)
            return name or None
        for p in before:
            if p.bold:
                alias = _ALIAS_RE.match(_clean(p.text))
                if alias:
                    return alias[1].strip()
        return None

    def notes(self, entry: _Entry) -> str | None:
        link_lines = {p.line for p in (*entry.head, *entry.rest) if p.kind == "link"}
        out = []
        for number in sorted(entry.lines):
            if number == entry.line or number in link_lines:
                continue
            raw = self.line(number)
            if "](" in raw or "http://" in raw or "https://" in raw:
                continue
            text = _LIST_MARKER_RE.sub("", _QUOTE_RE.sub("", raw)).strip()
            if not text or _HR_RE.match(raw):
                continue
            if _is_metadata(text):
                continue
            out.append(text)
        return "\n".join(out) or None

    # -- result -------------------------------------------------------------

    def result(self) -> ParsedList:
        for repo_key, topic, paper in self.code_repos:
            if self.topic_papers[topic] == (paper, 1):
                record = self.repos[repo_key]
                if paper not in record["papers"]:
                    record["papers"].append(paper)
                    self.repos[repo_key] = record
        # A link's URL is never a paper's or a repository's (classify_url
        # tells them apart by the URL alone), but may be a translation's.
        translations = self.translations
        return ParsedList(
            name=self.name,
            title=self.title,
            topics=tuple(
                replace(t, description="\n\n".join(self.descriptions.get(path, ())))
                for path, t in self.topics.items()
            ),
            papers=_records(self.papers),
            repositories=_records(self.repos, self._repository),
            translations=_records(self.translations),
            links=_records(
                self.links, _link, keep=lambda link: link.url not in translations
            ),
            warnings=tuple(sorted(self.warnings, key=lambda w: w.line)),
        )

    def _repository(self, r: dict) -> RepositoryEntry:
        return RepositoryEntry(
            key=r["key"],
            host=self.share(r["host"]),
            owner=r["owner"],
            name=r["name"],
            url=r["url"],
            line=r["line"],
            framework=r["framework"],
            topics=self.share(tuple(r["topics"])),
            papers=tuple(r["papers"]),
            lines=tuple(dict.fromkeys(r["lines"])),
        )


def _link(r: dict) -> LinkEntry:
    return LinkEntry(
        url=r["url"],
        line=r["line"],
        title=r["title"],
        kind=r["kind"],
        topics=tuple(r["topics"]),
        paper=r["paper"],
        lines=tuple(dict.fromkeys(r["lines"])),
    )


def _records(store: SpillDict, transform=None, keep=None):
    """A list's records of one kind: a tuple while they fit in memory, else
    a view that reads them back from disk on each pass."""
    if store.spilled:
        return Records(store, transform, keep)
    values = store.values()
    if transform is not None:
        values = map(transform, values)
    return tuple(value for value in values if keep is None or keep(value))


_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_TOP_HEADING_RE = re.compile(r"^#{1,6}(?:\s|$)")


def _sections(lines: Iterable[str], size: int) -> Iterator[tuple[int, list[str]]]:
    """(offset, lines) pieces of at least ``size`` lines, cut just before a
    heading at the left margin, outside fenced code and HTML comments: such a
    heading ends every open block, so each piece parses as it would in place."""
    start = 0
    section: list[str] = []
    fence = None
    in_comment = False
    for number, line in enumerate(lines):
        if in_comment:
            in_comment = "-->" not in line
        elif fence:
            if line.lstrip().startswith(fence):
                fence = None
        elif match := _FENCE_RE.match(line):
            fence = match[1][:3]
        elif "<!--" in line and "-->" not in line.split("<!--", 1)[1]:
            in_comment = True
        elif number - start >= size and _TOP_HEADING_RE.match(line):
            yield start, section
            start, section = number, []
        section.append(line)
    yield start, section


_METADATA_RE = re.compile(
    r"^(?:\*?\(?(?:19|20)\d\d(?:[-/.]\d{1,2}){0,2}\)?\*?|[\s,|]|"
    + vocabulary.VENUE_RE.pattern
    + r")+$",
    re.IGNORECASE,
)


def _is_metadata(text: str) -> bool:
    """A line that only holds a venue and/or a date: "NIPS 2018 *2018-01-11*"."""
    return bool(_METADATA_RE.match(text))


_MERGED_FIELDS = (
    "short_name",
    "arxiv_id",
    "year",
    "date",
    "venue",
    "venue_year",
    "organisation",
    "notes",
)


def _merge_paper(old: PaperEntry, new: dict) -> dict:
    """Same paper twice in one list: the first non-empty value of each field."""
    merged = {name: getattr(old, name) for name in new}
    for name in _MERGED_FIELDS:
        if merged[name] in (None, "") and new[name] not in (None, ""):
            merged[name] = new[name]
    return merged


def parse_reading_list(text: str, *, name: str = "<string>", pool=None) -> ParsedList:
    """Parse one markdown reading list into topics, papers, repositories and links.

    Raises ParseError for input that is not a list at all; anything inside a
    list it cannot understand becomes a ParseWarning with its line. With
    ``pool`` (a ``concurrent.futures`` executor of processes) a long list's
    sections are tokenized there too; the result is the same.
    """
    if not isinstance(text, str):
        raise ParseError("expected text", name=name)
    text = _normalise(text)
    references = bool(_REFERENCE_RE.search(text))
    return _parse(text.split("\n"), name, references, pool)


def parse_list_file(source: ListFile, *, name: str, pool=None) -> ParsedList:
    """``parse_reading_list`` for a checked list, decoded a section at a time."""
    return _parse(source.lines(), name, source.references, pool)


def _parse(lines, name, references, pool) -> ParsedList:
    try:
        with gc_paused():
            return _ListParser(name).run(lines, references=references, pool=pool)
    except _TooDeep as exc:
        raise ParseError(
            f"nested too deeply to read (past {MAX_NESTING} levels of lists, "
            "quotes or links)",
            name=name,
            line=exc.at + 1,
        ) from None
    except RecursionError:
        raise ParseError("lists nested too deeply to read", name=name) from None


@contextmanager
def gc_paused():
    """Pause the cyclic garbage collector (reference counting still frees).

    A long list builds hundreds of thousands of small acyclic objects; the
    collector would rescan all of them again and again, which made parsing
    grow faster than the list (measured: 50,000 entries 12.7 s -> 7.9 s).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def as_export(parsed: ParsedList) -> dict:
    """A parsed list in the shape of the golden files (no database involved)."""
    join = " > ".join
    repositories: dict[str, list[str]] = {}
    for r in parsed.repositories:
        for paper in r.papers:
            repositories.setdefault(paper, []).append(r.key)
    return {
        "list": parsed.name,
        "title": parsed.title,
        "topics": [join(t.path) for t in parsed.topics],
        "papers": [
            {
                "key": p.key,
                "title": p.title,
                "short_name": p.short_name,
                "url": p.url,
                "year": p.year,
                "date": p.date.isoformat() if p.date else None,
                "venue": p.venue,
                "venue_year": p.venue_year,
                "organisation": p.organisation,
                "topics": [join(t) for t in p.topics],
                "repositories": repositories.get(p.key, []),
                "notes": p.notes,
                "alt_urls": list(p.alt_urls),
            }
            for p in parsed.papers
        ],
        "repositories": [
            {
                "key": r.key,
                "url": r.url,
                "framework": r.framework,
                "topics": [join(t) for t in r.topics],
                "papers": list(r.papers),
            }
            for r in parsed.repositories
        ],
        "translations": [
            {"url": t.url, "title": t.title, "language": t.language, "paper": t.paper}
            for t in parsed.translations
        ],
        "others": [
            {
                "url": o.url,
                "title": o.title,
                "kind": o.kind,
                "topics": [join(t) for t in o.topics],
                "paper": o.paper,
            }
            for o in parsed.links
        ],
    }
