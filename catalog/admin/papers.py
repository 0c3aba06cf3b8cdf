"""Papers, with their repositories, translations and other links inline."""

from django.contrib import admin
from django.contrib.admin.views.main import ORDER_VAR
from django.db.models import Exists, OuterRef, Prefetch
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from catalog import curation
from catalog.admin.base import URL_FIELDS, CuratedAdmin, names
from catalog.admin.filters import (
    SOURCE_LIST_FILTER,
    ConflictFilter,
    CuratedFilter,
    HasCodeFilter,
)
from catalog.admin.forms import FrameworkForm, TopicChoiceForm, VenueForm
from catalog.admin.merging import MergeAdmin
from catalog.admin.repositories import set_framework
from catalog.models import Link, Paper, Repository, Topic, Translation


class RepositoryInline(admin.TabularInline):
    formfield_overrides = URL_FIELDS
    model = Repository.papers.through
    autocomplete_fields = ("repository",)
    extra = 0
    verbose_name = _("repository")
    verbose_name_plural = _("repositories")


class TranslationInline(admin.TabularInline):
    formfield_overrides = URL_FIELDS
    model = Translation
    fields = ("language", "title", "url")
    extra = 0


class LinkInline(admin.TabularInline):
    formfield_overrides = URL_FIELDS
    model = Link
    fk_name = "paper"
    fields = ("kind", "title", "url")
    extra = 0
    verbose_name_plural = _("other links")


@admin.register(Paper)
class PaperAdmin(MergeAdmin):
    list_display = (
        "title",
        "short_name",
        "year",
        "venue",
        "topic_names",
        "has_code",
        "curated",
        "created",
    )
    list_filter = (
        "topics",
        "year",
        "venue",
        ("repositories__framework", admin.ChoicesFieldListFilter),
        HasCodeFilter,
        SOURCE_LIST_FILTER,
        CuratedFilter,
        ConflictFilter,
    )
    search_fields = ("title", "short_name", "key")
    autocomplete_fields = ("topics",)
    inlines = (RepositoryInline, TranslationInline, LinkInline)
    readonly_fields = ("provenance",)
    fieldsets = (
        ("Curation", {"fields": CuratedAdmin.curation_fields}),
        (None, {"fields": ("title", "short_name", "key", "url", "alt_urls")}),
        (
            "Publication",
            {"fields": ("arxiv_id", "year", "date", "venue", "venue_year")},
        ),
        (None, {"fields": ("organisation", "notes", "topics")}),
        ("Provenance", {"fields": ("provenance", "created", "updated")}),
    )
    actions = (
        "merge_selected",
        "assign_topic",
        "remove_topic",
        "set_venue",
        "set_repository_framework",
        "release_curated",
    )

    def get_queryset(self, request):
        has_code = Exists(
            Repository.papers.through.objects.filter(paper_id=OuterRef("pk"))
        )
        return (
            super()
            .get_queryset(request)
            .annotate(has_code=has_code)
            .prefetch_related(
                Prefetch("topics", queryset=Topic.objects.only("pk", "name", "path"))
            )
        )

    def get_search_results(self, request, queryset, search_term):
        """Admin search is the public site's ranked full-text search."""
        if not search_term.strip():
            return queryset, False
        results = queryset.search(search_term)
        if ORDER_VAR in request.GET:
            results = results.order_by(*queryset.query.order_by)
        return results, False

    @admin.display(description=_("topics"))
    def topic_names(self, obj):
        return names(obj.topics.all())

    @admin.display(description=_("code"), boolean=True, ordering="has_code")
    def has_code(self, obj):
        return obj.has_code

    @admin.action(
        description=_("Add a topic to selected papers…"), permissions=["change"]
    )
    def assign_topic(self, request, queryset):
        def apply(data):
            count = curation.assign_topic(queryset, data["topic"], user=request.user)
            return ngettext(
                "Added “%(topic)s” to %(count)d paper.",
                "Added “%(topic)s” to %(count)d papers.",
                count,
            ) % {"topic": data["topic"], "count": count}

        return self.form_action(
            request,
            queryset,
            form=self._bound(request, TopicChoiceForm, admin_site=self.admin_site),
            action="assign_topic",
            title=_("Add a topic to the selected papers"),
            apply=apply,
        )

    @admin.action(
        description=_("Remove a topic from selected papers…"), permissions=["change"]
    )
    def remove_topic(self, request, queryset):
        def apply(data):
            count = curation.remove_topic(queryset, data["topic"], user=request.user)
            return ngettext(
                "Removed “%(topic)s” from %(count)d paper.",
                "Removed “%(topic)s” from %(count)d papers.",
                count,
            ) % {"topic": data["topic"], "count": count}

        topics = Topic.objects.filter(papers__in=queryset).distinct()
        return self.form_action(
            request,
            queryset,
            form=self._bound(
                request, TopicChoiceForm, admin_site=self.admin_site, topics=topics
            ),
            action="remove_topic",
            title=_("Remove a topic from the selected papers"),
            apply=apply,
        )

    @admin.action(
        description=_("Set the venue of selected papers…"), permissions=["change"]
    )
    def set_venue(self, request, queryset):
        def apply(data):
            count = curation.set_field(
                queryset, "venue", data["venue"], user=request.user
            )
            return ngettext(
                "Set the venue of %(count)d paper.",
                "Set the venue of %(count)d papers.",
                count,
            ) % {"count": count}

        return self.form_action(
            request,
            queryset,
            form=self._bound(request, VenueForm),
            action="set_venue",
            title=_("Set the venue of the selected papers"),
            apply=apply,
        )

    @admin.action(
        description=_("Set the framework of selected papers' repositories…"),
        permissions=["change"],
    )
    def set_repository_framework(self, request, queryset):
        repositories = Repository.objects.filter(papers__in=queryset).distinct()
        return self.form_action(
            request,
            queryset,
            form=self._bound(request, FrameworkForm),
            action="set_repository_framework",
            title=_("Set the framework of the selected papers' repositories"),
            apply=lambda data: set_framework(repositories, data, request.user),
        )
