"""BibTeX: entries built on bibtexparser's model, written by its writer."""

from __future__ import annotations

from collections.abc import Iterable

import bibtexparser
from bibtexparser.middlewares import AddEnclosingMiddleware
from bibtexparser.model import Entry, Field
from bibtexparser.writer import BibtexFormat
from pylatexenc.latexencode import UnicodeToLatexEncoder

from catalog.citations.records import Citation, VenueKind

# Text as LaTeX: specials escaped (& % $ # _ { } ~ ^ \), accented letters as
# macros in braces ({\"o}), so BibTeX sorts and cases them right; letters
# with no macro (Chinese) stay UTF-8, which biber, XeLaTeX and LuaLaTeX read.
_ENCODER = UnicodeToLatexEncoder(
    replacement_latex_protection="braces-all",
    unknown_char_policy="keep",
    unknown_char_warning=False,
)
ENTRY_TYPES = {
    VenueKind.CONFERENCE: ("inproceedings", "booktitle"),
    VenueKind.JOURNAL: ("article", "journal"),
    VenueKind.NONE: ("misc", None),
}


def latex(text: str) -> str:
    return _ENCODER.unicode_to_latex(text)


def verbatim(value: str) -> str:
    """A URL or identifier as written, but for what would unbalance the
    entry's braces or break its line."""
    for char, code in (("{", "%7B"), ("}", "%7D"), (" ", "%20"), ("\n", "%0A")):
        value = value.replace(char, code)
    return value


def entry(citation: Citation) -> Entry:
    entry_type, venue_field = ENTRY_TYPES[citation.venue_kind]
    # Braces around the title keep its case ("BERT", "ResNet") in styles
    # that lowercase titles.
    fields = [("title", "{" + latex(citation.title) + "}")]
    if citation.short_title:
        fields.append(("shorttitle", latex(citation.short_title)))
    if venue_field:
        fields.append((venue_field, latex(citation.venue)))
    if citation.year:
        fields.append(("year", str(citation.year)))
    if citation.date:
        fields.append(("date", citation.date.isoformat()))
    if citation.arxiv_id:
        fields += [
            ("eprint", verbatim(citation.arxiv_id)),
            ("archivePrefix", "arXiv"),
            ("doi", verbatim(citation.doi)),
        ]
        if citation.preprint:
            # Read by classic BibTeX styles, which ignore eprint.
            fields.append(("howpublished", f"arXiv:{verbatim(citation.arxiv_id)}"))
    if citation.url:
        fields.append(("url", verbatim(citation.url)))
    return Entry(entry_type, citation.key, [Field(k, v) for k, v in fields])


def _format() -> BibtexFormat:
    written = BibtexFormat()
    written.indent = "  "
    written.block_separator = "\n"  # one blank line between entries
    return written


BIBTEX_FORMAT = _format()


def write(citations: Iterable[Citation]) -> str:
    """The BibTeX of ``citations``, entries separated by a blank line."""
    library = bibtexparser.Library([entry(c) for c in citations])
    if not library.entries:
        return ""
    return bibtexparser.write_string(
        library,
        unparse_stack=[
            AddEnclosingMiddleware(
                reuse_previous_enclosing=False,
                enclose_integers=True,
                default_enclosing="{",
            )
        ],
        bibtex_format=BIBTEX_FORMAT,
    )
