"""An entry's paper links -> paper records: key, title, venue, year, notes.

Rule 2 of tests/golden/RULES.md (and rule 7 for a paper's notes).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from itertools import groupby

from catalog.ingest.parsing import vocabulary
from catalog.ingest.parsing.citations import (
    citation_title,
    cited_title,
    is_citation_label,
    link_title,
    organisation_label,
    without_author_list,
    without_organisation,
)
from catalog.ingest.parsing.drafts import Entry, Linked
from catalog.ingest.parsing.inline import Piece, plain
from catalog.ingest.parsing.source import Section
from catalog.ingest.parsing.text import (
    ALIAS_RE,
    HR_RE,
    LINE_NUMBERING_RE,
    LIST_MARKER_RE,
    QUOTE_RE,
    QUOTED_TITLE_RE,
    SHORT_NAME_RE,
    YEAR_IN_PARENS_RE,
    YEAR_RE,
    clean,
    find_date,
    is_generic,
    is_metadata,
    split_suffix,
)
from catalog.ingest.parsing.urls import Target, arxiv_year
from catalog.weburls import is_web_url

_NUMBER_LABEL_RE = re.compile(r"^\[?\d+\]?$")
_LINE_DATE_RE = re.compile(r"\*?\d{4}-\d{1,2}(-\d{1,2})?\*?")
_LINE_LABEL_RE = re.compile(r"^\s*\[[^\]]{1,40}\]\s*")
_COLUMN_SPLIT_RE = re.compile(r"\s+\|\s+|\s\|$|^\|\s")
# Lower-case only: "Part A" or "Vitamin A" may end a title.
_WRAPPED_LINE_RE = re.compile(
    r"\b(?:and|or|of|for|with|to|in|on|via|the|a|an|from|by|using|towards)\s*$"
)
_NAME_PREFIX_RE = re.compile(r"^(?:\d+[.)]|【[^】]*】)\s*")


@dataclass(slots=True)
class FoundPaper:
    """A paper as one entry writes it, and where (a draft of a PaperEntry)."""

    key: str
    title: str
    url: str
    line: int
    title_is_short_name: bool  # the title is only a short name or link text
    short_name: str | None
    arxiv_id: str | None
    year: int | None
    date: datetime.date | None
    venue: str | None
    venue_year: int | None
    organisation: str | None
    notes: str | None
    urls: list[str]  # the entry's links to it, the first one first
    lines: list[int]


@dataclass
class _Dated:
    """What an entry's text says of its primary paper beside its title."""

    date: datetime.date | None = None
    date_year: int | None = None
    venue: str | None = None
    venue_year: int | None = None
    paren_year: int | None = None
    context_year: int | None = None
    organisation: str | None = None  # from a table column


def find_papers(
    entry: Entry, section: Section, paper_links: list[Linked], text_ids, meta: str
) -> tuple[str, list[FoundPaper]]:
    """The key of the entry's primary paper, and each paper it links to."""
    keys: dict[str, list[Linked]] = {}
    for linked in paper_links:
        keys.setdefault(linked.target.key, []).append(linked)
    primary = _primary(entry, paper_links, text_ids, keys)
    found = [
        _paper(entry, section, key, occurrences, primary, meta)
        for key, occurrences in keys.items()
    ]
    _lend_title(found, primary.target.key)
    return primary.target.key, found


def _lend_title(found: list[FoundPaper], primary_key: str) -> None:
    """A second paper of the entry linked as "[.]" or "[pdf]", or named by
    the entry's label ("CMU / Microsoft [[Paper-arXiv]](...)
    [[Paper-CVPR]](...)"), with no title of its own anywhere borrows the
    entry's paper's, as a short name."""
    own = next(p for p in found if p.key == primary_key)
    for paper in found:
        lent = paper is not own and paper.title_is_short_name
        if lent and (is_generic(paper.title, paper.url) or _label_words(paper.title)):
            paper.title = own.title


