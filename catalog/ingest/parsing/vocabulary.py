"""Words reading lists use for venues, frameworks, resource kinds and hosts.

Pure data and small pure functions: the parser and the catalog share them.
"""

from __future__ import annotations

import re
import unicodedata

# Canonical venue -> spellings seen in lists (matched case-insensitively as
# whole words, optionally followed by a year: "NIPS 2018", "CVPR'19",
# "cvpr2018", "ICLR Workshop 2018"), full names included ("Advances in
# neural information processing systems. 2012.").
VENUES: dict[str, tuple[str, ...]] = {
    "NeurIPS": (
        "NeurIPS",
        "NIPS",
        "NeurlIPS",
        "Neural Information Processing Systems",
    ),
    "ICML": ("ICML", "International Conference on Machine Learning"),
    "ICLR": ("ICLR", "International Conference on Learning Representations"),
    "CVPR": ("CVPR", "Computer Vision and Pattern Recognition"),
    "ICCV": ("ICCV", "International Conference on Computer Vision"),
    "ECCV": ("ECCV", "European Conference on Computer Vision"),
    "ACL": ("ACL",),
    "EMNLP": ("EMNLP", "Empirical Methods in Natural Language Processing"),
    "NAACL": ("NAACL", "NAACL-HLT"),
    "COLING": ("COLING",),
    "EACL": ("EACL",),
    "AAAI": ("AAAI",),
    "IJCAI": ("IJCAI", "International Joint Conference on Artificial Intelligence"),
    "KDD": ("KDD", "SIGKDD"),
    "WWW": ("WWW", "TheWebConf"),
    "SIGIR": ("SIGIR",),
    "WSDM": ("WSDM",),
    "CIKM": ("CIKM",),
    "ICDM": ("ICDM",),
    "RecSys": ("RecSys",),
    "JMLR": ("JMLR", "Journal of Machine Learning Research"),
    "TPAMI": (
        "TPAMI",
        "PAMI",
        "Transactions on Pattern Analysis and Machine Intelligence",
    ),
    "TACL": ("TACL",),
    "TNNLS": (
        "TNNLS",
        "Transactions on Neural Networks and Learning Systems",
    ),
    "TNN": ("TNN", "Transactions on Neural Networks"),
    "TIP": ("TIP", "Transactions on Image Processing"),
    "TMM": ("TMM", "Transactions on Multimedia"),
    "TCSVT": ("TCSVT", "Transactions on Circuits and Systems for Video Technology"),
    "TKDE": ("TKDE", "Transactions on Knowledge and Data Engineering"),
    "TOG": ("TOG", "ACM Transactions on Graphics"),
    "TMLR": ("TMLR", "Transactions on Machine Learning Research"),
    "TASLP": ("TASLP",),
    "SIGGRAPH": ("SIGGRAPH",),
    "IEEE Access": ("IEEE Access",),
    "Neurocomputing": ("Neurocomputing",),
    "Knowledge-Based Systems": ("Knowledge-Based Systems",),
    "PNAS": ("PNAS",),
    "ICPR": ("ICPR",),
    "ICIP": ("ICIP",),
    "ICME": ("ICME",),
    "IJCNN": ("IJCNN",),
    "ICANN": ("ICANN",),
    "CoNLL": ("CoNLL",),
    "LREC": ("LREC",),
    "AAMAS": ("AAMAS",),
    "ICDE": ("ICDE",),
    "VLDB": ("VLDB",),
    "SIGMOD": ("SIGMOD",),
    "ECML-PKDD": ("ECML-PKDD", "ECML PKDD", "ECML/PKDD"),
    "ECML": ("ECML",),
    "PAKDD": ("PAKDD",),
    "ISBI": ("ISBI",),
    "ICDAR": ("ICDAR",),
    "ECIR": ("ECIR",),
    "IJCV": ("IJCV", "International Journal of Computer Vision"),
    "AISTATS": ("AISTATS",),
    "UAI": ("UAI",),
    "COLT": ("COLT",),
    "CoRL": ("CoRL",),
    "ICRA": ("ICRA",),
    "IROS": ("IROS",),
    "RSS": ("RSS",),
    "BMVC": ("BMVC",),
    "WACV": ("WACV",),
    "ACCV": ("ACCV",),
    "MICCAI": ("MICCAI",),
    "ACM MM": ("ACM MM", "ACMMM", "ACM Multimedia"),
    "Interspeech": ("Interspeech", "INTERSPEECH"),
    "ICASSP": ("ICASSP",),
    "JAIR": ("JAIR",),
    "Nature": ("Nature",),
    "Science": ("Science",),
    "arXiv": ("arXiv", "arxiv preprint", "ArXiv", "Arxiv"),
}

