"""The catalog as an awesome-style markdown list that ``import_lists`` reads back.

Pure: it takes the dump's records (``catalog.exports.dump``) as plain dicts
and writes text, in the plainest forms of tests/golden/RULES.md, so that
importing the markdown gives the catalog it was written from:

- the list's title as front matter (``title:``);
- topics as headings, in the editors' order, each with its description;
- a paper as ``- SHORT: [Title - Org2018](url) [Venue 2018]`` (a venue with
  no year of its own: ``[Title](url) [ICML] (2013)``), then indented lines:
  ``*2018-01-11*``, ``[paper](alt url)`` and its code as
  ``[pytorch](repository)`` (``[code]`` when the framework is unknown),
  ``**Chinese**: [title](url)`` for each translation, ``**Kind**: [title](url)``
  for its other links, then its notes, verbatim, in a paragraph of their own
  (where no venue or year is read out of them);
- a published version the import merged into an arXiv paper as the entry it
  was read from, ``- [Title - 2015](url)`` (the import merges it again), and
  a PDF of an arXiv paper hosted elsewhere as ``- [Title - 2015](pdf)
  arXiv:ID`` (the id as text keys the link to the paper);
- a repository on its own as ``- [framework](url)`` (or ``<url>``);
- any other link as ``- **Kind**: [title](url)`` (``[title](url)`` for a plain
  link, ``<url>`` when it has no title).

An entry goes under every topic it has (a list's entries merge by key, so
the topics add up). Code and links of a paper sit in the paper's entry under
the topics they share with it; their other topics get entries of their own,
and entries with no topic come before the first heading. Entries keep the
order of the lines they were read from.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import TextIO

TOPIC_SEPARATOR = " > "
# Label of each link kind as the parser reads it (rule 5); plain links have none.
KIND_LABELS = {
    "article": "Article",
    "blog": "Blog",
    "course": "Course",
    "tool": "Tool",
    "library": "Library",
    "practice": "Practice",
    "video": "Video",
    "dataset": "Dataset",
    "book": "Book",
    "discussion": "Discussion",
}
TRANSLATION_LABELS = {"zh": "Chinese"}
_ESCAPED = re.compile(r"([\\`*_\[\]<>])")
_MAX_HEADING = 6
# What the parser reads as the organisation in a " - Org2018" title suffix.
_ORGANISATION = re.compile(r"(?:[^\s\d\-–—]\S*)?")
_UNSAFE_IN_URL = re.compile(r"[\s()<>]")
_LAST = (chr(0x10FFFF), 0)


@dataclass
class Catalog:
    """What a markdown list is written from: the dump's records."""

    title: str | None = None
    topics: list[dict] = field(default_factory=list)  # dump "topic_details"
    papers: list[dict] = field(default_factory=list)
    repositories: list[dict] = field(default_factory=list)
    translations: list[dict] = field(default_factory=list)
    others: list[dict] = field(default_factory=list)
    # dump "paper_merges": published versions the import made one with a paper
    merges: list[dict] = field(default_factory=list)
    list_name: str | None = None  # the one list the entries were selected from


@dataclass(frozen=True)
class _Selection:
    """Which records a selection by list and topic keeps."""

    list_name: str | None
    topic: str | None
    kept: frozenset[str] = frozenset()  # the topics it keeps

    def from_list(self, record: dict) -> bool:
        sources = record.get("sources") or ()
        return self.list_name is None or any(
            s["list"] == self.list_name for s in sources
        )

    def keeps_topic(self, topic: dict) -> bool:
        # The list's own headings, and topics editors made (no list has them).
        return _in_subtree(topic["path"], self.topic) and (
            self.from_list(topic) or not topic.get("sources")
        )

    def keeps(self, record: dict, papers: set[str] = frozenset()) -> bool:
        if not self.from_list(record):
            return False
        linked = {*(record.get("papers") or ()), record.get("paper")}
        return (
            self.topic is None
            or not self.kept.isdisjoint(record["topics"])
            or not linked.isdisjoint(papers)
        )


