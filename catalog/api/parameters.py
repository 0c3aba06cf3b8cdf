"""The OpenAPI parameters of a list endpoint, read from the FilterSet that
validates them (the browse page's own), so the schema follows the filters."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import OpenApiParameter

from catalog.browse.filters import (
    SourceListFilter,
    TopicFilter,
    ValuesFilter,
    YearsFilter,
)
from catalog.browse.params import MAX_VALUE_CHARS

HELP = {
    "q": 'Full-text search: words ANDed, "quoted phrases", -word excludes.',
    "topic": "A topic slug (its subtopics included); repeat for either.",
    "year": "A year (2018) or a range (2015-2018, 2020-, -2010); repeat for any.",
    "venue": "A venue (ICML); repeat for either.",
    "list": "A source list's file name; repeat for either.",
    "page": "A page of 25 results, from 1; past the last page is a 404.",
}


def _string(**extra) -> dict:
    return {"type": "string", "minLength": 1, "maxLength": MAX_VALUE_CHARS, **extra}


def _schema(flt) -> tuple[dict, bool]:
    """(schema, repeatable) of one filter's parameter."""
    if isinstance(flt, django_filters.BooleanFilter):
        return {"type": "boolean"}, False
    if isinstance(
        flt, django_filters.MultipleChoiceFilter | django_filters.ChoiceFilter
    ):
        choices = [str(value) for value, _ in flt.extra["choices"]]
        repeatable = isinstance(flt, django_filters.MultipleChoiceFilter)
        return {"type": "string", "enum": choices}, repeatable
    if isinstance(flt, YearsFilter):
        return _string(pattern=r"^\s*(\d{4})?\s*-?\s*(\d{4})?\s*$"), True
    if isinstance(flt, TopicFilter | SourceListFilter | ValuesFilter):
        return _string(), True
    return _string(), False


def filter_parameters(filterset_class) -> list[OpenApiParameter]:
    """One query parameter per filter, then ``page``."""
    out = []
    fields = getattr(filterset_class, "search_fields", ())
    for name, flt in filterset_class.base_filters.items():
        schema, repeatable = _schema(flt)
        description = HELP.get(name, str(flt.label or ""))
        if name == "q" and fields:  # repositories and links: substrings
            description = f"Every word found in one of: {', '.join(fields)}."
        if repeatable:
            schema = {"type": "array", "items": schema, "maxItems": 20}
        out.append(
            OpenApiParameter(
                name,
                schema,
                OpenApiParameter.QUERY,
                description=description,
                explode=True if repeatable else None,
            )
        )
    out.append(
        OpenApiParameter(
            "page",
            {"type": "integer", "minimum": 1},
            OpenApiParameter.QUERY,
            description=HELP["page"],
        )
    )
    return out