def _primary(entry: Entry, paper_links, text_ids, keys) -> Linked:
    """The entry's own paper: its first paper link in the head, else its
    first paper link, else an arXiv id written as text. May re-key ``keys``."""
    head_ids = {id(p) for p in entry.head}
    primary = next((x for x in paper_links if id(x.piece) in head_ids), None)
    if primary is None and paper_links:
        primary = paper_links[0]
    text_id = text_ids[0] if text_ids else None
    if primary is None:
        url = f"https://arxiv.org/abs/{text_id}"
        primary = Linked(
            Piece("link", entry.line, text=None, url=url, generic=True),
            Target("paper", f"arxiv:{text_id}", arxiv_id=text_id),
        )
        keys[primary.target.key] = [primary]
    elif primary.target.arxiv_id is None and len(set(text_ids)) == 1:
        # "... arXiv:1506.02640 [[pdf]](washington.edu/...)": one paper.
        old = primary.target.key
        primary = Linked(
            primary.piece, Target("paper", f"arxiv:{text_id}", arxiv_id=text_id)
        )
        keys[primary.target.key] = keys.pop(old)
    return primary


def _paper(
    entry: Entry,
    section: Section,
    key: str,
    occurrences: list[Linked],
    primary: Linked,
    meta: str,
) -> FoundPaper:
    piece, target = occurrences[0].piece, occurrences[0].target
    is_primary = key == primary.target.key
    titled = _paper_title(entry, section, piece, primary=is_primary)
    dated = _dated(entry, meta, titled, piece) if is_primary else _Dated()
    arxiv_id = target.arxiv_id if key == target.key else primary.target.arxiv_id
    alt = [x.piece.url for x in occurrences[1:] if x.piece.url != piece.url]
    return FoundPaper(
        key=key,
        title=titled.title,
        title_is_short_name=titled.weak,
        url=piece.url,
        line=entry.line,
        short_name=_short_name(entry, piece) if is_primary else None,
        arxiv_id=arxiv_id,
        year=_year(titled.year, dated, arxiv_id),
        date=dated.date,
        venue=dated.venue,
        venue_year=dated.venue_year if dated.venue else None,
        organisation=titled.organisation or dated.organisation,
        notes=entry_notes(entry, section) if is_primary else None,
        urls=[piece.url, *alt],
        lines=written_lines(entry, section),
    )


def _year(suffix_year: int | None, dated: _Dated, arxiv_id: str | None):
    """The title suffix's year, else the date line's, the venue's, a year in
    parentheses or the heading's, else the arXiv id's."""
    # Rule 2: year from the suffix, else the date line, else the arXiv id.
    year = (
        suffix_year
        or dated.date_year
        or dated.venue_year
        or dated.paren_year
        or dated.context_year
        or (arxiv_year(arxiv_id) if arxiv_id else None)
    )
    return year if year is None or vocabulary.sane_year(year) else None


def written_lines(entry: Entry, section: Section) -> list[int]:
    # Provenance: the entry's written lines (blank ones say nothing).
    return sorted(
        n
        for n in entry.lines or {entry.line}
        if n == entry.line or section.line(n).strip()
    )


def _dated(entry: Entry, meta: str, titled: Titled, piece: Piece) -> _Dated:
    """Date, venue and years of the primary paper: its entry's text outside
    link titles (``meta``), a table's columns, its title's tags, the
    headings above."""
    # Rule 2: a venue before the date ("NIPS 2018 *2018-01-11*") and the date.
    date, date_year = find_date(meta)
    columns = entry.columns
    # Rules 9 and 10: "[Title](url), NPJ Digit. Med. 2025", "**Title.** IEEE
    # TNN 2009. [paper](url)".
    tail = vocabulary.written_tail(_after_title(entry, piece, titled.title))
    venue, venue_year = _venue(entry, meta, titled, tail)
    return _Dated(
        date=date,
        date_year=date_year,
        venue=venue,
        venue_year=venue_year,
        paren_year=_paren_year(columns, meta) or tail[1],
        context_year=entry.context.year,
        organisation=columns.get("organisation") or None,
    )


def _venue(entry: Entry, meta: str, titled: Titled, tail: tuple):
    """(venue, year): the entry's text, a venue column, the title's tags,
    the words after its link, else the headings' (rule 10)."""
    written = (
        vocabulary.find_venue(meta),
        vocabulary.find_venue(entry.columns.get("venue") or ""),
        (titled.venue, titled.year),
        tail,
        (entry.context.venue, entry.context.venue_year),
    )
    venue, venue_year = next((w for w in written if w[0]), (None, None))
    if venue is not None and venue_year is None:
        # Rule 10: a venue without a year ("NIPS, 2009", "| CVPR |" under
        # "## 2018") takes the entry's year, else the heading's.
        venue_year = titled.year or entry.context.year
    return venue, venue_year


