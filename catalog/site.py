"""The Site row (sitemaps and other absolute links name its domain) follows
the SITE_DOMAIN and SITE_NAME settings at every ``migrate``."""

from django.apps import apps as global_apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS


def apply_site_domain(*, using=DEFAULT_DB_ALIAS, apps=global_apps, **kwargs) -> None:
    """post_migrate: set the current Site's domain and name from settings."""
    try:
        site = apps.get_model("sites", "Site")
    except LookupError:  # the sites app is not migrated yet
        return
    site.objects.using(using).update_or_create(
        pk=settings.SITE_ID,
        defaults={"domain": settings.SITE_DOMAIN, "name": settings.SITE_NAME},
    )
