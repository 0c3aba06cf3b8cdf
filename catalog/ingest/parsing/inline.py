"""A paragraph's inline tokens (or an HTML block) -> pieces: text, links, breaks."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

_BARE_URL_RE = re.compile(r"https?://[^\s<>\"'\[\]（）【】，。；、]+", re.IGNORECASE)
_HREF_RE = re.compile(r"""href\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
# Rule 14: a typo'd scheme ("hhttp://", "htttps:/") or a link nested in the
# target ("[paper]([arxiv.org](https://...))"): the address is still plain.
_SCHEME_TYPO_RE = re.compile(r"^h+t+p(s?):/+(?=\w)", re.IGNORECASE)
_NESTED_URL_RE = re.compile(r"(?:\]|%5D)\(\s*<?(https?://[^\s)>]+)", re.IGNORECASE)


@dataclass
class Piece:
    kind: str  # "text" | "link" | "break"
    line: int
    text: str | None = ""
    url: str | None = None
    bold: bool = False
    italic: bool = False
    image: bool = False
    generic: bool = False  # link written without text of its own (<url>)
    alt: str | None = None  # a badge link's image text ("bilibili")


class OpenLink:
    """A link whose text is still being read."""

    def __init__(self, url, line, autolink, bold):
        # "[LLM]([https://github.com/simonw/llm)": salvage the address.
        self.url = recover_url((url or "").strip().lstrip("[(<（").strip())
        self.line = line
        self.autolink = autolink
        self.bold = bold
        self.parts: list[str] = []
        self.image = False
        self.alt: str | None = None

    def finish(self) -> Piece:
        text = "".join(self.parts).strip()
        return Piece(
            "link",
            self.line,
            text=None if self.autolink else text,
            url=self.url,
            bold=self.bold,
            image=self.image and not text,
            generic=self.autolink,
            alt=self.alt if self.image and not text else None,
        )


def recover_url(url: str) -> str:
    """The address a malformed link target still holds, else the target."""
    if url[:8].lower().startswith(("http://", "https://")):
        return url
    if nested := _NESTED_URL_RE.search(url):
        return nested[1]
    return _SCHEME_TYPO_RE.sub(r"http\1://", url)


def split_bare_urls(text, line, bold, italic) -> list[Piece]:
    """Text with its bare http(s) addresses as links of their own."""
    pieces = []
    pos = 0
    for match in _BARE_URL_RE.finditer(text):
        url = match.group().rstrip(".,;:!?*_")
        if url.endswith(")") and url.count("(") < url.count(")"):
            url = url.rstrip(")")
        if match.start() > pos:
            pieces.append(
                Piece("text", line, text[pos : match.start()], bold=bold, italic=italic)
            )
        pieces.append(Piece("link", line, text=None, url=url, generic=True))
        pos = match.start() + len(url)
    if pos < len(text):
        pieces.append(Piece("text", line, text[pos:], bold=bold, italic=italic))
    return pieces


_EMPHASIS = {
    "strong_open": ("bold", 1),
    "strong_close": ("bold", -1),
    "em_open": ("italic", 1),
    "em_close": ("italic", -1),
}


class _InlineReader:
    """Reads one inline token's children in order, tracking emphasis and
    the link being read."""

    def __init__(self, first_line: int):
        self.line = first_line
        self.pieces: list[Piece] = []
        self.bold = 0
        self.italic = 0
        self.link: OpenLink | None = None

    def read(self, children) -> list[Piece]:
        for child in children:
            kind = child.type
            if kind in ("text", "code_inline"):
                self.text(child.content)
            elif kind in ("softbreak", "hardbreak"):
                self.line_break()
            elif kind in ("link_open", "link_close", "image"):
                self.link_token(child)
            elif kind in _EMPHASIS:
                self.emphasis(*_EMPHASIS[kind])
            elif kind == "html_inline":
                self.html(child.content)
        if self.link:  # unclosed <a>: keep what it wrote
            self.pieces.append(self.link.finish())
        return self.pieces

    def text(self, content: str) -> None:
        if self.link:
            self.link.parts.append(content)
        else:
            self.pieces.extend(
                split_bare_urls(content, self.line, self.bold > 0, self.italic > 0)
            )

    def line_break(self) -> None:
        if self.link:
            self.link.parts.append(" ")
        else:
            self.pieces.append(Piece("break", self.line))
        self.line += 1

    def link_token(self, child) -> None:
        if child.type == "link_open":
            self.link = OpenLink(
                # attrs directly: Token.attrGet is slow in markdown-it-py
                (child.attrs or {}).get("href") or "",
                self.line,
                child.markup == "autolink",
                self.bold > 0,
            )
        elif child.type == "link_close":
            self.close_link()
        elif self.link:  # an image inside the link: a badge
            self.link.image = True
            self.link.alt = self.link.alt or child.content or None

    def close_link(self) -> None:
        if self.link:
            self.pieces.append(self.link.finish())
        self.link = None

    def emphasis(self, which: str, step: int) -> None:
        setattr(self, which, max(0, getattr(self, which) + step))

    def html(self, content: str) -> None:
        html = content.lower()
        if html.startswith("<br"):
            self.pieces.append(Piece("break", self.line))
        elif html.startswith("<a ") and self.link is None:
            href = _HREF_RE.search(content)
            self.link = OpenLink(
                href[1] if href else "", self.line, False, self.bold > 0
            )
        elif html.startswith("</a") and self.link:
            self.close_link()


def inline_pieces(token, first_line: int) -> list[Piece]:
    """The pieces of an inline token whose text starts at ``first_line``."""
    return _InlineReader(first_line).read(token.children or ())


def has_link(pieces) -> bool:
    """Whether ``pieces`` hold a link (an image is none), usable or not."""
    return any(p.kind == "link" and not p.image for p in pieces)


def plain(pieces, *, links: bool = True) -> str:
    """The pieces' text, breaks as newlines, with or without link texts."""
    out = []
    for p in pieces:
        if p.kind == "text":
            out.append(p.text)
        elif p.kind == "break":
            out.append("\n")
        elif links and p.text:
            out.append(p.text)
    return "".join(out)


class HtmlLinks(HTMLParser):
    """<a href> links of an HTML block, each with its text and line."""

    def __init__(self, first_line):
        super().__init__(convert_charrefs=True)
        self.first_line = first_line
        self.links: list[Piece] = []
        self.text: list[Piece] = []
        self._open: OpenLink | None = None

    def handle_starttag(self, tag, attrs):
        line = self.first_line + self.getpos()[0] - 1
        if tag == "a":
            href = dict(attrs).get("href") or ""
            self._open = OpenLink(href, line, False, False)
        elif tag == "img" and self._open:
            self._open.image = True
            self._open.alt = self._open.alt or dict(attrs).get("alt") or None

    def handle_endtag(self, tag):
        if tag == "a" and self._open:
            self.links.append(self._open.finish())
            self._open = None

    def handle_data(self, data):
        line = self.first_line + self.getpos()[0] - 1
        if self._open:
            self._open.parts.append(data)
        elif data.strip():
            self.text.extend(split_bare_urls(data, line, False, False))
