"""The API's views: the browse selections (the same FilterSets, facets and
search as the HTML pages, through ``catalog.browse.listing``) as JSON.

Pagination is by page number, 25 a page, as on the HTML pages: every order
is total (each sort ends with the id; ranked results by rank, then id), so
a page holds the same rows for as long as the catalog is unchanged, and
the ETag (the catalog version) says when it changed. A cursor could not
follow a relevance rank, which is no column, nor the pages the facet index
picks by id."""

from __future__ import annotations

from functools import partial
from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog.api import serializers as s
from catalog.api.parameters import filter_parameters
from catalog.api.rows import (
    API_LINK_RELATED,
    API_PAPER_DETAIL_RELATED,
    API_PAPER_RELATED,
    API_REPOSITORY_RELATED,
    loaded,
)
from catalog.browse import listing, selectors
from catalog.browse.facets.dimensions import facet_index
from catalog.browse.listing import (
    KINDS,
    CountedPaginator,
    page_number,
    page_of,
    page_slice,
    results,
)
from catalog.browse.params import Params
from catalog.browse.rows import Rows
from catalog.browse.topics import breadcrumbs, topic_tree
from catalog.models import Alias, AliasKind, Link, Paper, Repository, Topic
from catalog.routes import url_for

ERRORS = {
    (400, "application/json"): OpenApiResponse(
        s.ErrorSerializer, description="A parameter that does not validate."
    ),
    # A URL holding a NUL character is refused before any view.
    (400, "text/plain"): OpenApiResponse(
        OpenApiTypes.STR, description="A URL holding a NUL character."
    ),
    (404, "application/json"): OpenApiResponse(
        s.ErrorSerializer, description="No such entry, or a page past the end."
    ),
    (429, "application/json"): OpenApiResponse(
        s.ErrorSerializer, description="Too many requests: see Retry-After."
    ),
}


def bad_request(errors: dict) -> Response:
    names = ", ".join(errors)
    return Response(
        {"detail": str(_("Invalid parameters: %s") % names), "errors": errors},
        status=400,
    )


class BrowseList(APIView):
    """A browse page's results, facet counts and paging, as JSON."""

    kind_name = ""
    rows: Rows
    item = s.PaperSerializer

    def get(self, request):
        kind = KINDS[self.kind_name]
        number = page_number(request, "page")
        if number is None:
            return bad_request({"page": [str(_("Not a page number (1, 2, ...)."))]})
        bound = kind.filterset(request.GET, queryset=kind.queryset())
        if not bound.is_valid():
            return bad_request(
                {name: [str(m) for m in msgs] for name, msgs in bound.errors.items()}
            )
        params = Params(request.GET, request.path, kind.filterset.base_filters)
        facets = partial(kind.facets, page=page_slice(request))
        found = results(request, kind, bound.queryset, params, facets, bound)
        rows = found.filterset.ordered(found.filterset.qs)
        paginator = CountedPaginator(rows, listing.PER_PAGE, found.faceted.total)
        page = page_of(paginator, number, found.faceted.page_ids, self.rows)
        context = {"request": request}
        return Response(
            {
                "count": paginator.count,
                "page": page.number,
                "pages": paginator.num_pages,
                "next": self._page_url(params, page.next_page_number, page.has_next),
                "previous": self._page_url(
                    params, page.previous_page_number, page.has_previous
                ),
                "query": found.query or None,
                "corrected_query": found.corrected,
                "facets": s.facets_data(found.faceted.facets, context),
                "results": self.results_data(page.object_list, context),
            }
        )

    def results_data(self, rows: list, context: dict) -> list:
        return self.item(rows, many=True, context=context).data

    def _page_url(self, params: Params, number, exists) -> str | None:
        if not exists():
            return None
        url = params.url(page=[number()])
        return self.request.build_absolute_uri(url)


def _list_schema(kind_name: str, item, summary: str):
    return extend_schema_view(
        get=extend_schema(
            operation_id=f"{kind_name}_list",
            summary=summary,
            parameters=filter_parameters(KINDS[kind_name].filterset),
            responses={(200, "application/json"): s.page_serializer(item), **ERRORS},
        )
    )


@_list_schema("papers", s.PaperSerializer, "Papers: filtered, searched, faceted")
class PaperList(BrowseList):
    kind_name = "papers"
    rows = Rows(Paper, API_PAPER_RELATED)
    item = s.PaperSerializer

    def results_data(self, rows: list, context: dict) -> list:
        return s.papers_data(rows, context)


@_list_schema("repositories", s.RepositorySerializer, "Repositories, faceted")
class RepositoryList(BrowseList):
    kind_name = "repositories"
    rows = Rows(Repository, API_REPOSITORY_RELATED)
    item = s.RepositorySerializer


@_list_schema("links", s.LinkSerializer, "Articles, courses and tools, faceted")
class LinkList(BrowseList):
    kind_name = "links"
    rows = Rows(Link, API_LINK_RELATED, joined=("paper",))
    item = s.LinkSerializer


def _detail_schema(serializer, summary: str):
    return extend_schema(
        summary=summary,
        responses={
            (200, "application/json"): serializer,
            301: OpenApiResponse(
                description="A key merged into another: its entry's URL."
            ),
            **ERRORS,
        },
    )


