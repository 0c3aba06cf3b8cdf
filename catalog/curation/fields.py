"""Curated fields: which fields an editor owns, and giving them back to the lists."""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from django.db import transaction

from catalog.curation.history import field_label, log_change
from catalog.kinds import ALIAS_KIND
from catalog.models import ImportConflict


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
