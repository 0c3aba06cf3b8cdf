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
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from django_filters.constants import EMPTY_VALUES

from catalog.browse import selectors
from catalog.browse.facets.options import chips
from catalog.browse.filters import (
    SORT_LABELS,
    LinkFilter,
    PaperFilter,
    RepositoryFilter,
)
from catalog.browse.params import Params
from catalog.browse.rows import (
    LINK_ROW_RELATED,
    PAPER_DETAIL_RELATED,
    PAPER_ROW_RELATED,
    REPOSITORY_ROW_RELATED,
    annotate_related,
    attach_related,
    with_related,
)
from catalog.browse.sitemaps import SITEMAPS
from catalog.browse.topics import breadcrumbs, topic_tree
from catalog.cache import catalog_version
from catalog.models import Link, Paper, Repository, Topic
from catalog.search import suggest
from catalog.validators import is_local_path

PER_PAGE = 25
CACHE_SECONDS = 600


@dataclass(frozen=True)
class Kind:
    """One browsable kind of thing: its filters, facets, rows and template."""

    name: str
    label: str
    search_label: str
    filterset: type
    facets: Callable
    queryset: Callable
    row_template: str


KINDS = {
    "papers": Kind(
        "papers",
        _("Papers"),
        _("Search papers"),
        PaperFilter,
        selectors.paper_facets,
        lambda: Paper.objects.all(),
        "catalog/rows/paper.jinja",
    ),
    "repositories": Kind(
        "repositories",
        _("Repositories"),
        _("Search repositories"),
        RepositoryFilter,
        selectors.repository_facets,
        lambda: Repository.objects.all(),
        "catalog/rows/repository.jinja",
    ),
    "links": Kind(
        "links",
        _("Articles, courses & tools"),
        _("Search articles, courses & tools"),
        LinkFilter,
        selectors.link_facets,
        lambda: Link.objects.all(),
        "catalog/rows/link.jinja",
    ),
}


@dataclass(frozen=True)
class Sort:
    """A choice of the sort menu."""

    value: str
    label: str


class CountedPaginator(Paginator):
    """A paginator told its count (the facet query counted the results)."""

    def __init__(self, object_list, per_page, count: int):
        super().__init__(object_list, per_page)
        self._count = count

    @cached_property
    def count(self) -> int:
        return self._count


def _page_number(request, name: str) -> int | None:
    """The page number asked for (1 if none), None if it is not one."""
    raw = request.GET.get(name) or "1"
    if not raw.isascii() or not raw.isdigit() or len(raw) > 9:
        return None
    return int(raw) or None


def _page_slice(request) -> tuple[int, int] | None:
    """(offset, limit) of the page asked for, if it is a page number."""
    number = _page_number(request, "page")
    return None if number is None else ((number - 1) * PER_PAGE, PER_PAGE)


def _page(kind: Kind, paginator, number, page_ids):
    """The page asked for (404 past the end), its rows loaded with what the
    row template shows; by id when the facet query ranked them."""
    try:
        page = paginator.page(number or 1)
    except InvalidPage as exc:
        raise Http404(str(exc)) from exc
    if page_ids is not None:
        model = paginator.object_list.model
        rows = _page_rows(kind, model.objects.filter(pk__in=page_ids))
        by_id = {row.pk: row for row in rows}
        page.object_list = [by_id[pk] for pk in page_ids if pk in by_id]
    elif paginator.count:
        page.object_list = _page_rows(
            kind, paginator.object_list[page.start_index() - 1 : page.end_index()]
        )
    else:
        page.object_list = []
    return page


# The paper columns a row shows (its related objects: PAPER_ROW_RELATED).
PAPER_ROW_FIELDS = (
    "id", "title", "short_name", "year", "venue", "venue_year", "organisation",
    "arxiv_id", "notes",
)  # fmt: skip


