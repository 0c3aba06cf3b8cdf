"""Thin views: parameters in, selectors, templates out."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.contrib.redirects.models import Redirect
from django.contrib.sitemaps import views as sitemap_views
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.encoding import escape_uri_path
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from catalog.browse import listing, selectors
from catalog.browse.exports import Alternate, alternates, paper_alternates
from catalog.browse.facets.options import chips
from catalog.browse.filters import SORT_LABELS
from catalog.browse.listing import (
    KINDS,
    CountedPaginator,
    Kind,
    page_number,
    page_of,
    page_slice,
    results,
)
from catalog.browse.params import Params
from catalog.browse.rows import (
    PAPER_DETAIL_RELATED,
    annotate_related,
    attach_related,
)
from catalog.browse.selection import scoped_filterset
from catalog.browse.sitemaps import SITEMAPS
from catalog.browse.topic_pages import topic_page
from catalog.browse.topics import topic_tree
from catalog.cache import catalog_version
from catalog.citations import FORMATS, cite
from catalog.models import Link, Paper, Repository
from catalog.validators import is_local_path

CACHE_SECONDS = 600


@dataclass(frozen=True)
class Sort:
    """A choice of the sort menu."""

    value: str
    label: str


def browse(
    request,
    kind_name="papers",
    *,
    scope=None,
    template="catalog/browse.html",
    context=None,
):
    """A browse page: filters, disjunctive facets, ranked results, pagination.

    ``scope`` ({parameter: values}) limits a page to what those filters keep
    (a topic's, venue's or year's page) without showing them as choices."""
    kind = KINDS[kind_name]
    params = Params(request.GET, request.path, kind.filterset.base_filters)
    page = page_number(request, "page")
    return _cached(
        request,
        # Unfiltered pages, keyed by page number: ?page=01 is ?page=1.
        None
        if set(params.data) - {"page"} or page is None
        else f"{params.url()}#{page}",
        lambda: _browse(request, kind, params, scope, template, context),
    )


def _browse(request, kind: Kind, params, scope, template, context):
    queryset = kind.queryset()
    scoped = scoped_filterset(kind.filterset, scope, queryset)
    if scoped is not None:
        queryset = scoped.qs
    expand = [context["topic"].id] if context and "topic" in context else []
    facets = partial(kind.facets, expand=expand, page=page_slice(request), scope=scoped)
    found = results(request, kind, queryset, params, facets)
    filterset, params, faceted = found.filterset, found.params, found.faceted
    rows = filterset.ordered(filterset.qs)
    paginator = CountedPaginator(rows, listing.PER_PAGE, faceted.total)
    page = page_of(paginator, request.GET.get("page"), faceted.page_ids, kind.rows)
    query = found.corrected or found.query
    return render(
        request,
        template,
        {
            "kind": kind,
            "filterset": filterset,
            "params": params,
            "facets": faceted.facets,
            "chips": chips(params, faceted.facets),
            "clear_url": params.url(**{k: None for k in params.data if k != "q"}),
            "page_obj": page,
            "paginator": paginator,
            "query": query,
            "original_query": found.query if found.corrected else None,
            "broadened": faceted.broadened,
            "alternates": _alternates(request, kind, filterset),
            **_sorting(kind, filterset, query),
            **(context or {}),
        },
    )


def _alternates(request, kind: Kind, filterset) -> list[Alternate]:
    """The page's feeds and citations, with the filters it applies (those
    it drops as invalid left out)."""
    if kind.name != "papers":
        return []
    names = set(kind.filterset.base_filters) - set(filterset.form.errors)
    # The path as a URI: a venue's page may have a space in it.
    return alternates(Params(request.GET, escape_uri_path(request.path), names))


def _cached(request, key: str | None, respond: Callable[[], HttpResponse]):
    """``respond()``, or its copy from the page cache: for a page anyone
    sees alike (a ``key`` naming it, and no one signed in), kept under the
    catalog version, so a write retires it, and per interface language (one
    URL serves both: LocaleMiddleware chose the language, and adds ``Vary``)."""
    if key is None or request.user.is_authenticated:
        return respond()
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]  # any path, one size
    key = f"catalog:response:{catalog_version()}:{get_language()}:{digest}"
    if (hit := cache.get(key)) is not None:
        content, headers = hit
        return HttpResponse(content, headers=headers)
    response = respond()
    if hasattr(response, "render"):
        response.render()  # a TemplateResponse (the sitemap views)
    if response.status_code == 200:
        # With the view's own headers: a sitemap's content type and robots tag.
        cache.set(key, (response.content, dict(response.items())), CACHE_SECONDS)
    return response


