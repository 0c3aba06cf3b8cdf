"""The "merge selected" action and its confirmation page."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from catalog import curation
from catalog.admin.base import CuratedAdmin

MERGE_LIMIT = 20


class MergeAdmin(CuratedAdmin):
    """Adds "merge selected" with a confirmation page listing what moves."""

    @admin.action(
        description=_("Merge selected %(verbose_name_plural)s into one…"),
        permissions=["change", "delete"],
    )
    def merge_selected(self, request, queryset):
        candidates = sorted(queryset, key=self.merge_order)
        if not 2 <= len(candidates) <= MERGE_LIMIT:
            self.message_user(
                request,
                gettext("Select between 2 and %(limit)d rows to merge.")
                % {"limit": MERGE_LIMIT},
                messages.WARNING,
            )
            return None
        chosen = request.POST.get("survivor")
        survivor = next((c for c in candidates if str(c.pk) == chosen), candidates[0])
        losers = [c for c in candidates if c.pk != survivor.pk]
        try:
            if "confirm" in request.POST:
                plan = curation.merge(survivor, losers, user=request.user)
                self.message_user(
                    request,
                    ngettext(
                        "Merged %(count)d row into “%(survivor)s”.",
                        "Merged %(count)d rows into “%(survivor)s”.",
                        len(plan.losers),
                    )
                    % {"count": len(plan.losers), "survivor": survivor},
                    messages.SUCCESS,
                )
                return None
            plan = curation.plan_merge(survivor, losers)
        except ValidationError as exc:
            self.message_user(request, "; ".join(exc.messages), messages.ERROR)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Merge %(count)d %(things)s")
            % {"count": len(candidates), "things": self.opts.verbose_name_plural},
            "opts": self.opts,
            "plan": plan,
            "candidates": self._describe(candidates),
            "survivor": survivor,
            "queryset": queryset,
            "action": "merge_selected",
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(
            request, "admin/catalog/merge_confirmation.html", context
        )

    def merge_order(self, obj):
        """Default survivor first: the oldest row."""
        return obj.pk

    def _describe(self, candidates):
        """Each candidate with its identity and the rows that point at it."""
        counts = {c.pk: [] for c in candidates}
        for relation in curation.RELATIONS[self.model]:
            found = dict(
                relation.model.objects.filter(**{f"{relation.fk}__in": list(counts)})
                .order_by()
                .values(relation.fk)
                .annotate(n=Count("*"))
                .values_list(relation.fk, "n")
            )
            for pk, items in counts.items():
                items.append((relation.label, found.get(pk, 0)))
        identity = curation.IDENTITY_FIELD[self.model]
        return [
            {
                "obj": c,
                "identity": getattr(c, identity),
                "counts": counts[c.pk],
                "curated": self.curated(c),
                "admin_url": reverse(
                    f"admin:catalog_{self.opts.model_name}_change", args=[c.pk]
                ),
            }
            for c in candidates
        ]
