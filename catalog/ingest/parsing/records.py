"""Entries -> records: papers, repositories, translations, other links.

The RecordBook keeps each kind of record by key, in the order first met,
and merges an entry's record into the one already kept for the same key
(rules 2-6 of tests/golden/RULES.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from catalog.ingest.parsing import vocabulary
from catalog.ingest.parsing.citations import entry_name
from catalog.ingest.parsing.cited import cited_paper, title_key
from catalog.ingest.parsing.drafts import Entry, Linked
from catalog.ingest.parsing.errors import ParseWarning
from catalog.ingest.parsing.inline import Piece, plain
from catalog.ingest.parsing.papers import FoundPaper, find_papers
from catalog.ingest.parsing.results import (
    TITLE_KEY_PREFIX,
    LinkEntry,
    PaperEntry,
    ParsedList,
    RepositoryEntry,
    TopicEntry,
    TopicPath,
    TranslationEntry,
)
from catalog.ingest.parsing.source import Section
from catalog.ingest.parsing.text import CODE_KINDS, clean, is_generic, unbracketed
from catalog.ingest.parsing.urls import ARXIV_TEXT_RE, Target, classify_url
from catalog.weburls import is_web_url

_FRAMEWORK_SUFFIX_RE = re.compile(r"^(?:[(（]([^)）]{1,40})[)）]|-\s*([\w-]{1,20}))")
# A paper met again keeps its first non-empty value of these.
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


@dataclass
class _Repository:
    """A repository record while the list is read."""

    key: str
    host: str
    owner: str
    name: str
    url: str
    line: int
    framework: str | None
    topics: list[TopicPath] = field(default_factory=list)
    papers: list[str] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)


@dataclass
class _Link:
    """An other link's record while the list is read."""

    url: str
    line: int
    title: str | None
    kind: str
    paper: str | None
    topics: list[TopicPath] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)


@dataclass
class _TopicPapers:
    """A topic's first paper and how many papers it has (counted up to 2)."""

    first: str
    count: int

    def add(self, key: str) -> None:
        if self.count == 0 or (self.count == 1 and key != self.first):
            self.count += 1


@dataclass(frozen=True)
class _CodeRepository:
    """A repository under a Code heading of a topic that had one paper."""

    key: str
    topic: TopicPath
    paper: str


class _OtherLinks:
    """The translations and other links of a list, by URL."""

    def __init__(self):
        self.translations: dict[str, TranslationEntry] = {}
        self.links: dict[str, _Link] = {}

    def translation(self, piece: Piece, paper: str) -> None:
        # Rule 4: a link after "**Chinese**:" in a paper's entry.
        if piece.url not in self.translations:
            self.translations[piece.url] = TranslationEntry(
                url=piece.url,
                paper=paper,
                line=piece.line,
                title=unbracketed(piece.text),
            )

    def link(
        self, piece: Piece, topic: TopicPath, primary_key, kind: str, title
    ) -> None:
        record = self.links.get(piece.url)
        if record is None:
            self.links[piece.url] = _Link(
                url=piece.url,
                line=piece.line,
                title=unbracketed(title or piece.text) or piece.alt or None,
                kind=kind,
                paper=primary_key,
                topics=[topic] if topic else [],
                lines=[piece.line],
            )
            return
        if topic and topic not in record.topics:
            record.topics.append(topic)
        record.lines.append(piece.line)
        record.paper = record.paper or primary_key

    def link_entries(self) -> tuple[LinkEntry, ...]:
        # A link's URL is never a paper's or a repository's (classify_url
        # tells them apart by the URL alone), but may be a translation's.
        translations = self.translations
        return tuple(_link(r) for r in self.links.values() if r.url not in translations)


