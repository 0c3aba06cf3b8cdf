"""CSL-JSON (the Citation Style Language's data format), as citeproc reads it."""

from __future__ import annotations

import json

from catalog.citations.records import Citation, VenueKind

CSL_TYPES = {
    VenueKind.CONFERENCE: "paper-conference",
    VenueKind.JOURNAL: "article-journal",
    VenueKind.NONE: "article",  # a preprint or other standalone paper
}


def item(citation: Citation) -> dict:
    """The CSL-JSON item of a citation."""
    data = {
        "id": citation.key,
        "type": CSL_TYPES[citation.venue_kind],
        "title": citation.title,
    }
    if citation.short_title:
        data["title-short"] = citation.short_title
    if citation.venue:
        data["container-title"] = citation.venue
    if citation.date and citation.date.year == citation.year:
        parts = [citation.date.year, citation.date.month, citation.date.day]
        data["issued"] = {"date-parts": [parts]}
    elif citation.year:
        data["issued"] = {"date-parts": [[citation.year]]}
    if citation.arxiv_id:
        # As Zotero writes a preprint: the server as publisher, its number.
        data["number"] = f"arXiv:{citation.arxiv_id}"
        data["DOI"] = citation.doi
        if citation.preprint:
            data["publisher"] = "arXiv"
    if citation.url:
        data["URL"] = citation.url
    return data


def dumps(citation: Citation) -> str:
    # One item a line, in UTF-8 (JSON's own): Chinese titles stay readable.
    return json.dumps(item(citation), ensure_ascii=False)
