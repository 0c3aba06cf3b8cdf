"""Editor workflows: curated fields, import conflicts, merges and the topic tree.

Every service runs in one transaction and, given a ``user``, writes the admin
history (``LogEntry``) naming the fields it changed. Old keys and paths become
``Alias`` rows, so the importer updates the surviving row instead of
recreating a duplicate, and old detail URLs become ``Redirect`` rows.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.admin.models import CHANGE, DELETION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.redirects.models import Redirect
from django.core.exceptions import (
    FieldDoesNotExist,
    ImproperlyConfigured,
    ValidationError,
)
from django.db import connections, models, router, transaction
from django.utils import timezone
from django.utils.text import capfirst

from catalog.cache import bump_catalog_version
from catalog.kinds import ALIAS_KIND, IMPORT_LOCK_KEY
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

EDITORS_GROUP = "Editors"
_ALL = ("add", "change", "delete", "view")
EDITOR_PERMISSIONS = {
    ("catalog", "topic"): _ALL,
    ("catalog", "paper"): _ALL,
    ("catalog", "repository"): _ALL,
    ("catalog", "translation"): _ALL,
    ("catalog", "link"): _ALL,
    ("catalog", "readinglist"): ("view",),
    ("catalog", "source"): ("view",),
    # Delete a wrong alias; resolve a conflict (keeping or accepting).
    ("catalog", "alias"): ("view", "delete"),
    ("catalog", "importconflict"): ("view", "delete"),
    ("redirects", "redirect"): _ALL,
}
MODEL_FOR_KIND = {kind: model for model, kind in ALIAS_KIND.items()}
# The importer's lookup per model: what a list calls a row by.
IDENTITY_FIELD = {
    Topic: "path",
    Paper: "key",
    Repository: "key",
    Translation: "url",
    Link: "url",
}
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
REDIRECT_MAX = Redirect._meta.get_field("old_path").max_length
_UNSET = object()


# -- editors -------------------------------------------------------------------


def ensure_editors_group() -> Group:
    """The "Editors" group, holding exactly ``EDITOR_PERMISSIONS``."""
    wanted = models.Q(pk__in=[])
    for (app_label, model), actions in EDITOR_PERMISSIONS.items():
        wanted |= models.Q(
            content_type__app_label=app_label,
            codename__in=[f"{action}_{model}" for action in actions],
        )
    permissions = list(Permission.objects.filter(wanted))
    expected = sum(len(actions) for actions in EDITOR_PERMISSIONS.values())
    if len(permissions) != expected:
        raise ImproperlyConfigured(
            "Editor permissions are missing; run `manage.py migrate` first."
        )
    group, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
    group.permissions.set(permissions)
    return group


@transaction.atomic
def create_editor(*, username: str, email: str = "", password: str | None = None):
    """Create or update a staff user in the Editors group; returns (user, created).

    Without a password a new user gets an unusable one (set it with
    ``manage.py changepassword``); superusers keep their status.
    """
    user, created = get_user_model().objects.get_or_create(username=username)
    user.is_staff = True
    user.is_active = True
    if email:
        user.email = email
    if password is not None:
        user.set_password(password)
    elif created:
        user.set_unusable_password()
    user.save()
    user.groups.add(ensure_editors_group())
    return user, created


# -- curated fields ------------------------------------------------------------


def field_label(model, name: str) -> str:
    """The human name of a field, given its name or attribute name."""
    try:
        model_field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    # Reverse relations (a paper's repositories) have no verbose name.
    label = getattr(model_field, "verbose_name", None) or name.replace("_", " ")
    return str(capfirst(label))


def curatable_names(model, names) -> list[str]:
    """Attribute names of the model fields among ``names`` that can be curated."""
    result = []
    for name in names:
        try:
            model_field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        attname = getattr(model_field, "attname", name)
        if attname not in model.NEVER_CURATED and model_field.editable:
            result.append(attname)
    return result


def mark_curated(obj, names) -> list[str]:
    """Add ``names`` to the object's curated fields (unsaved); returns the new ones."""
    added = [
        n for n in curatable_names(type(obj), names) if n not in obj.curated_fields
    ]
    if added:
        obj.curated_fields = [*obj.curated_fields, *added]
    return added


