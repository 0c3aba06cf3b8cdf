"""Text helpers shared by the stages: whitespace, labels, suffixes, dates."""

from __future__ import annotations

import datetime
import re

from catalog.ingest.parsing import vocabulary

# "3.4.1 ", "1.X" (no space after a dot), "一、", "IV. ", and letter numbers
# ("a 论文", "B. Datasets"): a letter alone before CJK text or with a dot.
NUMBERING_RE = re.compile(
    r"^\s*(?:(?:\d+(?:\.\d+)*\.?|[一二三四五六七八九十百]+\s*[.、．]|[IVX]+\.)\s+"
    r"|\d+(?:\.\d+)*\.(?=[^\d\s.])|[A-Za-z](?:[.)、．]\s*|\s+(?=[\u3400-\u9fff])))"
    r"(?=\S)"
)
_SUFFIX_RE = re.compile(r"\s*[-–—]\s*([^\s\d\-–—][^\s]*?)?((?:19|20)\d\d)\s*$")
# The same suffix with its year cut short ("- Yahoo201"): the organisation.
_CUT_SUFFIX_RE = re.compile(r"\s*[-–—]\s*([A-Za-z][\w&.]*?)(?:19|20)\d\s*$")
DATE_RE = re.compile(
    r"(?<![\d.])((?:19|20)\d\d)[-/.](\d{1,2})(?:[-/.](\d{1,2}))?(?![\d])"
)
YEAR_IN_PARENS_RE = re.compile(r"[(（,，.]\s*((?:19|20)\d\d)\s*[)）.,]")
YEAR_ALONE_RE = re.compile(r"^\s*\(?\s*((?:19|20)\d\d)\s*\)?\s*$")
SHORT_NAME_RE = re.compile(r"^\s*([^:：\s][^:：]{0,40}?)\s*[:：]\s*$")
ALIAS_RE = re.compile(r"^\s*\[([^\[\]]{1,40})\]\s*$")
_GENERIC_TEXT_RE = re.compile(
    r"^(?:paper|papers|pdf|arxiv|abs|link|links|here|full ?text|doi|url|download"
    r"|html|论文|原文|paper link|paper version \d+|paper[- ][\w.-]+|pdf-\w+|thesis"
    r"|report|(?:arxiv|pdf) paper"
    r"|\d+|\.|project|home ?page|web|website|preprint)$",
    re.IGNORECASE,
)
_WRITTEN_DATE_RE = re.compile(
    r"^(?:arxiv\s+)?(?:\d{1,2}\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"
    r"\.?,?\s+(?:\d{1,2},?\s+)?(?:19|20)\d\d$",
    re.IGNORECASE,
)
YEAR_RE = re.compile(r"(?:19|20)\d\d")
QUOTED_TITLE_RE = re.compile(r"[\"“]([^\"”]{8,})[\"”]")
LINE_NUMBERING_RE = re.compile(r"^\s*(?:\[\d+\]|\(\d{4}-\d{2}\)|:\w+:|\d+[.)])\s*")
HR_RE = re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$")
LIST_MARKER_RE = re.compile(r"^\s*(?:>\s*)*(?:[-*+]|\d+[.)])\s+")
QUOTE_RE = re.compile(r"^\s*(?:>\s?)+")
GROUP_LABELS = frozenset(
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
CODE_KINDS = frozenset(
    {"code", "codes", "代码", "github", "implementation", "implementations"}
)


def clean(text: str) -> str:
    # str.split() and the re module agree on what whitespace is.
    return " ".join(text.split())


# "[[Web]](url)": a link text written in brackets of its own, as a label.
_BRACKETED_RE = re.compile(r"^\s*[\[【]\s*([^\[\]【】]+?)\s*[\]】]\s*$")


def unbracketed(text: str | None) -> str | None:
    """A link text without the brackets around all of it ("[Web]" -> "Web")."""
    match = _BRACKETED_RE.match(text) if text else None
    return match[1] if match else text


def is_generic(text: str | None, url: str) -> bool:
    if not text:
        return True
    label = clean(text).strip(" []()`【】*_:：")
    if len(label) > 40:  # a title, not a label ("pdf", "[CVPR2018 Oral]")
        return False
    if not label or label == url or label.startswith(("http://", "https://")):
        return True
    if _GENERIC_TEXT_RE.match(label):
        return True
    if DATE_RE.search(label) and len(DATE_RE.sub("", label).strip(" ,-")) <= 8:
        return True
    if _WRITTEN_DATE_RE.match(label):  # "[23 Oct 2019]", "[arXiv 13 Sep 2019]"
        return True
    venue, _ = vocabulary.find_venue(label)
    return bool(venue) and len(vocabulary.VENUE_RE.sub("", label).strip()) <= 10


def split_suffix(title: str) -> tuple[str, str | None, int | None]:
    """ "Title - Salesforce2017" -> ("Title", "Salesforce", 2017)."""
    match = _SUFFIX_RE.search(title)
    if not match:
        return _cut_suffix(title)
    if not title[: match.start()].strip():
        return title.strip(), None, None
    year = int(match[2])
    if not vocabulary.sane_year(year):
        return title.strip(), None, None
    return title[: match.start()].strip(), match[1] or None, year


def _cut_suffix(title: str) -> tuple[str, str | None, None]:
    cut = _CUT_SUFFIX_RE.search(title)
    if cut and title[: cut.start()].strip():
        return title[: cut.start()].strip(), cut[1], None
    return title.strip(), None, None


def find_date(text: str) -> tuple[datetime.date | None, int | None]:
    for match in DATE_RE.finditer(text):
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


_METADATA_RE = re.compile(
    r"^(?:\*?\(?(?:19|20)\d\d(?:[-/.]\d{1,2}){0,2}\)?\*?|[\s,|]|"
    + vocabulary.VENUE_RE.pattern
    + r")+$",
    re.IGNORECASE,
)


def is_metadata(text: str) -> bool:
    """A line that only holds a venue and/or a date: "NIPS 2018 *2018-01-11*"."""
    return bool(_METADATA_RE.match(text))