class RecordBook:
    """The records of one list, by key, until the list is done."""

    def __init__(self, own_repository: str | None = None):
        # Rule 13: links into the list's own repository are no resources.
        self.own_repository = own_repository
        self.warnings: dict[ParseWarning, None] = {}  # ordered, no repeats
        self.shared: dict = {}  # see share()
        self.papers: dict[str, PaperEntry] = {}
        self.repos: dict[str, _Repository] = {}
        self.other = _OtherLinks()  # translations and other links
        self.topics_with_entries: set[TopicPath] = set()
        self.topic_papers: dict[TopicPath, _TopicPapers] = {}
        self.code_repos: list[_CodeRepository] = []

    def share(self, value):
        """One object for equal values: a long list repeats its topic paths,
        years and venues on most entries, and the records live until the
        list is written. Only for strings, numbers, dates and tuples of them
        (no bools)."""
        return self.shared.setdefault(value, value)

    def usable(self, piece: Piece) -> bool:
        """An http(s) link (not an image); a warning for a link without one."""
        # Rule 14: images and badges pointing at the badge service or at the
        # list itself are decoration; a badge wrapping a real link is a link.
        if piece.kind != "link":
            return False
        url = (piece.url or "").strip()
        if is_web_url(url):
            return not self._decoration(piece, url)
        if piece.image:
            return False
        if piece.text is not None and not url:
            self.warn(piece.line, f"link {piece.text!r} has no target")
        elif url and not url.startswith(("#", "mailto:")):
            self.warn(piece.line, f"link {url!r} is not an http(s) address; skipped")
        return False

    def _decoration(self, piece: Piece, url: str) -> bool:
        if piece.image and (vocabulary.is_badge_target(url) or self._about_list(url)):
            return True
        return self._in_own_repository(url)

    def _about_list(self, url: str) -> bool:
        """A URL naming the list's repository: its chat room, a share link."""
        own = self.own_repository
        return bool(own) and own.split("/", 1)[1] in url.lower()

    def _in_own_repository(self, url: str) -> bool:
        own = self.own_repository
        return (
            bool(own)
            and own.split("/", 1)[1] in url.lower()
            and (classify_url(url).key == own)
        )

    def warn(self, line: int, message: str) -> None:
        self.warnings[ParseWarning(line, message)] = None

    # -- one entry -> records -----------------------------------------------

    def emit(self, entry: Entry, section: Section) -> None:
        """Every usable link of the entry becomes a record."""
        # Rule 6: nothing is dropped; repositories, translations and other
        # links below, papers here.
        if entry.context.topic:
            self.topics_with_entries.add(entry.context.topic)
        links = [p for p in entry.links() if self.usable(p)]
        linked = _demote_landing_pages([_material_or_target(p) for p in links])
        paper_links = [x for x in linked if x.target.kind == "paper"]
        primary_key = self.papers_of(entry, section, links, paper_links)
        self.others(entry, linked, {x.piece.url for x in paper_links}, primary_key)

    def papers_of(self, entry: Entry, section: Section, links, paper_links):
        """Add the entry's papers; the key of its own, if any."""
        text_ids = _text_arxiv_ids(entry)
        if paper_links or text_ids:
            primary_key, found = find_papers(
                entry, section, paper_links, text_ids, _meta(entry, links)
            )
            for paper in found:
                self.add_paper(paper, entry.context.topic)
            return primary_key
        if cited := cited_paper(entry, section):
            self.add_paper(cited, entry.context.topic)
            return cited.key
        return None

    def others(self, entry: Entry, linked, seen_urls: set, primary_key) -> None:
        """The entry's repositories, translations and other links."""
        heading_kind = vocabulary.KIND_HEADINGS.get(entry.context.kind or "", None)
        prefix_of = _prefixes(entry)
        titles = _entry_titles(entry, linked, primary_key)
        for x in linked:
            piece = x.piece
            if x.target.kind == "paper" or piece.url in seen_urls:
                continue
            seen_urls.add(piece.url)
            prefix = prefix_of.get(id(piece), "")
            if x.target.kind == "repository":
                self.repository(x, entry, primary_key, prefix)
                continue
            label = vocabulary.normalise_label(prefix)
            if primary_key and _is_translation(label, piece):
                self.other.translation(piece, primary_key)
                continue
            kind = _link_kind(piece, label, heading_kind)
            title = titles.get(id(piece), piece.text)
            self.other.link(piece, entry.context.topic, primary_key, kind, title)

    def add_paper(self, found: FoundPaper, topic: TopicPath) -> None:
        """Merge an entry's paper into the one kept for its key."""
        # Rule 2: the same key twice is one paper, the union of its topics.
        known = self.papers.get(found.key)
        if known is not None:
            _merge_paper(known, found)
        self.papers[found.key] = _paper_entry(found, known, topic, self.share)
        if topic:
            counted = self.topic_papers.setdefault(topic, _TopicPapers(found.key, 0))
            counted.add(found.key)

    def repository(self, x: Linked, entry: Entry, primary_key, prefix: str) -> None:
        """A repository, linked to the entry's paper if it has one."""
        # Rule 3: a repository sits in the paper's entry: linked to it.
        piece, target = x.piece, x.target
        topic = entry.context.topic
        framework = _framework(piece, entry, prefix)
        record = self.repos.get(target.key)
        if record is None:
            record = self.repos[target.key] = _Repository(
                key=target.key,
                host=target.host,
                owner=target.owner,
                name=target.name,
                url=piece.url,
                line=piece.line,
                framework=framework,
            )
        record.framework = record.framework or framework
        if topic and topic not in record.topics:
            record.topics.append(topic)
        record.lines.append(piece.line)
        if primary_key:
            if primary_key not in record.papers:
                record.papers.append(primary_key)
        elif entry.context.kind in CODE_KINDS and topic:
            self.code_for_topic(target.key, topic)

    def code_for_topic(self, key: str, topic: TopicPath) -> None:
        # Rule 3: under a Code heading, code for the topic's one paper, if
        # it keeps only one (see result()).
        counted = self.topic_papers.get(topic)
        if counted is not None and counted.count == 1:
            self.code_repos.append(_CodeRepository(key, topic, counted.first))

    # -- result ---------------------------------------------------------------

    def link_code_repositories(self) -> None:
        """Link code under a Code heading to its topic's one paper."""
        # Rule 3: a topic about one paper (AWD-LSTM) with a Code heading.
        for code in self.code_repos:
            counted = self.topic_papers[code.topic]
            if counted.first == code.paper and counted.count == 1:
                papers = self.repos[code.key].papers
                if code.paper not in papers:
                    papers.append(code.paper)

    def fold_cited_papers(self) -> None:
        """A paper keyed by its title (rule 11) that the list also links
        elsewhere is that paper: one record, the lines and topics of both."""
        cited = [k for k in self.papers if k.startswith(TITLE_KEY_PREFIX)]
        if not cited:
            return
        linked = {
            title_key(p.title): key
            for key, p in self.papers.items()
            if not key.startswith(TITLE_KEY_PREFIX) and not p.title_is_short_name
        }
        moved = {}
        for key in cited:
            target = linked.get(key.removeprefix(TITLE_KEY_PREFIX))
            if target is None:
                continue
            cited, kept = self.papers.pop(key), self.papers[target]
            self.papers[target] = replace(
                kept,
                topics=self.share(tuple(_union(kept.topics, cited.topics))),
                lines=tuple(_union(kept.lines, cited.lines)),
            )
            moved[key] = target
        if moved:
            self._repoint(moved)

    def _repoint(self, moved: dict[str, str]) -> None:
        """Code, translations and links of a folded paper go to its target."""
        for repo in self.repos.values():
            repo.papers = list(dict.fromkeys(moved.get(k, k) for k in repo.papers))
        for link in self.other.links.values():
            link.paper = moved.get(link.paper, link.paper)
        for url, t in self.other.translations.items():
            self.other.translations[url] = replace(t, paper=moved.get(t.paper, t.paper))
        self.code_repos = [
            replace(c, paper=moved.get(c.paper, c.paper)) for c in self.code_repos
        ]
        for counted in self.topic_papers.values():
            counted.first = moved.get(counted.first, counted.first)

    def result(
        self, *, name: str, title: str | None, topics: tuple[TopicEntry, ...]
    ) -> ParsedList:
        self.fold_cited_papers()
        self.link_code_repositories()
        return ParsedList(
            name=name,
            title=title,
            topics=topics,
            papers=tuple(self.papers.values()),
            repositories=tuple(_repository(r, self.share) for r in self.repos.values()),
            translations=tuple(self.other.translations.values()),
            links=self.other.link_entries(),
            warnings=tuple(sorted(self.warnings, key=lambda w: w.line)),
        )


