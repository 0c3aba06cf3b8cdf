"""The admin history (``LogEntry``) the services write, naming changed fields."""

from __future__ import annotations

from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import FieldDoesNotExist
from django.utils.text import capfirst


def field_label(model, name: str) -> str:
    """The human name of a field, given its name or attribute name."""
    try:
        model_field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    # Reverse relations (a paper's repositories) have no verbose name.
    label = getattr(model_field, "verbose_name", None) or name.replace("_", " ")
    return str(capfirst(label))


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
