"""The topic tree, read once per catalog version: the topic filter, the
facet index and the topic pages all select by it."""

from __future__ import annotations

from catalog.cache import versioned
from catalog.models import TOPIC_SEPARATOR, Topic


def topic_tree() -> list[dict]:
    """Every topic as a dict (id, parent_id, name, path, slug, depth, order),
    parents before their children; per catalog version (read-only)."""
    return versioned("topics", _load_topic_tree)


def topic_subtrees() -> dict[str, tuple[int, ...]]:
    """{topic slug: ids of that topic and of every topic below it}, "below"
    read from paths (exactly: a database's case-insensitive LIKE would also
    take "deep learning > ..." under "Deep Learning"); per catalog version.
    The topic filter and the facet index both select by it."""
    return versioned("topic-subtrees", _load_topic_subtrees)


def topic_and_descendants(slugs) -> list[int]:
    """Ids of the topics with these slugs and of every topic below them."""
    subtrees = topic_subtrees()
    return sorted({pk for slug in slugs for pk in subtrees.get(slug, ())})


def breadcrumbs(topic: Topic) -> list[Topic]:
    """``topic`` and the topics above it, top first, from the topic tree
    (no query)."""
    parts = topic.path.split(TOPIC_SEPARATOR)
    paths = [TOPIC_SEPARATOR.join(parts[: n + 1]) for n in range(len(parts))]
    by_path = {t["path"]: t for t in topic_tree()}
    return [Topic(**by_path[p]) for p in paths if p in by_path]


def _load_topic_subtrees() -> dict[str, tuple[int, ...]]:
    topics = topic_tree()
    slug_of = {t["path"]: t["slug"] for t in topics}
    below: dict[str, list[int]] = {t["slug"]: [] for t in topics}
    for topic in topics:
        parts = topic["path"].split(TOPIC_SEPARATOR)
        for depth in range(1, len(parts) + 1):
            slug = slug_of.get(TOPIC_SEPARATOR.join(parts[:depth]))
            if slug is not None:
                below[slug].append(topic["id"])
    return {slug: tuple(ids) for slug, ids in below.items()}


def _load_topic_tree() -> list[dict]:
    return _tree_order(
        list(
            Topic.objects.order_by("path").values(
                "id", "parent_id", "name", "path", "slug", "depth", "order"
            )
        )
    )


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