def release_fields(obj, names, *, user=None) -> list[str]:
    """Give curated fields back to the reading lists: the next import may set them."""
    released = [n for n in names if n in obj.curated_fields]
    if not released:
        return []
    with transaction.atomic():
        obj.curated_fields = [n for n in obj.curated_fields if n not in released]
        obj.save(update_fields=["curated_fields"], curate=False)
        ImportConflict.objects.filter(
            kind=ALIAS_KIND[type(obj)], object_id=obj.pk, field__in=released
        ).delete()
        labels = ", ".join(field_label(type(obj), n) for n in released)
        log_change(user, [obj], f"Released to the reading lists: {labels}.")
    return released


# -- import conflicts ----------------------------------------------------------


def conflict_target(conflict: ImportConflict):
    """The curated row a conflict is about, or None when it is gone."""
    model = MODEL_FOR_KIND[conflict.kind]
    return model.objects.filter(pk=conflict.object_id).first()


def keep_curated(conflicts, *, user=None) -> int:
    """Keep the curated values; the conflicts stay quiet until a list changes again."""
    rows = list(conflicts)
    with transaction.atomic():
        for conflict in rows:
            target = conflict_target(conflict)
            if target is not None:
                label = field_label(type(target), conflict.field)
                log_change(
                    user,
                    [target],
                    f"Kept the curated {label.lower()}; "
                    f"{conflict.reading_list.path}:{conflict.line} says "
                    f"{conflict.list_value!r}.",
                )
        ImportConflict.objects.filter(pk__in=[c.pk for c in rows]).update(kept=True)
    return len(rows)


def accept_list_value(conflict: ImportConflict, *, user=None):
    """Apply the list's value and release the field; raises ValidationError."""
    model = MODEL_FOR_KIND[conflict.kind]
    with transaction.atomic():
        obj = model.objects.select_for_update().filter(pk=conflict.object_id).first()
        if obj is None:
            conflict.delete()
            return None
        model_field = model._meta.get_field(conflict.field)
        value = model_field.to_python(conflict.list_value)
        released = [conflict.field]
        if model is Topic and conflict.field == "depth":
            raise ValidationError(
                "A topic's depth follows its parent: keep it, or accept the "
                "list's parent instead."
            )
        if model is Topic and conflict.field in ("name", "parent_id"):
            if conflict.field == "name":
                move_topic(obj, name=value, curate=False)
            else:
                parent = Topic.objects.filter(pk=value).first() if value else None
                if value and parent is None:
                    raise ValidationError("The list's parent topic no longer exists.")
                move_topic(obj, parent=parent, curate=False)
                released.append("depth")
            obj.refresh_from_db()
        else:
            setattr(obj, model_field.attname, value)
            others = [f.name for f in model._meta.fields if f is not model_field]
            obj.full_clean(exclude=others)
        obj.curated_fields = [n for n in obj.curated_fields if n not in released]
        obj.save(curate=False)
        ImportConflict.objects.filter(
            kind=conflict.kind, object_id=obj.pk, field__in=released
        ).delete()
        log_change(user, [obj], changed_message(model, [conflict.field]))
    _reindex_papers(_paper_ids_of(model, [obj.pk]))
    return obj


# -- merging duplicates --------------------------------------------------------


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


def plan_merge(survivor, losers) -> MergePlan:
    """Describe a merge without writing; raises ValidationError if it cannot be done."""
    model = type(survivor)
    losers = [obj for obj in losers if obj.pk != survivor.pk]
    _check_merge(model, survivor, losers)
    plan = MergePlan(survivor=survivor, losers=losers)
    loser_ids = [obj.pk for obj in losers]
    for relation in RELATIONS[model]:
        rows = relation.model.objects.filter(**{f"{relation.fk}__in": loser_ids})
        if relation.other is None:
            count = rows.count()
            plan.moves.append(Move(relation.label, count, count))
            continue
        others = set(rows.values_list(relation.other, flat=True))
        held = set(
            relation.model.objects.filter(
                **{relation.fk: survivor.pk, f"{relation.other}__in": others}
            ).values_list(relation.other, flat=True)
        )
        plan.moves.append(Move(relation.label, rows.count(), len(others - held)))
    _plan_values(plan)
    if model is Paper:
        urls = [*survivor.alt_urls]
        for loser in losers:
            for url in (loser.url, *loser.alt_urls):
                if url != survivor.url and url not in urls:
                    urls.append(url)
        if urls != survivor.alt_urls:
            plan.values["alt_urls"] = urls
            plan.changes.append(
                FieldChange(
                    "alt_urls",
                    field_label(model, "alt_urls"),
                    survivor.alt_urls,
                    urls,
                    "the duplicates' URLs are kept as other URLs",
                )
            )
    if model is Topic:
        names = set(survivor.children.values_list("name", flat=True))
        for child in Topic.objects.filter(parent__in=losers).order_by("path"):
            action = "merged into its namesake" if child.name in names else "moved"
            plan.children.append((child.path, action))
    identity = IDENTITY_FIELD[model]
    plan.aliases = [getattr(loser, identity) for loser in losers]
    new_url = survivor.get_absolute_url()
    plan.redirects = [(loser.get_absolute_url(), new_url) for loser in losers]
    return plan


