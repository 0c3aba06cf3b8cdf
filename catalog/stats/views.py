"""/stats/: charts of the whole catalog or of any browse selection."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from catalog.browse.facets.options import chips
from catalog.browse.filters import PaperFilter
from catalog.browse.params import Params
from catalog.browse.selectors import paper_facets, select
from catalog.cache import catalog_version
from catalog.models import Paper
from catalog.stats import charts as drawing
from catalog.stats.figures import STACK_BY, Chart, Summary, charts, summary

CACHE_SECONDS = 600


@dataclass
class Page:
    """What the statistics of a selection cost to compute and render (the
    charts, their SVG and tables, as HTML): kept per catalog version,
    language and selection."""

    summary: Summary
    charts: list[Chart]
    html: str


@dataclass(frozen=True)
class StackLink:
    """A link of the switch between the stackings of the years' chart."""

    value: str
    label: str
    url: str


@require_safe
def stats(request):
    """The charts of the papers a browse URL's parameters select (the same
    parameters, validated the same way)."""
    names = PaperFilter.base_filters
    papers = Params(request.GET, reverse("catalog:paper-list"), names)
    query = request.GET.copy()
    by = query.get("by") or "venue"
    errors = []
    if by not in STACK_BY:
        errors.append(_("“by” must be “venue” or “framework”; showing by venue."))
        by = "venue"
        query.pop("by")
    # Facet links stay on this page, with the chosen stacking.
    here = Params(query, request.path, {*names, "by"})
    filterset = PaperFilter(request.GET, queryset=Paper.objects.all())
    page = _figures(filterset, papers, by)
    facets = paper_facets(filterset, here).facets
    return render(
        request,
        "catalog/stats.html",
        {
            "filterset": filterset,
            "errors": errors,
            "params": here,
            "summary": page.summary,
            "charts": page.html,
            "page_charts": page.charts,
            "by": by,
            "stack_links": [
                StackLink(
                    value, label, here.url(by=None if value == "venue" else [value])
                )
                for value, label in STACK_BY.items()
            ],
            "facets": facets,
            "chips": chips(here, facets),
            "clear_url": here.url(**{k: None for k in here.data if k != "by"}),
            "browse_url": papers.url(sort=None),
            "stylesheet_version": drawing.stylesheet_version(),
        },
    )


def _figures(filterset, papers: Params, by: str) -> Page:
    """The summary and charts of the selection, from the cache when another
    request of this catalog version and language drew them."""
    selection = papers.url(sort=None)
    digest = hashlib.sha256(f"{selection}#{by}".encode()).hexdigest()[:32]
    key = f"catalog:stats:{catalog_version()}:{get_language()}:{digest}"
    page = cache.get(key)
    if page is None:
        page = _draw(filterset, papers, by)
        cache.set(key, page, CACHE_SECONDS)
    return page


def _draw(filterset, papers: Params, by: str) -> Page:
    selection = select(filterset).selection
    figures = charts(selection, papers, by=by)
    drawn = [
        {"chart": chart, "svg": drawing.svg(chart) if chart.rows else ""}
        for chart in figures
    ]
    html = render_to_string(
        "catalog/_charts.html", {"drawn": drawn, "browse_url": papers.url(sort=None)}
    )
    return Page(summary(selection), figures, html)


@require_safe
def stylesheet(request):
    """The charts' stylesheet (pygal's); its URL names its version, so it
    can be kept for a long time."""
    response = HttpResponse(drawing.stylesheet(), content_type="text/css")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
