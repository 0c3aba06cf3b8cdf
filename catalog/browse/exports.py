"""Citations of a paper and of any selection of papers, in every format of
catalog.citations; a selection's streamed, up to MAX_CITED papers."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import (
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from catalog.browse.params import PER_PAGE, Params
from catalog.browse.selection import InvalidSelection, scope_of, select_papers
from catalog.citations import FORMATS, Format, cite
from catalog.models import Paper
from catalog.routes import url_for

# The papers a selection's citations hold at most (a page of results with
# ?page=N): enough for a reading list, not a dump of the catalog.
MAX_CITED = 1000
# The fields a citation reads.
CITED_FIELDS = (
    "id", "key", "title", "short_name", "url", "arxiv_id", "year", "date",
    "venue", "venue_year",
)  # fmt: skip
FEED_FORMATS = {
    "atom.xml": ("application/atom+xml", _("Atom feed")),
    "rss.xml": ("application/rss+xml", _("RSS feed")),
}


@dataclass(frozen=True)
class Alternate:
    """A <link rel="alternate"> of a page: another form of what it shows."""

    media_type: str
    title: str
    href: str


def alternates(params: Params) -> list[Alternate]:
    """A page's feeds and citations, at its path with its filters: the
    page at /topics/x/?year=2019 has /topics/x/atom.xml?year=2019."""
    query = params.url(page=None)[len(params.path) :]
    links = [
        Alternate(media_type, str(title), f"{params.path}{name}{query}")
        for name, (media_type, title) in FEED_FORMATS.items()
    ]
    return links + [
        Alternate(fmt.media_type, str(fmt.label), f"{params.path}cite.{ext}{query}")
        for ext, fmt in FORMATS.items()
    ]


def paper_alternates(paper) -> list[Alternate]:
    """A paper's citations (its page's "Cite" menu)."""
    return [
        Alternate(
            fmt.media_type,
            str(fmt.label),
            url_for("catalog:paper-cite", paper.pk, ext),
        )
        for ext, fmt in FORMATS.items()
    ]


def _format(extension: str) -> Format:
    try:
        return FORMATS[extension]
    except KeyError:
        raise Http404(f"No citation format {extension}.") from None


def _attachment(response, name: str, extension: str):
    response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    return response


@require_safe
def paper_citation(request, pk, extension):
    """One paper's citation (its page's "Cite" menu)."""
    fmt = _format(extension)
    paper = get_object_or_404(Paper.objects.only(*CITED_FIELDS), pk=pk)
    citation = cite(paper)
    response = HttpResponse(fmt.document([citation]), content_type=fmt.content_type)
    return _attachment(response, citation.key, extension)


@require_safe
def selection_citations(request, extension, page="papers", value=None):
    """The citations of the papers a browse page selects, in its order:
    all of them up to MAX_CITED, or one page of them with ?page=N."""
    fmt = _format(extension)
    raw_page = request.GET.get("page") or None  # "page=" is no page
    if raw_page is not None and not (raw_page.isascii() and raw_page.isdigit()):
        message = _("page: “%(value)s” is not a page number.")
        return HttpResponseBadRequest(
            str(message) % {"value": raw_page[:40]}, content_type="text/plain"
        )
    try:
        selection = select_papers(request.GET, scope_of(page, value))
    except InvalidSelection as exc:
        return HttpResponseBadRequest(str(exc), content_type="text/plain")
    start, stop = 0, MAX_CITED
    if raw_page is not None:
        number = max(int(raw_page[:9]), 1)
        start, stop = (number - 1) * PER_PAGE, number * PER_PAGE
    papers = selection.in_page_order().only(*CITED_FIELDS)[start:stop]
    citations = (cite(paper) for paper in papers.iterator(chunk_size=200))
    response = StreamingHttpResponse(
        fmt.chunks(citations), content_type=fmt.content_type
    )
    return _attachment(response, "papers", extension)
