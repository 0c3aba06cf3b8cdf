"""A paper's title out of the text around it: rule 8 of tests/golden/RULES.md.

Lists write a title with more than the title beside it: bracketed tags
("[Arxiv 27 May 2021] Title", "Title [CVPR 2023]"), a venue parenthetical
("Title (IJCAI 2016)"), a glued translation ("Title(中文标题)"), and in
citations the authors before or after it ("A. Author, B. Author, Title (Venue
Year)", "Title (2013), I. Sutskever et al."). These functions take the title
out and say what else they found (a venue, a year).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from catalog.ingest.parsing import vocabulary
from catalog.ingest.parsing.text import DATE_RE, QUOTED_TITLE_RE

# One regex per shape, each anchored: applied once per title, not per token.
_LEADING_TAG_RE = re.compile(r"^\s*[\[【]([^\[\]【】]{2,40})[\]】]\s*")
_TRAILING_TAG_RE = re.compile(r"\s*[\[【(（]([^\[\]【】()（）]{2,60})[\]】)）]\s*$")
# "[22. Dropout](...)": the list's numbering, written inside the link.
_LINK_NUMBERING_RE = re.compile(r"^\s*\d{1,3}[.)、]\s+(?=\S)")
# "arXiv: Title", "CVPR 2019: Title": where the paper appeared, not its title.
_LEADING_SOURCE_RE = re.compile(r"^\s*([^:：\[\]()（）]{2,20}?)\s*[:：]\s+(?=\S)")
_SOURCE_LABELS = frozenset({"arxiv", "arxiv preprint", "paper", "pdf"})
# "Title (Lample et al.)", "Title (Kitaev & Klein)", "(Melis et al., 2019)":
# who wrote the paper, not its title.
_AUTHOR_PAREN_RE = re.compile(
    r"\s*[(（]\s*(?P<first>[A-Z][\w'’-]+)"
    r"(?:\s+et\s+al\b\.?|\s*&\s*(?P<second>[A-Z][\w'’-]+))"
    r"(?:,?\s*(?P<year>(?:19|20)\d\d))?\s*[)）]\s*$"
)
# ", Technical Report, Cambridge Univ." / ", PhD thesis, ...": what kind of
# document the citation names, after its title.
_REPORT_TAIL_RE = re.compile(
    r",\s*(?:technical\s+report|tech\.\s*rep\.|ph\.?\s*d\.?\s+thesis"
    r"|master'?s\s+thesis)\b[^,]*(?:,[^,]{1,60})?$",
    re.IGNORECASE,
)
# "Title (2014, C. Dong et al.": a year and authors whose parenthesis the
# list never closed.
_OPEN_YEAR_TAIL_RE = re.compile(r"\s*[(（]\s*((?:19|20)\d\d)\s*(?:,[^()（）]{0,60})?$")
# ", arXiv:1505.04467", ". ArXiv, 16 Oct 2015", ", arXiv preprint, 2015".
_ARXIV_TAIL_RE = re.compile(
    r"[,.]?\s*arxiv(?:\s*preprint)?(?:\s*(?:arxiv)?\s*[:：]?\s*\d{4}[.:]\d{4,5}(?:v\d+)?)?"
    r"[\s,.]*(?:\d{1,2}\s+[A-Za-z]{3,9}\.?\s+)?(?:(?:19|20)\d\d)?\s*\.?\s*$",
    re.IGNORECASE,
)
_ARXIV_ID_RE = re.compile(
    r"[,;]?\s*arxiv\s*[:：]\s*\d{4}[.:]\d{4,5}(?:v\d+)?", re.IGNORECASE
)
# ". Journal Name, vol. 1, no. 4, pp. 427-438" closing a citation (its year
# taken off first): where the paper appeared, no part of its title.
_LOCATOR_TAIL_RE = re.compile(
    r"\.\s+(?P<venue>[A-Z][^.,]{2,100}?)\s*,\s*(?:vol(?:ume)?\.?|no\.|pp\.)\s*\d.*$"
)
# ", 2015." closing a citation: its year.
_YEAR_TAIL_RE = re.compile(r",\s*((?:19|20)\d\d)\s*\.?\s*$")
# "... [[pdf]]" closing a name whose link is written apart from it.
_TRAILING_LABEL_RE = re.compile(r"(?:\s*\[+[^\[\]]{1,20}\]+)+\s*$")
_LEADING_LABEL_RE = re.compile(r"^[\s*_]*(?:[\[【][^\]】]{0,30}[\]】][\s*_]*)+")
# "(oral)", "[Spotlight]", "(** oral**)", "(Marr Prize)", "(4th ranked in
# VOC 2012)": how a paper was presented or honoured.
_PRESENTATION_RE = re.compile(
    r"^[\s*_]*(?:oral|spotlight|poster|highlight|workshop|honou?rable mention"
    r"|best (?:student )?paper(?: award)?|[\w ]{0,24}\b(?:prize|award)"
    r"|\d+(?:st|nd|rd|th) (?:ranked|rank|place)\b[\w .-]{0,30})[\s*_]*$",
    re.IGNORECASE,
)
_YEAR_ONLY_RE = re.compile(r"^\s*((?:19|20)\d\d)\s*$")
_FOUR_DIGIT_YEAR_RE = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_PARTICLE_WORDS = frozenset(
    ("van", "von", "den", "der", "de", "da", "dan", "del", "della", "di", "dos")
    + ("du", "le", "la", "ter", "ten", "bin")
)
# Longest first, so "della" is tried before "del" and "de".
_PARTICLES = rf"(?:{'|'.join(sorted(_PARTICLE_WORDS, key=lambda w: (-len(w), w)))})"
# An author: initials and capitalised names ("J. Andrew Bagnell", "Jan
# Peters", "C. Lawrence Zitnick", "Sidney N. Givigi and Shahram Yousefi"),
# initials without stops ("DY Yeung"), a mark of affiliation ("Wei Liu1").
_NAME = (
    r"(?:[A-Z]{1,2}\.\s?|[A-Z]{1,2}\s(?=[A-Z][a-z])|[A-Z][a-zà-ÿ'’-]+\d?\*?\s?"
    rf"|{_PARTICLES}\s){{2,5}}"
)
_AUTHOR_RE = re.compile(
    rf"^\s*(?:[^,]{{1,30}}\s[-–]\s|and\s+)?{_NAME}(?:\s*(?:and|&)\s+{_NAME})?"
    r"(?:\s*et\.?\s+al\.?)?\s*$"
)
# ", ICML, 2012" / ", Nature 2019." closing a citation.
_VENUE_TAIL_RE = re.compile(
    r"[,./]\s*([A-Za-z][^,.()/]{1,49}?),?\s+((?:19|20)\d\d)\s*\.?\s*$"
)
_INITIAL_RE = re.compile(r"\b[A-Z]\.")
# ", G. Hinton and R. Salakhutdinov." / ", I. Sutskever et al." after a title.
# After the first, an author may be written in full ("H. Wang and Bhiksha Raj").
_AUTHOR_TAIL_RE = re.compile(
    r",\s*(?:[A-Z]\.\s?)+[A-Z][\w'’-]+"
    r"(?:\s*(?:,|and|&)\s*(?:(?:[A-Z]\.\s?)+|[A-Z][a-z]+\s)[A-Z][\w'’-]+)*"
    r"(?:,?\s+et\s+al)?\.?\s*$"
)
# A year in parentheses before a title's subtitle ("Models(2017): A
# Tutorial"): the paper's year, no part of its title.
_INNER_YEAR_RE = re.compile(r"\s*[(（]((?:19|20)\d\d)[)）](?=\s*[:：]\s*\S)")
_ET_AL_RE = re.compile(r"\bet\s+al\b", re.IGNORECASE)
# The last author of a list ("and Patrick van der Smagt"), and a part of
# one written as "Surname, First name" (one to three capitalised words).
_ET_AL_PART_RE = re.compile(r"^\s*et\.?\s+al\.?\s*$")
_TWO_NAMES_RE = re.compile(r"\s(?:and|&)\s")
_AND_AUTHOR_RE = re.compile(rf"^\s*and\s+{_NAME}\s*$")
_NAME_WORDS_RE = re.compile(r"^\s*[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2}\s*$")
# ", Andrew G. Howard et al." / ", Rajpurkar et al" closing a citation.
_ET_AL_TAIL_RE = re.compile(r",\s*[^,()]{1,50}?\bet\.?\s+al\b\.?\s*$")
# "(from A. Author, Title, arXiv:1506.01497.)": a figure's credit line,
# its opening parenthesis perhaps stripped already ("From" opens titles).
_CREDIT_RE = re.compile(r"^\(?\s*(?:from|source:|credit:)\s+(.+?)\s*\)\s*\.?$")
# A lone author's name before a title ("Ross Girshick, Fast R-CNN"): two to
# four capitalised words or initials, none a word titles are made of.
_PLAIN_NAME_RE = re.compile(
    rf"^\s*(?:(?:[A-Z]{{1,2}}|[A-Z][a-zà-ÿ'’-]+\d?\*?|{_PARTICLES})(?:\s+|$)){{2,4}}$"
)
_TITLE_WORDS_TEXT = """
    learning deep neural network networks net nets model models image images vision
    visual detection detector object objects attention transformer transformers
    graph graphs generative adversarial convolutional recurrent reinforcement
    segmentation recognition language languages speech video videos training
    representation representations semantic machine machines data optimization
    gradient gradients stochastic policy memory fast faster efficient robust
    scalable sparse batch normalization residual dropout autoencoder autoencoders
    variational bayesian inference embedding embeddings search tracking style
    transfer generation translation question answering reasoning knowledge survey
    review introduction tutorial analysis approach method methods system systems
    framework algorithm algorithms theory architecture architectures
    classification regression clustering estimation prediction feature features
    supervised unsupervised domain adaptation large scale real time single
    multiple pyramid pooling layer layers field fields random conditional
    structured sequence sequences text word words sentence document caption
    captioning scene face faces pose depth point cloud clouds medical temporal
    spatial towards beyond rethinking revisiting understanding improving
    exploring human humans super resolution colorization segment deeper wide
    dense energy flow optical stereo matching motion action actions
