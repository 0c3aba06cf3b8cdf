"""Restore a full dump (``catalog.exports.dump``) into an empty database.

One transaction: a dump that fails half way leaves the database empty. The
dump is read section by section with ijson (a file is opened once per
section), so a large dump is never held whole in memory; rows are written
as they are read, with COPY on PostgreSQL and batched INSERTs elsewhere.
Every row keeps its id (paper and repository URLs, and the redirects that
lead to them, are built on ids), so sequences are moved past them at the end.
"""

from __future__ import annotations

import datetime
import gzip
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

import ijson
from django.conf import settings
from django.contrib.redirects.models import Redirect
from django.core.management.color import no_style
from django.db import connections, models, transaction
from django.utils import timezone

from catalog.cache import bump_catalog_version
from catalog.exports.dump import FORMAT, VERSION
from catalog.kinds import IMPORT_LOCK_KEY
from catalog.models import (
    SOURCE_TARGETS,
    Alias,
    Framework,
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
from catalog.search import reindex_all

BATCH = 5000
# What makes a database non-empty: any row an import or an editor writes.
CATALOG_MODELS = (
    ReadingList,
    Topic,
    Paper,
    Repository,
    Translation,
    Link,
    Alias,
    ImportConflict,
)


class RestoreError(Exception):
    """The dump cannot be restored here (the message says why)."""


@dataclass
class RestoreResult:
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class _Ids:
    """Identity (key, path, URL) -> id of the rows restored so far."""

    lists: dict[str, int] = field(default_factory=dict)
    topics: dict[str, int] = field(default_factory=dict)
    papers: dict[str, int] = field(default_factory=dict)
    repositories: dict[str, int] = field(default_factory=dict)


def restore_dump(path: str | Path, *, using: str = "default") -> RestoreResult:
    """Restore the dump at ``path`` (JSON, or gzip-compressed JSON)."""
    path = Path(path)
    _check_format(path)
    with transaction.atomic(using=using):
        connection = connections[using]
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK_KEY])
        _check_empty(using)
        result = _Restore(path, using).run()
        reindex_all(using=using)
        transaction.on_commit(bump_catalog_version, using=using)
    return result


def _open(path: Path):
    with path.open("rb") as probe:
        compressed = probe.read(2) == b"\x1f\x8b"
    return gzip.open(path, "rb") if compressed else path.open("rb")


def _items(path: Path, prefix: str) -> Iterator:
    with _open(path) as stream:
        yield from ijson.items(stream, prefix, use_float=True)


def _check_format(path: Path) -> None:
    try:
        with _open(path) as stream:
            head = {}
            for key, value in ijson.kvitems(stream, ""):
                head[key] = value
                if key == "version":
                    break
    except (ijson.JSONError, OSError, EOFError) as error:
        raise RestoreError(f"{path}: not a readable JSON dump ({error})") from None
    if head.get("format") != FORMAT:
        raise RestoreError(
            f"{path}: not a {FORMAT} dump (its first keys must be "
            f'"format": "{FORMAT}" and "version"; export one with '
            "`manage.py export_catalog`)"
        )
    version = head.get("version")
    if not isinstance(version, int) or not 1 <= version <= VERSION:
        raise RestoreError(
            f"{path}: dump version {version!r} is not one this site reads "
            f"(1 to {VERSION})"
        )


def _check_empty(using: str) -> None:
    found = {
        model._meta.verbose_name_plural: model.objects.using(using).count()
        for model in CATALOG_MODELS
    }
    held = {name: count for name, count in found.items() if count}
    if held or Redirect.objects.using(using).exists():
        what = ", ".join(f"{count} {name}" for name, count in held.items())
        raise RestoreError(
            "The database is not empty"
            + (f" ({what})" if what else " (it holds redirects)")
            + ": a dump is restored into an empty database only. "
            "Create a new database and run `manage.py migrate` first."
        )


def _date(value: str | None):
    return datetime.date.fromisoformat(value) if value else None


def _stamp(value: str | None):
    return datetime.datetime.fromisoformat(value) if value else None


