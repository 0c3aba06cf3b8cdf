"""Queries widened to what researchers mean: the glossary's other names of a
term (English <-> Chinese, acronyms), Chinese runs cut at the glossary's
terms, words typed apart joined into the term they name, and (``corrected``)
the closest title word of a word no title uses (a typo).

Glossary terms are found at index time: a document holding any name of a
term (GNN, graph neural network, 图神经网络) is indexed with the term's token
(``term_token``), so a query naming it matches one word of the index rather
than a phrase of frequent words per name. An expanded query keeps its items
(still ANDed) and gives each the tokens that stand for it
(``SearchQuery.alternatives``): ``GNN 推荐`` matches papers holding (gnn or
the GNN term's token) and (the recommendation term's token). The glossary is
read once per catalog version (editing it bumps the version and reindexes
the papers naming the term: ``catalog.search.signals``).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

from catalog.cache import versioned
from catalog.fulltext.analyzer import SearchQuery, is_cjk, tokens
from catalog.models import GlossaryTerm, SearchTerm
from catalog.search.suggestions import MAX_LENGTH, MIN_LENGTH, replacements

# Other names per item at most: bounds the SQL of a query.
MAX_ALTERNATIVES = 8
# The most words a glossary name typed apart may have.
MAX_TERM_WORDS = 5
# A Chinese run is cut at glossary terms only into pieces this long or longer.
MIN_PIECE = 2


@dataclass(frozen=True)
class Glossary:
    """``names``: {a name's words (``words``): the tokens of the glossary
    terms it names}; ``sequences``: {first word: (a name's words, its term's
    token)}, to find names in documents; the longest Chinese name."""

    names: dict[str, tuple[str, ...]]
    sequences: dict[str, tuple[tuple[tuple[str, ...], str], ...]]
    longest: int


def term_token(pk: int) -> str:
    """The token a document holding any name of glossary term ``pk`` is
    indexed with: one word, kept as it is by both databases' stemmers."""
    return f"zzglossary{pk}"


def _singular(word: str) -> str:
    # Plural and singular alike (networks, network) when finding names.
    if len(word) > 3 and word.isascii() and word.endswith("s") and word[-2] != "s":
        return word[:-1]
    return word


def words(text: str) -> str:
    """What names are compared by: analyzed text, English plurals folded."""
    return " ".join(_singular(token) for token in tokens(text))


def _build_glossary() -> Glossary:
    names: dict[str, list[str]] = {}
    sequences: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for pk, english, chinese, aliases in GlossaryTerm.objects.values_list(
        "pk", "english", "chinese", "aliases"
    ):
        token = term_token(pk)
        for key in {words(name) for name in (english, chinese, *aliases.split(","))}:
            if key:
                names.setdefault(key, []).append(token)
                sequence = tuple(key.split())
                sequences.setdefault(sequence[0], []).append((sequence, token))
    lengths = [len(key.replace(" ", "")) for key in names if is_cjk(key)]
    return Glossary(
        {key: tuple(found) for key, found in names.items()},
        {first: tuple(found) for first, found in sequences.items()},
        max(lengths, default=0),
    )


_pinned = threading.local()


def glossary() -> Glossary:
    if getattr(_pinned, "active", False):
        if _pinned.glossary is None:
            _pinned.glossary = _read_glossary()
        return _pinned.glossary
    return _read_glossary()


def _read_glossary() -> Glossary:
    # The name changes with Glossary's fields (the shared cache pickles it).
    return versioned("search-glossary-2", _build_glossary)


@contextmanager
def glossary_pinned() -> Iterator[None]:
    """One glossary for this thread while the block runs, read when first
    needed: an import run's lists each set a new catalog version, and would
    read the glossary (which no import changes) again for every list."""
    _pinned.active, _pinned.glossary = True, None
    try:
        yield
    finally:
        _pinned.active, _pinned.glossary = False, None


def term_tokens(analyzed: str, known: Glossary) -> list[str]:
    """The tokens of the glossary terms named in an analyzed text."""
    found = set()
    text = analyzed.split()
    for start, word in enumerate(text):
        candidates = known.sequences.get(word)
        if candidates is None and word.endswith("s"):
            candidates = known.sequences.get(_singular(word))
        if not candidates:
            continue
        longest = max(len(sequence) for sequence, _ in candidates)
        window = tuple(_singular(w) for w in text[start : start + longest])
        for sequence, token in candidates:
            if window[: len(sequence)] == sequence:
                found.add(token)
    return sorted(found)


def _run_key(run: str) -> str:
    return words(run)


def _term_at(run: str, start: int, known: Glossary) -> int:
    """Where the longest glossary term starting at ``start`` ends (0: none)."""
    for end in range(min(len(run), start + known.longest), start, -1):
        if end - start >= MIN_PIECE and _run_key(run[start:end]) in known.names:
            return end
    return 0