"""
_TITLE_WORDS = frozenset(_TITLE_WORDS_TEXT.split())
_FUNCTION_WORDS_TEXT = (
    "a an the of for and or in on with to via from by at as is are not all you "
    "what how why when do does can we our your it"
)
_FUNCTION_WORDS = frozenset(_FUNCTION_WORDS_TEXT.split())
# A link text that cites a paper instead of naming it: "this survey paper",
# "Krause et al., (2017)", "Mikolov et al. 2010".
_CITATION_LABEL_RE = re.compile(
    r"^(?:(?:this|the|our|that|a)\s+(?:\w+\s+){0,2}(?:paper|survey|article|work|"
    r"preprint|report)"
    r"|[A-Z][\w'’-]+(?:\s+(?:and|&)\s+[A-Z][\w'’-]+)?\s+et\s+al\.?,?\s*"
    r"\(?(?:(?:19|20)\d\d)?\)?)$",
    re.IGNORECASE,
)


# An organisation written beside a paper's short name: "Fast R-CNN,
# Microsoft Research", "Microsoft (Deep Residual Learning)", "OverFeat, NYU".
_ORG = (
    r"(?:(?:Microsoft|Google|DeepMind|Facebook|Meta|FAIR|OpenAI|NVIDIA|Nvidia|Baidu"
    r"|Tencent|Alibaba|Huawei|IBM|Intel|Adobe|Amazon|Apple|Uber|Salesforce|Samsung"
    r"|Yahoo|NYU|MIT|CMU|UCLA|UC Berkeley|Berkeley|Stanford|Oxford|Cambridge"
    r"|Harvard|Princeton|Toronto|Montreal|INRIA|ETH|EPFL|MPI|Tsinghua|CUHK|HKUST"
    r"|KAIST|Adelaide|Univ\.(?:\s+\w+)+|University of(?:\s+\w+)+)"
    r"(?:\s+(?:Research|AI|Brain|Labs?|University|Zurich))*)"
)
_ORG_LABEL_RE = re.compile(
    rf"^(?:(?P<name>[^,()]{{1,40}}?),\s*(?P<org>{_ORG})"
    rf"|(?P<org_first>{_ORG})\s*\((?P<name_after>[^()]{{1,40}})\))$"
)

_ORG_PREFIX_RE = re.compile(rf"^\s*(?P<org>{_ORG})\s+[-–—|]\s+(?P<title>\S.{{7,}})$")


@dataclass(frozen=True, slots=True)
class Title:
    """A title and what was written around it."""

    text: str
    venue: str | None = None
    year: int | None = None


def is_citation_label(text: str) -> bool:
    """A link text that refers to a paper without naming it."""
    return bool(_CITATION_LABEL_RE.match(text.strip(" []")))


def link_title(text: str) -> Title:
    """A title written as a link's text: its tags, venue parenthetical and
    glued translation taken off."""
    venue = year = None
    title = _LINK_NUMBERING_RE.sub("", text, count=1)
    while match := _LEADING_TAG_RE.match(title):
        found = _tag(match[1])
        if found is None or not title[match.end() :].strip():
            break
        venue, year = found.venue or venue, found.year or year
        title = title[match.end() :]
    if source := _leading_source(title):
        title, venue, year = source.text, source.venue or venue, source.year or year
    title, author_year = _without_author_paren(title)
    title, found = _trailing_tag(title)
    if inner := _INNER_YEAR_RE.search(title):
        title = title[: inner.start()] + title[inner.end() :]
        author_year = author_year or int(inner[1])
    year = found.year or year or author_year
    return Title(title.strip(" ,;|-–"), found.venue or venue, year)


def _leading_source(title: str) -> Title | None:
    """The title after an "arXiv:" or "CVPR 2019:" label, with that venue."""
    match = _LEADING_SOURCE_RE.match(title)
    if match is None:
        return None
    label = " ".join(match[1].lower().split())
    if label in _SOURCE_LABELS:
        return Title(title[match.end() :])
    venue, year = vocabulary.find_venue(match[1])
    if venue and len(vocabulary.VENUE_RE.sub("", match[1]).strip(" ,'’")) <= 2:
        return Title(title[match.end() :], venue, year)
    return None


def _without_author_paren(title: str) -> tuple[str, int | None]:
    """The title without a closing "(Author et al., Year)", and that year."""
    match = _AUTHOR_PAREN_RE.search(title)
    if match is None or not title[: match.start()].strip():
        return title, None
    names = {match["first"], match["second"]} - {None}
    if any(n.lower() in _TITLE_WORDS or n.lower() in _FUNCTION_WORDS for n in names):
        return title, None  # "(Search & Rescue)": words of the title
    return title[: match.start()], int(match["year"]) if match["year"] else None


def _trailing_tag(title: str) -> tuple[str, Title]:
    """The title without a closing tag, venue parenthetical or translation."""
    match = _TRAILING_TAG_RE.search(title)
    if match and title[: match.start()].strip():
        found = _tag(match[1])
        if found is not None:
            return title[: match.start()], found
        if vocabulary.CJK_RE.search(match[1]) and not vocabulary.CJK_RE.search(
            title[: match.start()]
        ):
            # "Title(中文标题)": the Chinese part translates the title.
            return title[: match.start()], _NOTHING
    return title, _NOTHING


_NOTHING = Title("")


def citation_title(text: str) -> Title:
    """A title out of a citation: "A. Author, B. Author, Title (Venue Year),
    arXiv:1505.04467" -> Title("Title", venue, year)."""
    return _citation(text)[0]


