"""Bilingual text analysis for the catalog's full-text search (pure Python).

Documents and queries go through the same analyzer, so PostgreSQL and SQLite
see the same tokens:

* text is NFKC-normalised (full-width ASCII becomes ASCII) and lowercased,
  and Traditional Chinese characters are folded to Simplified (OpenCC's
  ``t2s``), so ``卷積神經網絡`` and ``卷积神经网络`` are the same tokens;
* every run of CJK characters (Han, kana, hangul) is written as overlapping
  two-character pairs: ``目标检测`` -> ``目标 标检 检测``; a lone CJK character
  stays as itself. A CJK query run then becomes a phrase of its pairs, which
  finds the run and nothing that only shares one of its characters;
* any other run of letters and digits is a word, with diacritics removed
  (``naïve`` -> ``naive``); punctuation separates words (``AWD-LSTM`` ->
  ``awd lstm``), so the databases' own parsers only ever see plain words and
  both sides split text the same way.

Stemming ("regularizing" finds "Regularization") is the database's job:
PostgreSQL's ``english`` configuration and SQLite FTS5's ``porter`` tokenizer.

Queries use web search syntax: words are ANDed, ``"quoted phrases"`` are
phrases, ``-word`` and ``-"a phrase"`` exclude. Any input is accepted; what
cannot be searched for (punctuation, lone operators, English stop words) is
dropped, and a query left with nothing is *empty* (see ``SearchQuery``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import opencc

__all__ = [
    "MAX_QUERY_ITEMS",
    "STOP_WORDS",
    "SearchQuery",
    "analyze",
    "fold_marks",
    "highlight_spans",
    "is_cjk",
    "normalize",
    "parse_query",
    "render_fts5",
    "render_fts5_excluded",
    "item_query",
    "render_tsquery",
    "render_tsquery_excluded",
    "title_words",
    "tokens",
]

# Han (with extensions and compatibility ideographs), kana, hangul, bopomofo
# and the ideographic marks that live inside words (々 〆 〇, kana repeats).
# The katakana middle dot ・ (U+30FB) separates words, so it is left out.
_CJK = (
    "\u1100-\u11ff"  # Hangul Jamo
    "\u2e80-\u2fdf"  # CJK radicals, Kangxi radicals
    "\u3005-\u3007"  # 々 〆 〇
    "\u3021-\u3029"  # Hangzhou numerals
    "\u3031-\u3035"  # kana repeat marks
    "\u303b-\u303c"
    "\u3041-\u3096\u309b-\u309f"  # Hiragana (not the combining marks)
    "\u30a1-\u30fa\u30fc-\u30ff"  # Katakana
    "\u3105-\u312f"  # Bopomofo
    "\u3131-\u318e"  # Hangul compatibility Jamo
    "\u31a0-\u31bf"  # Bopomofo extended
    "\u31f0-\u31ff"  # Katakana phonetic extensions
    "\u3400-\u4dbf"  # CJK extension A
    "\u4e00-\u9fff"  # CJK unified ideographs
    "\ua960-\ua97f"  # Hangul Jamo extended A
    "\uac00-\ud7af"  # Hangul syllables
    "\ud7b0-\ud7ff"  # Hangul Jamo extended B
    "\uf900-\ufaff"  # CJK compatibility ideographs
    "\uff66-\uff9f"  # half-width katakana (NFKC widens them)
    "\U00020000-\U0003134f"  # CJK extensions B-G
)
_CJK_RUN = re.compile(f"[{_CJK}]+")
# A word: letters and digits that are not CJK, with the combining marks that
# follow them (a lone mark is no word: full-text tokenizers drop it).
_WORD_CHAR = f"(?:[^\\W_{_CJK}]|[\u0300-\u036f])"
_TOKEN = re.compile(f"[{_CJK}]+|[^\\W_{_CJK}]{_WORD_CHAR}*")
_SEGMENT = re.compile(f"[{_CJK}]+|[^{_CJK}]+")
_ASCII_WORD = re.compile(r"[a-z0-9]+")
_SPACE = re.compile(r"\s+")
_EDGE_PUNCTUATION = re.compile(r"^[\W_]+|[\W_]+$")
# Quotes people type besides '"': curly, low and angle quotation marks.
_QUOTES = str.maketrans(dict.fromkeys("\u201c\u201d\u201e\u201f\u00ab\u00bb", '"'))
# A query is a sequence of: -"phrase" / "phrase" (unbalanced quotes run to the
# end) or a bare chunk of non-space, non-quote characters (optionally -chunk).
_QUERY_ITEM = re.compile(
    r'(?P<qneg>-?)"(?P<phrase>[^"]*)"?|(?P<neg>-?)(?P<bare>[^\s"]+)'
)

# Longer tokens are dropped (PostgreSQL does not index words over 2047 bytes;
# nothing anyone searches for is that long).
MAX_TOKEN_LENGTH = 100
# Queries beyond this are cut: no one types more, and it bounds the SQL.
MAX_QUERY_LENGTH = 500
MAX_QUERY_ITEMS = 24

# PostgreSQL's english.stop (the Snowball list). PostgreSQL drops these from
# queries; dropping them from query *words* here keeps SQLite's answers the same.
# Inside phrases they stay (both databases keep the distance right).
_ENGLISH_STOP = """
    i me my myself we our ours ourselves you your yours yourself yourselves he
    him his himself she her hers herself it its itself they them their theirs
    themselves what which who whom this that these those am is are was were be
    been being have has had having do does did doing a an the and but if or
    because as until while of at by for with about against between into through
    during before after above below to from up down in out on off over under
    again further then once here there when where why how all any both each few
    more most other some such no nor not only own same so than too very s t can
    will just don should now