def cut_run(run: str, known: Glossary) -> list[str]:
    """A Chinese run cut into glossary terms, longest first from the left
    (``图神经网络推荐`` -> 图神经网络, 推荐); the run itself when it is a
    term, or when no cut leaves only pieces of MIN_PIECE characters."""
    if _run_key(run) in known.names or len(run) < 2 * MIN_PIECE:
        return [run]
    cuts = [0]
    start = 0
    while start < len(run):
        end = _term_at(run, start, known)
        if end:
            cuts += [start, end]
            start = end
        else:
            start += 1
    cuts.append(len(run))
    pieces = [run[a:b] for a, b in zip(cuts, cuts[1:], strict=False) if a < b]
    if len(pieces) < 2 or any(len(piece) < MIN_PIECE for piece in pieces):
        return [run]
    return pieces


def _cut_items(query: SearchQuery, known: Glossary) -> SearchQuery:
    """Chinese runs (items of one CJK run) cut at glossary terms."""
    terms, phrases = list(query.terms), []
    for item in query.phrases:
        pieces = cut_run(item, known) if is_cjk(item) and item.isalpha() else [item]
        for piece in pieces:
            target = phrases if len(tokens(piece)) > 1 else terms
            if piece not in target:
                target.append(piece)
    return replace(query, terms=tuple(terms), phrases=tuple(phrases))


def _join_terms(query: SearchQuery, known: Glossary) -> SearchQuery:
    """Words typed apart that name a glossary term (``object detection``)
    joined into one item, longest first, so its other names stand for it."""
    terms, joined = list(query.terms), []
    start = 0
    while start < len(terms):
        for end in range(min(len(terms), start + MAX_TERM_WORDS), start + 1, -1):
            name = " ".join(terms[start:end])
            if words(name) in known.names:
                terms[start:end] = []
                joined.append(name)
                break
        else:
            start += 1
    if not joined:
        return query
    return replace(
        query,
        terms=tuple(terms),
        phrases=(*query.phrases, *joined),
        loose=(*query.loose, *joined),
    )


def _typo_candidates(query: SearchQuery) -> list[str]:
    return [
        item
        for item in query.positive
        if MIN_LENGTH <= len(item) <= MAX_LENGTH and item.isascii() and item.isalpha()
    ]


def _glossary_alternatives(query: SearchQuery, known: Glossary):
    """{item: the tokens of the glossary terms it names}, and the items those
    tokens cover (every document holding the item's words in order holds
    them): an item of several words is then matched by the tokens alone,
    one word of the index instead of a phrase of frequent words."""
    alternatives: dict[str, list[str]] = {}
    covered = []
    for item in query.positive:
        found = known.names.get(words(item), ())
        if found:
            alternatives[item] = list(found)
            if len(tokens(item)) > 1 and item not in query.loose:
                covered.append(item)
    return alternatives, tuple(covered)


def _corrections(query: SearchQuery, using: str) -> dict[str, str]:
    """{query word no title uses: the closest title word}."""
    words = _typo_candidates(query)
    if not words:
        return {}
    vocabulary = SearchTerm.objects.using(using)
    found = set(vocabulary.filter(term__in=words).values_list("term", flat=True))
    unknown = [word for word in words if word not in found]
    return replacements(unknown, using) if unknown else {}


def _alternatives(query: SearchQuery, alternatives: dict[str, list[str]]):
    return replace(
        query,
        alternatives=tuple(
            (item, tuple(others[:MAX_ALTERNATIVES]))
            for item, others in alternatives.items()
        ),
    )


def expand(query: SearchQuery) -> SearchQuery:
    """``query`` with its items' other names from the glossary (no query:
    the glossary is held per catalog version)."""
    if not query.positive:
        return query
    known = glossary()
    query = _join_terms(_cut_items(query, known), known)
    alternatives, covered = _glossary_alternatives(query, known)
    return replace(_alternatives(query, alternatives), covered=covered)


def corrected(query: SearchQuery, using: str = "default") -> SearchQuery:
    """An expanded query with, for each word no title uses, the closest
    title word (and its glossary names) as another name: ``trasnformer``
    finds Transformer. The same query when no word needs one. One or two
    queries of the vocabulary, so asked only when a query finds little."""
    closest = _corrections(query, using)
    if not closest:
        return query
    known = glossary()
    alternatives = {item: list(others) for item, others in query.alternatives}
    for word, correction in closest.items():
        others = alternatives.setdefault(word, [])
        for form in (correction, *known.names.get(words(correction), ())):
            if form not in others:
                others.append(form)
    return _alternatives(query, alternatives)