def _repository(r: _Repository, share) -> RepositoryEntry:
    return RepositoryEntry(
        key=r.key,
        host=share(r.host),
        owner=r.owner,
        name=r.name,
        url=r.url,
        line=r.line,
        framework=r.framework,
        topics=share(tuple(r.topics)),
        papers=tuple(r.papers),
        lines=tuple(dict.fromkeys(r.lines)),
    )


def _link(r: _Link) -> LinkEntry:
    return LinkEntry(
        url=r.url,
        line=r.line,
        title=r.title,
        kind=r.kind,
        topics=tuple(r.topics),
        paper=r.paper,
        lines=tuple(dict.fromkeys(r.lines)),
    )


def _union(old, new) -> list:
    """The items of both, each once, in the order first met."""
    return list(dict.fromkeys([*old, *new]))


def _link_kind(piece: Piece, label: str, heading_kind: str | None) -> str:
    """Rule 5: the kind from an inline label, else the kind heading; else
    a link to a video site (bilibili, YouTube), a badge wrapping one too
    (rule 14), is a video."""
    kind = vocabulary.LABEL_KINDS.get(label) or heading_kind
    if kind is None and vocabulary.is_video_url(piece.url):
        return "video"
    return kind or "link"


def _entry_titles(entry: Entry, linked: list[Linked], primary_key) -> dict[int, str]:
    """The title of an entry's first link, by id, when the entry has no paper
    and the link only says what it is ("1. Name / [Video](...)"): the entry's
    name."""
    first = linked[0].piece if linked and primary_key is None else None
    name = _entry_name(entry) if first and _label_text(first) else None
    return {id(first): name} if name else {}


