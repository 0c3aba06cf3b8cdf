"""The generic upsert of an import: create missing rows, update changed and
uncurated fields of existing ones, as a KindSpec says. Existing rows are
compared as plain values, never loaded as model instances."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone

from catalog.ingest import ranking
from catalog.ingest.ids import IdSet, chunks
from catalog.ingest.parsing import ParseWarning
from catalog.ingest.report import Conflict, ListReport
from catalog.ingest.specs import ImportState, KindSpec
from catalog.ingest.writers import Writer
from catalog.kinds import ALIAS_KIND
from catalog.models import Alias, Paper, Source


@dataclass
class Upserted:
    """One batch upserted: ``ids`` by lookup value; ``existing`` the rows that
    existed, as written, by the lookup value the list gave (a row found
    through an alias keeps its own key); ``written`` what the spec's
    ``remember`` returned for every row, by id."""

    ids: dict
    existing: dict[object, dict]
    written: dict[int, object] = field(default_factory=dict)


@dataclass
class _Plan:
    """What a batch needs: the records to create, the rows to update and
    the fields they change."""

    to_create: list = field(default_factory=list)
    to_update: list[dict] = field(default_factory=list)
    fields: set[str] = field(default_factory=set)


class Upserter:
    """Upserts batches of records of any kind for one list's import."""

    def __init__(
        self, *, using: str, writer: Writer, report: ListReport, state: ImportState
    ):
        self.using = using
        self.writer = writer
        self.report = report
        self.state: ImportState = state
        self.existing = ExistingRows(using=using, state=state)
        self.clashes = TitleClashes(using=using, report=report, state=state)

    def upsert(self, spec: KindSpec, entries: list, rows=None) -> Upserted:
        """Upsert ``entries``; ``rows`` gives the existing rows read
        beforehand by lookup value (no alias lookup)."""
        existing = rows if rows is not None else self._existing(spec, entries)
        pk_name = spec.model._meta.pk.attname
        self.state.curated.update(
            {
                (spec.model, row[pk_name]): set(row["curated_fields"])
                for row in existing.values()
                if row["curated_fields"]
            }
        )
        shared = self.existing.shared_with_other_lists(
            spec.model, [row[pk_name] for row in existing.values()]
        )
        # A row found through an alias holds more than this list's record:
        # its values join too.
        shared.update(
            row[pk_name] for key, row in existing.items() if row[spec.lookup] != key
        )
        plan = self._plan(spec, entries, existing, shared)
        return self._write(spec, plan, existing)

    def _existing(self, spec: KindSpec, entries: list) -> dict:
        keys = [getattr(e, spec.lookup) for e in entries]
        existing = self.existing.rows_by(spec.model, spec.lookup, keys)
        aliased = self.existing.through_aliases(spec.model, set(keys) - existing.keys())
        existing.update(aliased)
        # Two keys of one row (its own and an alias) share one dict: each
        # entry's values apply on top of the other's.
        pk_name = spec.model._meta.pk.attname
        rows: dict[int, dict] = {}
        return {
            key: rows.setdefault(row[pk_name], row) for key, row in existing.items()
        }

    def _plan(self, spec: KindSpec, entries, existing: dict, shared: set) -> _Plan:
        plan = _Plan()
        counts = self.report.counts[spec.kind]
        now = timezone.now()
        pk_name = spec.model._meta.pk.attname
        updating = set()
        for entry in entries:
            row = existing.get(getattr(entry, spec.lookup))
            if row is None:
                plan.to_create.append(entry)
                continue
            changed = self._apply(spec, entry, row, shared)
            if changed:
                if row[pk_name] not in updating:  # once, whichever key found it
                    updating.add(row[pk_name])
                    plan.to_update.append(row)
                row["updated"] = now
                plan.fields |= changed
            else:
                counts.unchanged += 1
        return plan

    def _apply(self, spec: KindSpec, entry, row: dict, shared: set) -> set[str]:
        """Set the list's values on an existing ``row`` where it may; returns
        the fields changed. A curated field is kept and reported; a row other
        lists hold takes the best value any of them gives (spec.joins)."""
        pk = row[spec.model._meta.pk.attname]
        values = spec.values(entry, self.state)
        joined = {}
        if pk in shared:
            for join in spec.joins:
                joined.update(join(row, values, entry))
            self._check_titles(spec, entry, row, values)
        changed = set()
        for name, value in values.items():
            if name in spec.create_only:
                continue
            if name in row["curated_fields"]:
                if not (_same(row[name], value) or _empty(value)):
                    self._conflict(spec, entry, row, name, value)
                continue
            value = _chosen(spec, name, row[name], value, joined, pk in shared)
            if value is not _KEEP and not _same(row[name], value):
                row[name] = value
                changed.add(name)
        return changed

    def _conflict(self, spec: KindSpec, entry, row: dict, name: str, value) -> None:
        self.report.conflicts.append(
            Conflict(
                entity=spec.model.__name__,
                object_id=row[spec.model._meta.pk.attname],
                key=str(getattr(entry, spec.lookup)),
                field=name,
                curated_value=row[name],
                list_value=value,
                line=entry.line,
            )
        )

    def _check_titles(self, spec: KindSpec, entry, row: dict, values: dict) -> None:
        """Two real titles for one paper: remembered, to be warned of with
        the lines of both (TitleClashes)."""
        if spec.model is Paper:
            self.clashes.check(row, values["title"], entry.line)

    def _write(self, spec: KindSpec, plan: _Plan, existing: dict) -> Upserted:
        pk_name = spec.model._meta.pk.attname
        remembered = []

        def row_of(entry):
            row = {
                spec.lookup: getattr(entry, spec.lookup),
                **spec.values(entry, self.state),
            }
            if spec.remember:
                remembered.append(spec.remember(row))
            return row

        created = self.writer.insert(spec.model, spec.lookup, plan.to_create, row_of)
        result = Upserted(
            ids={k: row[pk_name] for k, row in existing.items()}, existing=existing
        )
        result.ids.update(
            zip((getattr(e, spec.lookup) for e in plan.to_create), created, strict=True)
        )
        if spec.remember:
            result.written = {
                row[pk_name]: spec.remember(row) for row in existing.values()
            }
            result.written.update(zip(created, remembered, strict=True))
        if plan.to_update:
            fields = sorted(plan.fields | {"updated"})
            self.writer.update(spec.model, plan.to_update, fields)
        counts = self.report.counts[spec.kind]
        counts.created += len(plan.to_create)
        counts.updated += len(plan.to_update)
        self.state.created.setdefault(spec.model, IdSet()).update(created)
        return result


