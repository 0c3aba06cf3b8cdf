"""A list's bytes and lines: checks, decoding, front matter, sections.

The bytes are checked (and decoded) a block at a time and the text is
tokenized a section at a time, so a long list is never in memory whole as
text (a str can take four bytes a character) nor as markdown tokens.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from catalog.ingest.parsing.errors import ParseError

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
            self._check_wide_bom(data)
        if self.blank and data.strip(b" \t\r\n\xef\xbb\xbf"):
            self.blank = False
        nul = data.find(b"\x00")
        if nul != -1 and self.nul is None:
            self.nul = ParseError(
                f"binary file (NUL byte at offset {self.offset + nul})",
                name=self.name,
                line=self._line_at(data, nul),
            )
        text = self._decode(data)
        self.offset += len(data)
        self.newlines += data.count(b"\n")
        return text

    def _check_wide_bom(self, data: bytes) -> None:
        for bom, encoding in _WIDE_BOMS:
            if data.startswith(bom):
                raise ParseError(
                    f"file is {encoding}; save it as UTF-8", name=self.name
                )

    def _decode(self, data: bytes) -> str | None:
        skip = len(_BOM) if self.offset == 0 and data.startswith(_BOM) else 0
        try:
            return data[skip:].decode("utf-8")
        except UnicodeDecodeError as exc:
            if self.invalid is None:
                at = skip + exc.start
                self.invalid = ParseError(
                    f"not UTF-8: invalid byte 0x{data[at]:02x} at offset "
                    f"{self.offset + at}",
                    name=self.name,
                    line=self._line_at(data, at),
                )
        return None

    def _line_at(self, data: bytes, at: int) -> int:
        return self.newlines + data.count(b"\n", 0, at) + 1

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
    # list is parsed in one piece (see entries.ListWalker.run).
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
            text = normalise(text)
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


def normalise(text: str) -> str:
    """Line ends, zero-width characters and no-break spaces, as parsed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _ZERO_WIDTH_RE.sub("", text).replace("\u00a0", " ")


_REFERENCE_RE = re.compile(r"^ {0,3}\[[^\]^][^\]]*\]:\s*\S", re.MULTILINE)
_ZERO_WIDTH_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\ufffc]")


def may_hold_references(text: str) -> bool:
    """Whether a reference definition ("[id]: url") may be written in text."""
    return bool(_REFERENCE_RE.search(text))


# --------------------------------------------------------------------------
# Lines as parsed: front matter, kramdown attributes, tight headings
# --------------------------------------------------------------------------

_FRONT_TITLE_RE = re.compile(r"^title\s*:\s*(.*)$")
_TIGHT_HEADING_RE = re.compile(r"^(\s{0,3}#{1,6})(?=[^\s#])")
_HASHTAG_RE = re.compile(r"^\s{0,3}#+[A-Za-z_-]+$")
_TIGHT_ITEM_RE = re.compile(r"^(\s*\d{1,3}\.)(?=\[)")
# Front matter is looked for in this many first lines.
_HEAD_LINES = 200


class PreparedLines:
    """A list's lines with front matter blanked (its ``title`` kept),
    kramdown attribute lines dropped and tight headings and items mended.
    ``title`` is known once iteration has started."""

    def __init__(self, lines: Iterable[str]):
        self._lines = iter(lines)
        self.title: str | None = None

    def __iter__(self) -> Iterator[str]:
        lines = self._lines
        head = [
            normalise(line) for _, line in zip(range(_HEAD_LINES), lines, strict=False)
        ]
        self._blank_front_matter(head)
        for line in head:
            yield _mend(line)
        for line in lines:
            yield _mend(normalise(line))

    def _blank_front_matter(self, head: list[str]) -> None:
        # Rule 1: front matter's "title:" is the list's title, not a topic.
        if not head or head[0].strip() != "---":
            return
        for end in range(1, len(head)):
            if head[end].strip() in ("---", "..."):
                for i in range(end + 1):
                    match = _FRONT_TITLE_RE.match(head[i])
                    if match and self.title is None:
                        self.title = match[1].strip().strip("'\"").strip() or None
                    head[i] = ""
                return


def _mend(line: str) -> str:
    stripped = line.strip()
    if stripped.startswith("{:") and stripped.endswith("}"):
        return ""
    if "#" in line and (_TIGHT_HEADING_RE.match(line) and not _HASHTAG_RE.match(line)):
        # "#2 Deep Learning": clearly meant as a heading.
        return _TIGHT_HEADING_RE.sub(r"\1 ", line, count=1)
    if ".[" in line and _TIGHT_ITEM_RE.match(line):
        return _TIGHT_ITEM_RE.sub(r"\1 ", line, count=1)
    return line


# --------------------------------------------------------------------------
# Sections
# --------------------------------------------------------------------------

_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_TOP_HEADING_RE = re.compile(r"^#{1,6}(?:\s|$)")


@dataclass
class Section:
    """Consecutive lines of a list, the first being line ``start + 1``."""

    start: int = 0
    lines: list[str] = field(default_factory=list)

    def line(self, number: int) -> str:
        """Line ``number`` (from 1) of the list if in this section, or ""."""
        index = number - 1 - self.start
        return self.lines[index] if 0 <= index < len(self.lines) else ""


@dataclass
class _Cutter:
    """Where a left-margin heading may end a section: outside fenced code
    and HTML comments."""

    fence: str | None = None
    in_comment: bool = False

    def may_cut_before(self, line: str) -> bool:
        if self.in_comment:
            self.in_comment = "-->" not in line
        elif self.fence:
            if line.lstrip().startswith(self.fence):
                self.fence = None
        elif match := _FENCE_RE.match(line):
            self.fence = match[1][:3]
        elif "<!--" in line and "-->" not in line.split("<!--", 1)[1]:
            self.in_comment = True
        else:
            return bool(_TOP_HEADING_RE.match(line))
        return False


def sections(lines: Iterable[str], size: int) -> Iterator[Section]:
    """Sections of at least ``size`` lines, cut just before a heading at the
    left margin, outside fenced code and HTML comments: such a heading ends
    every open block, so each section parses as it would in place."""
    section = Section()
    cutter = _Cutter()
    for number, line in enumerate(lines):
        if cutter.may_cut_before(line) and number - section.start >= size:
            yield section
            section = Section(number)
        section.lines.append(line)
    yield section
