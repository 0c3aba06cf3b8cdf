"""What a topic's page shows whatever its query (the topic, its breadcrumbs,
subtopics, code and links), read and rendered once per catalog version,
topic and language, and kept in the cache: a page then reads no topic, no
repositories and no links, and renders none of them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from catalog.browse import selectors
from catalog.browse.topics import breadcrumbs, topic_tree
from catalog.cache import catalog_version
from catalog.models import Link, Repository, Topic

CACHE_SECONDS = 600
# The most repositories and links a topic's page lists.
LISTED = 50


@dataclass(frozen=True)
class TopicPage:
    topic: Topic
    breadcrumbs: list[Topic]
    subtopics: list[dict]  # topic_tree() entries, each with its papers' count
    subtopics_html: SafeString
    others_html: SafeString  # its code and links


def topic_page(slug: str) -> TopicPage:
    """The fixed parts of the page of the topic ``slug`` (404 without one),
    from the cache when the catalog has not changed since they were made."""
    # The version before reading: a write meanwhile retires what is read.
    digest = hashlib.sha256(slug.encode()).hexdigest()[:32]  # any slug, one size
    key = f"catalog:topic-page:{catalog_version()}:{get_language()}:{digest}"
    page = cache.get(key)
    if page is None:
        page = _build(get_object_or_404(Topic, slug=slug))
        cache.set(key, page, CACHE_SECONDS)
    return page


def _build(topic: Topic) -> TopicPage:
    counts = selectors.topic_counts()
    subtopics = [
        {**t, "count": counts.get(t["id"], 0)}
        for t in topic_tree()
        if t["parent_id"] == topic.id
    ]
    others = {
        "repositories": Repository.objects.filter(topics=topic).order_by(
            "owner", "name"
        )[:LISTED],
        "links": Link.objects.filter(topics=topic).order_by("kind", "title")[:LISTED],
    }
    return TopicPage(
        topic=topic,
        breadcrumbs=breadcrumbs(topic),
        subtopics=subtopics,
        subtopics_html=render_to_string(
            "catalog/_topic_subtopics.html", {"subtopics": subtopics}
        ),
        others_html=render_to_string("catalog/_topic_others.html", others),
    )
