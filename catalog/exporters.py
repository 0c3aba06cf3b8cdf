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
    one = lists[0] if len(lists) == 1 else None
    return {
        "list": one.path if one else None,
        "lists": [{"path": rl.path, "title": _or_none(rl.title)} for rl in lists],
        "title": _or_none(one.title) if one else None,
        "topics": [topic.path for topic in topics],
        "papers": [_paper(p) for p in _papers(using, topic_path)],
        "repositories": [_repository(r) for r in _repositories(using, topic_path)],
        "translations": [
            _translation(t)
            for t in Translation.objects.using(using)
            .select_related("paper")
            .order_by("url")
        ],
        "others": [
            _link(link)
            for link in Link.objects.using(using)
            .select_related("paper")
            .prefetch_related(topic_path)
            .order_by("url")
        ],
    }


def _papers(using: str, topic_path: Prefetch):
    keys = Prefetch("repositories", Repository.objects.only("pk", "key"))
    return Paper.objects.using(using).order_by("key").prefetch_related(topic_path, keys)


def _repositories(using: str, topic_path: Prefetch):
    keys = Prefetch("papers", Paper.objects.only("pk", "key"))
    return (
        Repository.objects.using(using)
        .order_by("key")
        .prefetch_related(topic_path, keys)
    )


def _topic_paths(entry) -> list[str]:
    return sorted(t.path for t in entry.topics.all())


def _paper(paper: Paper) -> dict:
    return {
        "key": paper.key,
        "title": paper.title,
        "short_name": _or_none(paper.short_name),
        "url": _or_none(paper.url),
        "year": paper.year,
        "date": paper.date.isoformat() if paper.date else None,
        "venue": _or_none(paper.venue),
        "venue_year": paper.venue_year,
        "organisation": _or_none(paper.organisation),
        "topics": _topic_paths(paper),
        "repositories": sorted(r.key for r in paper.repositories.all()),
        "notes": _or_none(paper.notes),
        "alt_urls": list(paper.alt_urls),
        "arxiv_id": paper.arxiv_id,
        "curated_fields": list(paper.curated_fields),
    }


def _repository(repo: Repository) -> dict:
    unknown = repo.framework == Framework.UNKNOWN
    return {
        "key": repo.key,
        "url": repo.url,
        "framework": None if unknown else repo.framework,
        "topics": _topic_paths(repo),
        "papers": sorted(p.key for p in repo.papers.all()),
    }


def _translation(translation: Translation) -> dict:
    return {
        "url": translation.url,
        "title": _or_none(translation.title),
        "language": translation.language,
        "paper": translation.paper.key,
    }


def _link(link: Link) -> dict:
    return {
        "url": link.url,
        "title": _or_none(link.title),
        "kind": link.kind,
        "topics": _topic_paths(link),
        "paper": link.paper.key if link.paper else None,
    }
