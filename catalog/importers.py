"""Write parsed reading lists to the database: one transaction per list.

``import_reading_lists(paths=[...])`` reads, parses and upserts every list; it
never prints. Entities are matched on their canonical keys (paper key,
repository key, URL), so importing the same list twice changes nothing.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, OperationalError, connections, transaction
from django.utils import timezone

from catalog import parsing, search
from catalog.cache import bump_catalog_version
from catalog.models import (
    SOURCE_TARGETS,
    TOPIC_SEPARATOR,
    Alias,
    Framework,
    ImportConflict,
    Link,
    LinkKind,
    Paper,
    ReadingList,
    Repository,
    Source,
    Topic,
    Translation,
)
from catalog.parsing import ParsedList, ParseError, ParseWarning

LIST_SUFFIXES = {".md", ".markdown", ".txt"}
KINDS = ("topics", "papers", "repositories", "translations", "links")
BATCH = 2000
# Key for pg_advisory_xact_lock: one importer writes at a time on PostgreSQL.
IMPORT_LOCK_KEY = 0x646C72  # "dlr"


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class Conflict:
    """A list says something else than an editor's curated value."""

    entity: str
    object_id: int
    key: str
    field: str
    curated_value: object
    list_value: object
    line: int


@dataclass
class ListReport:
    path: str
    title: str = ""
    counts: dict[str, Counts] = field(
        default_factory=lambda: {k: Counts() for k in KINDS}
    )
    conflicts: list[Conflict] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)
    error: str | None = None
    unchanged_file: bool = False

    @property
    def changed(self) -> bool:
        return any(c.created or c.updated for c in self.counts.values()) or bool(
            self.pruned
        )


@dataclass
class ImportResult:
    reports: list[ListReport] = field(default_factory=list)
    dry_run: bool = False

    @property
    def failed(self) -> list[ListReport]:
        return [r for r in self.reports if r.error]

    def total(self, attr: str) -> int:
        return sum(getattr(c, attr) for r in self.reports for c in r.counts.values())

    @property
    def created(self) -> int:
        return self.total("created")

    @property
    def updated(self) -> int:
        return self.total("updated")


class _DryRunRollback(Exception):
    """Raised inside the transaction to undo a dry run."""


def iter_list_paths(paths: Iterable[str | Path]) -> Iterator[str | Path]:
    """Files as given, directories walked recursively for lists, "-" for stdin."""
    for raw in paths:
        if str(raw) == "-":
            yield "-"
            continue
        path = Path(raw)
        if path.is_dir():
            yield from sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in LIST_SUFFIXES
            )
        else:
            yield path


def read_list(path: str | Path, *, stdin=None) -> tuple[str, str, str]:
    """Return (name, text, sha256) of one list; ParseError names the file."""
    if path == "-":
        name = "<stdin>"
        stream = stdin if stdin is not None else sys.stdin
        data = getattr(stream, "buffer", stream).read()
        if isinstance(data, str):
            data = data.encode("utf-8")
    else:
        name = _list_name(Path(path))
        try:
            size = Path(path).stat().st_size
            if size > settings.IMPORT_MAX_BYTES:
                raise ParseError(
                    f"file is {size} bytes, larger than the limit of "
                    f"{settings.IMPORT_MAX_BYTES}",
                    name=str(path),
                )
            data = Path(path).read_bytes()
        except OSError as exc:
            raise ParseError(
                f"cannot read file: {exc.strerror or exc}", name=str(path)
            ) from exc
    text = parsing.decode_list_bytes(
        data, name=str(path), max_bytes=settings.IMPORT_MAX_BYTES
    )
    return name, text, hashlib.sha256(data).hexdigest()


def _list_name(path: Path) -> str:
    # Lists are known by their file name, so a list moved between folders or
    # imported from another checkout keeps its provenance.
    return path.name


def import_reading_lists(
    *,
    paths: Iterable[str | Path],
    dry_run: bool = False,
    prune: bool = False,
    using: str = "default",
    stdin=None,
    on_progress: Callable[[str], None] | None = None,
) -> ImportResult:
    """Import every list under ``paths``; each applies whole or not at all."""
    result = ImportResult(dry_run=dry_run)
    for path in iter_list_paths(paths):
        if on_progress:
            on_progress(str(path))
        report = ListReport(path=str(path))
        result.reports.append(report)
        try:
            name, text, digest = read_list(path, stdin=stdin)
            report.path = name if path == "-" else str(path)
            parsed = parsing.parse_reading_list(text, name=name)
        except ParseError as exc:
            report.error = str(exc)
            continue
        import_parsed_list(
            parsed,
            digest=digest,
            dry_run=dry_run,
            prune=prune,
            using=using,
            report=report,
        )
    return result


