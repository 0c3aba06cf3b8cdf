"""A page's facets as the template shows them: options with counts, the
URL that toggles each, and the chips of what is selected."""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalog.browse.facets.index import Selection
from catalog.browse.params import Params
from catalog.browse.topics import topic_tree


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
    more: int = 0  # options left out (the topic facet's smaller topics)

    @property
    def selected(self):
        return [o for o in self.options if o.selected]


@dataclass
class Chip:
    label: str
    url: str


def chips(params: Params, facets: list[Facet]) -> list[Chip]:
    """The active selections, each with a URL that removes just it."""
    out = []
    for facet in facets:
        for option in facet.selected:
            label = gettext("%(facet)s: %(value)s") % {
                "facet": facet.label,
                "value": option.label,
            }
            out.append(Chip(label, option.url))
    return out


# The most subtopics of one topic (or top-level topics) the topic facet
# lists: a list of thousands of headings would put every one on every page.
TOP_TOPICS = 40
TOPIC_LABEL = _("Topic")


def topic_facet(
    params: Params, count: Callable[[dict], int], *, label=TOPIC_LABEL, expand=()
) -> Facet:
    """The topic tree, drilled down: top-level topics, and the subtopics of
    the selected topics, of their ancestors and of the ``expand`` topic ids
    (a topic page's own topic), so a large tree stays a short list. Only the
    topics shown are counted (``count(topic)``: subtopics included)."""
    topics = topic_tree()
    selected = set(params.values("topic"))
    opened = _opened(topics, selected, expand)
    shown = []
    for topic in topics:
        if topic["parent_id"] is not None and topic["parent_id"] not in opened:
            continue
        n = count(topic)
        if n or topic["slug"] in selected:
            shown.append((topic, n))
    kept = _largest_siblings(shown, keep=opened)
    facet = Facet("topic", label, more=len(shown) - len(kept))
    for topic, n in kept:
        slug = topic["slug"]
        facet.options.append(
            Option(
                slug,
                topic["name"],
                n,
                slug in selected,
                params.toggled("topic", slug),
                depth=topic["depth"],
            )
        )
    return facet


def _opened(topics: list[dict], selected: set, expand) -> set:
    """The ids of the topics whose subtopics show: the ``expand`` ones, the
    selected ones and every topic above them."""
    parent = {t["id"]: t["parent_id"] for t in topics}
    opened = set(expand) | {t["id"] for t in topics if t["slug"] in selected}
    for topic in list(opened):
        while (topic := parent.get(topic)) is not None:
            opened.add(topic)
    return opened


def _largest_siblings(shown: list[tuple[dict, int]], *, keep: set) -> list:
    """``shown`` (topics in tree order, with counts) less all but the
    TOP_TOPICS largest of each topic's children; the topics in ``keep``
    (selected or opened) stay, and so do their shown children."""
    by_parent: dict = {}
    for topic, n in shown:
        by_parent.setdefault(topic["parent_id"], []).append((topic, n))
    allowed = set()
    for siblings in by_parent.values():
        largest = heapq.nsmallest(TOP_TOPICS, siblings, key=lambda s: -s[1])
        allowed.update(topic["id"] for topic, _ in largest)
    dropped = set()
    kept = []
    for topic, n in shown:
        if topic["parent_id"] in dropped or not (
            topic["id"] in allowed or topic["id"] in keep
        ):
            dropped.add(topic["id"])
        else:
            kept.append((topic, n))
    return kept


def options(params: Params, name, rows, labels=None) -> list[Option]:
    """An option per (value, count) row, then the selected values no row
    has (a selection with no results stays removable)."""
    labels = labels or {}
    selected = params.values(name)
    seen = set()
    out = []
    for value, count in rows:
        value = str(value)
        seen.add(value)
        out.append(
            Option(
                value,
                labels.get(value, value),
                count,
                value in selected,
                params.toggled(name, value),
            )
        )
    for value in selected:
        if value not in seen:
            label = labels.get(value, value)
            out.append(Option(value, label, 0, True, params.toggled(name, value)))
    return out


def most_first(rows, limit=None) -> list[tuple[object, int]]:
    rows = sorted(rows, key=lambda row: (-row[1], str(row[0])))
    return rows[:limit] if limit else rows


def value_facet(
    params: Params, selection: Selection, name, label, *, limit=None, labels=None
) -> Facet:
    """A facet of one dimension's values, most entries first."""
    rows = most_first(selection.counts(name), limit)
    return Facet(name, label, options(params, name, rows, labels))


def boolean_facet(params: Params, selection: Selection, name, label) -> Facet:
    """Yes/No: the entries with the dimension's ``True`` value, and the rest
    of the entries its facet counts."""
    yes = selection.count(name, True)
    no = len(selection.base(name)) - yes
    current = params.values(name)
    facet = Facet(name, label)
    for value, text, count in (("true", _("Yes"), yes), ("false", _("No"), no)):
        facet.options.append(
            Option(value, text, count, value in current, params.replaced(name, value))
        )
    return facet
