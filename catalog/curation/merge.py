"""Merging duplicates: a plan the editor confirms, then one transaction doing it."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.admin.models import DELETION
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from catalog.curation.aliases import IDENTITY_FIELD, leave_redirect
from catalog.curation.history import changed_message, field_label, log_change
from catalog.curation.locks import wait_for_import
from catalog.curation.reindex import paper_ids_of, reindex_papers
from catalog.curation.topics import move_topic
from catalog.kinds import ALIAS_KIND
from catalog.models import (
    TOPIC_SEPARATOR,
    Alias,
    ImportConflict,
    Link,
    Paper,
    Repository,
    Source,
    Topic,
    Translation,
)

# The importer only fills these when empty, so a differing duplicate never
# overwrites them and they need not become curated on a merge.
FILL_ONLY = frozenset({"url", "alt_urls"})
# A duplicate's curated value never replaces these on the survivor (they place
# it in the tree or make up its key); they are only filled when empty.
KEEP_ON_SURVIVOR = {
    Topic: frozenset({"name", "parent_id", "depth"}),
    Paper: frozenset({"arxiv_id"}),
    Repository: frozenset({"host", "owner", "name"}),
}


@dataclass(frozen=True)
class Relation:
    """Rows pointing at a merged model: a through table (``other`` set) or a FK."""

    label: str
    model: type
    fk: str
    other: str | None = None


RELATIONS = {
    Paper: (
        Relation("topics", Paper.topics.through, "paper_id", "topic_id"),
        Relation(
            "repositories", Repository.papers.through, "paper_id", "repository_id"
        ),
        Relation("translations", Translation, "paper_id"),
        Relation("links", Link, "paper_id"),
        Relation("sources", Source, "paper_id"),
    ),
    Repository: (
        Relation("papers", Repository.papers.through, "repository_id", "paper_id"),
        Relation("topics", Repository.topics.through, "repository_id", "topic_id"),
        Relation("sources", Source, "repository_id"),
    ),
    Topic: (
        Relation("papers", Paper.topics.through, "topic_id", "paper_id"),
        Relation(
            "repositories", Repository.topics.through, "topic_id", "repository_id"
        ),
        Relation("links", Link.topics.through, "topic_id", "link_id"),
        Relation("sources", Source, "topic_id"),
    ),
}


@dataclass
class FieldChange:
    name: str
    label: str
    old: object
    new: object
    reason: str

    @property
    def old_display(self) -> str:
        return _display(self.old)

    @property
    def new_display(self) -> str:
        return _display(self.new)


@dataclass
class Move:
    label: str
    rows: int
    new: int


@dataclass
class MergePlan:
    """What merging ``losers`` into ``survivor`` does, as the confirmation shows."""

    survivor: models.Model
    losers: list
    moves: list[Move] = field(default_factory=list)
    changes: list[FieldChange] = field(default_factory=list)
    values: dict = field(default_factory=dict)
    curated_fields: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    redirects: list[tuple[str, str]] = field(default_factory=list)
    children: list[tuple[str, str]] = field(default_factory=list)

    @property
    def curated_labels(self) -> list[str]:
        return [field_label(type(self.survivor), n) for n in self.curated_fields]


# -- the plan ------------------------------------------------------------------


def plan_merge(survivor, losers) -> MergePlan:
    """Describe a merge without writing; raises ValidationError if it cannot be done."""
    model = type(survivor)
    losers = [obj for obj in losers if obj.pk != survivor.pk]
    _check_merge(model, survivor, losers)
    plan = MergePlan(survivor=survivor, losers=losers)
    plan.moves = [_plan_relation(relation, plan) for relation in RELATIONS[model]]
    _plan_values(plan)
    if model is Paper:
        _plan_alt_urls(plan)
    if model is Topic:
        _plan_children(plan)
    identity = IDENTITY_FIELD[model]
    plan.aliases = [getattr(loser, identity) for loser in losers]
    new_url = survivor.get_absolute_url()
    plan.redirects = [(loser.get_absolute_url(), new_url) for loser in losers]
    return plan


def _check_merge(model, survivor, losers) -> None:
    if model not in RELATIONS:
        raise ValidationError(
            _("%(things)s cannot be merged."),
            params={"things": model._meta.verbose_name_plural},
        )
    if not losers:
        raise ValidationError(_("Choose at least two rows to merge."))
    if any(type(obj) is not model for obj in losers):
        raise ValidationError(_("Only rows of one kind can be merged."))
    if model is Topic:
        for loser in losers:
            if survivor.path.startswith(loser.path + TOPIC_SEPARATOR):
                raise ValidationError(
                    _(
                        "“%(loser)s” contains “%(survivor)s”: merge the other way "
                        "round."
                    ),
                    params={"loser": loser, "survivor": survivor},
                )


def _plan_relation(relation: Relation, plan: MergePlan) -> Move:
    """How many rows of a relation move, and how many the survivor did not hold."""
    loser_ids = [obj.pk for obj in plan.losers]
    rows = relation.model.objects.filter(**{f"{relation.fk}__in": loser_ids})
    if relation.other is None:
        count = rows.count()
        return Move(relation.label, count, count)
    others = set(rows.values_list(relation.other, flat=True))
    held = set(
        relation.model.objects.filter(
            **{relation.fk: plan.survivor.pk, f"{relation.other}__in": others}
        ).values_list(relation.other, flat=True)
    )
    return Move(relation.label, rows.count(), len(others - held))


def _plan_values(plan: MergePlan) -> None:
    """Pick each field's value and mark curated those the duplicates disagree on.

    The survivor's curated values win, then a duplicate's curated value, then
    the survivor's own; empty fields are filled from the duplicates. A field
    where a duplicate differs becomes curated, so the duplicate's list does not
    overwrite the chosen value on the next import.
    """
    survivor, model = plan.survivor, type(plan.survivor)
    curated = list(survivor.curated_fields)
    for loser in plan.losers:
        curated += [n for n in loser.curated_fields if n not in curated]
    for model_field in model._meta.concrete_fields:
        if _merges_by_value(model, model_field):
            _plan_value(plan, model_field.attname, curated)
    plan.curated_fields = curated


def _merges_by_value(model, model_field) -> bool:
    """Whether a merge picks this field's value (others are the importer's)."""
    return not (
        model_field.attname in model.NEVER_CURATED
        or model_field.attname in FILL_ONLY
        or not model_field.editable
        or model_field.primary_key
    )


def _plan_value(plan: MergePlan, name: str, curated: list[str]) -> None:
    """Pick one field's value; ``curated`` gains it when the duplicates differ."""
    survivor, model = plan.survivor, type(plan.survivor)
    current = getattr(survivor, name)
    value, reason = _pick_value(
        survivor, plan.losers, name, keep=name in KEEP_ON_SURVIVOR[model]
    )
    differs = any(
        not _empty(getattr(loser, name)) and getattr(loser, name) != value
        for loser in plan.losers
    )
    if differs and name not in curated:
        curated.append(name)
        reason = reason or "kept; the duplicates differ, so now curated"
    if value != current:
        plan.values[name] = value
    if reason:
        plan.changes.append(
            FieldChange(name, field_label(model, name), current, value, reason)
        )


