"""List filters the catalog's change lists share."""

from django.contrib import admin
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from catalog import curation
from catalog.models import ImportConflict, Repository

SOURCE_LIST_FILTER = ("sources__reading_list", admin.RelatedOnlyFieldListFilter)


class CuratedFilter(admin.SimpleListFilter):
    title = _("curated")
    parameter_name = "curated"

    def lookups(self, request, model_admin):
        return [("yes", _("Has curated fields")), ("no", _("Follows the lists"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(curated_fields=[])
        if self.value() == "no":
            return queryset.filter(curated_fields=[])
        return queryset


class ConflictFilter(admin.SimpleListFilter):
    title = _("import conflicts")
    parameter_name = "conflicts"

    def lookups(self, request, model_admin):
        return [("yes", _("Has open conflicts"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            kind = curation.ALIAS_KIND[queryset.model]
            return queryset.filter(
                Exists(
                    ImportConflict.objects.open().filter(
                        kind=kind, object_id=OuterRef("pk")
                    )
                )
            )
        return queryset


class HasCodeFilter(admin.SimpleListFilter):
    title = _("has code")
    parameter_name = "has_code"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        has_code = Exists(
            Repository.papers.through.objects.filter(paper_id=OuterRef("pk"))
        )
        if self.value() == "yes":
            return queryset.filter(has_code)
        if self.value() == "no":
            return queryset.filter(~has_code)
        return queryset