def _check_merge(model, survivor, losers) -> None:
    if model not in RELATIONS:
        raise ValidationError(f"{model._meta.verbose_name_plural} cannot be merged.")
    if not losers:
        raise ValidationError("Choose at least two rows to merge.")
    if any(type(obj) is not model for obj in losers):
        raise ValidationError("Only rows of one kind can be merged.")
    if model is Topic:
        for loser in losers:
            if survivor.path.startswith(loser.path + TOPIC_SEPARATOR):
                raise ValidationError(
                    f"“{loser}” contains “{survivor}”: merge the other way round."
                )


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
        name = model_field.attname
        if (
            name in model.NEVER_CURATED
            or name in FILL_ONLY
            or not model_field.editable
            or model_field.primary_key
        ):
            continue
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
    plan.curated_fields = curated


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


def merge(survivor, losers, *, user=None) -> MergePlan:
    """Merge duplicates into ``survivor`` in one transaction; returns what moved.

    Every relation, source, translation, link, topic, child topic and curated
    field moves to the survivor; the duplicates' keys become aliases and their
    detail URLs redirect to the survivor's. Then the duplicates are deleted.
    """
    model = type(survivor)
    with transaction.atomic():
        _lock(model)
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
        for loser in losers:
            log_change(
                user,
                [loser],
                f"Merged into {model._meta.verbose_name} “{survivor}” "
                f"(#{survivor.pk}).",
                flag=DELETION,
            )
        model.objects.filter(pk__in=loser_ids).delete()
        for name, value in plan.values.items():
            setattr(survivor, name, value)
        survivor.curated_fields = plan.curated_fields
        survivor.save(curate=False)
        changed = [c.name for c in plan.changes if c.old != c.new]
        changed += [m.label for m in plan.moves if m.new]
        message = changed_message(model, changed) + [
            {
                "deleted": {
                    "name": f"merged duplicate {model._meta.verbose_name}",
                    "object": f"{loser} (#{loser.pk})",
                }
            }
            for loser in losers
        ]
        log_change(user, [survivor], message)
    _reindex_papers(_paper_ids_of(model, [survivor.pk]))
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


def leave_redirect(old_url: str, new_url: str) -> Redirect | None:
    """Redirect ``old_url`` to ``new_url``, re-pointing redirects that led to it."""
    if old_url == new_url:
        return None
    site_id = settings.SITE_ID
    Redirect.objects.filter(site_id=site_id, new_path=old_url).update(new_path=new_url)
    # The new URL is live again: a redirect away from it would never fire.
    Redirect.objects.filter(site_id=site_id, old_path=new_url).delete()
    if len(old_url) > REDIRECT_MAX or len(new_url) > REDIRECT_MAX:
        return None
    redirect, _ = Redirect.objects.update_or_create(
        site_id=site_id, old_path=old_url, defaults={"new_path": new_url}
    )
    return redirect


def remember_identity(obj, old_value: str) -> None:
    """An edited key, path or URL stays known to the importer as an alias."""
    model = type(obj)
    new_value = getattr(obj, IDENTITY_FIELD[model])
    if not old_value or old_value == new_value:
        return
    kind = ALIAS_KIND[model]
    Alias.objects.filter(kind=kind, key=new_value).delete()
    Alias.objects.update_or_create(
        kind=kind, key=old_value, defaults={"target_id": obj.pk}
    )


# -- the topic tree ------------------------------------------------------------


def topic_path(parent: Topic | None, name: str) -> str:
    return f"{parent.path}{TOPIC_SEPARATOR}{name}" if parent else name


