"""Translations and other links of papers and topics."""

from django.contrib import admin
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from catalog.admin.base import CuratedAdmin, names
from catalog.admin.filters import SOURCE_LIST_FILTER, ConflictFilter, CuratedFilter
from catalog.models import Link, Topic, Translation


@admin.register(Translation)
class TranslationAdmin(CuratedAdmin):
    list_display = ("__str__", "language", "paper", "url", "curated", "created")
    list_filter = ("language", SOURCE_LIST_FILTER, CuratedFilter, ConflictFilter)
    list_select_related = ("paper",)
    search_fields = ("title", "url", "paper__title")
    autocomplete_fields = ("paper",)
    fieldsets = (
        ("Curation", {"fields": CuratedAdmin.curation_fields}),
        (None, {"fields": ("paper", "language", "title", "url")}),
        ("Provenance", {"fields": ("provenance", "created", "updated")}),
    )
    readonly_fields = ("provenance",)
    actions = ("release_curated",)


@admin.register(Link)
class LinkAdmin(CuratedAdmin):
    list_display = ("__str__", "kind", "paper", "topic_names", "curated", "created")
    list_filter = (
        "kind",
        "topics",
        SOURCE_LIST_FILTER,
        CuratedFilter,
        ConflictFilter,
    )
    list_select_related = ("paper",)
    search_fields = ("title", "url")
    autocomplete_fields = ("paper", "topics")
    fieldsets = (
        ("Curation", {"fields": CuratedAdmin.curation_fields}),
        (None, {"fields": ("kind", "title", "url", "paper", "topics")}),
        ("Provenance", {"fields": ("provenance", "created", "updated")}),
    )
    readonly_fields = ("provenance",)
    actions = ("release_curated",)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("topics", queryset=Topic.objects.only("pk", "name", "path"))
            )
        )

    @admin.display(description=_("topics"))
    def topic_names(self, obj):
        return names(obj.topics.all())