@dataclass(frozen=True)
class _Clash:
    paper_id: int
    key: str
    line: int
    title: str
    other: str


class TitleClashes:
    """One paper given two different real titles by two lists: each is
    warned of with this list's line and the other lists' lines, never lost
    in silence (the better title wins, catalog.ingest.joins)."""

    def __init__(self, *, using: str, report: ListReport, state: ImportState):
        self.using = using
        self.report = report
        self.state = state
        self.found: list[_Clash] = []

    def check(self, row: dict, title: str, line: int) -> None:
        current = row["title"]
        if not (
            ranking.title_rank(title).is_title and ranking.title_rank(current).is_title
        ):
            return
        mine, theirs = (
            ranking.normalised_title(title),
            ranking.normalised_title(current),
        )
        if mine in theirs or theirs in mine:
            return
        self.found.append(_Clash(row["id"], row["key"], line, title, current))

    def warn(self) -> None:
        """Add a warning per clash found, naming the other lists' lines."""
        if not self.found:
            return
        where: dict[int, list[str]] = {}
        sources = (
            Source.objects.using(self.using)
            .filter(paper_id__in={c.paper_id for c in self.found})
            .exclude(reading_list=self.state.reading_list)
            .order_by("reading_list__path", "line")
            .values_list("paper_id", "reading_list__path", "line")
        )
        for paper_id, path, line in sources:
            where.setdefault(paper_id, []).append(f"{path}:{line}")
        for clash in self.found:
            lines = ", ".join(where.get(clash.paper_id, [])[:3]) or "another list"
            self.report.warnings.append(
                ParseWarning(
                    clash.line,
                    f"paper {clash.key} is titled {clash.title!r} here and "
                    f"{clash.other!r} at {lines}; the fuller title is kept",
                )
            )
        self.found = []