def check_topic_place(topic: Topic, *, parent: Topic | None, name: str) -> str:
    """The path ``topic`` would get; raises ValidationError if it cannot go there."""
    name = (name or "").strip()
    if not name:
        raise ValidationError("A topic needs a name.")
    if TOPIC_SEPARATOR in name:
        raise ValidationError(f"A topic name cannot contain “{TOPIC_SEPARATOR}”.")
    if (
        parent is not None
        and topic.pk is not None
        and (
            parent.pk == topic.pk
            or parent.path.startswith(topic.path + TOPIC_SEPARATOR)
        )
    ):
        raise ValidationError("A topic cannot be moved under itself.")
    path = topic_path(parent, name)
    if Topic.objects.filter(path=path).exclude(pk=topic.pk).exists():
        raise ValidationError(
            f"The topic “{path}” already exists; merge the two topics instead."
        )
    return path


def place_new_topic(topic: Topic) -> Topic:
    """Fill a new topic's path, depth and (if empty) slug from its parent and name."""
    topic.name = topic.name.strip()
    topic.path = check_topic_place(topic, parent=topic.parent, name=topic.name)
    topic.depth = topic.parent.depth + 1 if topic.parent else 0
    if not topic.slug:
        topic.slug = _free_slugs({None: topic.path})[None]
    return topic


def move_topic(
    topic: Topic, *, parent=_UNSET, name=None, user=None, curate=True
) -> list[Topic]:
    """Rename and/or re-parent a topic; its descendants' paths and slugs follow.

    Old paths become aliases and old URLs redirect. With ``curate`` the name
    and parent become curated; a depth that changes always does (the lists
    still write the old one). Returns the topics whose path changed.
    """
    with transaction.atomic():
        _lock(Topic)
        topic = Topic.objects.select_for_update().get(pk=topic.pk)
        new_parent = topic.parent if parent is _UNSET else parent
        new_name = topic.name if name is None else name.strip()
        new_path = check_topic_place(topic, parent=new_parent, name=new_name)
        if new_path == topic.path and new_name == topic.name:
            return []
        old_path = topic.path
        subtree = [
            topic,
            *Topic.objects.select_for_update()
            .filter(path__startswith=old_path + TOPIC_SEPARATOR)
            .order_by("path"),
        ]
        paths = {t.pk: new_path + t.path[len(old_path) :] for t in subtree}
        taken = Topic.objects.filter(path__in=paths.values()).exclude(pk__in=paths)
        if taken.exists():
            raise ValidationError(f"The topic “{taken.first()}” already exists.")
        slugs = _free_slugs(paths)
        shift = (new_parent.depth + 1 if new_parent else 0) - topic.depth
        old_urls = {t.pk: t.get_absolute_url() for t in subtree}
        old_paths = [t.path for t in subtree]
        for t in subtree:
            t.path, t.slug, t.depth = paths[t.pk], slugs[t.pk], t.depth + shift
            if shift:
                mark_curated(t, ["depth"])
        topic.name, topic.parent = new_name, new_parent
        fields = ["name", "parent_id"]
        changed = [f for f in fields if f in topic.curation_changes()]
        if curate:
            topic.save()
        else:
            topic.save(curate=False)
        now = timezone.now()
        for t in subtree[1:]:
            t.updated = now
        Topic.objects.bulk_update(
            subtree[1:], ["path", "slug", "depth", "curated_fields", "updated"]
        )
        stale = [*old_paths, *paths.values()]
        Alias.objects.filter(kind="topic", key__in=stale).delete()
        Alias.objects.bulk_create(
            [
                Alias(kind="topic", key=old, target_id=t.pk)
                for old, t in zip(old_paths, subtree, strict=True)
            ]
        )
        for t in subtree:
            leave_redirect(old_urls[t.pk], t.get_absolute_url())
        log_change(user, [topic], changed_message(Topic, changed + ["path"]))
        if len(subtree) > 1:
            log_change(
                user,
                subtree[1:],
                changed_message(Topic, ["path", "slug"] + (["depth"] if shift else [])),
            )
    return subtree


def shift_topic(topic: Topic, delta: int, *, user=None) -> bool:
    """Move a topic ``delta`` places among its siblings; the new order is curated."""
    with transaction.atomic():
        siblings = list(
            Topic.objects.select_for_update()
            .filter(parent_id=topic.parent_id)
            .order_by("order", "path")
        )
        index = next(i for i, t in enumerate(siblings) if t.pk == topic.pk)
        other = index + delta
        if not 0 <= other < len(siblings):
            return False
        a, b = siblings[index], siblings[other]
        if a.order != b.order:
            a.order, b.order = b.order, a.order
            changed = [a, b]
        else:
            siblings[index], siblings[other] = b, a
            changed = []
            for position, sibling in enumerate(siblings):
                if sibling.order != position:
                    sibling.order = position
                    changed.append(sibling)
        for sibling in changed:
            sibling.save(update_fields=["order", "updated"])
        log_change(user, changed, changed_message(Topic, ["order"]))
    return True