def cited_title(text: str) -> Title | None:
    """The title of ``text`` if it is a whole citation: authors, the title,
    then a venue, a year or an arXiv id ("Ross Girshick, Jeff Donahue, Rich
    feature hierarchies ..., CVPR, 2014."); else None."""
    title, authors, tail = _citation(text)
    if authors and tail and len(title.text.split()) >= 3:
        return title
    return None


def _citation(text: str) -> tuple[Title, bool, bool]:
    """The title of a citation, whether authors came before it, and whether
    a venue, year or arXiv id closed it."""
    if credit := _CREDIT_RE.match(text.strip()):
        text = credit[1]
    if styled := _styled_citation(text.strip()):
        return styled, True, True
    written = text.strip()
    text = _ARXIV_ID_RE.sub("", _ARXIV_TAIL_RE.sub("", text)).strip()
    with_id = text != written
    tail = _AUTHOR_TAIL_RE.search(text) or _ET_AL_TAIL_RE.search(text)
    if tail and text[: tail.start()].strip():
        text = text[: tail.start()]
    text, venue, year = _closing(text)
    if (locator := _LOCATOR_TAIL_RE.search(text)) and text[: locator.start()].strip():
        text = text[: locator.start()]
        venue = venue or vocabulary.find_venue(locator["venue"])[0] or locator["venue"]
    if (report := _REPORT_TAIL_RE.search(text)) and text[: report.start()].strip():
        text = text[: report.start()]
    title = link_title(text)
    text = _without_authors(title.text)
    found = Title(text, title.venue or venue, title.year or year)
    closed = with_id or found.year is not None or found.venue is not None
    return found, text != title.text.strip(), closed


