"""Citations of papers: BibTeX, RIS and CSL-JSON (pure: no Django).

Public API::

    cite(paper)                  # -> Citation, from any object with a paper's fields
    FORMATS["bib"].document(cs)  # one text of citations (a paper's "Cite" menu)
    FORMATS["bib"].chunks(cs)    # the same text in pieces, for streaming

The writers are the field's libraries: bibtexparser's model and writer (with
pylatexenc's encoder, which bibtexparser's own LaTeX middleware uses, applied
to text fields only: URLs and identifiers stay verbatim), rispy for RIS, and
the standard library's json for CSL-JSON.
"""

from catalog.citations.formats import FORMATS, Format
from catalog.citations.records import Citation, VenueKind, cite

__all__ = ["FORMATS", "Citation", "Format", "VenueKind", "cite"]