class ExistingRows:
    """Reads the rows a batch of records may already have, as plain dicts."""

    def __init__(self, *, using: str, state: ImportState):
        self.using = using
        self.state = state

    def rows_by(self, model, lookup: str, keys: list) -> dict:
        """Existing rows by ``lookup`` value, as dicts: no model instances for
        the unchanged ones."""
        attnames = [f.attname for f in model._meta.concrete_fields]
        rows = {}
        for chunk in chunks(keys):
            for row in (
                model.objects.using(self.using)
                .filter(**{f"{lookup}__in": chunk})
                .order_by()
                .values(*attnames)
            ):
                rows[row[lookup]] = row
        return rows

    def through_aliases(self, model, keys: set[str]) -> dict:
        """Rows that editors merged, renamed or moved, found by their old keys."""
        kind = ALIAS_KIND[model]
        # Most catalogs have few aliases: skip looking up every key when none
        # of this kind exists.
        if not keys or kind not in self.alias_kinds():
            return {}
        aliases = Alias.objects.using(self.using).filter(kind=kind)
        targets = {}
        for chunk in chunks(sorted(keys)):
            targets.update(
                aliases.filter(key__in=chunk).values_list("key", "target_id")
            )
        pk_name = model._meta.pk.attname
        attnames = [f.attname for f in model._meta.concrete_fields]
        rows = {
            row[pk_name]: row
            for row in model.objects.using(self.using)
            .filter(pk__in=set(targets.values()))
            .order_by()
            .values(*attnames)
        }
        return {key: rows[pk] for key, pk in targets.items() if pk in rows}

    def alias_kinds(self) -> set[str]:
        """The kinds of entity that have aliases (one query per list)."""
        if self.state.alias_kinds is None:
            self.state.alias_kinds = set(
                Alias.objects.using(self.using)
                .order_by()
                .values_list("kind", flat=True)
                .distinct()
            )
        return self.state.alias_kinds

    def shared_with_other_lists(self, model, pks: list[int]) -> set[int]:
        """Rows that other lists also hold: this list only fills their empty
        fields."""
        field_name = ALIAS_KIND[model]
        reading_list = self.state.reading_list
        shared = set()
        for chunk in chunks(pks):
            shared.update(
                Source.objects.using(self.using)
                .filter(**{f"{field_name}_id__in": chunk})
                .exclude(reading_list=reading_list)
                .values_list(f"{field_name}_id", flat=True)
            )
        return shared


_KEEP = object()


def _chosen(spec: KindSpec, name: str, current, value, joined: dict, shared: bool):
    """The value an uncurated field takes, or _KEEP: the joined value of a
    row other lists hold; else the list's, unless it is empty or the field
    only fills an empty one."""
    if name in joined:
        return joined[name]
    if _empty(value):
        return _KEEP
    # Another list may own it: only fill it when empty.
    if (name in spec.fill_only or shared) and not _empty(current):
        return _KEEP
    return value


def _same(current, value) -> bool:
    if isinstance(current, list | tuple) and isinstance(value, list | tuple):
        return list(current) == list(value)
    return current == value


def _empty(value) -> bool:
    return value is None or value == "" or value == [] or value == ()