"""
STOP_WORDS = frozenset(_ENGLISH_STOP.split())


def is_cjk(text: str) -> bool:
    """Whether ``text`` starts with a CJK character."""
    return bool(text) and _CJK_RUN.match(text) is not None


# Traditional -> Simplified, character by character and by phrase (OpenCC's
# dictionaries): one converter per process, as it loads them once.
_TO_SIMPLIFIED = opencc.OpenCC("t2s")


def normalize(text: str) -> str:
    """NFKC (full-width ASCII becomes ASCII), lowercased, Traditional
    Chinese folded to Simplified."""
    text = unicodedata.normalize("NFKC", text).lower()
    if not text.isascii() and _CJK_RUN.search(text):
        text = _TO_SIMPLIFIED.convert(text)
    return text


def tokens(text: str | None) -> list[str]:
    """The search tokens of ``text``: words and CJK character pairs, in order."""
    if not text:
        return []
    if text.isascii():
        # NFKC leaves ASCII as it is, and its words are [a-z0-9] runs.
        return [
            word
            for word in _ASCII_WORD.findall(text.lower())
            if len(word) <= MAX_TOKEN_LENGTH
        ]
    out: list[str] = []
    for run in _TOKEN.findall(normalize(text)):
        # Every CJK range starts at or above U+1100.
        if run[0] >= "\u1100" and _CJK_RUN.match(run):
            if len(run) == 1:
                out.append(run)
            else:
                out.extend(run[i : i + 2] for i in range(len(run) - 1))
        else:
            if not run.isascii():
                run = fold_marks(run)
            if run and len(run) <= MAX_TOKEN_LENGTH:
                out.append(run)
    return out


def fold_marks(word: str) -> str:
    """``word`` without combining marks: naïve -> naive, i̇ -> i.

    SQLite's unicode61 tokenizer removes diacritics and PostgreSQL's parser
    splits words at marks it does not know; folding them here gives both the
    same plain words (and finds "naive" in "naïve"). CJK is never folded.
    """
    decomposed = unicodedata.normalize("NFKD", word)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


def analyze(text: str | None) -> str:
    """The search document of ``text``: its tokens separated by spaces."""
    return " ".join(tokens(text))


def title_words(analyzed: str) -> set[str]:
    """Latin words of an analyzed text worth suggesting ("did you mean")."""
    return {
        word
        for word in analyzed.split()
        if 3 <= len(word) <= 40
        and word.isalpha()
        and (word.isascii() or not is_cjk(word))
    }


# -- queries -------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchQuery:
    """A parsed query.

    ``terms`` are words that are one token each (ANDed); ``phrases`` are token
    sequences that must appear in order: quoted phrases, CJK runs of three or
    more characters, and words that punctuation splits (``awd-lstm``);
    ``excluded`` are words or phrases a result must not contain. Items keep
    their normalised text; ``tokens()`` gives what is matched.

    A query with no terms or phrases but exclusions matches every paper
    without them; a query with nothing at all is *empty*: searching with it
    does not filter.
    """

    terms: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    # (item, other texts that stand for it): glossary terms in the other
    # language, acronyms, a typo's correction. A document matches the item
    # if it holds the item or any of them.
    alternatives: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # Items of words typed apart (``object detection`` unquoted) that the
    # glossary joined: their own words are matched anywhere, not as a phrase.
    loose: tuple[str, ...] = ()
    # Items whose alternatives find every document the item's own words
    # (in order) find: matched by the alternatives alone.
    covered: tuple[str, ...] = ()

    def options(self, item: str) -> tuple[str, ...]:
        """The item and the texts that stand for it."""
        for name, others in self.alternatives:
            if name == item:
                return (item, *others)
        return (item,)

    @property
    def positive(self) -> tuple[str, ...]:
        """Terms then phrases: what a result must contain."""
        return self.terms + self.phrases

    @property
    def is_empty(self) -> bool:
        return not (self.terms or self.phrases or self.excluded)

    def __bool__(self) -> bool:
        return not self.is_empty

    def __str__(self) -> str:
        """The query in the syntax it was parsed from (normalised)."""
        parts = list(self.terms)
        parts += [f'"{p}"' if " " in p else p for p in self.phrases]
        parts += [f'-"{e}"' if " " in e else f"-{e}" for e in self.excluded]
        return " ".join(parts)


def _split_scripts(chunk: str) -> Iterator[str]:
    """A bare query chunk cut where CJK meets other text: ``bert预训练`` -> 2."""
    for segment in _SEGMENT.findall(chunk):
        if _CJK_RUN.match(segment):
            yield segment
        else:
            # Keep inner punctuation (awd-lstm) for display, drop the edges.
            stripped = _EDGE_PUNCTUATION.sub("", segment)
            if stripped:
                yield stripped


def _searchable(text: str) -> bool:
    found = tokens(text)
    return bool(found) and not all(token in STOP_WORDS for token in found)


def parse_query(q: str | None) -> SearchQuery:
    """Parse web search syntax; never raises, whatever the input."""
    if not q or not isinstance(q, str):
        return SearchQuery()
    text = normalize(q[:MAX_QUERY_LENGTH].translate(_QUOTES))
    terms: list[str] = []
    phrases: list[str] = []
    excluded: list[str] = []

    def add(target: list[str], item: str) -> None:
        if item not in target and len(terms) + len(phrases) + len(excluded) < (
            MAX_QUERY_ITEMS
        ):
            target.append(item)

    for match in _QUERY_ITEM.finditer(text):
        bare = match.group("bare")
        if bare is None:  # a quoted phrase
            phrase = _SPACE.sub(" ", match.group("phrase")).strip()
            if not _searchable(phrase):
                continue
            if match.group("qneg"):
                add(excluded, phrase)
            else:
                add(phrases if len(tokens(phrase)) > 1 else terms, phrase)
        elif match.group("neg"):
            # The whole chunk is excluded: -awd-lstm, -预训练.
            if _searchable(bare):
                add(excluded, bare.strip("-"))
        else:
            for segment in _split_scripts(bare):
                if _searchable(segment):
                    add(phrases if len(tokens(segment)) > 1 else terms, segment)
    return SearchQuery(tuple(terms), tuple(phrases), tuple(excluded))


# -- rendering -----------------------------------------------------------------------


def _single_cjk(token: str) -> bool:
    return len(token) == 1 and is_cjk(token)


def _ts_operand(token: str) -> str:
    escaped = token.replace("\\", "\\\\").replace("'", "''")
    # A lone CJK character also finds the pairs it starts (卷 -> 卷积).
    return f"'{escaped}'" + (":*" if _single_cjk(token) else "")


def _ts_item(text: str) -> str | None:
    found = tokens(text)
    if not found:
        return None
    if len(found) == 1:
        return _ts_operand(found[0])
    return "(" + " <-> ".join(_ts_operand(t) for t in found) + ")"


def _fts_item(text: str) -> str | None:
    found = tokens(text)
    if not found:
        return None
    quoted = '"' + " ".join(found).replace('"', '""') + '"'
    # A lone CJK character also finds the pairs it starts (卷 -> 卷积).
    return quoted + " *" if len(found) == 1 and _single_cjk(found[0]) else quoted


def _items(render, texts: Iterable[str]) -> list[str]:
    return [item for item in map(render, texts) if item]


def _either(render, query: SearchQuery, item: str, union: str, both: str):
    """An item and its alternatives, any of them."""
    options = _items(render, query.options(item))
    if item in query.covered and len(options) > 1:
        options = options[1:]
    elif item in query.loose and options:
        words = _items(render, item.split())
        options[0] = "(" + f" {both} ".join(words) + ")" if len(words) > 1 else words[0]
    options = list(dict.fromkeys(options))
    if len(options) <= 1:
        return options[0] if options else None
    return "(" + f" {union} ".join(options) + ")"


def _positive(render, query: SearchQuery, union: str, both: str) -> list[str]:
    found = (_either(render, query, item, union, both) for item in query.positive)
    return [item for item in found if item]


def item_query(query: SearchQuery, item: str) -> SearchQuery:
    """The query of one of ``query``'s items (with its alternatives and the
    query's exclusions)."""
    return SearchQuery(
        terms=(item,),
        excluded=query.excluded,
        alternatives=tuple(a for a in query.alternatives if a[0] == item),
        loose=(item,) if item in query.loose else (),
        covered=(item,) if item in query.covered else (),
    )