def import_parsed_list(
    parsed: ParsedList,
    *,
    digest: str = "",
    dry_run: bool = False,
    prune: bool = False,
    using: str = "default",
    report: ListReport | None = None,
) -> ListReport:
    """Write one parsed list in one transaction and report what changed."""
    report = report or ListReport(path=parsed.name)
    report.title = parsed.title or ""
    report.warnings = list(parsed.warnings)
    _import_with_retry(
        parsed, digest, report, dry_run=dry_run, prune=prune, using=using
    )
    return report


def _import_with_retry(parsed, digest, report, *, dry_run, prune, using, attempts=3):
    for attempt in range(attempts):
        try:
            with transaction.atomic(using=using):
                _lock(using)
                with parsing.gc_paused():
                    ListImporter(parsed, digest, report, prune=prune, using=using).run()
                if dry_run:
                    raise _DryRunRollback
            return
        except _DryRunRollback:
            return
        except (IntegrityError, OperationalError) as exc:
            # Another import committed the same keys first (or held the
            # SQLite write lock): start again from a fresh snapshot.
            if attempt == attempts - 1:
                report.error = f"{report.path}: database error: {exc}"
                return
            fresh = ListReport(path=report.path, title=report.title)
            fresh.warnings = report.warnings
            report.__dict__.update(fresh.__dict__)


def _lock(using: str) -> None:
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK_KEY])


def _chunks(items: list, size: int = BATCH) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _join(path: tuple[str, ...]) -> str:
    return TOPIC_SEPARATOR.join(path)