def _page_rows(kind: Kind, rows) -> list:
    """A page's rows (a queryset) with what their template shows: their
    related objects come with them, in the same query."""
    if kind.name == "papers":
        return with_related(rows.only(*PAPER_ROW_FIELDS), PAPER_ROW_RELATED)
    if kind.name == "repositories":
        return with_related(rows, REPOSITORY_ROW_RELATED)
    return with_related(rows.select_related("paper"), LINK_ROW_RELATED)


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
    page = _page_number(request, "page")
    return _cached(
        request,
        # Unfiltered pages, keyed by page number: ?page=01 is ?page=1.
        None
        if set(params.data) - {"page"} or page is None
        else f"{params.url()}#{page}",
        lambda: _browse(request, kind, params, scope, template, context),
    )


@dataclass
class Results:
    """A browse page's filterset and facets, for the query as typed or, when
    that finds nothing, as corrected."""

    filterset: object
    params: Params
    faceted: selectors.Faceted
    query: str
    corrected: str | None = None


def _browse(request, kind: Kind, params, scope, template, context):
    queryset = kind.queryset()
    scoped = _scoped(kind, scope, queryset)
    if scoped is not None:
        queryset = scoped.qs
    expand = [context["topic"].id] if context and "topic" in context else []
    facets = partial(
        kind.facets, expand=expand, page=_page_slice(request), scope=scoped
    )
    results = _results(request, kind, queryset, params, facets)
    filterset, params, faceted = results.filterset, results.params, results.faceted
    rows = filterset.ordered(filterset.qs)
    paginator = CountedPaginator(rows, PER_PAGE, faceted.total)
    page = _page(kind, paginator, request.GET.get("page"), faceted.page_ids)
    query = results.corrected or results.query
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
            "original_query": results.query if results.corrected else None,
            **_sorting(kind, filterset, query),
            **(context or {}),
        },
    )


def _scoped(kind: Kind, scope, queryset):
    """The bound filterset of a page's ``scope`` (a venue's page, say), or
    None without one; 404 for a scope its filter cannot take."""
    if not scope:
        return None
    scoped = kind.filterset(MultiValueDict(scope), queryset=queryset)
    scoped.is_valid()
    if any(scoped.form.cleaned_data.get(name) in EMPTY_VALUES for name in scope):
        # A scope its filter cannot take would scope nothing.
        raise Http404(f"No such {', '.join(scope)}.")
    return scoped


def _results(request, kind: Kind, queryset, params, facets) -> Results:
    """The page's filterset and facets; a paper query that finds nothing is
    searched again as corrected, if a correction exists."""
    filterset = kind.filterset(request.GET, queryset=queryset)
    faceted = facets(filterset, params)
    filterset.is_valid()  # invalid values are dropped and shown, not fatal
    q = (filterset.form.cleaned_data.get("q") or "").strip()
    results = Results(filterset, params, faceted, q)
    if not (q and kind.name == "papers" and not faceted.total):
        return results
    corrected = suggest(q)
    if corrected:
        # Results, facets and chips all follow the corrected query.
        data = request.GET.copy()
        data["q"] = corrected
        params = Params(data, request.path, kind.filterset.base_filters)
        filterset = kind.filterset(data, queryset=queryset)
        results = Results(filterset, params, facets(filterset, params), q, corrected)
    return results


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
    topic = get_object_or_404(Topic, slug=slug)
    counts = selectors.topic_counts()
    subtopics = [
        {**t, "count": counts.get(t["id"], 0)}
        for t in topic_tree()
        if t["parent_id"] == topic.id
    ]
    other = {
        "repositories": Repository.objects.filter(topics=topic).order_by(
            "owner", "name"
        )[:50],
        "links": Link.objects.filter(topics=topic).order_by("kind", "title")[:50],
    }
    return browse(
        request,
        "papers",
        scope={"topic": [topic.slug]},
        template="catalog/topic_detail.html",
        context={
            "topic": topic,
            "breadcrumbs": breadcrumbs(topic),
            "subtopics": subtopics,
            **other,
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
    page = _page_number(request, "p")
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