_VENUE_LOOKUP = {
    spelling.lower(): canonical
    for canonical, spellings in VENUES.items()
    for spelling in spellings
}
_VENUE_ALTERNATION = "|".join(
    re.escape(s).replace(r"\ ", r"\s+")
    for s in sorted(_VENUE_LOOKUP, key=len, reverse=True)
)
# "NIPS 2018", "CVPR'19", "CVPR' 14", "cvpr2018", "ICLR Workshop 2018",
# "CVPRW2021", "NIPS 2019 workshop", "EMNLP 18", "(JAIR 1996)", "ECCV (2016)",
# "Nature 521.7553 (2015)". Science/Nature only count with a year.
VENUE_RE = re.compile(
    rf"(?<![\w.-])(?P<venue>{_VENUE_ALTERNATION})(?P<w>W)?(?![A-Za-z_-])"
    r"(?:(?:\s+(?P<qual>workshops?|oral|poster|spotlight|findings|main))?"
    r"(?:\s*(?:'\s*|’\s*|\s)?(?P<year>(?:19|20)\d\d|\d\d)(?!\d)(?![.:]\d)"
    r"|\s*(?:\d+(?:[.:]\d+)*(?:\(\d+\))?\s*)?\(\s*(?P<pyear>(?:19|20)\d\d)\s*\))"
    r"(?P<after>\s+workshops?\b)?)?",
    re.IGNORECASE,
)
_VENUE_NEEDS_YEAR = {"Nature", "Science", "WWW", "TIP", "RSS", "UAI", "ACL"}


def find_venue(text: str) -> tuple[str | None, int | None]:
    """The first venue named in ``text`` and its year: ("NeurIPS", 2018)."""
    for match in VENUE_RE.finditer(unicodedata.normalize("NFKC", text)):
        canonical = _VENUE_LOOKUP[re.sub(r"\s+", " ", match["venue"].lower())]
        year = _year_of(match["year"] or match["pyear"])
        written = match["venue"]
        if canonical in _VENUE_NEEDS_YEAR and (year is None or written.islower()):
            continue
        if canonical == "arXiv":
            # A preprint is not a venue; its year is still a year (not the
            # day of "[Arxiv 27 May 2021]").
            return None, year if len(match["year"] or "") != 2 else None
        if _workshop(match):
            # Rule 10: a workshop is "<Conf> Workshop" (CVPRW2021 too).
            return f"{canonical} Workshop", year
        return canonical, year
    return written_venue(text)


def _workshop(match: re.Match) -> bool:
    qualifier = (match["qual"] or "").lower()
    return bool(
        (match["w"] and match["venue"].isupper())
        or match["after"]
        or qualifier.startswith("workshop")
    )


# Rule 10: "<Venue words> <year>" in brackets names a venue outside the
# vocabulary, as written: "(IEEE Big Data 2020)", "[NPJ Digit. Med. 2025]".
_VENUE_WORDS = (
    r"(?:[A-Z][\w&.'’-]*)(?:\s+(?:[A-Z][\w&.'’-]*|of|on|for|and|in|the|&{})){{0,7}}"
)
_WRITTEN_VENUE_RE = re.compile(
    rf"[(\[（]\s*(?P<venue>{_VENUE_WORDS.format('')})"
    r"\s*,?\s+'?(?P<year>(?:19|20)\d\d)\s*[)\]）]"
)
# Months, seasons and words of a date or a version note: not venues.
_NOT_VENUES = frozenset([
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct",
    "nov", "dec", "january", "february", "march", "april", "june", "july", "august",
    "september", "october", "november", "december", "spring", "summer", "fall",
    "autumn", "winter", "since", "updated", "arxiv", "preprint", "submitted",
    "accepted", "version", "before", "after", "until", "from", "in", "at", "the",
    # Organisations that publish papers, not venues: "(Anthropic 2024)".
    "google", "deepmind", "openai", "anthropic", "meta", "microsoft", "facebook",
    "fair", "nvidia", "baidu", "alibaba", "tencent", "huawei", "amazon", "apple",
    "ibm", "salesforce", "stanford", "berkeley", "mit", "cmu", "tsinghua",
])  # fmt: skip


