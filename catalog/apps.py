from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "catalog"
    verbose_name = _("Catalog")

    def ready(self):
        # The search index follows save() and delete() (catalog.search).
        from catalog.search import signals

        signals.connect(self)

        # Cached pages are keyed by a catalog version every write bumps.
        from catalog.cache import connect_signals

        connect_signals()

        from django.db.models.signals import post_migrate

        from catalog.site import apply_site_domain

        post_migrate.connect(apply_site_domain, sender=self)