def select(
    catalog: Catalog, *, list_name: str | None = None, topic: str | None = None
) -> Catalog:
    """The entries one list wrote (``list_name``) and/or those under one topic
    path (``topic``) and its subtopics. The headings above keep their place,
    so that the topics' paths read back the same."""
    selection = _Selection(list_name, topic)
    topics = [t for t in catalog.topics if selection.keeps_topic(t)]
    kept = {t["path"] for t in topics}
    selection = replace(selection, kept=frozenset(kept))
    papers = _kept(catalog.papers, selection)
    keys = {p["key"] for p in papers}
    return Catalog(
        list_name=list_name,
        title=catalog.title,
        topics=_with_ancestors(topics, catalog.topics),
        papers=papers,
        repositories=_kept(catalog.repositories, selection, keys),
        translations=[t for t in catalog.translations if t["paper"] in keys],
        others=_kept(catalog.others, selection, keys),
        merges=[
            m
            for m in catalog.merges
            if m["paper"] in keys and list_name in (None, m["list"])
        ],
    )


def _kept(records: list[dict], selection: _Selection, papers=None) -> list[dict]:
    """The records a selection keeps, narrowed to its topics (and papers)."""
    return [
        _narrowed(record, selection.kept, papers)
        for record in records
        if selection.keeps(record, papers or set())
    ]


def _in_subtree(path: str, top: str | None) -> bool:
    return top is None or path == top or path.startswith(top + TOPIC_SEPARATOR)


def _with_ancestors(topics: list[dict], every: list[dict]) -> list[dict]:
    by_path = {t["path"]: t for t in every}
    paths = {t["path"] for t in topics}
    for t in topics:
        parent = t.get("parent")
        while parent and parent not in paths:
            paths.add(parent)
            parent = by_path[parent].get("parent")
    return [t for t in every if t["path"] in paths]


def _narrowed(record: dict, topics: set[str], papers: set[str] | None = None) -> dict:
    narrowed = {**record, "topics": [t for t in record["topics"] if t in topics]}
    if papers is not None and "papers" in record:
        narrowed["papers"] = [p for p in record["papers"] if p in papers]
    if papers is not None and record.get("paper") not in (papers | {None}):
        narrowed["paper"] = None
    return narrowed


def write_markdown(catalog: Catalog, out: TextIO) -> None:
    """Write ``catalog`` as one markdown list."""
    entries = _Entries(catalog)
    if catalog.title:
        out.write(f"---\ntitle: {_front_matter(catalog.title)}\n---\n\n")
    for text in entries.at(None):
        out.write(text)
    children: dict[str | None, list[dict]] = {}
    for topic in catalog.topics:
        children.setdefault(topic.get("parent"), []).append(topic)
    for siblings in children.values():
        siblings.sort(key=lambda t: _topic_place(t, catalog.list_name))
    _write_topics(out, children, entries, None, "")


def _topic_place(topic: dict, list_name: str | None) -> tuple:
    """Siblings in the order of the one list written (its own headings' lines,
    so that it reads back in that order), else in the editors' order."""
    lines = [s["line"] for s in topic.get("sources") or () if s["list"] == list_name]
    return (min(lines, default=0), topic["order"], topic["path"])


def _write_topics(out: TextIO, children, entries, parent: str | None, number: str):
    """Each topic under ``parent`` as a numbered heading ("2.1 Name", the
    numbering read back as no part of the name), its description and
    entries, then its subtopics. A name that is all kind word ("Course")
    reads back as a kind heading, no topic (rules 1 and 12)."""
    for index, topic in enumerate(children.get(parent, ()), start=1):
        numbered = f"{number}.{index}" if number else str(index)
        depth = min(numbered.count(".") + 1, _MAX_HEADING)
        out.write(f"{'#' * depth} {numbered} {_heading(topic['name'])}\n\n")
        if topic.get("description"):
            out.write(f"{topic['description']}\n\n")
        for text in entries.at(topic["path"]):
            out.write(text)
        _write_topics(out, children, entries, topic["path"], numbered)


