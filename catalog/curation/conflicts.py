"""Import conflicts: keep the curated value, or accept the list's."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from catalog.curation.aliases import MODEL_FOR_KIND
from catalog.curation.history import changed_message, field_label, log_change
from catalog.curation.reindex import paper_ids_of, reindex_papers
from catalog.curation.topics import move_topic
from catalog.models import ImportConflict, Topic

# Accepting these moves a topic in the tree instead of setting one column.
TOPIC_PLACE = ("name", "parent_id")


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
        if model is Topic and conflict.field == "depth":
            raise ValidationError(
                _(
                    "A topic's depth follows its parent: keep it, or accept the "
                    "list's parent instead."
                )
            )
        if model is Topic and conflict.field in TOPIC_PLACE:
            released = _accept_topic_place(obj, conflict.field, value)
        else:
            _accept_column(obj, model_field, value)
            released = [conflict.field]
        obj.curated_fields = [n for n in obj.curated_fields if n not in released]
        obj.save(curate=False)
        ImportConflict.objects.filter(
            kind=conflict.kind, object_id=obj.pk, field__in=released
        ).delete()
        log_change(user, [obj], changed_message(model, [conflict.field]))
    reindex_papers(paper_ids_of(model, [obj.pk]))
    return obj


def _accept_topic_place(topic: Topic, name: str, value) -> list[str]:
    """Rename or re-parent as the list says; returns the fields released."""
    released = [name]
    if name == "name":
        move_topic(topic, name=value, curate=False)
    else:
        parent = Topic.objects.filter(pk=value).first() if value else None
        if value and parent is None:
            raise ValidationError(_("The list's parent topic no longer exists."))
        move_topic(topic, parent=parent, curate=False)
        released.append("depth")
    topic.refresh_from_db()
    return released


def _accept_column(obj, model_field, value) -> None:
    setattr(obj, model_field.attname, value)
    others = [f.name for f in type(obj)._meta.fields if f is not model_field]
    obj.full_clean(exclude=others)
