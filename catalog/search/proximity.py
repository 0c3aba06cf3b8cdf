"""Phrase proximity: how close together, and in which order, a paper's text
holds a query's items. A paper whose title reads "graph neural network
recommendation" is likelier the one wanted by ``graph neural network
recommendation`` than one scattering those words across its title and notes,
which the databases' ranks (``ts_rank``, ``bm25``: word frequencies) do not
tell apart.

Only the best matches are looked at (``RERANK_TOP``), from their analyzed
documents (``PaperSearch.document``) read in one query, on either database.
Their ranks are multiplied by a factor of 1 or more: a paper never falls
below one it outranked before.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from catalog.fulltext.analyzer import STOP_WORDS, SearchQuery, tokens
from catalog.search.expansion import Glossary, glossary

# How many of a search's best matches are reranked.
RERANK_TOP = 100
# The most a rank is raised: items next to each other and in order in the
# title, or in another line of the document (translations, topics and code;
# organisation, venue and notes).
TITLE_BOOST = 0.3
TEXT_BOOST = 0.1
# Each word between the items costs this much closeness (1 / (1 + cost)).
GAP_COST = 0.25
# Items found out of the query's order keep this share of their closeness.
OUT_OF_ORDER = 0.85
# Words of a line looked at, at most: bounds the cost of long notes.
MAX_LINE_WORDS = 200
# Plural and verb endings cut before words are compared (a rough stemmer:
# the databases stem, the analyzed documents are not), longest first...
_SUFFIXES = ("ing", "ion", "er", "or", "ed", "ly", "e", "y", "i")
# ... and words compared on their first letters only.
_STEM_LENGTH = 7


@dataclass(frozen=True)
class Parts:
    """A query's positive items, in order (``count``), each as the word
    sequences that stand for it (keys, see ``_key``): its own words in order
    and its other names; ``starts`` holds them by first word as (sequence,
    item's index), ``firsts`` the first words of each item's sequences.
    The first ``terms`` items are words, the others phrases and terms of
    the glossary: an order is known within each kind, not between them."""

    count: int
    starts: dict[str, tuple[tuple[tuple[str, ...], int], ...]]
    firsts: tuple[frozenset[str], ...]
    terms: int

    def held(self, line: str) -> int:
        """How many items ``line`` may hold: a key is a prefix of the word
        it stands for, so an item none of whose first keys the line
        contains is not in it."""
        held = 0
        for keys in self.firsts:
            for key in keys:
                if key in line:
                    held += 1
                    break
        return held


def _stem(word: str) -> str:
    if word.endswith(("sses", "ies")):  # processes, studies
        word = word[:-2]
    elif word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    return word[:_STEM_LENGTH]


@lru_cache(maxsize=100_000)  # bounded: documents hold many words
def _key(token: str) -> str:
    """What a token is compared by: an English word stemmed (roughly)."""
    plain = len(token) > 3 and token.isascii() and token.isalpha()
    return _stem(token) if plain else token


def _sequence(words) -> tuple[str, ...]:
    # Stop words are skipped in documents too: "networks for recommendation"
    # holds "network recommendation" next to each other.
    return tuple(_key(word) for word in words if word not in STOP_WORDS)


def _glossary_names(token: str, known: Glossary) -> list[tuple[str, ...]]:
    """The names (as words) of the glossary term indexed as ``token``."""
    return [tuple(name.split()) for name, held in known.names.items() if token in held]


def _options(
    query: SearchQuery, item: str, known: Glossary | None
) -> set[tuple[str, ...]]:
    """The word sequences of an item: its words and its other names (a
    glossary term's token stands for the term's names)."""
    options = {_sequence(tokens(item))}
    for other in query.options(item)[1:]:
        names = _glossary_names(other, known) if known else []
        options.update(map(_sequence, names or [tokens(other)]))
    options.discard(())
    return options


def query_parts(query: SearchQuery) -> Parts:
    """The positive items of an expanded query, in its order."""
    known = glossary() if query.alternatives else None
    starts: dict[str, list[tuple[tuple[str, ...], int]]] = {}
    firsts = []
    terms = 0
    for item in query.positive:
        options = _options(query, item, known)
        if not options:
            continue
        for option in sorted(options):
            starts.setdefault(option[0], []).append((option, len(firsts)))
        firsts.append(frozenset(option[0] for option in options))
        terms += item in query.terms
    found = {key: tuple(places) for key, places in starts.items()}
    return Parts(len(firsts), found, tuple(firsts), terms)


def _occurrences(line: str, parts: Parts) -> list[tuple[int, int, int]]:
    """(start, end, item) of every place in ``line`` that holds an item."""
    words = line.split(maxsplit=MAX_LINE_WORDS)[:MAX_LINE_WORDS]
    keys = [_key(w) for w in words if w not in STOP_WORDS]
    found = []
    for position, key in enumerate(keys):
        for option, index in parts.starts.get(key, ()):
            end = position + len(option)
            if len(option) == 1 or tuple(keys[position:end]) == option:
                found.append((position, end, index))
    return found


def _window(spans: list[tuple[int, int, int]], terms: int) -> float:
    """The closeness of one place of each item: (start, end, item) by start."""
    right = covered = 0
    in_order = True
    for i, (start, end, item) in enumerate(spans):
        right = max(right, end)
        covered += end - start
        for _, _, later in spans[i + 1 :]:
            if item > later and (item < terms) == (later < terms):
                in_order = False
    gaps = max(0, right - spans[0][0] - covered)
    return (1 if in_order else OUT_OF_ORDER) / (1 + GAP_COST * gaps)


def closeness(line: str, parts: Parts) -> float:
    """1 when ``line`` holds every item next to each other in the query's
    order, less the more words lie between them, out of order or the fewer
    items it holds; 0 when it holds fewer than two."""
    if parts.held(line) < 2:
        return 0.0
    found = _occurrences(line, parts)
    held = len({index for _, _, index in found})
    if held < 2:
        return 0.0
    best = 0.0
    last: dict[int, tuple[int, int, int]] = {}
    previous = -1
    # The smallest window ending at each place: the latest place of each
    # item. One ending where the item before was the same is only wider.
    for place in found:
        last[place[2]] = place
        if len(last) == held and place[2] != previous:
            best = max(best, _window(sorted(last.values()), parts.terms))
        previous = place[2]
    # A line holding every item is worth more than one holding some.
    return best * (held / parts.count) ** 2


def factor(document: str, parts: Parts) -> float:
    """What a paper's rank is multiplied by (1 to 1 + TITLE_BOOST), from its
    analyzed document: the title's closeness, else another line's."""
    title, _, rest = document.partition("\n")
    boost = TITLE_BOOST * closeness(title, parts)
    for line in rest.split("\n"):
        if boost >= TEXT_BOOST:
            break
        boost = max(boost, TEXT_BOOST * closeness(line, parts))
    return 1.0 + boost


def proximity_factors(backend, parts: Parts, ids) -> dict[int, float]:
    """{paper id: factor > 1} of these papers (matches of the query of
    ``parts``), from their documents read in one query."""
    found = {}
    for pk, document in backend.documents(ids):
        value = factor(document, parts)
        if value > 1.0:
            found[pk] = value
    return found
