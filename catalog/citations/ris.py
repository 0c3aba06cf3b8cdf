"""RIS, written by rispy."""

from __future__ import annotations

from collections.abc import Iterable

import rispy

from catalog.citations.records import Citation, VenueKind

# Zotero's and EndNote's types: a conference paper, a journal article, an
# unpublished work (a preprint), a generic work.
REFERENCE_TYPES = {
    VenueKind.CONFERENCE: "CPAPER",
    VenueKind.JOURNAL: "JOUR",
}


class RisWriter(rispy.RisWriter):
    """rispy's writer without its "1.", "2." lines (no tag of RIS), so
    that chunks of a streamed file join into one."""

    def set_header(self, count: int) -> str:
        return ""


def _line(value: str) -> str:
    return " ".join(value.split())  # a tag's value is one line


def reference(citation: Citation) -> dict:
    """The rispy record of a citation (its keys name RIS tags)."""
    if citation.venue_kind in REFERENCE_TYPES:
        kind = REFERENCE_TYPES[citation.venue_kind]
    else:
        kind = "UNPB" if citation.preprint else "GEN"
    record = {
        "type_of_reference": kind,
        "id": citation.key,
        "title": _line(citation.title),
    }
    if citation.short_title:
        record["short_title"] = _line(citation.short_title)
    if citation.venue:
        record["secondary_title"] = _line(citation.venue)  # T2: proceedings or journal
    if citation.year:
        record["year"] = str(citation.year)
    if citation.date:
        record["date"] = citation.date.strftime("%Y/%m/%d")
    if citation.arxiv_id:
        record["name_of_database"] = "arXiv"
        record["accession_number"] = f"arXiv:{citation.arxiv_id}"
        record["doi"] = citation.doi
    if citation.url:
        record["urls"] = [citation.url]
    return record


def write(citations: Iterable[Citation]) -> str:
    records = [reference(c) for c in citations]
    return rispy.dumps(records, implementation=RisWriter) if records else ""