def written_venue(text: str) -> tuple[str | None, int | None]:
    """A bracketed "<Venue words> <year>" not in the vocabulary."""
    for match in _WRITTEN_VENUE_RE.finditer(text):
        venue = _written(match["venue"])
        year = int(match["year"])
        if venue and sane_year(year):
            return venue, year
    return None, None


def _written(words: str) -> str | None:
    """Venue words as written, unless they name a date, arXiv or an
    organisation."""
    venue = " ".join(words.split()).rstrip(",")
    first = venue.split(" ")[0].rstrip(".").lower()
    if first in _NOT_VENUES or "arxiv" in venue.lower():
        return None
    return venue


# ... and written after an entry's link, all that follows it: "[Title](url),
# NPJ Digit. Med. 2025", "[Title](url), Arxiv 2024" (a year, no venue).
_WRITTEN_TAIL_RE = re.compile(
    rf"^\s*[.,;:–—-]?\s*(?P<venue>{_VENUE_WORDS.format('|preprint')})"
    r"\s*,?\s+(?P<year>(?:19|20)\d\d)\s*\.?\s*$"
)


def written_tail(text: str) -> tuple[str | None, int | None]:
    """The venue (perhaps none: "Arxiv 2024") and year that are all of
    ``text``, the words after an entry's link."""
    match = _WRITTEN_TAIL_RE.match(text)
    if match is None or not sane_year(year := int(match["year"])):
        return None, None
    return _written(match["venue"]), year


def _year_of(digits: str | None) -> int | None:
    if not digits:
        return None
    year = int(digits)
    if len(digits) == 2:
        year += 2000 if year < 50 else 1900
    return year if sane_year(year) else None


def sane_year(year: int) -> bool:
    return 1900 <= year <= 2100


# Framework words in link text or markers: "[pytorch]", "(Keras)",
# "[`[official code - caffe]`]", "[[Tensorflow Code]]", typo "Tensorlfow".
FRAMEWORKS: dict[str, tuple[str, ...]] = {
    "pytorch": ("pytorch", "pytroch", "py-torch"),
    "tensorflow": ("tensorflow", "tensorlfow", "tensorflow2", "tf", "tf2"),
    "keras": ("keras",),
    "jax": ("jax", "flax"),
    "mxnet": ("mxnet", "gluon"),
    "caffe2": ("caffe2",),
    "caffe": ("caffe",),
    "paddlepaddle": ("paddlepaddle", "paddle"),
    "mindspore": ("mindspore",),
    "theano": ("theano", "lasagne"),
    "torch": ("torch", "lua torch"),
    "chainer": ("chainer",),
    "matlab": ("matlab",),
}
_FRAMEWORK_LOOKUP = {s: canonical for canonical, ss in FRAMEWORKS.items() for s in ss}
_FRAMEWORK_RE = re.compile(
    r"(?<![a-z0-9])("
    + "|".join(re.escape(s) for s in sorted(_FRAMEWORK_LOOKUP, key=len, reverse=True))
    + r")(?![a-z0-9])"
)


def find_framework(text: str) -> str | None:
    """The framework a short label names: "[official code - caffe]" -> caffe."""
    match = _FRAMEWORK_RE.search(text.lower())
    return _FRAMEWORK_LOOKUP[match[1]] if match else None


