"""A browse selection: a kind's filterset bound to GET parameters, its
disjunctive facets, total and page of rows. The HTML browse pages and the
API's list endpoints are two renderings of it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from catalog.browse import selectors
from catalog.browse.filters import LinkFilter, PaperFilter, RepositoryFilter
from catalog.browse.params import PER_PAGE, Params
from catalog.browse.rows import (
    LINK_ROW_RELATED,
    PAPER_ROW_FIELDS,
    PAPER_ROW_RELATED,
    REPOSITORY_ROW_RELATED,
    Rows,
)
from catalog.models import Link, Paper, Repository
from catalog.search import suggest


@dataclass(frozen=True)
class Kind:
    """One browsable kind of thing: its filters, facets, rows and template."""

    name: str
    label: str
    search_label: str
    filterset: type
    facets: Callable
    queryset: Callable
    rows: Rows
    row_template: str


KINDS = {
    "papers": Kind(
        "papers",
        _("Papers"),
        _("Search papers"),
        PaperFilter,
        selectors.paper_facets,
        lambda: Paper.objects.all(),
        Rows(Paper, PAPER_ROW_RELATED, only=PAPER_ROW_FIELDS),
        "catalog/rows/paper.jinja",
    ),
    "repositories": Kind(
        "repositories",
        _("Repositories"),
        _("Search repositories"),
        RepositoryFilter,
        selectors.repository_facets,
        lambda: Repository.objects.all(),
        Rows(Repository, REPOSITORY_ROW_RELATED),
        "catalog/rows/repository.jinja",
    ),
    "links": Kind(
        "links",
        _("Articles, courses & tools"),
        _("Search articles, courses & tools"),
        LinkFilter,
        selectors.link_facets,
        lambda: Link.objects.all(),
        Rows(Link, LINK_ROW_RELATED, joined=("paper",)),
        "catalog/rows/link.jinja",
    ),
}


class CountedPaginator(Paginator):
    """A paginator told its count (the facet query counted the results)."""

    def __init__(self, object_list, per_page, count: int):
        super().__init__(object_list, per_page)
        self._count = count

    @cached_property
    def count(self) -> int:
        return self._count


def page_number(request, name: str) -> int | None:
    """The page number asked for (1 if none), None if it is not one."""
    raw = request.GET.get(name) or "1"
    if not raw.isascii() or not raw.isdigit() or len(raw) > 9:
        return None
    return int(raw) or None


def page_slice(request) -> tuple[int, int] | None:
    """(offset, limit) of the page asked for, if it is a page number."""
    number = page_number(request, "page")
    return None if number is None else ((number - 1) * PER_PAGE, PER_PAGE)


def page_of(paginator, number, page_ids, rows: Rows):
    """The page asked for (404 past the end), its ``rows`` loaded; by id
    when the facet query ranked them."""
    try:
        page = paginator.page(number or 1)
    except InvalidPage as exc:
        raise Http404(str(exc)) from exc
    if page_ids is not None:
        page.object_list = rows.by_ids(page_ids, using=paginator.object_list.db)
    elif paginator.count:
        page.object_list = rows.of(
            paginator.object_list[page.start_index() - 1 : page.end_index()]
        )
    else:
        page.object_list = []
    return page


@dataclass
class Results:
    """A browse page's filterset and facets, for the query as typed or, when
    that finds nothing, as corrected."""

    filterset: object
    params: Params
    faceted: selectors.Faceted
    query: str
    corrected: str | None = None


def results(request, kind: Kind, queryset, params, facets, filterset=None) -> Results:
    """The page's filterset and facets (``facets(filterset, params)``); a
    paper query that finds nothing is searched again as corrected, if a
    correction exists. ``filterset``: the caller's, of ``request.GET`` on
    ``queryset``, if it bound one already."""
    if filterset is None:
        filterset = kind.filterset(request.GET, queryset=queryset)
    faceted = facets(filterset, params)
    filterset.is_valid()  # invalid values are dropped and shown, not fatal
    q = (filterset.form.cleaned_data.get("q") or "").strip()
    found = Results(filterset, params, faceted, q)
    if not (q and kind.name == "papers" and not faceted.total):
        return found
    corrected = suggest(q)
    if corrected:
        # Results, facets and chips all follow the corrected query.
        data = request.GET.copy()
        data["q"] = corrected
        params = Params(data, request.path, kind.filterset.base_filters)
        filterset = kind.filterset(data, queryset=queryset)
        found = Results(filterset, params, facets(filterset, params), q, corrected)
    return found
