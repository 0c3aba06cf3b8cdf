"""Browse filters: one FilterSet per kind of thing, validated by django-filter.

Values that do not validate are dropped from the filtering and shown as form
errors; they never cause a server error.
"""

from __future__ import annotations

import re

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from catalog.browse.facets.dimensions import DIMENSIONS
from catalog.browse.params import MAX_VALUE_CHARS, MAX_VALUES, PAPER_SORTS
from catalog.browse.topics import topic_and_descendants
from catalog.models import (
    Framework,
    Link,
    LinkKind,
    Paper,
    Repository,
    Source,
    Translation,
)
from catalog.search import parse_query
from catalog.search import search as full_text_search

YEAR_RE = re.compile(r"^\s*(\d{4})?\s*(-)?\s*(\d{4})?\s*$")


class YearsField(forms.Field):
    """Years and ranges: ["2018", "2015-2017", "2020-"] -> [(lo, hi), ...]."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        if not value:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        return [year_span(raw) for raw in list(dict.fromkeys(values))[:MAX_VALUES]]


def year_span(raw) -> tuple[int | None, int | None]:
    """ "2018" -> (2018, 2018), "2015-2017", "2017-2015" -> (2015, 2017),
    "2020-" -> (2020, None), "-2010" -> (None, 2010)."""
    match = YEAR_RE.match(str(raw))
    if not match or not (match[1] or match[3]):
        raise forms.ValidationError(
            _("“%(value)s” is not a year or a range of years."),
            code="invalid_year",
            params={"value": Truncator(raw).chars(40)},
        )
    lo = int(match[1]) if match[1] else None
    hi = int(match[3]) if match[3] else None
    if not match[2]:
        hi = lo
    if lo is not None and hi is not None and lo > hi:
        lo, hi = hi, lo
    return lo, hi


class YearsFilter(django_filters.Filter):
    field_class = YearsField

    def filter(self, qs, value):
        if not value:
            return qs
        condition = Q()
        for lo, hi in value:
            span = Q()
            if lo is not None:
                span &= Q(**{f"{self.field_name}__gte": lo})
            if hi is not None:
                span &= Q(**{f"{self.field_name}__lte": hi})
            condition |= span
        return qs.filter(condition)


class ValuesField(forms.Field):
    """Several free-text values of one parameter (venue=ICML&venue=NeurIPS)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        if not value:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        kept = [v.strip() for v in values if v and v.strip()]
        return list(dict.fromkeys(kept))[:MAX_VALUES]


class ValuesFilter(django_filters.Filter):
    field_class = ValuesField

    def filter(self, qs, value):
        return qs.filter(**{f"{self.field_name}__in": value}) if value else qs


def in_topics(qs, slugs):
    """``qs`` (papers, repositories or links) limited to these topics and
    every topic below them."""
    through = qs.model.topics.through
    owner = qs.model._meta.model_name  # the through table's other column
    members = through.objects.filter(topic_id__in=topic_and_descendants(slugs)).values(
        f"{owner}_id"
    )
    return qs.filter(id__in=members)


class TopicFilter(ValuesFilter):
    """topic=<slug>: entries of that topic or any topic below it."""

    def filter(self, qs, value):
        return in_topics(qs, value) if value else qs


class SourceListFilter(ValuesFilter):
    """list=<file name>: entries a given reading list wrote."""

    def __init__(self, *args, target, **kwargs):
        self.target = target
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(
            id__in=Source.objects.filter(reading_list__path__in=value).values(
                f"{self.target}_id"
            )
        )


def every_word(qs, value: str, fields) -> object:
    """Rows containing every word of ``value`` in one of ``fields``."""
    for word in value.split()[:8]:
        condition = Q()
        for name in fields:
            condition |= Q(**{f"{name}__icontains": word})
        qs = qs.filter(condition)
    return qs


# The sort menu's labels, in the order it lists them.
SORT_LABELS = {
    "relevance": _("Relevance"),
    "newest": _("Newest"),
    "oldest": _("Oldest"),
    "title": _("Title"),
    "added": _("Recently added"),
}


def _label(model, name: str) -> str:
    """The label of the facet a filter answers (one declaration for both)."""
    return DIMENSIONS[model][name].label


