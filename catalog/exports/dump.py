"""The full take-out: the whole catalog as one versioned JSON document.

It extends the export of ``catalog.exporters`` (the golden files' shape,
read by the golden tests and ``field_precision.py``) without renaming
anything: every record also carries its database id (paper and repository
URLs are built on it, and so are the redirects), its provenance (list,
line), its curated fields and when it was added; new sections hold the
topic tree's details (order, descriptions), the reading lists, import
conflicts, aliases and redirects. ``catalog.ingest.restore`` reads it back.

The document is written record by record (``write_dump``): one record per
line, never the whole catalog in memory.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TextIO

from django.conf import settings
from django.contrib.redirects.models import Redirect
from django.db import connections, transaction
from django.db.models import Prefetch

from catalog import exporters
from catalog.models import (
    Alias,
    ImportConflict,
    Link,
    Paper,
    PaperMerge,
    PaperTitle,
    ReadingList,
    Repository,
    Source,
    Topic,
    Translation,
)

FORMAT = "dlresources-catalog"
VERSION = 1
# Records read from the database per query while a dump is written.
CHUNK = 2000

# What differs between two imports of the same lists: database ids and times.
VOLATILE = frozenset(
    {"id", "target_id", "object_id", "created", "updated", "imported_at"}
)

# The identity of a row of each Alias/ImportConflict kind, by model.
IDENTITY = {
    "topic": (Topic, "path"),
    "paper": (Paper, "key"),
    "repository": (Repository, "key"),
    "translation": (Translation, "url"),
    "link": (Link, "url"),
}


def _stamp(value) -> str | None:
    return value.isoformat() if value else None


def sections(using: str = "default") -> Iterator[tuple[str, object]]:
    """(key, value) of the document in order; a record section's value is
    an iterator of records."""
    lists = list(ReadingList.objects.using(using).order_by("path"))
    list_paths = {rl.pk: rl.path for rl in lists}
    one = lists[0] if len(lists) == 1 else None
    yield "format", FORMAT
    yield "version", VERSION
    yield "list", one.path if one else None
    yield "lists", [_reading_list(rl) for rl in lists]
    yield "title", exporters._or_none(one.title) if one else None
    paths = Topic.objects.using(using).order_by("path").values_list("path", flat=True)
    yield "topics", list(paths)
    yield "topic_details", _topics(using, list_paths)
    yield "papers", _papers(using, list_paths)
    yield "repositories", _repositories(using, list_paths)
    yield "translations", _translations(using, list_paths)
    yield "others", _links(using, list_paths)
    yield "conflicts", _conflicts(using, list_paths)
    yield "aliases", _aliases(using)
    yield "paper_titles", _paper_titles(using, list_paths)
    yield "paper_merges", _paper_merges(using, list_paths)
    yield "redirects", _redirects(using)


def export_dump(using: str = "default") -> dict:
    """The whole document as one dict (tests, small catalogs)."""
    return {
        key: value if isinstance(value, str | int | list | None) else list(value)
        for key, value in sections(using)
    }


def without_volatile(document):
    """A dump (or any part of it) without ids and times, to compare the
    catalogs two imports made."""
    if isinstance(document, dict):
        return {
            key: without_volatile(value)
            for key, value in document.items()
            if key not in VOLATILE
        }
    if isinstance(document, list):
        return [without_volatile(item) for item in document]
    return document


@contextmanager
def snapshot(using: str = "default"):
    """One consistent view of the catalog while a dump is read: on
    PostgreSQL a REPEATABLE READ transaction, so that an import committing
    meanwhile leaves none of its rows in the dump (SQLite's transaction
    already reads one snapshot)."""
    connection = connections[using]
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=using):
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def write_dump(out: TextIO, using: str = "default") -> None:
    """Write the document to ``out``, one record per line."""
    out.write("{")
    for index, (key, value) in enumerate(sections(using)):
        out.write(",\n" if index else "\n")
        out.write(f"{_json(key)}: ")
        if isinstance(value, str | int | None):
            out.write(_json(value))
        else:
            _write_records(out, value)
    out.write("\n}\n")


def _write_records(out: TextIO, records: Iterable) -> None:
    out.write("[")
    first = True
    for record in records:
        out.write("\n" if first else ",\n")
        out.write(_json(record))
        first = False
    out.write("]" if first else "\n]")


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def _reading_list(rl: ReadingList) -> dict:
    return {
        "path": rl.path,
        "title": exporters._or_none(rl.title),
        "id": rl.pk,
        "sha256": rl.sha256,
        "imported_at": _stamp(rl.imported_at),
        "created": _stamp(rl.created),
    }


def _sources(target: str) -> Prefetch:
    return Prefetch(
        "sources", Source.objects.only("pk", "line", "reading_list_id", f"{target}_id")
    )


def _provenance(entry, list_paths: dict[int, str]) -> list[dict]:
    return sorted(
        (
            {"list": list_paths[s.reading_list_id], "line": s.line}
            for s in entry.sources.all()
        ),
        key=lambda s: (s["list"], s["line"]),
    )


def _extras(entry, list_paths: dict[int, str]) -> dict:
    return {
        "id": entry.pk,
        "curated_fields": list(entry.curated_fields),
        "sources": _provenance(entry, list_paths),
        "created": _stamp(entry.created),
    }


def _topics(using: str, list_paths) -> Iterator[dict]:
    topics = (
        Topic.objects.using(using)
        .order_by("path")
        .select_related("parent")
        .prefetch_related(_sources("topic"))
    )
    for topic in topics.iterator(chunk_size=CHUNK):
        yield {
            "path": topic.path,
            "name": topic.name,
            "parent": topic.parent.path if topic.parent else None,
            "slug": topic.slug,
            "order": topic.order,
            "depth": topic.depth,
            "description": topic.description,
            **_extras(topic, list_paths),
        }


def _topic_paths() -> Prefetch:
    return Prefetch("topics", queryset=Topic.objects.only("pk", "path"))


def _papers(using: str, list_paths) -> Iterator[dict]:
    keys = Prefetch("repositories", Repository.objects.only("pk", "key"))
    papers = (
        Paper.objects.using(using)
        .order_by("key")
        .prefetch_related(_topic_paths(), keys, _sources("paper"))
    )
    for paper in papers.iterator(chunk_size=CHUNK):
        yield {**exporters._paper(paper), **_extras(paper, list_paths)}


def _repositories(using: str, list_paths) -> Iterator[dict]:
    keys = Prefetch("papers", Paper.objects.only("pk", "key"))
    repositories = (
        Repository.objects.using(using)
        .order_by("key")
        .prefetch_related(_topic_paths(), keys, _sources("repository"))
    )
    for repo in repositories.iterator(chunk_size=CHUNK):
        yield {
            **exporters._repository(repo),
            "host": repo.host,
            "owner": repo.owner,
            "name": repo.name,
            **_extras(repo, list_paths),
        }


def _translations(using: str, list_paths) -> Iterator[dict]:
    translations = (
        Translation.objects.using(using)
        .select_related("paper")
        .order_by("url")
        .prefetch_related(_sources("translation"))
    )
    for translation in translations.iterator(chunk_size=CHUNK):
        yield {
            **exporters._translation(translation),
            **_extras(translation, list_paths),
        }


def _links(using: str, list_paths) -> Iterator[dict]:
    links = (
        Link.objects.using(using)
        .select_related("paper")
        .order_by("url")
        .prefetch_related(_topic_paths(), _sources("link"))
    )
    for link in links.iterator(chunk_size=CHUNK):
        yield {**exporters._link(link), **_extras(link, list_paths)}


def _identities(using: str, kind: str, ids: set[int]) -> dict[int, str]:
    model, field = IDENTITY[kind]
    return dict(model.objects.using(using).filter(pk__in=ids).values_list("pk", field))


def _targets(using: str, rows: list, id_of) -> dict[tuple[str, int], str]:
    """(kind, id) -> the identity of the row an alias or conflict names."""
    wanted: dict[str, set[int]] = {}
    for row in rows:
        wanted.setdefault(row.kind, set()).add(id_of(row))
    return {
        (kind, pk): identity
        for kind, ids in wanted.items()
        for pk, identity in _identities(using, kind, ids).items()
    }


def _conflicts(using: str, list_paths) -> list[dict]:
    conflicts = list(ImportConflict.objects.using(using))
    targets = _targets(using, conflicts, lambda c: c.object_id)
    records = [
        {
            "kind": c.kind,
            "target": targets.get((c.kind, c.object_id)),
            "object_id": c.object_id,
            "entity_key": c.entity_key,
            "field": c.field,
            "curated_value": c.curated_value,
            "list_value": c.list_value,
            "list": list_paths[c.reading_list_id],
            "line": c.line,
            "kept": c.kept,
            "created": _stamp(c.created),
            "updated": _stamp(c.updated),
        }
        for c in conflicts
    ]
    return sorted(
        records, key=lambda c: (c["kind"], c["object_id"], c["field"], c["list"])
    )


def _aliases(using: str) -> list[dict]:
    aliases = list(Alias.objects.using(using).order_by("kind", "key"))
    targets = _targets(using, aliases, lambda a: a.target_id)
    return [
        {
            "kind": a.kind,
            "key": a.key,
            "target": targets.get((a.kind, a.target_id)),
            "target_id": a.target_id,
            "created": _stamp(a.created),
        }
        for a in aliases
    ]


def _redirects(using: str) -> list[dict]:
    redirects = Redirect.objects.using(using).filter(site_id=settings.SITE_ID)
    return [
        {"old_path": old, "new_path": new}
        for old, new in redirects.order_by("old_path").values_list(
            "old_path", "new_path"
        )
    ]


def _paper_titles(using: str, list_paths) -> Iterator[dict]:
    """The titles and years lists gave each paper: what later imports match
    an arXiv paper's published version by (catalog.ingest.versions)."""
    rows = PaperTitle.objects.using(using).order_by(
        "paper__key", "reading_list__path", "normalised", "year"
    )
    for paper, list_id, normalised, year in rows.values_list(
        "paper__key", "reading_list_id", "normalised", "year"
    ).iterator():
        yield {
            "paper": paper,
            "list": list_paths[list_id],
            "normalised": normalised,
            "year": year,
        }


def _paper_merges(using: str, list_paths) -> list[dict]:
    """Automatic merges of a paper's versions, for an editor to split."""
    merges = PaperMerge.objects.using(using).select_related("paper")
    return [
        {
            "paper": m.paper.key,
            "merged_key": m.merged_key,
            "merged_url": m.merged_url,
            "title": m.title,
            "year": m.year,
            "list": list_paths.get(m.reading_list_id),
            "line": m.line,
            "split": m.split,
            "created": _stamp(m.created),
        }
        for m in merges.order_by("paper__key", "merged_key")
    ]
