"""Aliases: old keys and paths the importer still knows rows by."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from catalog import curation
from catalog.admin.base import ReadOnlyAdmin, admin_link
from catalog.models import Alias


@admin.register(Alias)
class AliasAdmin(ReadOnlyAdmin):
    list_display = ("key", "kind", "target", "created")
    list_filter = ("kind",)
    search_fields = ("key",)
    date_hierarchy = "created"

    @admin.display(description=_("now means"))
    def target(self, obj):
        model = curation.MODEL_FOR_KIND[obj.kind]
        label = f"{model._meta.verbose_name} #{obj.target_id}"
        return admin_link(model, obj.target_id, label)