class _Entries:
    """Each topic's entries (None: no topic), as text, in source order."""

    def __init__(self, catalog: Catalog):
        self.by_topic: dict[str | None, list[tuple[tuple, int, str]]] = {}
        self.papers = {p["key"]: p for p in catalog.papers}
        # What sits in each paper's entry, by paper key and topic (None: none).
        self.beside: dict[str, dict[str | None, list[str]]] = {}
        for repo in catalog.repositories:
            self._place(repo, repo["papers"], _code(repo))
        for link in catalog.others:
            paper = link.get("paper")
            self._place(link, [paper] if paper in self.papers else [], _other(link))
        self._add_papers(catalog)

    def _add_papers(self, catalog: Catalog) -> None:
        """Each paper's entries, with its translations, then the entries its
        other versions were read from."""
        translations: dict[str, list[str]] = {}
        for t in catalog.translations:
            translations.setdefault(t["paper"], []).append(_translation(t))
        merged = {m["merged_url"] for m in catalog.merges if not m["split"]}
        for paper in catalog.papers:
            self._add_paper(paper, translations.get(paper["key"], []), merged)
            self._add_copies(paper, merged)
        for merge in catalog.merges:
            if not merge["split"] and merge["paper"] in self.papers:
                self._add_version(merge)

    def _place(self, record: dict, keys: list[str], text: str) -> None:
        """Put ``record`` in its papers' entries under the topics they share,
        and in entries of its own under its other topics (or none)."""
        placed: set[str | None] = set()
        for key in keys:
            placed.update(self._beside(key, record["topics"], text))
        rest = [t for t in record["topics"] if t not in placed]
        for topic in rest if record["topics"] or keys else [None]:
            self._add(topic, record, f"- {text}\n\n")

    def _beside(self, key: str, topics: list[str], text: str) -> list[str | None]:
        """Put ``text`` in paper ``key``'s entries under the topics it shares
        with them (none shared: in an entry with no topic); returns those."""
        shared = [t for t in self.papers[key]["topics"] if t in topics] or [None]
        entries = self.beside.setdefault(key, {})
        for topic in shared:
            entries.setdefault(topic, []).append(text)
        return shared

    def _add_copies(self, paper: dict, merged) -> None:
        """A PDF of an arXiv paper hosted elsewhere, which the list gave as
        its link with the arXiv id as text: an entry of its own saying so
        (in the paper's entry it would be a paper of its own)."""
        for url in paper.get("alt_urls") or ():
            if url not in merged and _elsewhere(paper, url):
                copy = {**paper, "url": url, "short_name": None, "venue": None}
                text = _paper(copy, [])
                for topic in paper["topics"][:1] or [None]:
                    self._add(topic, paper, text, rank=1)

    def _add_version(self, merge: dict) -> None:
        """A published version the import merged into an arXiv paper, as the
        entry of its own it was read from (its title and year), so that the
        import of this markdown merges it again (catalog.ingest.versions)."""
        paper = self.papers[merge["paper"]]
        version = {
            "title": merge["title"],
            "url": merge["merged_url"],
            "year": merge["year"],
            "sources": [{"list": merge["list"] or "", "line": merge["line"]}],
            "key": merge["merged_key"],
        }
        head = _paper_link(version) if version["url"] else _cited(version)
        text = f"- {head}\n\n"
        for topic in paper["topics"][:1] or [None]:
            self._add(topic, version, text)

    def _add_paper(self, paper: dict, translations: list[str], merged) -> None:
        """The paper under each of its topics (and wherever its code or
        links sit without them); its translations in the first entry only."""
        beside = self.beside.get(paper["key"], {})
        own = paper["topics"] or [None]
        places = [*own, *sorted(set(beside) - set(own), key=str)]
        for index, topic in enumerate(places):
            lines = beside.get(topic, [])
            if index == 0:
                lines = [*lines, *translations]
            self._add(topic, paper, _paper(paper, lines, merged))

    def _add(self, topic: str | None, record: dict, text: str, rank=0) -> None:
        # rank: after the record's own entry (its first link is its URL).
        self.by_topic.setdefault(topic, []).append((_position(record), rank, text))

    def at(self, topic: str | None) -> Iterable[str]:
        return (text for _, _, text in sorted(self.by_topic.get(topic, ())))


def _position(record: dict) -> tuple:
    sources = record.get("sources") or ()
    first = min(((s["list"], s["line"]) for s in sources), default=_LAST)
    return (*first, record.get("key") or record.get("url"))


