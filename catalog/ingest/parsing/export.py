"""A parsed list in the shape of the golden files, for tests and comparisons."""

from __future__ import annotations

from catalog.ingest.parsing.results import (
    LinkEntry,
    PaperEntry,
    ParsedList,
    RepositoryEntry,
    TopicPath,
)


def _path(topic: TopicPath) -> str:
    return " > ".join(topic)


def as_export(parsed: ParsedList) -> dict:
    """A parsed list in the shape of the golden files (no database involved)."""
    repositories: dict[str, list[str]] = {}
    for r in parsed.repositories:
        for paper in r.papers:
            repositories.setdefault(paper, []).append(r.key)
    return {
        "list": parsed.name,
        "title": parsed.title,
        "topics": [_path(t.path) for t in parsed.topics],
        "papers": [_paper(p, repositories.get(p.key, [])) for p in parsed.papers],
        "repositories": [_repository(r) for r in parsed.repositories],
        "translations": [
            {"url": t.url, "title": t.title, "language": t.language, "paper": t.paper}
            for t in parsed.translations
        ],
        "others": [_other(o) for o in parsed.links],
    }


def _paper(p: PaperEntry, repositories: list[str]) -> dict:
    return {
        "key": p.key,
        "title": p.title,
        "short_name": p.short_name,
        "url": p.url or None,  # none: cited with no link (rule 11)
        "year": p.year,
        "date": p.date.isoformat() if p.date else None,
        "venue": p.venue,
        "venue_year": p.venue_year,
        "organisation": p.organisation,
        "topics": [_path(t) for t in p.topics],
        "repositories": repositories,
        "notes": p.notes,
        "alt_urls": list(p.alt_urls),
    }


def _repository(r: RepositoryEntry) -> dict:
    return {
        "key": r.key,
        "url": r.url,
        "framework": r.framework,
        "topics": [_path(t) for t in r.topics],
        "papers": list(r.papers),
    }


def _other(o: LinkEntry) -> dict:
    return {
        "url": o.url,
        "title": o.title,
        "kind": o.kind,
        "topics": [_path(t) for t in o.topics],
        "paper": o.paper,
    }