# APA: "Yang, Z., He, X., & Smola, A. (2015). Title. arXiv:1511.02274."
_APA_RE = re.compile(
    r"^(?P<authors>[^()]{3,300}?)\s*\((?P<year>(?:19|20)\d\d)[a-z]?\)\s*[.,]?\s+"
    r"(?P<title>[^.]{8,}?)\.(?:\s+(?P<rest>.*))?$"
)


def _styled_citation(text: str) -> Title | None:
    """The title, venue and year of a citation in APA style, or in MLA
    style ('Xiong, Caiming, and Richard Socher. "Title." arXiv (2016).'):
    authors, then the year and the title, or the title in quotes."""
    if (apa := _APA_RE.match(text)) and is_author_list(apa["authors"]):
        rest = apa["rest"] or ""
        title = apa["title"].strip("\"“”' ")
        return Title(title, vocabulary.find_venue(rest)[0], int(apa["year"]))
    quoted = QUOTED_TITLE_RE.search(text)
    if quoted and quoted.start() and is_author_list(text[: quoted.start()]):
        rest = text[quoted.end() :]
        title = quoted[1].strip().rstrip(".,")
        return Title(title, vocabulary.find_venue(rest)[0], last_year(rest))
    return None


def _closing(text: str) -> tuple[str, str | None, int | None]:
    """A citation without its closing venue and year (", ICML, 2012"), and
    them."""
    if tail := _VENUE_TAIL_RE.search(text):
        venue, _ = vocabulary.find_venue(tail[1])
        venue = venue or vocabulary.written_venue(f"({tail[1]} {tail[2]})")[0]
        if venue:
            return text[: tail.start()], venue, int(tail[2])
    if tail := _YEAR_TAIL_RE.search(text):
        return text[: tail.start()], None, int(tail[1])
    if (tail := _OPEN_YEAR_TAIL_RE.search(text)) and text[: tail.start()].strip():
        return text[: tail.start()], None, int(tail[1])
    return text, None, None