class _Rows:
    """The dump's records as rows of the tables (every id kept), noting the
    ids each identity got and the source lines to write after the records."""

    def __init__(self, read):
        self.read = read
        self.ids = _Ids()
        self.sources: dict[int, list[tuple[str, int, int]]] = {}
        # Editors' last-change times are not in the dump: restored rows are new.
        self.now = timezone.now()

    def provenance(self, target: str, pk: int, record: dict) -> None:
        for source in record.get("sources") or ():
            list_id = self.ids.lists[source["list"]]
            self.sources.setdefault(list_id, []).append((target, pk, source["line"]))

    def curated(self, record: dict) -> dict:
        return {
            "id": record["id"],
            "curated_fields": record.get("curated_fields") or [],
            "created": _stamp(record.get("created")),
        }

    def reading_list(self, record: dict) -> dict:
        self.ids.lists[record["path"]] = record["id"]
        return {
            "id": record["id"],
            "path": record["path"],
            "title": record.get("title") or "",
            "sha256": record.get("sha256") or "",
            "imported_at": _stamp(record.get("imported_at")),
            "created": _stamp(record.get("created")),
        }

    def topic(self, record: dict) -> dict:
        self.ids.topics[record["path"]] = record["id"]
        self.provenance("topic", record["id"], record)
        parent = record.get("parent")
        return {
            **self.curated(record),
            "path": record["path"],
            "name": record["name"],
            "parent_id": self.ids.topics[parent] if parent else None,
            "slug": record["slug"],
            "order": record["order"],
            "depth": record["depth"],
            "description": record.get("description") or "",
            "updated": self.now,
        }

    def papers(self, topic_pairs: list) -> Iterator[dict]:
        for record in self.read("papers"):
            pk = record["id"]
            self.ids.papers[record["key"]] = pk
            self.provenance("paper", pk, record)
            topic_pairs += [(pk, self.ids.topics[t]) for t in record["topics"]]
            yield {
                **self.curated(record),
                "key": record["key"],
                "title": record["title"],
                "short_name": record.get("short_name") or "",
                "url": record["url"] or "",
                "alt_urls": record.get("alt_urls") or [],
                "arxiv_id": record.get("arxiv_id"),
                "year": record.get("year"),
                "date": _date(record.get("date")),
                "venue": record.get("venue") or "",
                "venue_year": record.get("venue_year"),
                "organisation": record.get("organisation") or "",
                "notes": record.get("notes") or "",
                "updated": self.now,
            }

    def repositories(self, pairs: dict[str, list]) -> Iterator[dict]:
        for record in self.read("repositories"):
            pk = record["id"]
            self.ids.repositories[record["key"]] = pk
            self.provenance("repository", pk, record)
            pairs["papers"] += [(pk, self.ids.papers[k]) for k in record["papers"]]
            pairs["topics"] += [(pk, self.ids.topics[t]) for t in record["topics"]]
            yield {
                **self.curated(record),
                "key": record["key"],
                "host": record["host"],
                "owner": record["owner"],
                "name": record["name"],
                "url": record["url"],
                "framework": record.get("framework") or Framework.UNKNOWN,
                "updated": self.now,
            }

    def translation(self, record: dict) -> dict:
        self.provenance("translation", record["id"], record)
        return {
            **self.curated(record),
            "paper_id": self.ids.papers[record["paper"]],
            "language": record["language"],
            "title": record.get("title") or "",
            "url": record["url"],
            "updated": self.now,
        }

    def links(self, topic_pairs: list) -> Iterator[dict]:
        for record in self.read("others"):
            pk = record["id"]
            self.provenance("link", pk, record)
            topic_pairs += [(pk, self.ids.topics[t]) for t in record["topics"]]
            paper = record.get("paper")
            yield {
                **self.curated(record),
                "url": record["url"],
                "title": record.get("title") or "",
                "kind": record["kind"],
                "paper_id": self.ids.papers[paper] if paper else None,
                "updated": self.now,
            }


# Rows of the tables that only point at records ------------------------


def _conflict(record: dict, ids: _Ids) -> dict:
    return {
        "kind": record["kind"],
        "object_id": record["object_id"],
        "entity_key": record["entity_key"],
        "field": record["field"],
        "curated_value": record.get("curated_value"),
        "list_value": record.get("list_value"),
        "reading_list_id": ids.lists[record["list"]],
        "line": record["line"],
        "kept": record["kept"],
        "created": _stamp(record.get("created")),
        "updated": _stamp(record.get("updated")),
    }


def _alias(record: dict, ids: _Ids | None = None) -> dict:
    return {
        "kind": record["kind"],
        "key": record["key"],
        "target_id": record["target_id"],
        "created": _stamp(record.get("created")),
    }


def _paper_title(record: dict, ids: _Ids) -> dict:
    return {
        "paper_id": ids.papers[record["paper"]],
        "reading_list_id": ids.lists[record["list"]],
        "normalised": record["normalised"],
        "year": record["year"],
    }


def _paper_merge(record: dict, ids: _Ids) -> dict:
    listed = record.get("list")
    return {
        "paper_id": ids.papers[record["paper"]],
        "merged_key": record["merged_key"],
        "merged_url": record["merged_url"],
        "title": record["title"],
        "year": record["year"],
        "reading_list_id": ids.lists[listed] if listed else None,
        "line": record["line"],
        "split": record["split"],
        "created": _stamp(record.get("created")),
    }


