"""Read side of the catalog: browse results with disjunctive facet counts.

A facet's counts are computed over the results filtered by every *other*
active filter (choosing a venue updates the year counts; choosing a year
does not zero out the other years). Query count per page is constant: one
grouped query per facet, one count, one page, its prefetches.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q

from catalog.cache import catalog_version
from catalog.models import (
    TOPIC_SEPARATOR,
    Framework,
    Link,
    LinkKind,
    Paper,
    Repository,
    Source,
    Topic,
    Translation,
)

TOP_VENUES = 25
TOP_YEARS = 30


@dataclass
class Option:
    value: str
    label: str
    count: int
    selected: bool
    url: str
    depth: int = 0


@dataclass
class Facet:
    name: str
    label: str
    options: list[Option] = field(default_factory=list)

    @property
    def selected(self):
        return [o for o in self.options if o.selected]


@dataclass
class Chip:
    label: str
    url: str


class Params:
    """The request's GET parameters, as lists; builds toggled URLs."""

    def __init__(self, querydict, path: str):
        self.path = path
        self.data = {k: [v for v in querydict.getlist(k) if v != ""] for k in querydict}
        self.data = {k: v for k, v in self.data.items() if v}

    def values(self, name):
        return self.data.get(name, [])

    def url(self, **changes) -> str:
        data = {k: list(v) for k, v in self.data.items() if k != "page"}
        for name, value in changes.items():
            if value is None:
                data.pop(name, None)
            else:
                data[name] = value
        query = urlencode([(k, v) for k in data for v in data[k]])
        return f"{self.path}?{query}" if query else self.path

    def toggled(self, name, value) -> str:
        current = self.values(name)
        if value in current:
            return self.url(**{name: [v for v in current if v != value] or None})
        return self.url(**{name: [*current, value]})

    def replaced(self, name, value) -> str:
        current = self.values(name)
        return self.url(**{name: None if current == [value] else [value]})

    def without(self, *names) -> dict:
        return {k: v for k, v in self.data.items() if k not in names and k != "page"}


def filtered(filterset_class, data: dict, queryset):
    """Queryset filtered by ``data`` (dict of lists), ordering cleared."""
    from django.http import QueryDict

    querydict = QueryDict(mutable=True)
    for key, values in data.items():
        querydict.setlist(key, values)
    return filterset_class(querydict, queryset=queryset).qs.order_by()


def topic_tree() -> list[dict]:
    """Every topic as a dict (id, parent_id, name, path, slug, depth), cached."""
    key = f"catalog:topics:{catalog_version()}"
    topics = cache.get(key)
    if topics is None:
        topics = list(
            Topic.objects.order_by("path").values(
                "id", "parent_id", "name", "path", "slug", "depth", "order"
            )
        )
        topics = _tree_order(topics)
        cache.set(key, topics, 3600)
    return topics


def _tree_order(topics):
    children: dict = {}
    for topic in topics:
        children.setdefault(topic["parent_id"], []).append(topic)
    for siblings in children.values():
        siblings.sort(key=lambda t: (t["order"], t["path"]))
    out = []

    def visit(parent):
        for topic in children.get(parent, ()):
            out.append(topic)
            visit(topic["id"])

    visit(None)
    return out


def rolled_up(direct: dict[int, int]) -> dict[int, int]:
    """Counts per topic including the topics below it (children add up)."""
    topics = topic_tree()
    total = dict(direct)
    for topic in reversed(topics):  # children come after their parents
        if topic["parent_id"] and total.get(topic["id"]):
            total[topic["parent_id"]] = (
                total.get(topic["parent_id"], 0) + total[topic["id"]]
            )
    return total


def topic_facet(params: Params, counts: dict[int, int], *, label="Topic") -> Facet:
    selected = set(params.values("topic"))
    facet = Facet("topic", label)
    for topic in topic_tree():
        n = counts.get(topic["id"], 0)
        if n or topic["slug"] in selected:
            facet.options.append(
                Option(
                    topic["slug"],
                    topic["name"],
                    n,
                    topic["slug"] in selected,
                    params.toggled("topic", topic["slug"]),
                    depth=topic["depth"],
                )
            )
    return facet


def _options(params, name, rows, labels=None) -> list[Option]:
    selected = params.values(name)
    seen = set()
    options = []
    for value, count in rows:
        value = str(value)
        seen.add(value)
        options.append(
            Option(
                value,
                (labels or {}).get(value, value),
                count,
                value in selected,
                params.toggled(name, value),
            )
        )
    for value in selected:  # a selection with no results stays removable
        if value not in seen:
            options.append(
                Option(
                    value,
                    (labels or {}).get(value, value),
                    0,
                    True,
                    params.toggled(name, value),
                )
            )
    return options


def _boolean_facet(params, name, label, yes: int, total: int) -> Facet:
    current = params.values(name)
    facet = Facet(name, label)
    for value, text, count in (("true", "Yes", yes), ("false", "No", total - yes)):
        facet.options.append(
            Option(value, text, count, value in current, params.replaced(name, value))
        )
    return facet


def _topic_counts(through, owner: str, ids) -> dict[int, int]:
    """Distinct entries per topic, subtopics included, among ``ids``.

    Two queries: direct counts per topic, and the (entry, topic) pairs of the
    entries filed under several topics, so an entry in two sibling subtopics
    counts once in their parent.
    """
    column = f"{owner}_id"
    members = through.objects.filter(**{f"{column}__in": ids})
    direct = dict(members.values_list("topic_id").annotate(n=Count(column)).order_by())
    total = rolled_up(direct)
    several = (
        members.values(column).annotate(n=Count("topic_id")).filter(n__gt=1)
    ).values(column)
    topics_of: dict[int, list[int]] = {}
    for entry, topic in through.objects.filter(
        **{f"{column}__in": several}
    ).values_list(column, "topic_id"):
        topics_of.setdefault(entry, []).append(topic)
    parent = {t["id"]: t["parent_id"] for t in topic_tree()}
    for topics in topics_of.values():
        seen: dict[int, int] = {}
        for topic in topics:
            while topic is not None:
                seen[topic] = seen.get(topic, 0) + 1
                topic = parent.get(topic)
        for topic, times in seen.items():
            if times > 1:
                total[topic] -= times - 1
    return total