def _sorting(kind: Kind, filterset, query: str) -> dict:
    """The sorts a page offers (relevance only for a query) and the one in
    effect, which the sort menu shows as chosen."""
    if kind.name != "papers":
        return {"sort_options": None, "current_sort": ""}
    return {
        "sort_options": [
            Sort(value, label)
            for value, label in SORT_LABELS.items()
            if query or value != "relevance"
        ],
        "current_sort": filterset.sort_in_effect(),
    }


@require_safe
def home(request):
    return _cached(request, _plain(request), lambda: _home(request))


def _home(request):
    counts = selectors.topic_counts()
    topics = [
        {**t, "count": counts.get(t["id"], 0)} for t in topic_tree() if t["depth"] <= 1
    ]
    recent = Paper.objects.order_by("-created", "-id").prefetch_related("repositories")[
        :8
    ]
    stats = {
        "papers": Paper.objects.count(),
        "repositories": Repository.objects.count(),
        "links": Link.objects.count(),
    }
    return render(
        request,
        "catalog/home.html",
        {"topics": topics, "recent": recent, "stats": stats},
    )


@require_safe
def paper_list(request):
    return browse(request, "papers")


@require_safe
def repository_list(request):
    return browse(request, "repositories")


@require_safe
def link_list(request):
    return browse(request, "links")


@require_safe
def topic_detail(request, slug):
    page = topic_page(slug)
    return browse(
        request,
        "papers",
        scope={"topic": [page.topic.slug]},
        template="catalog/topic_detail.html",
        context={
            "topic": page.topic,
            "breadcrumbs": page.breadcrumbs,
            "subtopics": page.subtopics,
            "subtopics_html": page.subtopics_html,
            "others_html": page.others_html,
        },
    )


@require_safe
def venue_detail(request, venue):
    return browse(
        request,
        "papers",
        scope={"venue": selectors.venue_spellings(venue)},
        context={"heading": venue, "heading_kind": _("Venue")},
    )


@require_safe
def year_detail(request, year):
    return browse(
        request,
        "papers",
        scope={"year": [str(year)]},
        context={"heading": str(year), "heading_kind": _("Year")},
    )


def _canonical(entries, pk, slug, short_url_name):
    """(entry, None), or (None, a permanent redirect) when the URL is not the
    entry's canonical one: another slug, or an entry merged away (its merge
    redirect leads on from any slug or none). A 404 when there is neither."""
    entry = entries.filter(pk=pk).first()
    if entry is not None:
        if slug == entry.url_slug:
            return entry, None
        return None, redirect(entry, permanent=True)
    prefix = reverse(short_url_name, args=[pk])
    new_path = (
        Redirect.objects.filter(site_id=settings.SITE_ID, old_path__startswith=prefix)
        .values_list("new_path", flat=True)
        .first()
    )
    if new_path is None or not is_local_path(new_path):
        raise Http404(f"No entry {pk}.")
    return None, redirect(new_path, permanent=True)


@require_safe
def paper_detail(request, pk, slug=None):
    related = PAPER_DETAIL_RELATED
    paper, moved = _canonical(
        annotate_related(Paper.objects.all(), related),
        pk,
        slug,
        "catalog:paper-detail-short",
    )
    if moved:
        return moved
    attach_related([paper], related)
    return render(
        request,
        "catalog/paper_detail.html",
        {
            "paper": paper,
            "sources": selectors.sources_of(paper=paper),
            "related": selectors.related_papers(paper),
            "bibtex": FORMATS["bib"].document([cite(paper)]),
            "citations": paper_alternates(paper),
        },
    )


@require_safe
def repository_detail(request, pk, slug=None):
    repository, moved = _canonical(
        Repository.objects.prefetch_related("papers", "topics"),
        pk,
        slug,
        "catalog:repository-detail-short",
    )
    if moved:
        return moved
    return render(
        request,
        "catalog/repository_detail.html",
        {
            "repository": repository,
            "sources": selectors.sources_of(repository=repository),
        },
    )


@require_safe
def sitemap_index(request):
    """/sitemap.xml: an index of every page of every section, so that search
    engines find a catalog of any size whole (a section's page holds up to
    its ``limit`` entries)."""
    return _cached(
        request,
        _plain(request),
        lambda: sitemap_views.index(
            request, SITEMAPS, sitemap_url_name="catalog:sitemap-section"
        ),
    )


@require_safe
def sitemap_section(request, section):
    page = page_number(request, "p")
    return _cached(
        request,
        # Its page only: no key per odd URL.
        None if set(request.GET) - {"p"} or page is None else f"{request.path}#{page}",
        lambda: sitemap_views.sitemap(request, SITEMAPS, section),
    )


@require_safe
def venue_index(request):
    return _cached(
        request,
        _plain(request),
        lambda: render(request, "catalog/venues.html", selectors.venues_and_years()),
    )


def _plain(request) -> str | None:
    """The cache key of a page with no parameters (None with any)."""
    return None if request.GET else request.path
