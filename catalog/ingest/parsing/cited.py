"""Rule 11: an entry with no link but a whole citation is a paper keyed by
its title ("title:" + its words): "[2] S. Hochreiter, ... **Learning to
learn using gradient descent**. In ..., 2001.", "Zhe Cao, ..., Realtime
Multi-Person 2D Pose Estimation ..., CVPR, 2017.", a GB/T 7714 reference,
or a title over a line holding only its date."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from catalog.ingest.parsing import vocabulary
from catalog.ingest.parsing.citations import (
    chinese_reference,
    cited_title,
    is_author_list,
    is_credit,
    last_year,
    without_reference_mark,
)
from catalog.ingest.parsing.drafts import Entry
from catalog.ingest.parsing.inline import Piece, has_link, plain
from catalog.ingest.parsing.papers import (
    FoundPaper,
    Titled,
    bold_spans,
    entry_notes,
    reads_as_title,
    tag_venue,
    written_lines,
)
from catalog.ingest.parsing.results import TITLE_KEY_PREFIX
from catalog.ingest.parsing.source import Section
from catalog.ingest.parsing.text import (
    ALIAS_RE,
    LINE_NUMBERING_RE,
    QUOTED_TITLE_RE,
    YEAR_RE,
    clean,
)
from catalog.weburls import is_web_url

_KEY_WORD_RE = re.compile(r"\w+")
_KEY_LENGTH = 500
_DATE_LINE_RE = re.compile(r"^\(?((?:19|20)\d\d)(?:[-./]\d{1,2}){0,2}\)?$")


def cited_paper(entry: Entry, section: Section) -> FoundPaper | None:
    """Rule 11: an entry with no link that is a whole citation (authors, a
    title, a year) is a paper keyed by its title; so is a title whose venue
    is written as a link with no target."""
    if has_link(entry.head):
        titled = _tagged_title(entry.head)
        notes = entry_notes(entry, section) if titled else None
    elif (titled := _dated_title(entry.head)) is not None:
        notes = entry_notes(entry, section)
    elif titled := whole_citation(entry.head):
        # The citation's own lines (wrapped) are no notes.
        notes = entry_notes(entry, section, skip={p.line for p in entry.head})
    if titled is None:
        return None
    return FoundPaper(
        key=TITLE_KEY_PREFIX + title_key(titled.title),
        title=titled.title,
        title_is_short_name=False,
        url="",
        line=entry.line,
        short_name=None,
        arxiv_id=None,
        year=titled.year,
        date=None,
        venue=titled.venue,
        venue_year=titled.year if titled.venue else None,
        organisation=None,
        notes=notes,
        urls=[],
        lines=written_lines(entry, section),
    )


def title_key(title: str) -> str:
    """A title as a key: its words, casefolded (within Paper.key's length)."""
    words = _KEY_WORD_RE.findall(unicodedata.normalize("NFKC", title).casefold())
    return " ".join(words)[:_KEY_LENGTH]


def whole_citation(pieces: list[Piece]) -> Titled | None:
    """The title, year and venue of ``pieces`` if they are one whole
    citation: a bold or quoted title between authors and a year, authors
    before a title and a venue or year, or a Chinese (GB/T 7714) reference."""
    text = clean(plain(pieces, links=False))
    if not _may_cite(pieces, text):
        return None
    found = _marked_citation(pieces, text) or _plain_citation(text)
    return found if found and vocabulary.sane_year(found.year or 0) else None


def _may_cite(pieces: list[Piece], text: str) -> bool:
    # A figure and its credit line ("(from A. Author, Title, CVPR, 2015.)")
    # cite a paper the list gives elsewhere.
    return (
        bool(YEAR_RE.search(text))
        and len(text) <= 600
        and not is_credit(text)
        and not any(p.image for p in pieces)
    )


def _plain_citation(text: str) -> Titled | None:
    for cited in (cited_title(without_reference_mark(text)), chinese_reference(text)):
        if cited is not None and cited.year is not None:
            return Titled(cited.text.strip(" .,"), None, cited.year, cited.venue)
    return None


def _tagged_title(pieces: list[Piece]) -> Titled | None:
    """A title and, as a link with no target, its venue: "TarGAN: Generating
    target data ... adaptation [[Knowledge-Based Systems]]()" (lists of
    papers that link each to its venue's page, where one has none)."""
    at = _lone_dead_tag(pieces)
    if at is None:
        return None
    venue, year = tag_venue(clean(pieces[at].text or ""))
    title = LINE_NUMBERING_RE.sub("", clean(plain(pieces[:at], links=False)))
    title = title.strip(" -–,:")
    if not (venue or year) or len(title.split()) < 4 or not reads_as_title(title):
        return None
    return Titled(title, None, year, venue)


def _lone_dead_tag(pieces: list[Piece]) -> int | None:
    """Where the one link of ``pieces`` is, if it has no target, its text is
    a bracketed tag ("[TNNLS 2020]") and nothing is written after it."""
    links = [i for i, p in enumerate(pieces) if p.kind == "link" and not p.image]
    if len(links) != 1 or is_web_url((pieces[links[0]].url or "").strip()):
        return None
    at = links[0]
    after = clean(plain(pieces[at + 1 :], links=False)).strip(" .,;")
    tagged = ALIAS_RE.match(clean(pieces[at].text or ""))
    return at if tagged and not after else None


def _dated_title(pieces: list[Piece]) -> Titled | None:
    """A title of four words or more over a line with only its date
    ("A Quick Survey on ... Systems" / "*2018*"), as lists of papers written
    title first, date below write an entry whose link is missing."""
    lines = [clean(line) for line in plain(pieces, links=False).split("\n")]
    lines = [line for line in lines if line]
    if len(lines) < 2 or not (date := _DATE_LINE_RE.match(lines[1])):
        return None
    title = LINE_NUMBERING_RE.sub("", lines[0]).strip()
    words = title.split()
    if len(words) < 4 or not title[0].isupper() or title.endswith((".", ":", "：")):
        return None
    year = int(date[1])
    return Titled(title, None, year) if vocabulary.sane_year(year) else None


@dataclass(frozen=True, slots=True)
class _Marked:
    """A bold or quoted run of a citation, and the text either side of it."""

    run: str
    before: str
    after: str

    def citation(self) -> Titled | None:
        """The run as the citation's title, if only authors come before it
        (or nothing, the title then closed by punctuation) and a year is
        written around it."""
        title = self.run.strip("\"“”'「」 ")
        if not reads_as_title(title) or len(title.split()) < 2:
            return None
        if not self._placed(title):
            return None
        year = last_year(self.after) or last_year(self.before)
        if year is None:
            return None
        # Rule 10: a venue of the vocabulary, or "<venue words> <year>"
        # closing the citation (". Science, 2015.").
        venue = (
            vocabulary.find_venue(self.after)[0]
            or vocabulary.written_tail(self.after)[0]
        )
        return Titled(title.rstrip(".。").strip(), None, year, venue)

    def _placed(self, title: str) -> bool:
        if without_reference_mark(self.before).strip():
            return is_author_list(self.before)
        return title.endswith(".") or self.after.lstrip().startswith((".", ",", "("))


def _marked_citation(pieces: list[Piece], text: str) -> Titled | None:
    """The first bold or quoted run that is the citation's title."""
    marked = [
        _Marked(
            clean(run),
            clean(plain(pieces[:start], links=False)),
            clean(plain(pieces[end:], links=False)),
        )
        for run, start, end in bold_spans(pieces)
    ]
    if quoted := QUOTED_TITLE_RE.search(text):
        marked.append(_Marked(quoted[1], text[: quoted.start()], text[quoted.end() :]))
    return next(filter(None, (m.citation() for m in marked)), None)