def render_tsquery(query: SearchQuery) -> str:
    """The query as a ``to_tsquery('english', ...)`` string.

    Phrases use ``<->``, exclusions ``!``. Empty string when the query has no
    terms or phrases (see ``render_tsquery_excluded`` for exclusion-only).
    """
    positive = _positive(_ts_item, query, "|", "&")
    if not positive:
        return ""
    negative = [f"!{item}" for item in _items(_ts_item, query.excluded)]
    return " & ".join(positive + negative)


def render_tsquery_excluded(query: SearchQuery) -> str:
    """A tsquery matching any excluded item ('' when nothing is excluded)."""
    return " | ".join(_items(_ts_item, query.excluded))


def render_fts5(query: SearchQuery) -> str:
    """The query as an SQLite FTS5 ``MATCH`` expression.

    Every token is quoted, so no input is FTS5 syntax; exclusions use ``NOT``.
    Empty string when the query has no terms or phrases.
    """
    positive = _positive(_fts_item, query, "OR", "AND")
    if not positive:
        return ""
    expression = " AND ".join(positive)
    negative = _items(_fts_item, query.excluded)
    if negative:
        expression = f"({expression}) NOT ({' OR '.join(negative)})"
    return expression


def render_fts5_excluded(query: SearchQuery) -> str:
    """An FTS5 expression matching any excluded item ('' when none)."""
    return " OR ".join(_items(_fts_item, query.excluded))