def _paren_year(columns: dict[str, str], meta: str) -> int | None:
    """ "(2019)" in the entry, or a table's year column."""
    match = YEAR_IN_PARENS_RE.search(meta)
    paren_year = int(match[1]) if match else None
    if columns.get("year"):
        _, column_year = find_date(columns["year"])
        year_match = YEAR_RE.search(columns["year"])
        paren_year = column_year or (int(year_match[0]) if year_match else paren_year)
    return paren_year


@dataclass(frozen=True, slots=True)
class Titled:
    """A paper's title as its entry writes it, and what was written in it."""

    title: str
    organisation: str | None = None
    year: int | None = None
    venue: str | None = None
    weak: bool = False  # only a short name, a link text or an organisation


def _paper_title(
    entry: Entry, section: Section, piece: Piece, *, primary: bool
) -> Titled:
    """The title of the paper ``piece`` links to: its own (``_title``), or
    for the entry's own paper named only by a short name, the citation
    below it."""
    titled = _title(entry, piece, primary=primary)
    if titled.weak and primary:
        return _cited_below(entry, section, titled) or titled
    return titled


def _title(entry: Entry, piece: Piece, *, primary: bool) -> Titled:
    """The link text with its tags and "- Org2017" suffix split off, or the
    entry's own title when the link says "pdf" or "code" or cites the paper."""
    text = clean(piece.text or "")
    if is_citation_label(text):
        # Rule 8: "[this survey paper](...)", "[Krause et al. (2017)](...)"
        # name no paper: the title until a later entry gives one.
        return Titled(text, weak=True)
    if not _no_title(entry, piece, text):
        return _link_text_title(text)
    fallback = _fallback_title(entry)
    if not fallback:
        return Titled(text or piece.url, weak=True)
    return _entry_title(fallback, text, primary=primary)


def _entry_title(fallback: str, text: str, *, primary: bool) -> Titled:
    """The entry's own title for a link whose text is none (``text``)."""
    cited = citation_title(fallback)
    if labelled := organisation_label(cited.text):
        # "Fast R-CNN, Microsoft Research [[Paper]](...)": a short name.
        name, organisation = labelled
        return Titled(name, organisation, cited.year, cited.venue, weak=True)
    # One or two words beside a "[pdf]" link: a short name ("ResNet") or an
    # organisation ("Univ. Montreal"), not the title. A second paper of the
    # entry ("[Title](arXiv A) [[code]](arXiv B)") only borrows the entry's.
    weak = _label_words(cited.text) or not primary
    venue, year = tag_venue(text)
    return Titled(
        cited.text or fallback, None, cited.year or year, cited.venue or venue, weak
    )


# "Baidu / UCLA", "SNU + NAVER": organisations joined.
_JOINED_NAMES_RE = re.compile(r"\s[/+]\s")


def _label_words(text: str) -> bool:
    """One or two words, or short names joined by "/" or "+" ("CMU /
    Microsoft Research", "MS + City Univ. of HongKong"): a name or the
    organisations a paper came from, no title."""
    parts = _JOINED_NAMES_RE.split(text)
    longest = 4 if len(parts) > 1 else 2
    return all(len(part.split()) <= longest for part in parts)


def tag_venue(text: str) -> tuple[str | None, int | None]:
    """Rule 10: a tag as the link text names the venue and year ("Title
    [[IJCNN 2019]](url)")."""
    return vocabulary.find_venue(text) if ALIAS_RE.match(text) else (None, None)


def _no_title(entry: Entry, piece: Piece, text: str) -> bool:
    """A link text that is no title: generic ("pdf"), a kind ("code"), a tag."""
    return (
        is_generic(piece.text, piece.url) or _kind_word(text) or _tag_label(entry, text)
    )


def _tag_label(entry: Entry, text: str) -> bool:
    """A bracketed link text beside a title written before the link
    ("Title [[IEEE ACCESS]](url)"): a tag (rule 8), not the title."""
    return bool(ALIAS_RE.match(text)) and _title_before_link(entry) is not None


def _link_text_title(text: str) -> Titled:
    """Rule 8: "[CVPR 2023] Title (IJCAI 2016)", "Title(中文标题)", "A.
    Author, B. Author, Title", "Google - Title"; rule 2: "Title - Org2018"
    -> title, organisation, year."""
    tagged = link_title(text)
    title, organisation, year = split_suffix(without_author_list(tagged.text))
    title, leading = without_organisation(title)
    return Titled(title, organisation or leading, year or tagged.year, tagged.venue)


