"""Code repositories: framework, papers, merges."""

from django.contrib import admin
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from catalog import curation
from catalog.admin.base import CuratedAdmin, count_of, names
from catalog.admin.filters import SOURCE_LIST_FILTER, ConflictFilter, CuratedFilter
from catalog.admin.forms import FrameworkForm
from catalog.admin.merging import MergeAdmin
from catalog.models import Repository, Topic


def set_framework(repositories, data, user) -> str:
    """Apply the framework form to ``repositories``; the message for the editor."""
    changed = curation.set_field(
        repositories, "framework", data["framework"], user=user
    )
    return ngettext(
        "Set the framework of %(count)d repository.",
        "Set the framework of %(count)d repositories.",
        changed,
    ) % {"count": changed}


@admin.register(Repository)
class RepositoryAdmin(MergeAdmin):
    list_display = (
        "__str__",
        "host",
        "framework",
        "paper_count",
        "topic_names",
        "curated",
        "created",
    )
    list_editable = ("framework",)
    list_filter = (
        "framework",
        "host",
        "topics",
        SOURCE_LIST_FILTER,
        CuratedFilter,
        ConflictFilter,
    )
    search_fields = ("key", "owner", "name", "url")
    autocomplete_fields = ("papers", "topics")
    fieldsets = (
        ("Curation", {"fields": CuratedAdmin.curation_fields}),
        (None, {"fields": ("key", "url", "host", "owner", "name", "framework")}),
        (None, {"fields": ("papers", "topics")}),
        ("Provenance", {"fields": ("provenance", "created", "updated")}),
    )
    readonly_fields = ("provenance",)
    actions = ("merge_selected", "set_framework", "release_curated")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(paper_count=count_of(Repository.papers.through, "repository_id"))
            .prefetch_related(
                Prefetch("topics", queryset=Topic.objects.only("pk", "name", "path"))
            )
        )

    @admin.display(description=_("papers"), ordering="paper_count")
    def paper_count(self, obj):
        return obj.paper_count

    @admin.display(description=_("topics"))
    def topic_names(self, obj):
        return names(obj.topics.all())

    @admin.action(
        description=_("Set the framework of selected repositories…"),
        permissions=["change"],
    )
    def set_framework(self, request, queryset):
        return self.form_action(
            request,
            queryset,
            form=self._bound(request, FrameworkForm),
            action="set_framework",
            title=_("Set the framework of the selected repositories"),
            apply=lambda data: set_framework(queryset, data, request.user),
        )