def organisation_label(text: str) -> tuple[str, str] | None:
    """(name, organisation) of a label naming a paper by its short name and
    where it comes from: "Fast R-CNN, Microsoft Research" -> ("Fast R-CNN",
    "Microsoft Research"); else None."""
    match = _ORG_LABEL_RE.match(text.strip())
    if match is None:
        return None
    name = match["name"] or match["name_after"]
    return name.strip(), match["org"] or match["org_first"]


def without_organisation(text: str) -> tuple[str, str | None]:
    """A title without the organisation written before it ("Microsoft -
    Jointly Modeling ...") and that organisation."""
    match = _ORG_PREFIX_RE.match(text)
    if match is None:
        return text, None
    return match["title"], match["org"]


def entry_name(text: str) -> str:
    """An entry's name as written before its links: "[0] Name (2015), A.
    Author." -> "Name"; a leading tag ("[Chinese Blog] Name") dropped; a
    GB/T 7714 reference's title ("Author. Title[EB/OL]. <url>")."""
    if reference := _GBT_ANY_RE.match(without_reference_mark(text)):
        return reference["title"].strip()
    text = _LEADING_LABEL_RE.sub("", text.rstrip(" (（"))
    text = _TRAILING_LABEL_RE.sub("", text)
    return citation_title(text).text or text