def _free_slugs(paths: dict) -> dict:
    """A unique slug per path, suffixed like the importer's when taken."""
    wanted = {pk: Topic.slug_for_path(path) for pk, path in paths.items()}
    owners = dict(
        Topic.objects.filter(slug__in=wanted.values()).values_list("slug", "pk")
    )
    slugs, used = {}, set()
    for pk, slug in wanted.items():
        owner = owners.get(slug)
        if (owner is not None and owner != pk) or slug in used:
            slug += "-" + hashlib.sha1(paths[pk].encode()).hexdigest()[:6]
        used.add(slug)
        slugs[pk] = slug
    return slugs


# -- bulk actions --------------------------------------------------------------


def assign_topic(papers, topic: Topic, *, user=None) -> int:
    """Add ``topic`` to every paper; returns how many papers gained it."""
    return _change_topic(papers, topic, add=True, user=user)


def remove_topic(papers, topic: Topic, *, user=None) -> int:
    """Remove ``topic`` from every paper; returns how many papers lost it."""
    return _change_topic(papers, topic, add=False, user=user)


def _change_topic(papers, topic, *, add, user) -> int:
    through = Paper.topics.through
    papers = list(papers)
    with transaction.atomic():
        held = set(
            through.objects.filter(
                topic=topic, paper__in=[p.pk for p in papers]
            ).values_list("paper_id", flat=True)
        )
        changed = [p for p in papers if (p.pk in held) != add]
        ids = [p.pk for p in changed]
        if add:
            through.objects.bulk_create(
                [through(paper_id=pk, topic_id=topic.pk) for pk in ids],
                ignore_conflicts=True,
            )
        else:
            through.objects.filter(topic=topic, paper_id__in=ids).delete()
        for paper in changed:
            mark_curated(paper, ["topics"])
        Paper.objects.bulk_update(changed, ["curated_fields"])
        if changed:  # bulk writes send no signal: retire cached pages and facets
            bump_catalog_version()
        verb = "added" if add else "deleted"
        log_change(
            user,
            changed,
            changed_message(Paper, ["topics"])
            + [{verb: {"name": "topic", "object": str(topic)}}],
        )
    _reindex_papers(ids)
    return len(changed)


def set_field(objects, name: str, value, *, user=None) -> int:
    """Set one field on every object through ``save()``, which curates it."""
    changed = []
    with transaction.atomic():
        for obj in objects:
            if getattr(obj, name) != value:
                setattr(obj, name, value)
                obj.full_clean(
                    exclude=[f.name for f in obj._meta.fields if f.name != name]
                )
                obj.save()
                changed.append(obj)
        if changed:
            log_change(user, changed, changed_message(type(changed[0]), [name]))
    return len(changed)


# -- history and helpers -------------------------------------------------------


def changed_message(model, names) -> list[dict]:
    """A LogEntry change message naming the changed fields, as the admin writes."""
    labels = list(dict.fromkeys(field_label(model, n) for n in names))
    return [{"changed": {"fields": labels}}] if labels else []


def log_change(user, objects, message, *, flag=CHANGE) -> None:
    """Write an admin history entry per object, when a user made the change."""
    objects = list(objects)
    if user is None or not objects or not message:
        return
    LogEntry.objects.log_actions(
        user_id=user.pk, queryset=objects, action_flag=flag, change_message=message
    )


def _lock(model) -> None:
    """Wait for a running import (its advisory lock) on PostgreSQL."""
    connection = connections[router.db_for_write(model)]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK_KEY])


def _paper_ids_of(model, pks) -> list[int]:
    if model is Paper:
        return list(pks)
    if model is Repository:
        return list(
            Repository.papers.through.objects.filter(repository_id__in=pks).values_list(
                "paper_id", flat=True
            )
        )
    if model in (Translation, Link):
        return [
            pk
            for pk in model.objects.filter(pk__in=pks).values_list(
                "paper_id", flat=True
            )
            if pk
        ]
    return []


def _reindex_papers(ids) -> None:
    # The search index follows save(); rows changed by bulk queries are
    # reindexed the way the importer does it.
    from catalog import search

    index = getattr(search, "index_papers", None)
    if index is not None and ids:
        index(list(ids))


def _display(value) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value)) or "—"
    return "—" if _empty(value) else str(value)


def _empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}
