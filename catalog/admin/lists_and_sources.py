"""The importer's bookkeeping, read-only: reading lists and where entries came from."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from catalog import curation
from catalog.admin.base import ReadOnlyAdmin, admin_link, count_of
from catalog.models import ImportConflict, ReadingList, Source


@admin.register(ReadingList)
class ReadingListAdmin(ReadOnlyAdmin):
    list_display = ("path", "title", "imported_at", "source_count", "conflict_count")
    search_fields = ("path", "title")
    date_hierarchy = "created"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                source_count=count_of(Source, "reading_list_id"),
                conflict_count=count_of(ImportConflict, "reading_list_id"),
            )
        )

    @admin.display(description=_("sources"), ordering="source_count")
    def source_count(self, obj):
        return obj.source_count

    @admin.display(description=_("conflicts"), ordering="conflict_count")
    def conflict_count(self, obj):
        if not obj.conflict_count:
            return 0
        url = reverse("admin:catalog_importconflict_changelist")
        return format_html(
            '<a href="{}?reading_list__id__exact={}">{}</a>',
            url,
            obj.pk,
            obj.conflict_count,
        )


@admin.register(Source)
class SourceAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "reading_list", "line", "target")
    list_filter = ("reading_list",)
    list_select_related = ("reading_list", *curation.ALIAS_KIND.values())
    search_fields = ("reading_list__path",)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("entry"))
    def target(self, obj):
        for model, name in curation.ALIAS_KIND.items():
            related = getattr(obj, name)
            if related is not None:
                label = f"{model._meta.verbose_name}: {related}"
                return admin_link(model, related.pk, label)
        return "—"