def _tag(inner: str) -> Title | None:
    """What a bracketed tag says ("Arxiv 27 May 2021", "CVPR 2023", "2013",
    "IJRR 2013"), or None if it is part of the title."""
    inner = inner.strip()
    if _PRESENTATION_RE.match(inner):
        return Title("")
    if year := _YEAR_ONLY_RE.match(inner):
        return Title("", None, int(year[1]))
    venue, year = vocabulary.find_venue(inner)
    if venue and len(vocabulary.VENUE_RE.sub("", inner).strip(" ,")) <= 12:
        return Title("", venue, year)
    if inner.lower().startswith("arxiv") or DATE_RE.search(inner):
        # "[Arxiv 27 May 2021]", "[2021-05-27]": a date tag.
        year = _FOUR_DIGIT_YEAR_RE.search(inner)
        return Title("", None, int(year[0]) if year else None)
    written, written_year = vocabulary.written_venue(f"({inner})")
    if written:
        return Title("", written, written_year)
    return None


def _lone_author(name: str, rest: str) -> bool:
    """Whether ``name`` reads as one author's name before the title ``rest``
    rather than the first words of a title ("Deep Learning, A Review")."""
    words = name.split()
    return (
        bool(_PLAIN_NAME_RE.match(name))
        and not any(w.lower().rstrip("*0123456789") in _TITLE_WORDS for w in words)
        and not any(w.lower() in _FUNCTION_WORDS for w in words)
        and len(rest.split()) >= 2
    )


def _leading_names(parts: list[str]) -> int:
    """How many of the comma-separated ``parts`` (the last one aside) are
    authors' names: names in a row, or up to the one that closes a list
    ("and Patrick van der Smagt") after surnames and first names written
    apart ("Osendorfer, Christian, Hubert Soyer, and ...")."""
    names = 0
    while names < len(parts) - 1 and (
        _AUTHOR_RE.match(parts[names]) or (names and _ET_AL_PART_RE.match(parts[names]))
    ):
        names += 1
    closing = [i for i, part in enumerate(parts[:-1]) if _AND_AUTHOR_RE.match(part)]
    if closing and all(_NAME_WORDS_RE.match(part) for part in parts[: closing[0]]):
        return max(names, closing[0] + 1)
    return names


def _without_authors(text: str) -> str:
    """The text after a leading list of authors ("Jens Kober, J. Andrew
    Bagnell, Jan Peters, Title"): at least two names, or one with an
    initial, before the title."""
    parts = text.split(",")
    names = _leading_names(parts)
    if names == 0 or (
        names == 1
        and not _INITIAL_RE.search(parts[0])
        and not _TWO_NAMES_RE.search(parts[0])
        and not _lone_author(parts[0], ",".join(parts[1:]))
    ):
        return text.strip()
    rest = ",".join(parts[names:]).strip()
    return rest if len(rest) >= 8 and not _ET_AL_RE.search(rest) else text.strip()


