"""The glossary shipped with the app (``data/glossary.tsv``): the field's
terms in English and Chinese with their other names, one term a line
(``english<TAB>chinese<TAB>aliases, comma-separated``; ``#`` comments).

Migration 0009 loads it into ``GlossaryTerm``; ``load_glossary`` adds the
shipped terms a database lacks (after ``flush``, or a release's new terms),
leaving the terms editors changed as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from catalog.models import GlossaryTerm

SHIPPED = Path(__file__).resolve().parent / "data" / "glossary.tsv"


@dataclass(frozen=True)
class ShippedTerm:
    english: str
    chinese: str
    aliases: str


def shipped_terms(path: Path = SHIPPED) -> list[ShippedTerm]:
    terms: dict[tuple[str, str], ShippedTerm] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        english, chinese, aliases = (line.split("\t") + ["", ""])[:3]
        term = ShippedTerm(english.strip(), chinese.strip(), aliases.strip())
        terms[term.english, term.chinese] = term
    return list(terms.values())


def load_glossary(using: str = "default") -> int:
    """Add the shipped terms missing from the database; returns how many."""
    existing = set(GlossaryTerm.objects.using(using).values_list("english", "chinese"))
    missing = [
        GlossaryTerm(english=t.english, chinese=t.chinese, aliases=t.aliases)
        for t in shipped_terms()
        if (t.english, t.chinese) not in existing
    ]
    GlossaryTerm.objects.using(using).bulk_create(missing)
    return len(missing)
