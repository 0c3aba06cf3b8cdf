"""Markdown reading lists -> plain data (no Django, no database, no network).

Entry points: ``parse_reading_list(text, name=...) -> ParsedList``, and for a
list's bytes, ``parse_list_file(check_list_bytes(data, path=...), name=...)``,
which decodes them a section at a time. Bad input raises ParseError; what a
list holds but cannot be read becomes a ParseWarning.

The stages, in order: ``source`` (bytes, decoding, front matter, sections),
``blocks`` (markdown-it tokens -> headings, paragraphs, lists, tables),
``inline`` (a paragraph's text, links and breaks), ``entries`` (the walk:
headings and entry boundaries), ``records``, ``papers`` and ``cited``
(entries -> records, merged by key), ``urls`` (what a link points at);
``results`` holds
the records' types, ``export`` the golden files' shape.

Where each interpretation rule of tests/golden/RULES.md is implemented (look
for ``# Rule N`` in the module):

====  ===============  ==========================================================
Rule  What             Modules
====  ===============  ==========================================================
1     Topics           entries (Headings: kind headings, numbering), source
                       (front matter title)
2     Papers           urls (keys), papers (title, short name, year, venue),
                       records (same key merged)
3     Repositories     urls (keys), records (framework, linked paper, Code heading)
4     Translations     records (``others``)
5     Other links      records (``others``: kind from label or heading)
6     Nothing dropped  records (``emit``: every usable link becomes a record;
                       ``usable``: images and badges are not resources)
7     Prose            papers (notes), entries (topic descriptions)
8     Titles           citations (tags, authors, organisations), papers
9     Years            papers (``_year``), text (dates, suffixes)
10    Venues           vocabulary (names, written venues), papers (``_venue``),
                       entries (venue and year headings)
11    What is a paper  urls (``classify_url``), cited (a citation with no link)
12    Topics           entries (contents headings), text (numbering)
13    Code             records (framework), entries (the list's own repository)
14    Nothing dropped  inline (recovered links), records (``usable``, warnings)
====  ===============  ==========================================================
"""

from __future__ import annotations

import gc
from contextlib import contextmanager

from catalog.ingest.parsing.blocks import MAX_NESTING, TooDeep
from catalog.ingest.parsing.entries import SECTION_LINES, ListWalker
from catalog.ingest.parsing.errors import ParseError, ParseWarning
from catalog.ingest.parsing.export import as_export
from catalog.ingest.parsing.results import (
    LinkEntry,
    PaperEntry,
    ParsedList,
    RepositoryEntry,
    TopicEntry,
    TopicPath,
    TranslationEntry,
)
from catalog.ingest.parsing.source import (
    READ_BLOCK,
    ListFile,
    check_list_bytes,
    decode_list_bytes,
    may_hold_references,
    normalise,
)
from catalog.ingest.parsing.urls import classify_url

__all__ = [
    "MAX_NESTING",
    "READ_BLOCK",
    "SECTION_LINES",
    "LinkEntry",
    "ListFile",
    "PaperEntry",
    "ParseError",
    "ParseWarning",
    "ParsedList",
    "RepositoryEntry",
    "TopicEntry",
    "TopicPath",
    "TranslationEntry",
    "as_export",
    "check_list_bytes",
    "classify_url",
    "decode_list_bytes",
    "gc_paused",
    "parse_list_file",
    "parse_reading_list",
]


def parse_reading_list(text: str, *, name: str = "<string>") -> ParsedList:
    """Parse one markdown reading list into topics, papers, repositories and links.

    Raises ParseError for input that is not a list at all; anything inside a
    list it cannot understand becomes a ParseWarning with its line.
    """
    if not isinstance(text, str):
        raise ParseError("expected text", name=name)
    text = normalise(text)
    return _parse(text.split("\n"), name, may_hold_references(text))


def parse_list_file(source: ListFile, *, name: str) -> ParsedList:
    """``parse_reading_list`` for a checked list, decoded a section at a time."""
    return _parse(source.lines(), name, source.references)


def _parse(lines, name: str, references: bool) -> ParsedList:
    # SECTION_LINES read here, at each call: tests set it on this package.
    walker = ListWalker(name, section_lines=SECTION_LINES)
    try:
        with gc_paused():
            return walker.run(lines, references=references)
    except TooDeep as exc:
        raise ParseError(
            f"nested too deeply to read (past {MAX_NESTING} levels of lists, "
            "quotes or links)",
            name=name,
            line=exc.at + 1,
        ) from None
    except RecursionError:
        raise ParseError("lists nested too deeply to read", name=name) from None


@contextmanager
def gc_paused():
    """Pause the cyclic garbage collector (reference counting still frees).

    A long list builds hundreds of thousands of small acyclic objects; the
    collector would rescan all of them again and again, which made parsing
    grow faster than the list.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
