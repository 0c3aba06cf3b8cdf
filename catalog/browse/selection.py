"""A browse page's papers as its filters select them, for its feeds and
citations: the page's FilterSet, validation and search, without facets."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django_filters.constants import EMPTY_VALUES

from catalog.browse import selectors
from catalog.browse.filters import PaperFilter
from catalog.browse.params import Params
from catalog.browse.rows import PAPER_ROW_RELATED, Rows
from catalog.models import Paper, Topic
from catalog.routes import url_for
from catalog.search import suggest
from catalog.search.suggestions import unknown_words

# The pages with a selection of papers, by the name their URLs pass.
PAGES = ("papers", "topic", "venue", "year")


# A feed's entries: every column (dates, URLs), and what a row shows.
_NEWEST_ROWS = Rows(Paper, PAPER_ROW_RELATED)


@dataclass(frozen=True)
class Scope:
    """What a page is limited to ({parameter: values}, e.g. a topic's page
    to its topic), its heading and its path."""

    filters: dict[str, list[str]]
    heading: str
    path: str


class InvalidSelection(ValueError):
    """Parameters a filter cannot take; the message names them."""


def scope_of(page: str, value=None) -> Scope:
    """The scope of a ``page`` (one of PAGES) for its URL's ``value``; 404
    for a topic that does not exist."""
    if page == "topic":
        topic = get_object_or_404(Topic, slug=value)
        heading = _("Topic: %(name)s") % {"name": topic.path}
        return Scope({"topic": [topic.slug]}, heading, topic.get_absolute_url())
    if page == "venue":
        return Scope(
            {"venue": selectors.venue_spellings(value)},
            _("Venue: %(name)s") % {"name": value},
            url_for("catalog:venue-detail", value),
        )
    if page == "year":
        return Scope(
            {"year": [str(value)]},
            _("Year: %(year)s") % {"year": value},
            url_for("catalog:year-detail", value),
        )
    return Scope({}, "", url_for("catalog:paper-list"))


def scoped_filterset(filterset_class, scope: dict, queryset):
    """The bound filterset of a page's ``scope`` (a venue's page, say), or
    None without one; 404 for a scope its filter cannot take."""
    if not scope:
        return None
    scoped = filterset_class(MultiValueDict(scope), queryset=queryset)
    scoped.is_valid()
    if any(scoped.form.cleaned_data.get(name) in EMPTY_VALUES for name in scope):
        # A scope its filter cannot take would scope nothing.
        raise Http404(f"No such {', '.join(scope)}.")
    return scoped


@dataclass(frozen=True)
class PaperSelection:
    """The papers a browse page's parameters select."""

    scope: Scope
    filterset: PaperFilter
    params: Params
    query: str
    corrected: str | None
    # The scope's bound filterset (None on the whole catalog's page).
    scoped: PaperFilter | None = None

    @property
    def papers(self):
        return self.filterset.qs

    def in_page_order(self):
        """The papers in the order the page shows them."""
        return self.filterset.ordered(self.filterset.qs)

    def newest(self, limit: int) -> list[Paper]:
        """The ``limit`` newest additions, with their rows' related objects.

        Picked in the facet index, a search among recent searches' matches,
        as the browse page picks its rows. Filtered in SQL instead, a feed of
        a query matching one paper in a hundred probed the words of every
        paper, newest first, until it found 25 (4 ms on 100,000 papers)."""
        selected = selectors.select(self.filterset, scope=self.scoped).selection
        ids = selected.index.in_order("added", selected.results, 0, limit)
        return _NEWEST_ROWS.by_ids(ids, using=self.filterset.qs.db)

    @property
    def page_url(self) -> str:
        """The browse page of the selection (its filters, no page)."""
        return self.params.url(page=None)

    def describe(self) -> str:
        """The selection in words: "Papers · Topic: NLP · “bert”"."""
        parts = [_("Papers")]
        if self.scope.heading:
            parts.append(self.scope.heading)
        for name, values in self.params.without("q", "sort").items():
            label = self.filterset.filters[name].label or name
            if name == "topic":  # by their paths, not their slugs
                paths = dict(
                    Topic.objects.filter(slug__in=values).values_list("slug", "path")
                )
                values = [paths.get(v, v) for v in values]
            parts.append(f"{label}: {', '.join(values)}")
        if self.query:
            parts.append(f"“{self.corrected or self.query}”")
        return " · ".join(parts)


def select_papers(querydict: QueryDict, scope: Scope) -> PaperSelection:
    """The papers ``querydict`` selects within ``scope``, as the browse
    page selects them (a query that finds nothing searched as corrected,
    if a correction exists). Raises InvalidSelection for values a filter
    cannot take, which the browse page would drop and show as errors."""
    queryset = Paper.objects.all()
    scoped = scoped_filterset(PaperFilter, scope.filters, queryset)
    if scoped is not None:
        queryset = scoped.qs
    filterset = PaperFilter(querydict, queryset=queryset)
    if not filterset.is_valid():
        raise InvalidSelection(_errors(filterset.form.errors))
    query = (filterset.form.cleaned_data.get("q") or "").strip()
    # Whether the query finds anything costs a search: asked only of a query
    # with a word no title uses (one query of the title words), which a
    # correction could replace.
    corrected = None
    if query and unknown_words(query) and not filterset.qs.exists():
        corrected = suggest(query)
    if corrected:
        data = querydict.copy()
        data["q"] = corrected
        filterset = PaperFilter(data, queryset=queryset)
        filterset.is_valid()
    params = Params(querydict, scope.path, PaperFilter.base_filters)
    return PaperSelection(scope, filterset, params, query, corrected, scoped)


def _errors(errors) -> str:
    return "; ".join(
        f"{name}: {' '.join(messages)}" for name, messages in errors.items()
    )