def _pick_value(survivor, losers, name, *, keep):
    """The survivor's value for a field, and why it changed ("" if it did not)."""
    current = getattr(survivor, name)
    if not keep and name not in survivor.curated_fields:
        for loser in losers:
            if name in loser.curated_fields:
                return getattr(loser, name), f"curated on #{loser.pk}"
    if _empty(current):
        for loser in losers:
            if not _empty(getattr(loser, name)):
                return getattr(loser, name), f"filled from #{loser.pk}"
    return current, ""


def _fill_url(plan: MergePlan) -> str:
    """A survivor cited with no link (rule 11) takes its first duplicate's URL."""
    for loser in plan.losers:
        if loser.url:
            plan.values["url"] = loser.url
            plan.changes.append(
                FieldChange(
                    "url",
                    field_label(Paper, "url"),
                    "",
                    loser.url,
                    f"filled from #{loser.pk}",
                )
            )
            return loser.url
    return ""


def _plan_alt_urls(plan: MergePlan) -> None:
    """A paper keeps its duplicates' URLs as other URLs."""
    survivor = plan.survivor
    own = survivor.url or _fill_url(plan)
    urls = [*survivor.alt_urls]
    for loser in plan.losers:
        for url in (loser.url, *loser.alt_urls):
            if url and url != own and url not in urls:
                urls.append(url)
    if urls != survivor.alt_urls:
        plan.values["alt_urls"] = urls
        plan.changes.append(
            FieldChange(
                "alt_urls",
                field_label(Paper, "alt_urls"),
                survivor.alt_urls,
                urls,
                "the duplicates' URLs are kept as other URLs",
            )
        )


