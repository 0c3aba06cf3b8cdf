"""Typo tolerance: "did you mean" from the vocabulary of title words.

The vocabulary is the ``SearchTerm`` table that indexing keeps up to date.
A Latin query word of four or more letters that no title uses is replaced by
the closest word titles do use (difflib ratio >= 0.8); ties go to the word
more papers use. The candidates are the title words sharing the most
trigrams with it, whatever its first letter (each database's trigram index:
``SearchBackend.similar_terms``).
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from catalog.fulltext.analyzer import (
    STOP_WORDS,
    fold_marks,
    is_cjk,
    normalize,
    parse_query,
    tokens,
)
from catalog.fulltext.backends import Similar, get_backend, is_supported
from catalog.models import SearchTerm

CUTOFF = 0.8
MIN_LENGTH = 4
MAX_LENGTH = 40
# Candidates per word: the 20 title words of a length within two sharing the
# most trigrams with it, at a similarity of 0.2 or more. pg_trgm's default,
# 0.3, drops words difflib accepts (short words with a swap: mdoel, model);
# at 0.2 the candidates nearly always hold the word a scan of the whole
# vocabulary would pick.
SIMILAR = Similar(threshold=0.2, limit=20, slack=2)
# Words corrected per query at most (bounds the candidate query).
MAX_CORRECTIONS = 5

_LATIN_WORD = re.compile(r"[^\W\d_]+")


def closest_term(word: str, candidates: list[tuple[str, int]]) -> str | None:
    """The candidate most like ``word`` (ratio >= CUTOFF), most used on ties."""
    best: tuple[float, int] | None = None
    best_term = None
    matcher = SequenceMatcher()
    matcher.set_seq2(word)
    for term, papers in sorted(candidates):
        if term == word:
            continue
        matcher.set_seq1(term)
        if matcher.real_quick_ratio() < CUTOFF or matcher.quick_ratio() < CUTOFF:
            continue
        ratio = matcher.ratio()
        if ratio >= CUTOFF and (best is None or (ratio, papers) > best):
            best, best_term = (ratio, papers), term
    return best_term


def _query_words(q: str) -> list[str]:
    """Latin words of the query's terms and phrases that could be typos."""
    query = parse_query(q)
    words: list[str] = []
    for item in query.positive:
        for word in tokens(item):
            if (
                MIN_LENGTH <= len(word) <= MAX_LENGTH
                and word.isalpha()
                and not is_cjk(word)
                and word not in STOP_WORDS
                and word not in words
            ):
                words.append(word)
    return words


def unknown_words(q: str | None, using: str = "default") -> list[str]:
    """The words of ``q`` that could be typos and no title uses (one query
    of the vocabulary at most): what ``suggest`` would look to replace."""
    if not q or not isinstance(q, str):
        return []
    words = _query_words(q)
    if not words:
        return []
    terms = SearchTerm.objects.using(using)
    known = set(terms.filter(term__in=words).values_list("term", flat=True))
    return [word for word in words if word not in known]


def suggest(q: str | None, using: str = "default") -> str | None:
    """``q`` with each unknown word replaced by its closest title word.

    None when the query has no unknown word or no close replacement. The
    rest of the query (quotes, exclusions, CJK) is kept as typed.
    """
    unknown = unknown_words(q, using)
    if not unknown:
        return None
    found = replacements(unknown, using)
    if not found:
        return None
    return _replace_words(q, found)


def replacements(unknown: list[str], using: str = "default") -> dict[str, str]:
    """{unknown word: its closest term}, for the words that have one (the
    first MAX_CORRECTIONS); the candidates of every word read in one query."""
    unknown = unknown[:MAX_CORRECTIONS]
    if not is_supported(using):
        return {}
    candidates = get_backend(using).similar_terms(unknown, SIMILAR)
    closest = {}
    for word in unknown:
        replacement = closest_term(word, candidates.get(word, []))
        if replacement:
            closest[word] = replacement
    return closest


def _replace_words(q: str, replacements: dict[str, str]) -> str | None:
    """Replace whole words of the typed query, whatever their case or width."""
    text = normalize(q)  # what the analyzer read; keeps quotes and minus signs
    # Excluded words are left alone: correcting them changes nothing found.
    pieces = re.split(r"(\s+)", text)
    out = []
    for piece in pieces:
        if piece.startswith("-"):
            out.append(piece)
            continue
        out.append(
            _LATIN_WORD.sub(
                lambda m: replacements.get(fold_marks(m.group()), m.group()), piece
            )
        )
    corrected = "".join(out).strip()
    return corrected if corrected != text.strip() else None