def _label_text(piece: Piece) -> bool:
    """A link text that only names a kind or a format ("Video", "pdf"), or
    none (an autolink, "<https://...>")."""
    if piece.text is None:
        return True
    label = vocabulary.normalise_label(piece.text)
    return bool(label) and (
        label in vocabulary.LABEL_KINDS
        or label in vocabulary.KIND_HEADINGS
        or is_generic(label, piece.url)
    )


def _entry_name(entry: Entry) -> str | None:
    """Rule 8: the entry's own name, written before its first link on its
    first line ("1. An Introduction to RL  / David Silver, [Video](...)")."""
    before = []
    for piece in entry.head:
        if piece.kind != "text":
            break
        before.append(piece)
    name = entry_name(clean(plain(before, links=False).split("\n", 1)[0]))
    name = name.strip(" ,，:：|-–[(（【")
    if len(name) < 4 or _label_text(Piece("link", entry.line, text=name)):
        return None  # "Homepage: https://..." names no resource
    return name


def _demote_landing_pages(linked: list[Linked]) -> list[Linked]:
    """Rule 11: a landing page (an openreview forum) is the entry's paper
    only when the entry links to no better page of a paper; else an other."""
    if all(x.target.landing for x in linked if x.target.kind == "paper"):
        return linked
    return [Linked(x.piece, _OTHER) if x.target.landing else x for x in linked]


_OTHER = Target("other")


def _material_or_target(piece: Piece) -> Linked:
    """Rule 11: a PDF a list calls slides, a poster or supplementary
    material ("[[Slide]](talk.pdf)") goes with a paper but is none: an
    other link. An arXiv link is a paper whatever its text."""
    target = classify_url(piece.url)
    if (
        target.kind == "paper"
        and target.arxiv_id is None
        and vocabulary.normalise_label(piece.text or "") in vocabulary.MATERIAL_LABELS
    ):
        return Linked(piece, _OTHER)
    return Linked(piece, target)