def _list_facet(params: Params, owner: str, ids) -> Facet:
    """Entries per source list among ``ids``, one query."""
    rows = list(
        Source.objects.filter(**{f"{owner}_id__in": ids})
        .values_list("reading_list__path", "reading_list__title")
        .annotate(n=Count(f"{owner}_id", distinct=True))
        .order_by("-n")
    )
    labels = {path: title or path for path, title, _ in rows}
    counts = [(path, n) for path, _, n in rows]
    return Facet("list", "Source list", _options(params, "list", counts, labels))


def _grouped(queryset, field: str, limit: int | None = None, order=("-n",)):
    rows = queryset.values_list(field).annotate(n=Count("id")).order_by(*order)
    return rows[:limit] if limit else rows


def paper_facets(filterset_class, params: Params, queryset) -> list[Facet]:
    def others(name):
        return filtered(filterset_class, params.without(name), queryset)

    years = _grouped(
        others("year").exclude(year=None), "year", TOP_YEARS, order=("-year",)
    )
    venues = _grouped(
        others("venue").exclude(venue=""), "venue", TOP_VENUES, order=("-n", "venue")
    )
    frameworks = (
        Repository.papers.through.objects.filter(
            paper_id__in=others("framework").values("id")
        )
        .values_list("repository__framework")
        .annotate(n=Count("paper_id", distinct=True))
        .order_by("-n")
    )
    has_code = Exists(Repository.papers.through.objects.filter(paper_id=OuterRef("pk")))
    has_translation = Exists(Translation.objects.filter(paper_id=OuterRef("pk")))
    code = others("has_code").aggregate(
        total=Count("id"), yes=Count("id", filter=Q(has_code))
    )
    translated = others("has_translation").aggregate(
        total=Count("id"), yes=Count("id", filter=Q(has_translation))
    )
    topics = _topic_counts(Paper.topics.through, "paper", others("topic").values("id"))
    return [
        topic_facet(params, topics),
        Facet("year", "Year", _options(params, "year", years)),
        Facet("venue", "Venue", _options(params, "venue", venues)),
        Facet(
            "framework",
            "Framework",
            _options(params, "framework", frameworks, dict(Framework.choices)),
        ),
        _boolean_facet(params, "has_code", "Has code", code["yes"], code["total"]),
        _boolean_facet(
            params,
            "has_translation",
            "Has translation",
            translated["yes"],
            translated["total"],
        ),
        _list_facet(params, "paper", others("list").values("id")),
    ]


def repository_facets(filterset_class, params: Params, queryset) -> list[Facet]:
    def others(name):
        return filtered(filterset_class, params.without(name), queryset)

    topics = _topic_counts(
        Repository.topics.through, "repository", others("topic").values("id")
    )
    frameworks = _grouped(others("framework"), "framework")
    return [
        topic_facet(params, topics),
        Facet(
            "framework",
            "Framework",
            _options(params, "framework", frameworks, dict(Framework.choices)),
        ),
        _list_facet(params, "repository", others("list").values("id")),
    ]


def link_facets(filterset_class, params: Params, queryset) -> list[Facet]:
    def others(name):
        return filtered(filterset_class, params.without(name), queryset)

    topics = _topic_counts(Link.topics.through, "link", others("topic").values("id"))
    kinds = _grouped(others("kind"), "kind")
    return [
        topic_facet(params, topics),
        Facet("kind", "Kind", _options(params, "kind", kinds, dict(LinkKind.choices))),
        _list_facet(params, "link", others("list").values("id")),
    ]


def chips(params: Params, facets: list[Facet]) -> list[Chip]:
    """The active selections, each with a URL that removes just it."""
    out = []
    for facet in facets:
        for option in facet.selected:
            out.append(Chip(f"{facet.label}: {option.label}", option.url))
    return out


def topic_counts() -> dict[int, int]:
    """Papers per topic, subtopics included (home page), cached per version."""
    key = f"catalog:topic-counts:{catalog_version()}"
    counts = cache.get(key)
    if counts is None:
        counts = _topic_counts(
            Paper.topics.through, "paper", Paper.objects.values("id")
        )
        cache.set(key, counts, 3600)
    return counts


def breadcrumbs(topic: Topic) -> list[Topic]:
    parts = topic.path.split(TOPIC_SEPARATOR)
    paths = [TOPIC_SEPARATOR.join(parts[: n + 1]) for n in range(len(parts))]
    by_path = {t.path: t for t in Topic.objects.filter(path__in=paths)}
    return [by_path[p] for p in paths if p in by_path]


def related_papers(paper: Paper, limit: int = 6):
    """Papers sharing the most topics with ``paper``."""
    topic_ids = [t.id for t in paper.topics.all()]
    if not topic_ids:
        return Paper.objects.none()
    return (
        Paper.objects.filter(topics__in=topic_ids)
        .exclude(pk=paper.pk)
        .annotate(shared=Count("topics"))
        .order_by("-shared", "-year", "id")[:limit]
    )


def sources_of(**target) -> list[Source]:
    return list(
        Source.objects.filter(**target)
        .select_related("reading_list")
        .order_by("reading_list__path", "line")
    )
