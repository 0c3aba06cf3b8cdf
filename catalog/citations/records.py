"""A paper as a citation: the fields every format writes, named once."""

from __future__ import annotations

import enum
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date as Date

# Venues that are journals (their papers are articles); any other venue is
# taken for a conference. Editors may write venues the lists never name, so
# words that mark a journal count too.
JOURNALS = frozenset(
    {"jmlr", "tpami", "tacl", "tnnls", "tip", "ijcv", "jair", "nature", "science"}
)
JOURNAL_WORDS = re.compile(
    r"\b(journal|transactions|letters|magazine|review)\b", re.IGNORECASE
)
# Words a citation key skips when it takes a title's first word.
STOPWORDS = frozenset(
    {"a", "an", "the", "on", "of", "in", "for", "to", "with", "and", "towards"}
)
KEY_WORD_CHARS = 20


class VenueKind(enum.Enum):
    CONFERENCE = "conference"
    JOURNAL = "journal"
    NONE = "none"


@dataclass(frozen=True)
class Citation:
    """What a citation of a paper says. The catalog holds no authors, so no
    format names any; ``key`` is the same for a paper in every export."""

    key: str
    title: str
    short_title: str
    url: str
    year: int | None
    date: Date | None
    venue: str
    venue_kind: VenueKind
    arxiv_id: str | None

    @property
    def doi(self) -> str | None:
        """arXiv's DOI (DataCite registers one for every arXiv paper)."""
        return f"10.48550/arXiv.{self.arxiv_id}" if self.arxiv_id else None

    @property
    def preprint(self) -> bool:
        return bool(self.arxiv_id) and self.venue_kind is VenueKind.NONE


def venue_kind(venue: str) -> VenueKind:
    if not venue.strip() or venue.strip().casefold() == "arxiv":
        return VenueKind.NONE  # a preprint server is no venue
    if venue.strip().casefold() in JOURNALS or JOURNAL_WORDS.search(venue):
        return VenueKind.JOURNAL
    return VenueKind.CONFERENCE


def cite(paper) -> Citation:
    """The citation of ``paper`` (a Paper, or any object with its fields)."""
    arxiv_id = paper.arxiv_id or None
    return Citation(
        key=citation_key(paper),
        title=paper.title,
        short_title=paper.short_name,
        # arXiv's own page, not the mirror a list happened to link.
        url=f"https://arxiv.org/abs/{arxiv_id}" if arxiv_id else paper.url,
        year=paper.venue_year or paper.year,
        date=paper.date,
        venue=paper.venue,
        venue_kind=venue_kind(paper.venue),
        arxiv_id=arxiv_id,
    )


def citation_key(paper) -> str:
    """A key unique to the paper and stable across exports and catalogs:
    a word of its name, its year, then its arXiv id or a digest of its
    canonical key ("transformer2017_1706.03762", "lstm_5d41402a")."""
    word = _ascii_word(paper.short_name) or _ascii_word(paper.title) or "paper"
    year = paper.venue_year or paper.year or ""
    if paper.arxiv_id:
        tail = re.sub(r"[^A-Za-z0-9.]+", "-", paper.arxiv_id)
    else:
        tail = hashlib.sha1(paper.key.encode()).hexdigest()[:8]
    return f"{word}{year}_{tail}"


def _ascii_word(text: str) -> str:
    """The first significant word of ``text``, lowercase ASCII letters and
    digits ("" for text without one, such as a Chinese title)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    for word in re.split(r"[^A-Za-z0-9]+", ascii_text):
        if word and not word.isdigit() and word.lower() not in STOPWORDS:
            return word.lower()[:KEY_WORD_CHARS]
    return ""