def without_author_list(text: str) -> str:
    """A link text without the authors it starts with, when they are
    plainly a list ("Wojciech Zaremba, Ilya Sutskever, Title"): two names or
    more, or one with an initial."""
    parts = text.split(",")
    names = _leading_names(parts)
    if names >= 2 or (names == 1 and _INITIAL_RE.search(parts[0])):
        return _without_authors(text)
    return text


# Rule 11: a reference written with no link ("[2] A. Author, B. Author.
# **Title**. In Venue, 2001.").
_REFERENCE_MARK_RE = re.compile(r"^\s*(?:\*\*)?(?:\[\d{1,4}\]|\(\d{1,4}\)|\d{1,4}[.)])")
_PAREN_YEAR_RE = re.compile(r"\(\s*(?:19|20)\d\d[a-z]?\s*\)")
_AUTHOR_JOINERS = frozenset({"and", "&", "et", "al", "al.", "etc."})
_LAST_YEAR_RE = re.compile(r"(?<![\d.:])((?:19|20)\d\d)(?![\d.]\d)")
# Chinese references (GB/T 7714): "何恺明, 等. 标题[J]. 期刊, 2016, 38(1)."
# marks a journal article [J], a conference paper [C] or a chapter [A].
_GBT_RE = re.compile(
    r"^(?P<authors>[^.．\[\]]{1,80})[.．]\s*(?P<title>[^\[\]]{4,200}?)\s*"
    r"\[(?:J|C|A)\]\s*[.．]?\s*(?P<rest>.*)$"
)


def is_credit(text: str) -> bool:
    """A figure's credit line: "(from A. Author, Title, CVPR, 2015.)"."""
    return bool(_CREDIT_RE.match(text.strip()))


# Any GB/T 7714 reference: a book [M], a web page [EB/OL], a thesis [D]...
_GBT_ANY_RE = re.compile(
    r"^(?P<authors>[^.．\[\]]{1,80})[.．]\s*(?P<title>[^\[\]]{4,200}?)\s*"
    r"\[(?:[A-Z]{1,2}(?:/OL)?)\]"
)


def without_reference_mark(text: str) -> str:
    """A reference without its number ("[2]", "(3)", "16.")."""
    return _REFERENCE_MARK_RE.sub("", text).strip(" *")


def is_author_list(text: str) -> bool:
    """Whether ``text`` is only authors' names ("Sepp Hochreiter, A Steven
    Younger, and Peter R Conwell.", "Finn, C., Abbeel, P., & Levine, S.
    (2017)."), a year in parentheses aside."""
    text = _PAREN_YEAR_RE.sub(" ", without_reference_mark(text))
    words = [w for w in re.split(r"[\s,;]+", text.strip(" .:")) if w]
    if not words or len(words) > 80:
        return False
    return any(w[0].isupper() for w in words) and all(map(_author_word, words))


def _author_word(word: str) -> bool:
    """A name, an initial, a particle ("van") or a joiner ("and", "et al.")."""
    if word in _AUTHOR_JOINERS or word in _PARTICLE_WORDS:
        return True
    return word[0].isupper() and word.lower().strip(".") not in _TITLE_WORDS


def last_year(text: str) -> int | None:
    """The last four-digit year in ``text`` (not part of a longer number)."""
    years = _LAST_YEAR_RE.findall(text)
    return int(years[-1]) if years else None


def chinese_reference(text: str) -> Title | None:
    """The title of a GB/T 7714 reference to an article or paper, with its
    year; else None."""
    match = _GBT_RE.match(without_reference_mark(text))
    year = last_year(match["rest"]) if match else None
    if match is None or year is None:
        return None
    venue, _ = vocabulary.find_venue(match["rest"])
    return Title(match["title"].strip(), venue, year)