def _moved(kind: str, key: str, model, name: str):
    """A permanent redirect from a key merged or renamed away (an alias) to
    its entry's URL; 404 without one."""
    alias = Alias.objects.filter(kind=kind, key=key).first()
    target = alias and model.objects.filter(pk=alias.target_id).first()
    if target is None:
        raise Http404(_("No entry with this key."))
    return redirect(url_for(name, target.key), permanent=True)


class PaperDetail(APIView):
    @_detail_schema(s.PaperDetailSerializer, "A paper, its code, links and sources")
    def get(self, request, key):
        paper = loaded(Paper.objects.filter(key=key), API_PAPER_DETAIL_RELATED)
        if paper is None:
            return _moved(AliasKind.PAPER, key, Paper, "api:paper-detail")
        paper.source_list = selectors.sources_of(paper=paper)
        return Response(
            s.PaperDetailSerializer(paper, context={"request": request}).data
        )


class RepositoryDetail(APIView):
    @_detail_schema(s.RepositoryDetailSerializer, "A repository, its papers, sources")
    def get(self, request, key):
        repository = loaded(Repository.objects.filter(key=key), API_REPOSITORY_RELATED)
        if repository is None:
            return _moved(
                AliasKind.REPOSITORY, key, Repository, "api:repository-detail"
            )
        repository.source_list = selectors.sources_of(repository=repository)
        data = s.RepositoryDetailSerializer(repository, context={"request": request})
        return Response(data.data)


class LinkDetail(APIView):
    @_detail_schema(s.LinkDetailSerializer, "An article, course or tool")
    def get(self, request, pk):
        link = loaded(
            Link.objects.filter(pk=pk).select_related("paper"), API_LINK_RELATED
        )
        if link is None:
            raise Http404(_("No such link."))
        link.source_list = selectors.sources_of(link=link)
        return Response(s.LinkDetailSerializer(link, context={"request": request}).data)


def _papers_url(request, **params) -> str:
    """The papers list filtered by ``params`` (name: values)."""
    query = urlencode(params, doseq=True)
    return request.build_absolute_uri(f"{url_for('api:paper-list')}?{query}")


def _topic_rows() -> list[dict]:
    """The topic tree, parents first, each with its parent's path and the
    papers in it or below (the home page's counts)."""
    tree = topic_tree()
    path_of = {t["id"]: t["path"] for t in tree}
    counts = selectors.topic_counts()
    return [
        {
            **t,
            "parent": path_of.get(t["parent_id"]),
            "papers": counts.get(t["id"], 0),
        }
        for t in tree
    ]


class TopicList(APIView):
    @extend_schema(
        summary="The topic tree, parents before their children",
        responses={(200, "application/json"): s.TopicSerializer(many=True), **ERRORS},
    )
    def get(self, request):
        rows = _topic_rows()
        return Response(
            s.TopicSerializer(rows, many=True, context={"request": request}).data
        )


class TopicDetail(APIView):
    @_detail_schema(s.TopicDetailSerializer, "A topic: its description and subtopics")
    def get(self, request, slug):
        topic = get_object_or_404(Topic, slug=slug)
        rows = _topic_rows()
        row = next((r for r in rows if r["id"] == topic.id), None)
        if row is None:  # added since the tree was read: the next one has it
            raise Http404(_("No such topic."))
        data = {
            **row,
            "description": topic.description,
            "ancestors": [t.path for t in breadcrumbs(topic)[:-1]],
            "children": [r for r in rows if r["parent_id"] == topic.id],
            "papers_url": _papers_url(request, topic=[slug]),
        }
        return Response(
            s.TopicDetailSerializer(data, context={"request": request}).data
        )


class VenueList(APIView):
    @extend_schema(
        summary="Venues, most papers first",
        responses={(200, "application/json"): s.VenueSerializer(many=True), **ERRORS},
    )
    def get(self, request):
        venues = [
            {"venue": v["venue"], "papers": v["n"]}
            for v in selectors.venues_and_years()["venues"]
        ]
        return Response(
            s.VenueSerializer(venues, many=True, context={"request": request}).data
        )


class VenueDetail(APIView):
    @_detail_schema(s.VenueDetailSerializer, "A venue: its papers per year")
    def get(self, request, venue):
        index = facet_index(Paper)
        spellings = {
            v: index.values["venue"][v]
            for v in selectors.venue_spellings(venue)
            if v in index.values["venue"]
        }
        if not spellings:
            raise Http404(_("No paper of this venue."))
        years = []
        for year, bits in sorted(index.values["year"].items(), reverse=True):
            n = sum(len(bits & papers) for papers in spellings.values())
            if n:
                years.append({"year": year, "papers": n})
        data = {
            # Its most common spelling, whatever the URL's case.
            "venue": max(spellings, key=lambda v: len(spellings[v])),
            "papers": sum(len(papers) for papers in spellings.values()),
            "years": years,
            "papers_url": _papers_url(request, venue=list(spellings)),
        }
        return Response(
            s.VenueDetailSerializer(data, context={"request": request}).data
        )


class NotFound(APIView):
    """Any other path under /api/: a 404 in JSON, as the API's own are."""

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        raise Http404(_("No such API endpoint or entry."))


class Root(APIView):
    @extend_schema(exclude=True)
    def get(self, request):
        def url(name):
            return request.build_absolute_uri(url_for(f"api:{name}"))

        return Response(
            {
                "papers": url("paper-list"),
                "repositories": url("repository-list"),
                "links": url("link-list"),
                "topics": url("topic-list"),
                "venues": url("venue-list"),
                "schema": url("schema"),
                "docs": url("docs"),
            }
        )