def _paper(paper: dict, lines: list[str], merged=frozenset()) -> str:
    body = [f"*{paper['date']}*"] if paper.get("date") else []
    alternates = [
        f"[paper]({_url(url)})"
        for url in paper.get("alt_urls") or ()
        # Merged versions and other PDFs of an arXiv paper: entries of their own.
        if url not in merged and not _elsewhere(paper, url)
    ]
    body += [" | ".join(alternates)] if alternates else []
    body += lines
    text = f"- {_paper_head(paper)}\n{_gap(paper, body)}"
    text += "".join(f"  {line}\n" for line in body)
    if paper.get("notes"):
        # A paragraph of its own: words in it ("CVPR, 2015") are not read
        # as the paper's venue or year, as they would be beside its link.
        text += "\n" + "".join(f"  {line}\n" for line in paper["notes"].split("\n"))
    return text + "\n"


def _gap(paper: dict, body: list[str]) -> str:
    # A paper cited with no link: its links go below its citation, which
    # must hold none (rule 11).
    return "\n" if body and not paper.get("url") else ""


def _paper_head(paper: dict) -> str:
    """``SHORT: [Title - Org2018](url) arXiv:ID [Venue 2018]``."""
    # A venue with no year of its own: "[ICML] (2013)", the one form whose
    # year the parser does not also take as the venue's.
    year_apart = bool(
        paper.get("venue")
        and paper.get("year")
        and not paper.get("venue_year")
        and not paper.get("organisation")
    )
    if not paper.get("url"):
        return _cited(paper)
    head = _paper_link({**paper, "year": None} if year_apart else paper)
    if _elsewhere(paper, paper["url"]):
        # Its link is a PDF elsewhere: the id as text keys it as the list did.
        head += f" arXiv:{paper['arxiv_id']}"
    if paper.get("short_name"):
        head = f"{_escape(paper['short_name'])}: {head}"
    if paper.get("venue"):
        head += f" {_venue_tag(paper)}"
    if year_apart:
        head += f" ({paper['year']})"
    return head


def _cited(paper: dict) -> str:
    """``**Title**. Venue, 2017.``: a paper cited with no link (rule 11)."""
    venue = f" {_escape(paper['venue'])}," if paper.get("venue") else ""
    year = f" {paper['year']}." if paper.get("year") else ""
    return f"**{_escape(paper['title'])}**.{venue}{year}"


def _elsewhere(paper: dict, url: str) -> bool:
    """A URL of an arXiv paper that is not on arXiv (no id in it)."""
    arxiv_id = paper.get("arxiv_id")
    return bool(arxiv_id) and arxiv_id not in url


def _venue_tag(paper: dict) -> str:
    """``[Venue 2018]`` after the paper's link: where the parser's venue
    grammar reads a venue, in the vocabulary or not, and its year."""
    venue_year = paper.get("venue_year")
    words = f"{paper['venue']} {venue_year}" if venue_year else paper["venue"]
    return f"[{_escape(words)}]"


def _paper_link(paper: dict) -> str:
    """``[Title - Org2018](url)``; the organisation only where the suffix can
    carry it (one word), a bare ``<url>`` for a paper titled by its URL."""
    title, url = paper["title"], paper["url"]
    if title == url:
        return f"<{url}>"
    year, organisation = paper.get("year"), paper.get("organisation") or ""
    if year:
        if not _ORGANISATION.fullmatch(organisation):
            organisation = ""
        title = f"{title} - {organisation}{year}"
    return f"[{_escape(title)}]({_url(url)})"


def _code(repo: dict) -> str:
    return f"[{repo.get('framework') or 'code'}]({_url(repo['url'])})"


def _translation(translation: dict) -> str:
    label = TRANSLATION_LABELS.get(translation["language"], "Chinese")
    return f"**{label}**: {_link(translation.get('title'), translation['url'])}"


def _other(link: dict) -> str:
    label = KIND_LABELS.get(link["kind"])
    text = _link(link.get("title"), link["url"])
    return f"**{label}**: {text}" if label else text


def _link(title: str | None, url: str) -> str:
    return f"[{_escape(title)}]({_url(url)})" if title else f"<{url}>"


def _url(url: str) -> str:
    # Spaces and parentheses would end a plain destination early.
    return f"<{url}>" if _UNSAFE_IN_URL.search(url) else url


def _escape(text: str) -> str:
    return _ESCAPED.sub(r"\\\1", text).replace("\n", " ")


def _heading(name: str) -> str:
    return _escape(name).replace("#", "\\#")


def _front_matter(title: str) -> str:
    # Read as written, up to the line's end (quotes around it are dropped).
    return " ".join(title.split())