def _plan_children(plan: MergePlan) -> None:
    names = set(plan.survivor.children.values_list("name", flat=True))
    for child in Topic.objects.filter(parent__in=plan.losers).order_by("path"):
        action = _("merged into its namesake") if child.name in names else _("moved")
        plan.children.append((child.path, action))


# -- the merge -----------------------------------------------------------------


def merge(survivor, losers, *, user=None) -> MergePlan:
    """Merge duplicates into ``survivor`` in one transaction; returns what moved.

    Every relation, source, translation, link, topic, child topic and curated
    field moves to the survivor; the duplicates' keys become aliases and their
    detail URLs redirect to the survivor's. Then the duplicates are deleted.
    """
    model = type(survivor)
    with transaction.atomic():
        wait_for_import(model)
        survivor = model.objects.select_for_update().get(pk=survivor.pk)
        loser_ids = [obj.pk for obj in losers if obj.pk != survivor.pk]
        losers = list(model.objects.select_for_update().filter(pk__in=loser_ids))
        if model is Topic:
            # Deepest first, so a duplicate nested in another is merged alone.
            losers.sort(key=lambda t: -t.depth)
        plan = plan_merge(survivor, losers)
        if model is Topic:
            for loser in losers:
                _merge_children(survivor, loser, user=user)
            losers = list(model.objects.filter(pk__in=loser_ids))
        _move_relations(plan, model, survivor, loser_ids)
        _leave_aliases(model, plan, survivor, loser_ids)
        for old_url, new_url in plan.redirects:
            leave_redirect(old_url, new_url)
        ImportConflict.objects.filter(
            kind=ALIAS_KIND[model], object_id__in=loser_ids
        ).delete()
        _delete_losers(user, survivor, losers, loser_ids)
        _save_survivor(plan, survivor)
        log_change(user, [survivor], _merge_message(plan, losers))
    reindex_papers(paper_ids_of(model, [survivor.pk]))
    return plan


def _move_relations(plan, model, survivor, loser_ids) -> None:
    for relation in RELATIONS[model]:
        rows = relation.model.objects.filter(**{f"{relation.fk}__in": loser_ids})
        if relation.other is None:
            rows.update(**{relation.fk: survivor.pk})
            continue
        others = set(rows.values_list(relation.other, flat=True))
        relation.model.objects.bulk_create(
            [
                relation.model(**{relation.fk: survivor.pk, relation.other: other})
                for other in others
            ],
            ignore_conflicts=True,
        )
        rows.delete()


def _leave_aliases(model, plan, survivor, loser_ids) -> None:
    kind = ALIAS_KIND[model]
    Alias.objects.filter(kind=kind, target_id__in=loser_ids).update(
        target_id=survivor.pk
    )
    Alias.objects.filter(kind=kind, key__in=plan.aliases).delete()
    Alias.objects.bulk_create(
        [Alias(kind=kind, key=key, target_id=survivor.pk) for key in plan.aliases]
    )


def _merge_children(survivor: Topic, loser: Topic, *, user) -> None:
    """Move a merged topic's children under the survivor, merging namesakes."""
    namesakes = {child.name: child for child in survivor.children.all()}
    for child in list(loser.children.all()):
        twin = namesakes.get(child.name)
        if twin is not None:
            merge(twin, [child], user=user)
        else:
            move_topic(child, parent=survivor, user=user, curate=False)


def _delete_losers(user, survivor, losers, loser_ids) -> None:
    model = type(survivor)
    for loser in losers:
        log_change(
            user,
            [loser],
            f"Merged into {model._meta.verbose_name} “{survivor}” (#{survivor.pk}).",
            flag=DELETION,
        )
    model.objects.filter(pk__in=loser_ids).delete()


def _save_survivor(plan: MergePlan, survivor) -> None:
    for name, value in plan.values.items():
        setattr(survivor, name, value)
    survivor.curated_fields = plan.curated_fields
    survivor.save(curate=False)


def _merge_message(plan: MergePlan, losers) -> list[dict]:
    """The survivor's history entry: changed fields, then each merged duplicate."""
    model = type(plan.survivor)
    changed = [c.name for c in plan.changes if c.old != c.new]
    changed += [m.label for m in plan.moves if m.new]
    return changed_message(model, changed) + [
        {
            "deleted": {
                "name": f"merged duplicate {model._meta.verbose_name}",
                "object": f"{loser} (#{loser.pk})",
            }
        }
        for loser in losers
    ]


def _display(value) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value)) or "—"
    return "—" if _empty(value) else str(value)


def _empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}