def _redirect(record: dict, ids: _Ids) -> dict:
    return {
        "site_id": settings.SITE_ID,
        "old_path": record["old_path"],
        "new_path": record["new_path"],
    }


class _Restore:
    def __init__(self, path: Path, using: str):
        self.path = path
        self.using = using
        self.connection = connections[using]
        self.result = RestoreResult()
        self.rows = _Rows(self._read)

    def run(self) -> RestoreResult:
        self._insert(ReadingList, map(self.rows.reading_list, self._read("lists")))
        self._insert(Topic, map(self.rows.topic, self._read("topic_details")))
        paper_topics = []
        self._insert(Paper, self.rows.papers(paper_topics))
        self._pairs(Paper.topics.through, "paper", "topic", paper_topics)
        repository_pairs: dict[str, list] = {"papers": [], "topics": []}
        self._insert(Repository, self.rows.repositories(repository_pairs))
        self._pairs(
            Repository.papers.through,
            "repository",
            "paper",
            repository_pairs["papers"],
        )
        self._pairs(
            Repository.topics.through,
            "repository",
            "topic",
            repository_pairs["topics"],
        )
        self._insert(
            Translation, map(self.rows.translation, self._read("translations"))
        )
        link_topics = []
        self._insert(Link, self.rows.links(link_topics))
        self._pairs(Link.topics.through, "link", "topic", link_topics)
        self._insert_sources()
        # Rows that only point at the records above.
        for model, section, row in (
            (ImportConflict, "conflicts", _conflict),
            (Alias, "aliases", _alias),
            (PaperTitle, "paper_titles", _paper_title),
            (PaperMerge, "paper_merges", _paper_merge),
            (Redirect, "redirects", _redirect),
        ):
            rows = (row(record, self.rows.ids) for record in self._read(section))
            self._insert(model, rows)
        self._reset_sequences()
        return self.result

    def _read(self, section: str) -> Iterator[dict]:
        return _items(self.path, f"{section}.item")

    # Writing -----------------------------------------------------------

    def _insert(self, model, rows: Iterable[dict]) -> None:
        """Insert rows given as {attname: value} (every concrete field but
        an auto id the rows leave out), as they come."""
        rows = iter(rows)
        first = next(rows, None)
        count = 0
        if first is not None:
            fields = [model._meta.get_field(name) for name in first]
            attnames = list(first)
            count = self._write(model._meta.db_table, fields, attnames, first, rows)
        self.result.counts[model._meta.verbose_name_plural] = count

    def _write(self, table, fields, attnames, first, rows) -> int:
        columns = ", ".join(f'"{f.column}"' for f in fields)
        count = 0
        if self.connection.vendor == "postgresql":
            encoders = [_copy_value(f) for f in fields]
            with (
                self.connection.cursor() as cursor,
                self.connection.wrap_database_errors,
                cursor.copy(f'COPY "{table}" ({columns}) FROM STDIN') as copy,
            ):
                for row in _chain(first, rows):
                    copy.write_row(
                        [enc(row[a]) for enc, a in zip(encoders, attnames, strict=True)]
                    )
                    count += 1
            return count
        marks = ", ".join(["%s"] * len(fields))
        sql = f'INSERT INTO "{table}" ({columns}) VALUES ({marks})'
        prepared = (
            [
                f.get_db_prep_save(row[a], self.connection)
                for f, a in zip(fields, attnames, strict=True)
            ]
            for row in _chain(first, rows)
        )
        with self.connection.cursor() as cursor:
            while batch := list(islice(prepared, BATCH)):
                cursor.executemany(sql, batch)
                count += len(batch)
        return count

    def _pairs(self, through, left: str, right: str, pairs: list) -> None:
        rows = ({f"{left}_id": a, f"{right}_id": b} for a, b in dict.fromkeys(pairs))
        self._insert(through, rows)
        pairs.clear()

    def _insert_sources(self) -> None:
        empty = dict.fromkeys(f"{t}_id" for t in SOURCE_TARGETS)

        def rows():
            for list_id, triples in self.rows.sources.items():
                for target, pk, line in triples:
                    yield {
                        "reading_list_id": list_id,
                        "line": line,
                        **empty,
                        f"{target}_id": pk,
                    }

        self._insert(Source, rows())
        self.rows.sources.clear()

    def _reset_sequences(self) -> None:
        statements = self.connection.ops.sequence_reset_sql(
            no_style(), [ReadingList, Topic, Paper, Repository, Translation, Link]
        )
        with self.connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def _chain(first, rows: Iterator) -> Iterator:
    yield first
    yield from rows


def _copy_value(field):
    if isinstance(field, models.JSONField):
        return lambda value: None if value is None else json.dumps(value)
    return lambda value: value
