"""The topic tree: placing, moving, renaming and reordering topics."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.curation.aliases import leave_redirect
from catalog.curation.fields import mark_curated
from catalog.curation.history import changed_message, log_change
from catalog.curation.locks import wait_for_import
from catalog.models import TOPIC_SEPARATOR, Alias, Topic

_UNSET = object()


@dataclass
class TopicMove:
    """A topic's subtree on its way to new paths: where each row was and goes."""

    topic: Topic
    subtree: list[Topic]
    old_paths: list[str]
    old_urls: dict[int, str]
    paths: dict[int, str]
    slugs: dict[int, str]
    shift: int

    @property
    def descendants(self) -> list[Topic]:
        return self.subtree[1:]


def topic_path(parent: Topic | None, name: str) -> str:
    return f"{parent.path}{TOPIC_SEPARATOR}{name}" if parent else name


def check_topic_place(topic: Topic, *, parent: Topic | None, name: str) -> str:
    """The path ``topic`` would get; raises ValidationError if it cannot go there."""
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("A topic needs a name."))
    if TOPIC_SEPARATOR in name:
        raise ValidationError(
            _("A topic name cannot contain “%(separator)s”."),
            params={"separator": TOPIC_SEPARATOR},
        )
    if parent is not None and topic.pk is not None and _is_within(parent, topic):
        raise ValidationError(_("A topic cannot be moved under itself."))
    path = topic_path(parent, name)
    if Topic.objects.filter(path=path).exclude(pk=topic.pk).exists():
        raise ValidationError(
            _("The topic “%(path)s” already exists; merge the two topics instead."),
            params={"path": path},
        )
    return path


def _is_within(parent: Topic, topic: Topic) -> bool:
    return parent.pk == topic.pk or parent.path.startswith(topic.path + TOPIC_SEPARATOR)


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
        wait_for_import(Topic)
        topic = Topic.objects.select_for_update().get(pk=topic.pk)
        new_parent = topic.parent if parent is _UNSET else parent
        new_name = topic.name if name is None else name.strip()
        new_path = check_topic_place(topic, parent=new_parent, name=new_name)
        if new_path == topic.path and new_name == topic.name:
            return []
        move = _plan_move(topic, new_parent, new_path)
        _place_subtree(move)
        changed = _save_topic(topic, new_parent, new_name, curate=curate)
        _save_descendants(move)
        _retire_old_places(move)
        log_change(user, [topic], changed_message(Topic, changed + ["path"]))
        if move.descendants:
            moved = ["path", "slug"] + (["depth"] if move.shift else [])
            log_change(user, move.descendants, changed_message(Topic, moved))
    return move.subtree


def _plan_move(topic: Topic, new_parent: Topic | None, new_path: str) -> TopicMove:
    """Lock the subtree and work out its new paths and slugs; nothing written."""
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
        raise ValidationError(
            _("The topic “%(path)s” already exists."), params={"path": taken.first()}
        )
    return TopicMove(
        topic=topic,
        subtree=subtree,
        old_paths=[t.path for t in subtree],
        old_urls={t.pk: t.get_absolute_url() for t in subtree},
        paths=paths,
        slugs=_free_slugs(paths),
        shift=(new_parent.depth + 1 if new_parent else 0) - topic.depth,
    )


def _place_subtree(move: TopicMove) -> None:
    for t in move.subtree:
        t.path, t.slug = move.paths[t.pk], move.slugs[t.pk]
        t.depth += move.shift
        if move.shift:
            # The lists still write the old depth.
            mark_curated(t, ["depth"])


def _save_topic(topic: Topic, new_parent, new_name: str, *, curate: bool) -> list[str]:
    """Save the moved topic itself; returns which of name and parent changed."""
    topic.name, topic.parent = new_name, new_parent
    changed = [f for f in ("name", "parent_id") if f in topic.curation_changes()]
    if curate:
        topic.save()
    else:
        topic.save(curate=False)
    return changed


def _save_descendants(move: TopicMove) -> None:
    now = timezone.now()
    for t in move.descendants:
        t.updated = now
    Topic.objects.bulk_update(
        move.descendants, ["path", "slug", "depth", "curated_fields", "updated"]
    )


def _retire_old_places(move: TopicMove) -> None:
    """Old paths become aliases of their topics, old URLs redirect to the new."""
    stale = [*move.old_paths, *move.paths.values()]
    Alias.objects.filter(kind="topic", key__in=stale).delete()
    Alias.objects.bulk_create(
        [
            Alias(kind="topic", key=old, target_id=t.pk)
            for old, t in zip(move.old_paths, move.subtree, strict=True)
        ]
    )
    for t in move.subtree:
        leave_redirect(move.old_urls[t.pk], t.get_absolute_url())


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
        changed = _swap(siblings, index, other)
        for sibling in changed:
            sibling.save(update_fields=["order", "updated"])
        log_change(user, changed, changed_message(Topic, ["order"]))
    return True


def _swap(siblings: list[Topic], index: int, other: int) -> list[Topic]:
    """Swap two siblings' orders (renumbering all on a tie); returns those changed."""
    a, b = siblings[index], siblings[other]
    if a.order != b.order:
        a.order, b.order = b.order, a.order
        return [a, b]
    siblings[index], siblings[other] = b, a
    changed = []
    for position, sibling in enumerate(siblings):
        if sibling.order != position:
            sibling.order = position
            changed.append(sibling)
    return changed


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