# -- highlighting --------------------------------------------------------------------

_LATIN_BEFORE = f"(?<!{_WORD_CHAR})"
_LATIN_AFTER = f"(?!{_WORD_CHAR})"
_STEM_MIN = 5


def _word_pattern(word: str) -> str:
    """A word and its inflections: a long word matches on its first 5+ chars."""
    if len(word) > _STEM_MIN:
        stem = word[: max(_STEM_MIN, len(word) - 3)]
        return f"{_LATIN_BEFORE}{re.escape(stem)}{_WORD_CHAR}*"
    return f"{_LATIN_BEFORE}{re.escape(word)}(?:e?s)?{_LATIN_AFTER}"


def _item_pattern(text: str) -> str | None:
    parts: list[tuple[bool, str]] = []
    for match in _TOKEN.finditer(text):
        run = match.group()
        cjk = _CJK_RUN.match(run) is not None
        parts.append((cjk, re.escape(run) if cjk else _word_pattern(run)))
    if not parts:
        return None
    if len(parts) == 1 and not parts[0][0] and text in STOP_WORDS:
        return None
    pattern = parts[0][1]
    for (previous_cjk, _), (cjk, part) in zip(parts, parts[1:], strict=False):
        # Words need a separator between them; CJK runs do not.
        separator = "[\\W_]*" if previous_cjk or cjk else "[\\W_]+"
        pattern += separator + part
    return pattern