class ListImporter:
    """Upserts one parsed list inside the caller's transaction."""

    def __init__(
        self, parsed: ParsedList, digest: str, report: ListReport, *, prune, using
    ):
        self.parsed = parsed
        self.digest = digest
        self.report = report
        self.prune = prune
        self.using = using
        self.sources: list[Source] = []
        self.topic_ids: dict[str, int] = {}
        self.topic_depths: dict[int, int] = {}
        self.curated: dict[tuple[type, int], set[str]] = {}
        self.paper_ids: dict[str, int] = {}

    def run(self) -> None:
        self.reading_list = self._reading_list()
        self.previous = self._previous_sources()
        self._topics()
        self._papers()
        self._repositories()
        self._translations()
        self._links()
        self._replace_sources()
        self._save_conflicts()
        self._index_search()

    # -- reading list and provenance -------------------------------------------------

    def _reading_list(self) -> ReadingList:
        reading_list, created = ReadingList.objects.using(self.using).get_or_create(
            path=self.parsed.name, defaults={"title": self.parsed.title or ""}
        )
        if not created and reading_list.sha256 == self.digest:
            self.report.unchanged_file = True
        reading_list.title = self.parsed.title or ""
        reading_list.sha256 = self.digest
        reading_list.imported_at = timezone.now()
        reading_list.save(using=self.using)
        return reading_list

    def _previous_sources(self) -> dict[str, set[int]]:
        previous: dict[str, set[int]] = {target: set() for target in SOURCE_TARGETS}
        rows = Source.objects.using(self.using).filter(reading_list=self.reading_list)
        for row in rows.values_list(*(f"{t}_id" for t in SOURCE_TARGETS)):
            for target, pk in zip(previous, row, strict=True):
                if pk is not None:
                    previous[target].add(pk)
        return previous

    def _add_source(self, target: str, pk: int, line: int) -> None:
        self.sources.append(
            Source(reading_list=self.reading_list, line=line, **{f"{target}_id": pk})
        )

    def _replace_sources(self) -> None:
        Source.objects.using(self.using).filter(reading_list=self.reading_list).delete()
        Source.objects.using(self.using).bulk_create(self.sources, batch_size=BATCH)
        current: dict[str, set[int]] = {t: set() for t in self.previous}
        for source in self.sources:
            for target in current:
                pk = getattr(source, f"{target}_id")
                if pk is not None:
                    current[target].add(pk)
        for model, target in ALIAS_KIND.items():
            gone = self.previous[target] - current[target]
            if not gone:
                continue
            for obj in model.objects.using(self.using).filter(pk__in=gone):
                label = f"{target} {_label(obj)}"
                self.report.missing.append(label)
                if self.prune and not obj.curated_fields and not obj.sources.exists():
                    obj.delete()
                    self.report.pruned.append(label)

    # -- generic upsert ----------------------------------------------------------------

    def _upsert(
        self, kind, model, lookup, entries, values_of, *, fill_only=(), create_only=()
    ):
        """Create missing rows and update changed, uncurated fields of existing ones.

        ``values_of(entry)`` gives the row's field values from the list; fields in
        ``fill_only`` are only written when empty (another list may own them),
        fields in ``create_only`` only when the row is created.
        Returns {lookup value: pk}.
        """
        counts = self.report.counts[kind]
        keys = [getattr(e, lookup) for e in entries]
        existing = {}
        for chunk in _chunks(keys):
            for obj in model.objects.using(self.using).filter(
                **{f"{lookup}__in": chunk}
            ):
                existing[getattr(obj, lookup)] = obj
        existing.update(self._through_aliases(model, set(keys) - existing.keys()))
        self.curated.update(
            {(model, obj.pk): set(obj.curated_fields) for obj in existing.values()}
        )
        shared = self._shared_with_other_lists(model, [o.pk for o in existing.values()])
        to_create, to_update, fields_changed = [], [], set()
        now = timezone.now()
        for entry in entries:
            values = values_of(entry)
            obj = existing.get(getattr(entry, lookup))
            if obj is None:
                to_create.append(model(**{lookup: getattr(entry, lookup)}, **values))
                continue
            changed = False
            for name, value in values.items():
                if name in create_only:
                    continue
                current = getattr(obj, name)
                if _same(current, value) or _empty(value):
                    continue
                if name in obj.curated_fields:
                    self.report.conflicts.append(
                        Conflict(
                            model.__name__,
                            obj.pk,
                            str(getattr(entry, lookup)),
                            name,
                            current,
                            value,
                            entry.line,
                        )
                    )
                    continue
                if (name in fill_only or obj.pk in shared) and not _empty(current):
                    continue
                setattr(obj, name, value)
                fields_changed.add(name)
                changed = True
            if changed:
                obj.updated = now
                to_update.append(obj)
            else:
                counts.unchanged += 1
        for chunk in _chunks(to_create):
            model.objects.using(self.using).bulk_create(chunk)
        if to_update:
            model.objects.using(self.using).bulk_update(
                to_update, sorted(fields_changed | {"updated"}), batch_size=BATCH
            )
        counts.created += len(to_create)
        counts.updated += len(to_update)
        ids = {key: obj.pk for key, obj in existing.items()}
        if to_create and to_create[0].pk is None:
            # SQLite before 3.35 and some backends do not return primary keys.
            created_keys = [getattr(o, lookup) for o in to_create]
            for chunk in _chunks(created_keys):
                ids.update(
                    model.objects.using(self.using)
                    .filter(**{f"{lookup}__in": chunk})
                    .values_list(lookup, "pk")
                )
        else:
            ids.update({getattr(o, lookup): o.pk for o in to_create})
        return ids

    def _through_aliases(self, model, keys: set[str]) -> dict:
        """Rows that editors merged, renamed or moved, found by their old keys."""
        if not keys:
            return {}
        targets = {}
        for chunk in _chunks(sorted(keys)):
            targets.update(
                Alias.objects.using(self.using)
                .filter(kind=ALIAS_KIND[model], key__in=chunk)
                .values_list("key", "target_id")
            )
        rows = model.objects.using(self.using).in_bulk(set(targets.values()))
        return {key: rows[pk] for key, pk in targets.items() if pk in rows}

    def _save_conflicts(self) -> None:
        """Replace this list's conflicts with what it says now.

        A conflict an editor kept stays kept (and out of the report) while the
        list keeps saying the same thing.
        """
        conflicts = ImportConflict.objects.using(self.using)
        kept = {
            (row.kind, row.object_id, row.field): row.list_value
            for row in conflicts.filter(reading_list=self.reading_list, kept=True)
        }
        rows = []
        for c in self.report.conflicts:
            kind = ALIAS_KIND[MODELS[c.entity]]
            list_value = _jsonable(c.list_value)
            rows.append(
                ImportConflict(
                    kind=kind,
                    object_id=c.object_id,
                    entity_key=c.key,
                    field=c.field,
                    curated_value=_jsonable(c.curated_value),
                    list_value=list_value,
                    reading_list=self.reading_list,
                    line=c.line,
                    kept=kept.get((kind, c.object_id, c.field), object()) == list_value,
                )
            )
        self.report.conflicts = [
            c
            for c, row in zip(self.report.conflicts, rows, strict=True)
            if not row.kept
        ]
        conflicts.filter(reading_list=self.reading_list).delete()
        conflicts.bulk_create(rows, ignore_conflicts=True)

    def _shared_with_other_lists(self, model, pks: list[int]) -> set[int]:
        """Rows that other lists also hold: this list only fills their empty fields."""
        field_name = ALIAS_KIND[model]
        shared = set()
        for chunk in _chunks(pks):
            shared.update(
                Source.objects.using(self.using)
                .filter(**{f"{field_name}_id__in": chunk})
                .exclude(reading_list=self.reading_list)
                .values_list(f"{field_name}_id", flat=True)
            )
        return shared

    def _add_m2m(self, field, pairs: set[tuple[int, int]]) -> None:
        """Add (row, related) pairs of a many-to-many field unless it is curated."""
        model = field.model
        through = field.remote_field.through
        left = field.m2m_field_name()
        right = field.m2m_reverse_field_name()
        rows = [
            through(**{f"{left}_id": a, f"{right}_id": b})
            for a, b in pairs
            if field.name not in self.curated.get((model, a), ())
        ]
        through.objects.using(self.using).bulk_create(
            rows, batch_size=BATCH, ignore_conflicts=True
        )

    # -- entities ----------------------------------------------------------------------

    def _topics(self) -> None:
        entries = list(self.parsed.topics)
        # Parents first, so every child can point at its parent's id.
        by_depth: dict[int, list] = {}
        for order, entry in enumerate(entries):
            by_depth.setdefault(len(entry.path), []).append((order, entry))
        for depth in sorted(by_depth):
            level = [_TopicRow(e, order) for order, e in by_depth[depth]]

            def values(row):
                parent_id = self.topic_ids.get(_join(row.entry.path[:-1]))
                return {
                    "name": row.entry.path[-1],
                    "parent_id": parent_id,
                    # Below the parent the row resolved to (an editor may have
                    # moved it), not the depth the list's path suggests.
                    "depth": self.topic_depths[parent_id] + 1 if parent_id else 0,
                    "order": row.order,
                    "description": row.entry.description or "",
                    "slug": Topic.slug_for_path(row.path) + row.slug_suffix,
                }

            self._ensure_unique_slugs(level)
            ids = self._upsert(
                "topics", Topic, "path", level, values, create_only=("slug", "depth")
            )
            self.topic_ids.update(ids)
            self.topic_depths.update(
                Topic.objects.using(self.using)
                .filter(pk__in=list(ids.values()))
                .values_list("pk", "depth")
            )
        for entry in entries:
            self._add_source("topic", self.topic_ids[_join(entry.path)], entry.line)

    def _ensure_unique_slugs(self, rows) -> None:
        wanted = {Topic.slug_for_path(r.path): r.path for r in rows}
        taken = dict(
            Topic.objects.using(self.using)
            .filter(slug__in=list(wanted))
            .values_list("slug", "path")
        )
        for row in rows:
            slug = Topic.slug_for_path(row.path)
            owner = taken.get(slug)
            if owner is not None and owner != row.path:
                row.slug_suffix = "-" + hashlib.sha1(row.path.encode()).hexdigest()[:6]

    def _papers(self) -> None:
        entries = list(self.parsed.papers)

        def values(entry):
            return {
                "title": entry.title[:1000],
                "short_name": (entry.short_name or "")[:200],
                "url": entry.url,
                "alt_urls": list(entry.alt_urls),
                "arxiv_id": entry.arxiv_id,
                "year": entry.year,
                "date": entry.date,
                "venue": entry.venue or "",
                "venue_year": entry.venue_year,
                "organisation": (entry.organisation or "")[:200],
                "notes": entry.notes or "",
            }

        self.paper_ids = self._upsert(
            "papers", Paper, "key", entries, values, fill_only=("url", "alt_urls")
        )
        self._merge_alt_urls(entries)
        pairs = {
            (self.paper_ids[e.key], self.topic_ids[_join(t)])
            for e in entries
            for t in e.topics
            if _join(t) in self.topic_ids
        }
        self._add_m2m(Paper._meta.get_field("topics"), pairs)
        for entry in entries:
            for line in entry.lines or (entry.line,):
                self._add_source("paper", self.paper_ids[entry.key], line)

    def _merge_alt_urls(self, entries) -> None:
        """Every URL a list wrote a paper with is kept, whichever list came first."""
        wanted = {e.key: {e.url, *e.alt_urls} for e in entries}
        to_update = []
        for chunk in _chunks(list(wanted)):
            for paper in (
                Paper.objects.using(self.using)
                .filter(key__in=chunk)
                .only("pk", "key", "url", "alt_urls")
            ):
                known = {paper.url, *paper.alt_urls}
                extra = sorted(wanted[paper.key] - known)
                if extra:
                    paper.alt_urls = [*paper.alt_urls, *extra]
                    to_update.append(paper)
        Paper.objects.using(self.using).bulk_update(
            to_update, ["alt_urls"], batch_size=BATCH
        )

    def _repositories(self) -> None:
        entries = list(self.parsed.repositories)

        def values(entry):
            row = {
                "host": entry.host,
                "owner": entry.owner,
                "name": entry.name,
                "url": entry.url,
            }
            # An unknown framework never overwrites a known one.
            if entry.framework and entry.framework in Framework.values:
                row["framework"] = entry.framework
            return row

        ids = self._upsert(
            "repositories", Repository, "key", entries, values, fill_only=("url",)
        )
        self._add_m2m(
            Repository._meta.get_field("topics"),
            {
                (ids[e.key], self.topic_ids[_join(t)])
                for e in entries
                for t in e.topics
                if _join(t) in self.topic_ids
            },
        )
        self._add_m2m(
            Repository._meta.get_field("papers"),
            {
                (ids[e.key], self.paper_ids[p])
                for e in entries
                for p in e.papers
                if p in self.paper_ids
            },
        )
        for entry in entries:
            for line in entry.lines or (entry.line,):
                self._add_source("repository", ids[entry.key], line)

    def _translations(self) -> None:
        entries = [e for e in self.parsed.translations if e.paper in self.paper_ids]

        def values(entry):
            return {
                "paper_id": self.paper_ids[entry.paper],
                "language": entry.language,
                "title": (entry.title or "")[:1000],
            }

        ids = self._upsert("translations", Translation, "url", entries, values)
        for entry in entries:
            self._add_source("translation", ids[entry.url], entry.line)

    def _links(self) -> None:
        entries = list(self.parsed.links)

        def values(entry):
            return {
                "title": (entry.title or "")[:1000],
                "kind": entry.kind if entry.kind in LinkKind.values else LinkKind.LINK,
                "paper_id": self.paper_ids.get(entry.paper) if entry.paper else None,
            }

        ids = self._upsert("links", Link, "url", entries, values)
        self._add_m2m(
            Link._meta.get_field("topics"),
            {
                (ids[e.url], self.topic_ids[_join(t)])
                for e in entries
                for t in e.topics
                if _join(t) in self.topic_ids
            },
        )
        for entry in entries:
            for line in entry.lines or (entry.line,):
                self._add_source("link", ids[entry.url], line)

    def _index_search(self) -> None:
        if self.paper_ids:
            search.index_papers(list(self.paper_ids.values()), using=self.using)
        # Cached pages die with this version, once the import has committed.
        transaction.on_commit(bump_catalog_version, using=self.using)


@dataclass
class _TopicRow:
    entry: object
    order: int
    slug_suffix: str = ""

    @property
    def path(self) -> str:
        return _join(self.entry.path)

    @property
    def line(self) -> int:
        return self.entry.line


MODELS = {m.__name__: m for m in (Topic, Paper, Repository, Translation, Link)}
ALIAS_KIND = {
    Topic: "topic",
    Paper: "paper",
    Repository: "repository",
    Translation: "translation",
    Link: "link",
}


def _jsonable(value):
    if value is None or isinstance(value, bool | int | float | str | list | dict):
        return value
    return str(value)


def _same(current, value) -> bool:
    if isinstance(current, list | tuple) and isinstance(value, list | tuple):
        return list(current) == list(value)
    return current == value


def _empty(value) -> bool:
    return value is None or value == "" or value == [] or value == ()


def _label(obj) -> str:
    for attr in ("key", "path", "url"):
        if hasattr(obj, attr):
            return str(getattr(obj, attr))
    return str(obj)