class PaperFilter(django_filters.FilterSet):
    SORTS = PAPER_SORTS

    q = django_filters.CharFilter(
        method="filter_q", label=_("Search"), max_length=MAX_VALUE_CHARS
    )
    topic = TopicFilter(label=_label(Paper, "topic"))
    year = YearsFilter(field_name="year", label=_label(Paper, "year"))
    venue = ValuesFilter(field_name="venue", label=_label(Paper, "venue"))
    framework = django_filters.MultipleChoiceFilter(
        method="filter_framework",
        choices=Framework.choices,
        label=_label(Paper, "framework"),
    )
    has_code = django_filters.BooleanFilter(
        method="filter_has_code", label=_label(Paper, "has_code")
    )
    has_translation = django_filters.BooleanFilter(
        method="filter_has_translation",
        label=_label(Paper, "has_translation"),
    )
    list = SourceListFilter(target="paper", label=_label(Paper, "list"))
    sort = django_filters.ChoiceFilter(
        method="filter_sort",
        choices=[(k, SORT_LABELS[k]) for k in SORTS],
        empty_label=None,
        label=_("Sort"),
    )

    class Meta:
        model = Paper
        fields: list[str] = []

    def filter_q(self, qs, name, value):
        return full_text_search(qs, value) if value and value.strip() else qs

    def filter_framework(self, qs, name, value):
        if not value:
            return qs
        return qs.filter(
            Exists(
                Repository.papers.through.objects.filter(
                    paper_id=OuterRef("pk"), repository__framework__in=value
                )
            )
        )

    def filter_has_code(self, qs, name, value):
        if value is None:
            return qs
        has = Exists(Repository.papers.through.objects.filter(paper_id=OuterRef("pk")))
        return qs.filter(has if value else ~has)

    def filter_has_translation(self, qs, name, value):
        if value is None:
            return qs
        has = Exists(Translation.objects.filter(paper_id=OuterRef("pk")))
        return qs.filter(has if value else ~has)

    def filter_sort(self, qs, name, value):
        return qs  # applied last, in ordered()

    def sort_in_effect(self) -> str:
        """The sort in effect: the chosen one, else relevance for a query."""
        self.form.is_valid()  # invalid values are dropped, not fatal
        data = self.form.cleaned_data
        return data.get("sort") or ("relevance" if data.get("q") else "newest")

    def ordered(self, qs):
        sort = self.sort_in_effect()
        if sort == "relevance" and self.form.cleaned_data.get("q", "").strip():
            return qs  # search() ordered by rank already
        return qs.order_by(*(self.SORTS.get(sort) or self.SORTS["newest"]))

    def year_sort(self) -> str | None:
        """The sort in effect ("newest", "oldest") when it orders by year
        first (papers without one last); None otherwise."""
        sort = self.sort_in_effect()
        if sort == "relevance":
            if (self.form.cleaned_data.get("q") or "").strip():
                return None  # search() orders them
            sort = "newest"  # as ordered() does
        return sort if sort in ("newest", "oldest") else None

    def ranked(self) -> bool:
        """Whether the results are ordered by ``search_rank`` (best first,
        then id): a query with words to match, sorted by relevance."""
        query = parse_query(self.form.cleaned_data.get("q") or "")
        return self.sort_in_effect() == "relevance" and bool(query.positive)


class EntryFilter(django_filters.FilterSet):
    """Repositories and links: every word of ``q`` as a substring of one of
    ``search_fields``, a fixed ``ordering``, no rank."""

    q = django_filters.CharFilter(
        method="filter_q", label=_("Search"), max_length=MAX_VALUE_CHARS
    )
    topic = TopicFilter(label=_("Topic"))
    search_fields: tuple[str, ...] = ()
    ordering: tuple[str, ...] = ()

    def filter_q(self, qs, name, value):
        return every_word(qs, value, self.search_fields)

    def ordered(self, qs):
        return qs.order_by(*self.ordering)

    def ranked(self) -> bool:
        return False  # substring matches have no rank

    def year_sort(self) -> None:
        return None  # ordered by name or title


class RepositoryFilter(EntryFilter):
    # A column of the row itself: no join, so no DISTINCT (django-filter's
    # default), which made the database sort every row with its JSON columns.
    framework = django_filters.MultipleChoiceFilter(
        field_name="framework",
        choices=Framework.choices,
        label=_label(Repository, "framework"),
        distinct=False,
    )
    list = SourceListFilter(target="repository", label=_label(Repository, "list"))
    search_fields = ("owner", "name")
    ordering = ("owner", "name", "id")

    class Meta:
        model = Repository
        fields: list[str] = []


class LinkFilter(EntryFilter):
    kind = django_filters.MultipleChoiceFilter(
        field_name="kind",
        choices=LinkKind.choices,
        label=_label(Link, "kind"),
        distinct=False,
    )
    list = SourceListFilter(target="link", label=_label(Link, "list"))
    search_fields = ("title", "url")
    ordering = ("kind", "title", "id")

    class Meta:
        model = Link
        fields: list[str] = []