def _text_arxiv_ids(entry: Entry) -> list[str]:
    """arXiv ids written as text ("arXiv:1506.02640") in the entry."""
    text = plain(entry.head, links=False) + " " + plain(entry.rest, links=False)
    return [m[1] for m in ARXIV_TEXT_RE.finditer(text)]


def _is_translation(label: str, piece: Piece) -> bool:
    """Labelled as a translation, before the link or as its text."""
    return (
        label in vocabulary.TRANSLATION_LABELS
        or vocabulary.normalise_label(piece.text or "") in vocabulary.TRANSLATION_LABELS
    )


def _meta(entry: Entry, links: list[Piece]) -> str:
    """The head's text outside links, and the texts of its generic links
    ("pdf", "NIPS 2018"): where a date or venue is written."""
    meta_text = plain([p for p in entry.head if p.kind != "link"], links=False)
    generic = [p.text for p in links if p.text and is_generic(p.text, p.url)]
    return meta_text + " " + " ".join(generic)


def _paper_entry(
    found: FoundPaper, known: PaperEntry | None, topic: TopicPath, share
) -> PaperEntry:
    """The paper's record: ``found`` (merged), with the alt_urls, topics and
    lines of both."""
    old_alt, old_topics, old_lines = (
        (known.alt_urls, known.topics, known.lines) if known else ((), (), ())
    )
    return PaperEntry(
        key=found.key,
        title=found.title,
        title_is_short_name=found.title_is_short_name,
        url=found.url,
        line=found.line,
        short_name=found.short_name,
        alt_urls=tuple(u for u in _union(old_alt, found.urls) if u != found.url),
        arxiv_id=found.arxiv_id,
        year=share(found.year),
        date=share(found.date),
        venue=share(found.venue),
        venue_year=share(found.venue_year),
        organisation=share(found.organisation),
        notes=found.notes,
        topics=share(tuple(_union(old_topics, [topic] if topic else []))),
        lines=tuple(_union(old_lines, found.lines)),
    )


def _merge_paper(old: PaperEntry, new: FoundPaper) -> None:
    """Same paper twice in one list: ``new`` takes the first values, and of
    the merged fields the first non-empty one."""
    if not old.title_is_short_name or new.title_is_short_name:
        # Rule 8: a real title replaces a short name or a link text.
        new.title, new.title_is_short_name = old.title, old.title_is_short_name
    new.url, new.line = old.url, old.line
    for name in _MERGED_FIELDS:
        value = getattr(old, name)
        if value not in (None, "") or getattr(new, name) in (None, ""):
            setattr(new, name, value)


def _prefixes(entry: Entry) -> dict[int, str]:
    """For each link: the text just before it on its line (its label)."""
    out = {}
    buffer: list[str] = []
    for piece in (*entry.head, Piece("break", 0), *entry.rest):
        if piece.kind == "break":
            buffer = []
        elif piece.kind == "text":
            buffer.append(piece.text)
        else:
            out[id(piece)] = "".join(buffer)
            buffer = []
    return out


def _suffix(entry: Entry, target_piece: Piece) -> str:
    """The text just after a link, up to the next link or break."""
    pieces = [*entry.head, Piece("break", 0), *entry.rest]
    for n, piece in enumerate(pieces):
        if piece is target_piece:
            after = []
            for nxt in pieces[n + 1 :]:
                if nxt.kind != "text":
                    break
                after.append(nxt.text)
            return "".join(after)
    return ""


def _framework(piece: Piece, entry: Entry, prefix: str) -> str | None:
    """From the link text ("[pytorch]"), a marker after it ("(Keras)"), or
    a one-word label before it."""
    # Rule 3: the framework from the link text or a marker after it.
    framework = None
    if piece.text and not piece.generic:
        framework = vocabulary.find_framework(piece.text)
    if framework is None:
        match = _FRAMEWORK_SUFFIX_RE.match(_suffix(entry, piece).strip())
        if match:
            framework = vocabulary.find_framework(match[1] or match[2] or "")
    if framework is None:
        words = prefix.strip().split()
        if len(words) == 1:
            framework = vocabulary.find_framework(words[0])
    return framework
