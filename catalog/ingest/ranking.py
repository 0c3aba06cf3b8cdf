"""Which of the values several lists give one row wins: by rule, never by
arrival.

Every chooser here is a total order on values (best first), so the value a
row ends with is the best one any list gave it whatever the order the lists
are imported in. Pure: no Django, no database.

A title ranks by what kind of text it is (TitleClass: a link text such as
``paper`` or ``[Arxiv 27 May 2021]`` below a citation, a short name such as
``ResNet``, a title carrying noise, a clean title), then by how full it is
(words, then characters), then by its text, so that two equally full titles
are still ordered.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass

from catalog.ingest.parsing import vocabulary


class TitleClass(enum.IntEnum):
    """What kind of text a title is, worst first."""

    EMPTY = 0
    LINK_TEXT = 1  # "paper", "pdf", "[Pytorch]", "[Arxiv 27 May 2021]"
    CITATION = 2  # "Krause et al., (2017)"
    SHORT_NAME = 3  # "ResNet", "Faster R-CNN"
    TITLE = 4


# Words of link texts: what a list writes on a link that is not a title.
_LINK_WORDS_TEXT = """
paper papers pdf pdfs arxiv arxiv.org abs abstract code codes github gitlab
source official implementation unofficial video videos youtube bilibili
slides slide ppt talk poster oral spotlight project page homepage website
site web link links here url html doi download bib bibtex blog demo
supp supplementary supplemental appendix openreview review reviews preprint
version full text available online model models weights dataset data
repo repository notebook colab tutorial and or the of in at on
jan feb mar apr may jun jul aug sep sept oct nov dec january february march
april june july august september october november december
论文 代码 视频 项目 主页 链接 地址 原文 下载 官方 实现 翻译 中文 解读
"""
LINK_WORDS = frozenset(_LINK_WORDS_TEXT.split())
_VENUE_WORDS = frozenset(
    word.lower()
    for spellings in vocabulary.VENUES.values()
    for spelling in spellings
    for word in spelling.split()
) | frozenset(
    spelling for spellings in vocabulary.FRAMEWORKS.values() for spelling in spellings
)
_TOKEN_RE = re.compile(r"[^\W_]+(?:[.'’-][^\W_]+)*\.?", re.UNICODE)
_WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)
_NUMBER_RE = re.compile(r"^(?:\d+(?:st|nd|rd|th)?|'?\d\d|v\d+)\.?$")
# A name has a capital or a digit somewhere (ResNet, YOLOv3, Faster R-CNN).
_NAME_RE = re.compile(r"[A-Z0-9]")
_WRAPPED_RE = re.compile(r"^\s*[\[(【（<]+(.*?)[\])】）>]+\s*$")
_ARXIV_ID_RE = re.compile(r"\b\d{4}\.\d{4,5}\b|arxiv:\s*\S", re.IGNORECASE)
_ORGANISATION_WORDS = (
    r"Research|University|Univ\.?|Inc\.?|Labs?|Institute|DeepMind|Brain|"
    r"Google|Microsoft|Facebook|Meta|OpenAI|Berkeley|Stanford|MIT|CMU|NYU|"
    r"Toronto|Montreal|Oxford|Tsinghua|Baidu|Alibaba|Tencent|NVIDIA|IBM|Adobe"
)
# Where noise glued after a title starts (title_core).
_NOISE_RE = re.compile(
    r"\s*[(\[（【]"  # "(IJCAI 2016)", "(2015), ...", "[CVPR 2023]"
    r"|\s+by\s+[A-Z]"  # " by Yoshua Bengio"
    r"|,\s*(?:[A-Z]\.\s?[A-Z]|(?:[\w.]+\s){0,3}(?:"
    + _ORGANISATION_WORDS
    + r")\b)"  # ", Y. LeCun", ", Microsoft Research"
    r"|,?\s*arXiv\b|\s\d{4}\.\d{4,5}\b"  # an arXiv id
    r"|\s[-–—]\s*\S*(?:19|20)\d\d\s*$"  # " - Org2018"
    r"|,\s*(?:19|20)\d\d\b"  # ", 2014"
)
_CORE_MIN_CHARS = 2
_LEADING_LATIN_RE = re.compile(
    r"^[^\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]+"
)
_ET_AL_RE = re.compile(r"\bet\s+al\b", re.IGNORECASE)
_CJK_RE = vocabulary.CJK_RE
_LATIN_RE = re.compile(r"[A-Za-z]{3,}")
_URL_RE = re.compile(r"^\s*(?:https?://|www\.)\S*\s*$", re.IGNORECASE)
SHORT_NAME_MAX_WORDS = 2
SHORT_NAME_MAX_CHARS = 30


@dataclass(frozen=True, order=True)
class TitleRank:
    """A title's rank: compare two with ``<`` (better is greater); the text
    itself breaks ties (the smaller text ranks higher)."""

    kind: TitleClass
    words: int
    chars: int
    clean: bool
    text: _Reversed

    @property
    def is_short_name(self) -> bool:
        return self.kind == TitleClass.SHORT_NAME

    @property
    def is_title(self) -> bool:
        return self.kind == TitleClass.TITLE


@dataclass(frozen=True)
class _Reversed:
    """A string ordered backwards, so a rank's tie-break prefers the
    smaller text."""

    value: str

    def __lt__(self, other: _Reversed) -> bool:
        return self.value > other.value

    def __gt__(self, other: _Reversed) -> bool:
        return self.value < other.value

    def __le__(self, other: _Reversed) -> bool:
        return self.value >= other.value

    def __ge__(self, other: _Reversed) -> bool:
        return self.value <= other.value


def title_class(title: str | None, *, short_name_flag: bool = False) -> TitleClass:
    """What kind of text ``title`` is (``short_name_flag``: the parser says it
    is an entry's short name)."""
    text = unicodedata.normalize("NFKC", title or "").strip()
    if not text:
        return TitleClass.EMPTY
    if _is_link_text(text):
        return TitleClass.LINK_TEXT
    if _ET_AL_RE.search(text):
        return TitleClass.CITATION
    words = text.split()
    short = (
        len(words) <= SHORT_NAME_MAX_WORDS and len(text) <= SHORT_NAME_MAX_CHARS
    ) and not _CJK_RE.search(text)
    if (short or short_name_flag) and not _NAME_RE.search(text):
        # Lower-case words only ("this survey paper", "the original"): a
        # phrase that points at a paper, not a name of it.
        return TitleClass.LINK_TEXT
    if short_name_flag or short:
        return TitleClass.SHORT_NAME
    return TitleClass.TITLE


def _is_link_text(text: str) -> bool:
    """A bracketed tag, a URL, or only link words, venues, dates and numbers."""
    inner = text
    while match := _WRAPPED_RE.match(inner):
        inner = match[1]
    tokens = _TOKEN_RE.findall(inner.casefold())
    return bool(_URL_RE.match(inner)) or all(map(_is_link_token, tokens))


def _is_link_token(token: str) -> bool:
    token = token.rstrip(".")
    return (
        token in LINK_WORDS
        or token in _VENUE_WORDS
        or bool(_NUMBER_RE.match(token))
        or bool(_ARXIV_ID_RE.fullmatch(token))
    )


def title_core(title: str) -> str:
    """The title without what a list glued after it: a bracketed venue or
    year, authors (" by ...", ", Y. LeCun"), an organisation (", Microsoft
    Research"), an arXiv id, a " - Org2018" suffix, a translation."""
    text = " ".join(title.split())
    cut = len(text)
    for match in _NOISE_RE.finditer(text):
        if match.start() >= _CORE_MIN_CHARS:
            cut = match.start()
            break
    core = text[:cut].rstrip(" ,;:-–—")
    if _CJK_RE.search(core) and (latin := _LEADING_LATIN_RE.match(core)):
        core = latin[0].rstrip(" ,;:-–—([（")
    return core if len(core) >= _CORE_MIN_CHARS else text


def title_rank(title: str | None, *, short_name_flag: bool = False) -> TitleRank:
    """A title's rank: its core's kind, words and characters (the fullest
    real title wins), then a clean title over one carrying noise, then the
    text."""
    text = " ".join((title or "").split())
    core = title_core(text)
    return TitleRank(
        title_class(core, short_name_flag=short_name_flag),
        len(core.split()),
        len(core),
        core == text,
        _Reversed(text),
    )


def best_title(*titles: str | None) -> str:
    """The best of ``titles``: the fullest real title."""
    return max((t or "" for t in titles), key=title_rank)


def normalised_title(title: str | None) -> str:
    """A title as compared across lists: casefolded words, no punctuation."""
    text = unicodedata.normalize("NFKC", title or "").casefold()
    return " ".join(_WORD_RE.findall(text.replace("'", "").replace("’", "")))


# -- other fields: each a sort key, the smallest best --------------------------


def short_name_key(value: str | None) -> tuple:
    """A short name: any over none, then the shortest, then by text."""
    value = value or ""
    return (not value, len(value), value)


def text_key(value: str | None) -> tuple:
    """Free text (notes, descriptions): any over none, the fullest first."""
    value = value or ""
    return (not value, -len(value), value)


def label_key(value: str | None) -> tuple:
    """A short label (an organisation, a language): any over none, then by text."""
    value = value or ""
    return (not value, value)


def url_key(url: str | None, *, key: str = "") -> tuple:
    """The URL a row is shown with: one its key names (``arxiv:ID``,
    ``url:...``), a page over a PDF, https over http, the shortest, then by
    text."""
    url = url or ""
    lowered = url.lower()
    return (
        not url,
        not _names_key(lowered, key.lower()),
        lowered.endswith(".pdf") or "/pdf/" in lowered,
        not lowered.startswith("https://"),
        len(url),
        url,
    )


def _names_key(url: str, key: str) -> bool:
    kind, _, value = key.partition(":")
    if kind == "arxiv":
        return "arxiv.org/" in url and value in url
    return url.split("://", 1)[-1].rstrip("/") == value


@dataclass(frozen=True)
class Dating:
    """When and where a paper was published, as one list says it: chosen
    together, so a year never pairs with another list's venue."""

    year: int | None
    date: object  # datetime.date | None
    venue: str
    venue_year: int | None

    def key(self) -> tuple:
        """The list that says the most wins: a venue, its year, a date, a
        year; then the latest year, then by text."""
        return (
            not self.venue,
            self.venue_year is None,
            self.date is None,
            self.year is None,
            -(self.year or 0),
            self.venue,
            -(self.venue_year or 0),
            self.date.isoformat() if self.date else "",
        )
