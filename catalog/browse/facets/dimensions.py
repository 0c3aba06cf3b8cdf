"""The facets of each kind of entry, declared once: each ``Dimension``
names the filter parameter it answers (``catalog.browse.filters`` reads the
same declaration for its labels) and the (value, entry) pairs the facet
index holds, so a filter and its facet select the same entries."""

from __future__ import annotations

import hashlib
from functools import partial
from pathlib import Path

from django.utils.translation import gettext_lazy as _
from pyroaring import BitMap

from catalog.browse.facets import index as index_module
from catalog.browse.facets.index import (
    Dimension,
    FacetIndex,
    in_spans,
    union,
    yes_or_no,
)
from catalog.browse.params import PAPER_SORTS
from catalog.browse.topics import topic_subtrees
from catalog.cache import versioned
from catalog.models import Link, Paper, ReadingList, Repository, Source, Translation


def _topic_pairs(model):
    through = model.topics.through
    owner = f"{model._meta.model_name}_id"
    return lambda: through.objects.order_by().values_list("topic_id", owner)


def _subtrees(direct: dict[int, BitMap]) -> dict[str, BitMap]:
    """Entries by topic slug: a topic's own and those of every topic below it."""
    subtrees = {}
    for slug, ids in topic_subtrees().items():
        bits = union(direct[topic] for topic in ids if topic in direct)
        if bits:
            subtrees[slug] = bits
    return subtrees


def _source_pairs(target: str):
    return lambda: (
        Source.objects.filter(**{f"{target}__isnull": False})
        .order_by()
        .values_list("reading_list__path", f"{target}_id")
    )


def _flagged(queryset, column: str):
    """(True, entry) pairs: the entries ``queryset``'s ``column`` names."""
    return lambda: (
        (True, pk) for pk in queryset().order_by().values_list(column, flat=True)
    )


def _column(model, column: str):
    """(value, entry) pairs of a column of the entries themselves."""
    return lambda: model.objects.order_by().values_list(column, "id")


def _topic(model) -> Dimension:
    return Dimension("topic", _topic_pairs(model), finish=_subtrees, label=_("Topic"))


def _source_list(target: str) -> Dimension:
    return Dimension("list", _source_pairs(target), label=_("Source list"))


def _by_name(*dimensions: Dimension) -> dict[str, Dimension]:
    return {dimension.name: dimension for dimension in dimensions}


# The dimensions of each kind of entry, by model and filter parameter.
DIMENSIONS: dict[type, dict[str, Dimension]] = {
    Paper: _by_name(
        _topic(Paper),
        Dimension("year", _column(Paper, "year"), select=in_spans, label=_("Year")),
        Dimension("venue", _column(Paper, "venue"), label=_("Venue")),
        Dimension(
            "framework",
            lambda: Repository.papers.through.objects.order_by().values_list(
                "repository__framework", "paper_id"
            ),
            label=_("Framework"),
        ),
        Dimension(
            "has_code",
            _flagged(Repository.papers.through.objects.all, "paper_id"),
            select=yes_or_no,
            label=_("Has code"),
        ),
        Dimension(
            "has_translation",
            _flagged(Translation.objects.all, "paper_id"),
            select=yes_or_no,
            label=_("Has translation"),
        ),
        _source_list("paper"),
    ),
    Repository: _by_name(
        _topic(Repository),
        Dimension("framework", _column(Repository, "framework"), label=_("Framework")),
        _source_list("repository"),
    ),
    Link: _by_name(
        _topic(Link),
        Dimension("kind", _column(Link, "kind"), label=_("Kind")),
        _source_list("link"),
    ),
}

# The sorts of each kind the index holds (pages sorted so pick their rows'
# ids, see selectors._year_sorted_page; feeds pick the newest additions).
ORDERS = {Paper: ("newest", "oldest", "added")}


def _layout_key() -> str:
    """Names the layout of the indexes this code builds: a hash of the index
    module and of these declarations (their source, and each dimension's
    name, select, finish and the orders). Indexes are shared between
    processes through the cache (pickled), so a process never reads one
    another release of this code left there."""
    digest = hashlib.sha256()
    for module in (index_module.__file__, __file__):
        digest.update(Path(module).read_bytes())
    for model, dimensions in DIMENSIONS.items():
        for d in dimensions.values():
            finish = d.finish.__qualname__ if d.finish else ""
            digest.update(
                f"{model.__name__}.{d.name}:{d.select.__qualname__}:{finish}".encode()
            )
        digest.update(repr(ORDERS.get(model, ())).encode())
    return digest.hexdigest()[:16]


INDEX_KEY = _layout_key()


def facet_index(model) -> FacetIndex:
    """The facet index of a kind of entry, per catalog version (read-only)."""
    name = f"facet-index:{INDEX_KEY}:{model._meta.model_name}"
    return versioned(name, partial(_build, model))


def _build(model) -> FacetIndex:
    def ordered(sort):
        return lambda: model.objects.order_by(*PAPER_SORTS[sort]).values_list(
            "id", flat=True
        )

    # Read one query at a time: a write meanwhile may show in some and not
    # others; FacetIndex.build leaves out what its entries do not hold, and
    # the write's new catalog version retires this index.
    return FacetIndex.build(
        model.objects.order_by().values_list("id", flat=True),
        DIMENSIONS[model].values(),
        labels={"list": ReadingList.objects.values_list("path", "title")},
        orders={sort: ordered(sort) for sort in ORDERS.get(model, ())},
    )
