"""Automatic merges of a paper's arXiv and published versions: editors
review them and split a wrong one."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from catalog import curation
from catalog.admin.base import ReadOnlyAdmin, admin_link
from catalog.models import Paper, PaperMerge


@admin.register(PaperMerge)
class PaperMergeAdmin(ReadOnlyAdmin):
    list_display = ("merged_key", "into", "title", "list_and_line", "split", "created")
    list_filter = ("split", "reading_list")
    list_select_related = ("paper", "reading_list")
    search_fields = ("merged_key", "title", "paper__key")
    date_hierarchy = "created"
    ordering = ("-created",)
    actions = ("split_selected",)

    def has_split_permission(self, request):
        return request.user.has_perm("catalog.change_paper") and request.user.has_perm(
            "catalog.add_paper"
        )

    @admin.display(description=_("merged into"), ordering="paper__key")
    def into(self, obj):
        return admin_link(Paper, obj.paper_id, obj.paper.key)

    @admin.display(description=_("list and line"), ordering="reading_list__path")
    def list_and_line(self, obj):
        if obj.reading_list is None:
            return gettext("—")
        return f"{obj.reading_list.path}:{obj.line}"

    @admin.action(
        description=_("Split the selected merges: two papers again"),
        permissions=["split"],
    )
    def split_selected(self, request, queryset):
        done = 0
        for merge in queryset.order_by("pk"):
            try:
                curation.split_merge(merge, user=request.user)
            except ValidationError as exc:
                self.message_user(request, "; ".join(exc.messages), messages.ERROR)
            else:
                done += 1
        if done:
            message = ngettext("Split %(n)d merge.", "Split %(n)d merges.", done)
            self.message_user(request, message % {"n": done}, messages.SUCCESS)
