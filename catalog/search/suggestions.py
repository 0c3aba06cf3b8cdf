"""Typo tolerance: "did you mean" from the vocabulary of title words.

Database-agnostic: the vocabulary is the ``SearchTerm`` table that indexing
keeps up to date. A Latin query word of four or more letters that no title
uses is replaced by the closest word titles do use (difflib ratio >= 0.8,
among words with the same first letter and a length within two); ties go to
the word more papers use.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from django.db.models import Q

from catalog.fulltext.analyzer import (
    STOP_WORDS,
    fold_marks,
    is_cjk,
    normalize,
    parse_query,
    tokens,
)
from catalog.models import SearchTerm

CUTOFF = 0.8
MIN_LENGTH = 4
MAX_LENGTH = 40
LENGTH_SLACK = 2
# Words corrected per query at most (each costs one candidate query).
MAX_CORRECTIONS = 5

_LATIN_WORD = re.compile(r"[^\W\d_]+")


def _candidates_filter(word: str) -> Q:
    first = word[0]
    return Q(
        length__gte=len(word) - LENGTH_SLACK,
        length__lte=len(word) + LENGTH_SLACK,
        term__gte=first,
        term__lt=chr(ord(first) + 1),
    )


def closest_term(word: str, candidates: list[tuple[str, int]]) -> str | None:
    """The candidate most like ``word`` (ratio >= CUTOFF), most used on ties."""
    best: tuple[float, int] | None = None
    best_term = None
    matcher = SequenceMatcher()
    matcher.set_seq2(word)
    for term, papers in sorted(candidates):
        if term == word or term[0] != word[0]:
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


def suggest(q: str | None, using: str = "default") -> str | None:
    """``q`` with each unknown word replaced by its closest title word.

    None when the query has no unknown word or no close replacement. The
    rest of the query (quotes, exclusions, CJK) is kept as typed.
    """
    if not q or not isinstance(q, str):
        return None
    words = _query_words(q)
    if not words:
        return None
    terms = SearchTerm.objects.using(using)
    known = set(terms.filter(term__in=words).values_list("term", flat=True))
    unknown = [word for word in words if word not in known][:MAX_CORRECTIONS]
    if not unknown:
        return None
    found = replacements(unknown, terms)
    if not found:
        return None
    return _replace_words(q, found)


def replacements(unknown: list[str], terms) -> dict[str, str]:
    """{unknown word: its closest term}, for the words that have one; the
    candidates of every word read in one query."""
    condition = Q()
    for word in unknown:
        condition |= _candidates_filter(word)
    candidates: dict[str, list[tuple[str, int]]] = {}
    for term, papers in terms.filter(condition).values_list("term", "papers"):
        candidates.setdefault(term[0], []).append((term, papers))
    closest = {}
    for word in unknown:
        pool = [
            (term, papers)
            for term, papers in candidates.get(word[0], ())
            if abs(len(term) - len(word)) <= LENGTH_SLACK
        ]
        replacement = closest_term(word, pool)
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