@lru_cache(maxsize=256)
def _highlight_regex(query: SearchQuery) -> re.Pattern[str] | None:
    patterns = {p for p in map(_item_pattern, query.positive) if p}
    if not patterns:
        return None
    ordered = sorted(patterns, key=lambda p: (-len(p), p))
    return re.compile("|".join(f"(?:{p})" for p in ordered), re.IGNORECASE)


def _folded(text: str) -> tuple[str, list[int] | None]:
    """``text`` normalised like documents, with each character's origin.

    Full-width letters and diacritics are folded one character at a time, so
    "ＢＥＲＴ" and "naïve" are marked for "bert" and "naive".
    """
    if text.isascii():
        return text, None
    chars = [_folded_char(char) for char in text]
    folded = "".join(chars)
    if folded == text:  # every character is its own fold
        return text, None
    origins: list[int] = []
    for index, char in enumerate(chars):
        origins.extend([index] * len(char))
    return folded, origins


@lru_cache(maxsize=65536)
def _folded_char(char: str) -> str:
    if char.isascii():
        return char
    char = unicodedata.normalize("NFKC", char)
    return char if _CJK_RUN.match(char) else fold_marks(char)


@lru_cache(maxsize=256)
def _parsed(q: str | None) -> SearchQuery:
    """``parse_query(q)`` of a query that a page highlights many texts for."""
    return parse_query(q)


def highlight_spans(
    text: str, query: SearchQuery | str | None
) -> list[tuple[int, int]]:
    """(start, end) of the places in ``text`` a search for ``query`` matched.

    Query words match case-insensitively, long words on their first five or
    more characters ("regularizing" marks "Regularization"); CJK runs match
    as written; phrases match across punctuation and spaces; full-width
    letters and accents do not matter.
    """
    if not isinstance(query, SearchQuery):
        query = _parsed(query if isinstance(query, str) else None)
    if not text:
        return []
    regex = _highlight_regex(query)
    if regex is None:
        return []
    folded, origins = _folded(text)
    spans = [m.span() for m in regex.finditer(folded) if m.end() > m.start()]
    if origins is None:
        return spans
    mapped = []
    for start, end in spans:
        first, last = origins[start], origins[end - 1] + 1
        # Keep the combining marks that follow a marked letter with it.
        while last < len(text) and unicodedata.combining(text[last]):
            last += 1
        if mapped and first < mapped[-1][1]:
            continue
        mapped.append((first, last))
    return mapped
