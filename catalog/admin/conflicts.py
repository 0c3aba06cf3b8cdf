"""Import conflicts: keep the curated value or accept the list's."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from catalog import curation
from catalog.admin.base import ReadOnlyAdmin, admin_link, short
from catalog.models import ImportConflict


@admin.register(ImportConflict)
class ImportConflictAdmin(ReadOnlyAdmin):
    list_display = (
        "entity",
        "field_label",
        "curated",
        "from_list",
        "list_and_line",
        "updated",
    )
    list_filter = ("kept", "kind", "field", "reading_list")
    list_select_related = ("reading_list",)
    search_fields = ("entity_key", "field", "reading_list__path")
    date_hierarchy = "created"
    actions = ("keep_curated", "accept_list_value")

    def lookup_allowed(self, lookup, value, request=None):
        # The "Resolve…" link on a change page filters on its row.
        return lookup in ("object_id", "kind") or super().lookup_allowed(
            lookup, value, request
        )

    def has_resolve_permission(self, request):
        return request.user.has_perm("catalog.delete_importconflict")

    @admin.display(description=_("entity"), ordering="entity_key")
    def entity(self, obj):
        model = curation.MODEL_FOR_KIND[obj.kind]
        label = f"{model._meta.verbose_name} {obj.entity_key}"
        return admin_link(model, obj.object_id, label)

    @admin.display(description=_("field"), ordering="field")
    def field_label(self, obj):
        return curation.field_label(curation.MODEL_FOR_KIND[obj.kind], obj.field)

    @admin.display(description=_("curated value"))
    def curated(self, obj):
        return short(obj.curated_value)

    @admin.display(description=_("list value"))
    def from_list(self, obj):
        return short(obj.list_value)

    @admin.display(description=_("list and line"), ordering="reading_list__path")
    def list_and_line(self, obj):
        return f"{obj.reading_list.path}:{obj.line}"

    @admin.action(description=_("Keep the curated values"), permissions=["resolve"])
    def keep_curated(self, request, queryset):
        count = curation.keep_curated(queryset, user=request.user)
        self.message_user(
            request,
            ngettext(
                "Kept the curated value of %(count)d conflict.",
                "Kept the curated value of %(count)d conflicts.",
                count,
            )
            % {"count": count},
        )

    @admin.action(description=_("Accept the lists' values"), permissions=["resolve"])
    def accept_list_value(self, request, queryset):
        accepted, refused = 0, []
        for conflict in queryset.order_by("pk"):
            problem = self._accept(request, conflict)
            if problem:
                refused.append(f"{conflict}: {problem}")
            else:
                accepted += 1
        if accepted:
            self.message_user(
                request,
                ngettext(
                    "Applied the list's value of %(count)d conflict.",
                    "Applied the list's value of %(count)d conflicts.",
                    accepted,
                )
                % {"count": accepted},
            )
        for problem in refused:
            self.message_user(request, problem, messages.ERROR)

    def _accept(self, request, conflict) -> str:
        """Accept one conflict's list value; why it was refused ("" if it was not)."""
        model = curation.MODEL_FOR_KIND[conflict.kind]
        perm = f"{model._meta.app_label}.change_{model._meta.model_name}"
        if not request.user.has_perm(perm):
            return gettext("you may not change it")
        try:
            with transaction.atomic():
                curation.accept_list_value(conflict, user=request.user)
        except ValidationError as exc:
            return "; ".join(exc.messages)
        return ""