# Headings (and inline labels) that name a kind of resource, not a topic.
# Value: the kind of "other" links under it ("link" when not a link kind).
KIND_HEADINGS: dict[str, str] = {
    "paper": "link",
    "papers": "link",
    "论文": "link",
    "code": "link",
    "codes": "link",
    "代码": "link",
    "github": "link",
    "implementation": "link",
    "implementations": "link",
    "article": "article",
    "articles": "article",
    "文章": "article",
    "blog": "blog",
    "blogs": "blog",
    "博客": "blog",
    "course": "course",
    "courses": "course",
    "课程": "course",
    "tool": "tool",
    "tools": "tool",
    "工具": "tool",
    "library": "library",
    "libraries": "library",
    "库": "library",
    "practice": "practice",
    "pratice": "practice",
    "practices": "practice",
    "video": "video",
    "videos": "video",
    "视频": "video",
    "dataset": "dataset",
    "datasets": "dataset",
    "数据集": "dataset",
    "book": "book",
    "books": "book",
    "书籍": "book",
    "competition": "link",
    "competitions": "link",
    "website": "link",
    "websites": "link",
}
# Inline labels that set the kind of the link after them.
LABEL_KINDS: dict[str, str] = {
    "article": "article",
    "articles": "article",
    "blog": "blog",
    "course": "course",
    "tool": "tool",
    "library": "library",
    "practice": "practice",
    "video": "video",
    "dataset": "dataset",
    "book": "book",
}


def is_link_label(label: str) -> bool:
    """A normalised label naming what a link is ("paper", "code", "blog")."""
    return label in KIND_HEADINGS or label in LABEL_KINDS or label in MATERIAL_LABELS


# Link texts of what goes with a paper but is not one (rule 11).
MATERIAL_LABELS = frozenset(
    {
        "slide",
        "slides",
        "poster",
        "talk",
        "presentation",
        "supplementary",
        "supplement",
        "supplementary material",
        "supplementary materials",
        "supp",
        "appendix",
        "errata",
        "erratum",
        "幻灯片",
        "海报",
        "补充材料",
    }
)
TRANSLATION_LABELS = frozenset(
    {
        "chinese",
        "chineses",
        "chinese version",
        "chinese blog",
        "chinese translation",
        "中文",
        "中文版",
        "中英文对照",
        "中文笔记",
        "中文翻译",
        "翻译",
        "译文",
        "中译",
        "中译版",
    }
)


def heading_kind(text: str) -> str | None:
    """The link kind a heading such as "Papers", "#### Practice - TODO" names."""
    key = normalise_label(text)
    key = re.sub(r"\s*(?:-\s*todo|\(.*\))$", "", key).strip()
    return KIND_HEADINGS.get(key)


# Headings of a table of contents (rule 12): no topic.
CONTENTS_HEADINGS = frozenset(
    {"contents", "content", "table of contents", "toc", "目录", "目錄", "索引"}
)


def is_contents_heading(text: str) -> bool:
    return normalise_label(text) in CONTENTS_HEADINGS


def normalise_label(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).strip().lower()
    return text.strip(" \t:：*_[]【】()（）`#'\"").strip()


CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


# Rule 14: where decoration points (a badge's link to the badge service, an
# image file) and hosts of videos (a badge wrapping one is a video link).
_BADGE_HOSTS = (
    "shields.io",
    "badge.fury.io",
    "badgen.net",
    "travis-ci.org",
    "travis-ci.com",
    "circleci.com",
    "codecov.io",
    "coveralls.io",
    "awesome.re",
    "badges.gitter.im",
    "github.com/sindresorhus/awesome",  # the Awesome badge's own page
)
_IMAGE_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp")
_VIDEO_HOSTS = ("bilibili.com", "b23.tv", "youtube.com", "youtu.be", "vimeo.com")
_HOST_RE = re.compile(r"^https?://(?:www\.)?([^?#]*)", re.IGNORECASE)


def is_badge_target(url: str) -> bool:
    where = _HOST_RE.match(url)
    location = where[1].lower().rstrip("/") if where else ""
    host = location.split("/", 1)[0]
    return location.endswith(_IMAGE_SUFFIXES) or any(
        location.startswith(h) if "/" in h else host == h or host.endswith("." + h)
        for h in _BADGE_HOSTS
    )


def is_video_url(url: str | None) -> bool:
    where = _HOST_RE.match(url or "")
    host = where[1].split("/", 1)[0].lower() if where else ""
    return any(host == h or host.endswith("." + h) for h in _VIDEO_HOSTS)