def _cited_below(entry: Entry, section: Section, label: Titled) -> Titled | None:
    """The title of a whole citation written on the entry's first line (or
    two) of notes, for a paper the entry names only by a short name or label
    ("* R-CNN [[Paper]](...)" over "  * R. Girshick, ..., Rich feature
    hierarchies for ..., CVPR, 2014.")."""
    lines = (entry_notes(entry, section) or "").split("\n")
    # The citation on the first line, else wrapped over the first two.
    cited = cited_title(lines[0]) or cited_title(" ".join(lines[:2]))
    if cited is None:
        return None
    return Titled(
        cited.text.strip("*_ "),  # notes keep their markdown: "*Title*"
        label.organisation,
        cited.year or label.year,
        cited.venue or label.venue,
    )


def _kind_word(text: str) -> bool:
    """A link text naming a kind of resource ("code", "video"), no title."""
    label = vocabulary.normalise_label(text)
    return label in vocabulary.KIND_HEADINGS or label in vocabulary.LABEL_KINDS


def _fallback_title(entry: Entry) -> str | None:
    """A title for a paper whose link text is generic ("pdf", "arXiv")."""
    if entry.columns.get("title"):
        return entry.columns["title"]
    return (
        _bold_title(entry)
        or _title_before_link(entry)
        or _dead_link_title(entry)
        or _marked_link_title(entry)
    )


# 《Title》: Chinese marks around the title of a work.
_TITLE_MARKS_RE = re.compile(r"《([^《》]{8,})》")


def _marked_link_title(entry: Entry) -> str | None:
    """A work's title in 《》 marks as another link's text ("[《Bag of Tricks
    for ...》](zhihu article) && [pdf](arXiv)"): the paper that article is about."""
    for piece in entry.head:
        if piece.kind == "link" and (
            marked := _TITLE_MARKS_RE.search(piece.text or "")
        ):
            return clean(marked[1])
    return None


def _dead_link_title(entry: Entry) -> str | None:
    """The text of a link with no usable target: none ("1. [Title]()" over
    a bare arXiv URL, a legacy entry's way of writing its title), an anchor
    or a malformed address ("[Title](http:cn.//arxiv.org/...)")."""
    for piece in entry.head:
        dead = not is_web_url((piece.url or "").strip())
        if piece.kind == "link" and dead and not piece.image and piece.text:
            text = clean(piece.text)
            if len(text) >= 8 and not is_generic(text, ""):
                return text
    return None


def _bold_title(entry: Entry) -> str | None:
    """The first bold run of the head that reads as a title."""
    for text in _bold_runs(entry.head):
        text = clean(text).strip("\"“”'「」 ")
        if reads_as_title(text):
            return text.rstrip(".。").strip()
    return None


def reads_as_title(text: str) -> bool:
    """Whether a bold run may be a title: not a label ("[ICT]", "[3]",
    "Code:"), a remark ("(Modify previously trained network)") or a venue."""
    if not text or ALIAS_RE.match(text) or _NUMBER_LABEL_RE.match(text):
        return False
    if text.startswith(("(", "（")) and text.endswith((")", "）")):
        return False
    if text.endswith((":", "：")):
        return False
    return len(text) >= 8 and not (vocabulary.find_venue(text)[0] and len(text) < 16)


def _bold_runs(pieces: list[Piece]) -> list[str]:
    """The bold runs of ``pieces``, but for one in parentheses: a remark
    ("Title (**Marr Prize**)"), not a title."""
    return [run for run, _, _ in bold_spans(pieces)]


def bold_spans(pieces: list[Piece]) -> list[tuple[str, int, int]]:
    """Each bold run not in parentheses, with where it starts and ends."""
    runs = []
    end = 0
    for bold, group in groupby(pieces, key=_is_bold):
        group = list(group)
        start, end = end, end + len(group)
        if bold and not _in_parentheses(pieces, start, end):
            runs.append(("".join(p.text for p in group), start, end))
    return runs


def _is_bold(piece: Piece) -> bool:
    return piece.kind == "text" and piece.bold


def _in_parentheses(pieces: list[Piece], start: int, end: int) -> bool:
    """Whether ``pieces[start:end]`` are written between "(" and ")"."""
    before = (
        pieces[start - 1].text if start and pieces[start - 1].kind == "text" else ""
    )
    after = pieces[end].text if end < len(pieces) and pieces[end].kind == "text" else ""
    return (before or "").rstrip().endswith(("(", "（")) and (
        after or ""
    ).lstrip().startswith((")", "）"))


