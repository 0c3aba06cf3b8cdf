"""The topic tree: indented list, reordering, moving and renaming through curation."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from catalog import curation
from catalog.admin.base import CuratedAdmin, count_of
from catalog.admin.filters import SOURCE_LIST_FILTER, ConflictFilter, CuratedFilter
from catalog.admin.forms import MoveTopicForm, TopicForm
from catalog.admin.merging import MergeAdmin
from catalog.models import Link, Paper, Repository, Topic


@admin.register(Topic)
class TopicAdmin(MergeAdmin):
    form = TopicForm
    list_display = (
        "indented_name",
        "path",
        "order",
        "paper_count",
        "repository_count",
        "link_count",
        "curated",
    )
    list_editable = ("order",)
    list_filter = ("depth", SOURCE_LIST_FILTER, CuratedFilter, ConflictFilter)
    search_fields = ("path", "name", "slug")
    autocomplete_fields = ("parent",)
    ordering = ("path",)
    fieldsets = (
        ("Curation", {"fields": CuratedAdmin.curation_fields}),
        (None, {"fields": ("name", "parent", "path", "slug", "order", "depth")}),
        (None, {"fields": ("description",)}),
        ("Provenance", {"fields": ("provenance", "created", "updated")}),
    )
    readonly_fields = ("path", "depth", "provenance")
    actions = (
        "move_up",
        "move_down",
        "move_under",
        "merge_selected",
        "release_curated",
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                paper_count=count_of(Paper.topics.through, "topic_id"),
                repository_count=count_of(Repository.topics.through, "topic_id"),
                link_count=count_of(Link.topics.through, "topic_id"),
            )
        )

    def merge_order(self, obj):
        # An ancestor cannot merge into its descendant: offer the shallowest.
        return (obj.depth, obj.pk)

    @admin.display(description=_("name"), ordering="path")
    def indented_name(self, obj):
        return format_html(
            '<span style="padding-left:{}em">{}</span>', obj.depth * 1.5, obj.name
        )

    @admin.display(description=_("papers"), ordering="paper_count")
    def paper_count(self, obj):
        return obj.paper_count

    @admin.display(description=_("repositories"), ordering="repository_count")
    def repository_count(self, obj):
        return obj.repository_count

    @admin.display(description=_("links"), ordering="link_count")
    def link_count(self, obj):
        return obj.link_count

    def save_model(self, request, obj, form, change):
        if not change:
            curation.place_new_topic(obj)
            return super().save_model(request, obj, form, change)
        moved = {"name", "parent"} & set(form.changed_data)
        if moved:
            # The move below changes name and parent, so the save keeps them.
            new_name, new_parent = obj.name, obj.parent
            obj.name, obj.parent_id = form.initial["name"], form.initial["parent"]
        if "slug" in form.changed_data:
            old_url = reverse(
                "catalog:topic-detail", kwargs={"slug": form.initial["slug"]}
            )
        super().save_model(request, obj, form, change)
        if "slug" in form.changed_data:
            curation.leave_redirect(old_url, obj.get_absolute_url())
        if moved:
            curation.move_topic(
                obj, parent=new_parent, name=new_name, user=request.user
            )
            obj.refresh_from_db()
        return None

    @admin.action(
        description=_("Move selected topics up among siblings"), permissions=["change"]
    )
    def move_up(self, request, queryset):
        self._shift(request, queryset.order_by("order", "path"), -1)

    @admin.action(
        description=_("Move selected topics down among siblings"),
        permissions=["change"],
    )
    def move_down(self, request, queryset):
        self._shift(request, queryset.order_by("-order", "-path"), 1)

    def _shift(self, request, queryset, delta):
        moved = sum(
            curation.shift_topic(topic, delta, user=request.user) for topic in queryset
        )
        self.message_user(
            request,
            ngettext("Moved %(count)d topic.", "Moved %(count)d topics.", moved)
            % {"count": moved},
        )

    @admin.action(
        description=_("Move selected topics under another parent…"),
        permissions=["change"],
    )
    def move_under(self, request, queryset):
        def apply(data):
            for topic in queryset:
                curation.move_topic(topic, parent=data["parent"], user=request.user)
            if data["parent"] is None:
                message = ngettext(
                    "Moved %(count)d topic to the top level.",
                    "Moved %(count)d topics to the top level.",
                    len(queryset),
                )
            else:
                message = ngettext(
                    "Moved %(count)d topic under “%(parent)s”.",
                    "Moved %(count)d topics under “%(parent)s”.",
                    len(queryset),
                )
            return message % {"count": len(queryset), "parent": data["parent"]}

        return self.form_action(
            request,
            queryset,
            form=self._bound(request, MoveTopicForm, admin_site=self.admin_site),
            action="move_under",
            title=_("Move the selected topics"),
            apply=apply,
        )
