"""The whole catalog as plain data, in the shape of tests/golden/*.json."""

from __future__ import annotations

from django.db.models import Prefetch

from catalog.models import (
    Framework,
    Link,
    Paper,
    ReadingList,
    Repository,
    Topic,
    Translation,
)


def _or_none(value):
    return value if value not in ("", None) else None


def export_catalog(*, using: str = "default") -> dict:
    """Every topic, paper, repository, translation and other link, keyed, not by id."""
    topics = Topic.objects.using(using).order_by("path")
    topic_path = Prefetch("topics", queryset=topics.only("pk", "path"))
    lists = list(ReadingList.objects.using(using).order_by("path"))
    papers = (
        Paper.objects.using(using)
        .order_by("key")
        .prefetch_related(
            topic_path, Prefetch("repositories", Repository.objects.only("pk", "key"))
        )
    )
    repositories = (
        Repository.objects.using(using)
        .order_by("key")
        .prefetch_related(
            topic_path, Prefetch("papers", Paper.objects.only("pk", "key"))
        )
    )
    translations = (
        Translation.objects.using(using).select_related("paper").order_by("url")
    )
    links = (
        Link.objects.using(using)
        .select_related("paper")
        .prefetch_related(topic_path)
        .order_by("url")
    )
    return {
        "list": lists[0].path if len(lists) == 1 else None,
        "lists": [{"path": rl.path, "title": _or_none(rl.title)} for rl in lists],
        "title": _or_none(lists[0].title) if len(lists) == 1 else None,
        "topics": [topic.path for topic in topics],
        "papers": [
            {
                "key": paper.key,
                "title": paper.title,
                "short_name": _or_none(paper.short_name),
                "url": paper.url,
                "year": paper.year,
                "date": paper.date.isoformat() if paper.date else None,
                "venue": _or_none(paper.venue),
                "venue_year": paper.venue_year,
                "organisation": _or_none(paper.organisation),
                "topics": sorted(t.path for t in paper.topics.all()),
                "repositories": sorted(r.key for r in paper.repositories.all()),
                "notes": _or_none(paper.notes),
                "alt_urls": list(paper.alt_urls),
                "arxiv_id": paper.arxiv_id,
                "curated_fields": list(paper.curated_fields),
            }
            for paper in papers
        ],
        "repositories": [
            {
                "key": repo.key,
                "url": repo.url,
                "framework": None
                if repo.framework == Framework.UNKNOWN
                else repo.framework,
                "topics": sorted(t.path for t in repo.topics.all()),
                "papers": sorted(p.key for p in repo.papers.all()),
            }
            for repo in repositories
        ],
        "translations": [
            {
                "url": tr.url,
                "title": _or_none(tr.title),
                "language": tr.language,
                "paper": tr.paper.key,
            }
            for tr in translations
        ],
        "others": [
            {
                "url": link.url,
                "title": _or_none(link.title),
                "kind": link.kind,
                "topics": sorted(t.path for t in link.topics.all()),
                "paper": link.paper.key if link.paper else None,
            }
            for link in links
        ],
    }
