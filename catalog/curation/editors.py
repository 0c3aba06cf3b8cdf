"""The Editors group and its staff users."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction

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
    # Review an import's automatic merges (splitting one changes papers).
    ("catalog", "papermerge"): ("view",),
    ("redirects", "redirect"): _ALL,
    # The search glossary (catalog.search.expansion).
    ("catalog", "glossaryterm"): _ALL,
}


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