def _title_before_link(entry: Entry) -> str | None:
    """A quoted title before the first link, else the longest part of a
    line before it that is not a label, a date or a number."""
    text = _before_first_link(entry)
    quoted = QUOTED_TITLE_RE.search(text)
    if quoted:
        return clean(quoted[1]).rstrip(".,，。")
    for line in _unwrapped(text.split("\n")):
        line = LINE_NUMBERING_RE.sub("", line)
        line = _LINE_DATE_RE.sub("", line)
        line = _LINE_LABEL_RE.sub("", line)
        parts = [clean(p).strip(" [(（-–,:：|") for p in _COLUMN_SPLIT_RE.split(line)]
        parts = [p for p in parts if len(p) >= 4 and not is_generic(p, "")]
        if parts:
            return max(parts, key=len).rstrip(".,，。")
    return None


def _unwrapped(lines: list[str]) -> list[str]:
    """Lines with a title wrapped over two made one again (rule 8): a line
    ending in a word no title ends with ("... with Covariate and") goes on
    in the next."""
    out: list[str] = []
    for line in lines:
        if out and line.strip() and _WRAPPED_LINE_RE.search(out[-1]):
            out[-1] = f"{out[-1].rstrip()} {line.strip()}"
        else:
            out.append(line)
    return out


def _short_name(entry: Entry, piece: Piece) -> str | None:
    """ "QRNN: [Title](...)" gives "QRNN" (so does a bold "[QRNN]" before
    the link)."""
    # Rule 2: `QRNN: [Title](...)` gives short_name "QRNN".
    before = _text_before(entry, piece)
    if before is None:
        return None
    match = SHORT_NAME_RE.match(clean(plain(before, links=False)))
    if match:
        name = _NAME_PREFIX_RE.sub("", match[1].strip("*_ "))
        return name or None
    for p in before:
        alias = ALIAS_RE.match(clean(p.text)) if p.bold else None
        # "**[28]** A. Author, ...": a reference's number, no name.
        if alias and not alias[1].strip().isdigit():
            return alias[1].strip()
    return None


def _before_first_link(entry: Entry) -> str:
    """The head's text before its first link."""
    before = []
    for piece in entry.head:
        if piece.kind == "link":
            break
        before.append(piece)
    return plain(before, links=False)


def _after_title(entry: Entry, piece: Piece, title: str) -> str:
    """The text after the paper's title: after its link, or where the title
    is written outside the link, after the title up to the next link."""
    text = _before_first_link(entry)
    if title and title in text:
        return text.split(title, 1)[1]
    return _after(entry, piece)


def _after(entry: Entry, piece: Piece) -> str:
    """The head's text after ``piece``, up to the line's end or the next link."""
    found, after = False, []
    for p in entry.head:
        if p is piece:
            found = True
        elif found and p.kind in ("break", "link"):
            break
        elif found:
            after.append(p)
    return plain(after, links=False)


def _text_before(entry: Entry, piece: Piece) -> list[Piece] | None:
    """The head's text pieces before ``piece`` on its line; None if another
    link comes first or ``piece`` is not in the head."""
    before = []
    for p in entry.head:
        if p is piece:
            return before
        if p.kind == "break":
            before = []
        elif p.kind == "link":
            return None
        else:
            before.append(p)
    return None


def entry_notes(
    entry: Entry, section: Section, skip: set[int] = frozenset()
) -> str | None:
    """The entry's lines without links, metadata or rules (nor ``skip``)."""
    # Rule 7: non-link text written under an entry is its notes, verbatim.
    link_lines = {p.line for p in (*entry.head, *entry.rest) if p.kind == "link"}
    out = []
    for number in sorted(entry.lines):
        if number != entry.line and number not in link_lines and number not in skip:
            text = _note(section.line(number))
            if text:
                out.append(text)
    return "\n".join(out) or None


def _note(raw: str) -> str | None:
    """A line's note text; None for a line with a link, a rule, or only a
    venue and date."""
    if "](" in raw or "http://" in raw or "https://" in raw:
        return None
    text = LIST_MARKER_RE.sub("", QUOTE_RE.sub("", raw)).strip()
    if not text or HR_RE.match(raw) or is_metadata(text):
        return None
    return text
