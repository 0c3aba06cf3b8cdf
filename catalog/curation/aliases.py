"""What the importer and old URLs knew a row by: aliases and redirects."""

from __future__ import annotations

from django.conf import settings
from django.contrib.redirects.models import Redirect

from catalog.kinds import ALIAS_KIND
from catalog.models import Alias, Link, Paper, Repository, Topic, Translation

MODEL_FOR_KIND = {kind: model for model, kind in ALIAS_KIND.items()}
# The importer's lookup per model: what a list calls a row by.
IDENTITY_FIELD = {
    Topic: "path",
    Paper: "key",
    Repository: "key",
    Translation: "url",
    Link: "url",
}
REDIRECT_MAX = Redirect._meta.get_field("old_path").max_length


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
