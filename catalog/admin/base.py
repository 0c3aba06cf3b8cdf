"""The admins' common ground: curated-field machinery, action pages, helpers."""

from dataclasses import dataclass, field

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from catalog import curation
from catalog.admin.forms import CURATED_MARK, CuratedForm
from catalog.models import ImportConflict, Repository

# Links in lists are https nearly always; Django 6 makes it the default.
URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


def count_of(through, fk: str):
    """A correlated COUNT of ``through`` rows pointing at the outer row."""
    rows = (
        through.objects.filter(**{fk: OuterRef("pk")})
        .order_by()
        .values(fk)
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(rows), 0)


def admin_link(model, pk, text):
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[pk])
    return format_html('<a href="{}">{}</a>', url, text)


def names(objects) -> str:
    return ", ".join(str(getattr(o, "name", o)) for o in objects) or "—"


def short(value, limit=80) -> str:
    text = "—" if value in (None, "", []) else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class Renamed:
    """An inline row whose key or URL an editor edited: the old one stays an alias."""

    instance: models.Model
    old_identity: str | None


@dataclass
class InlineChanges:
    """What an inline formset's changed rows mean for curation, noted before saving."""

    renamed: list[Renamed] = field(default_factory=list)
    # Repositories (or their pks) whose "papers" a paper's inline changed.
    repositories: set = field(default_factory=set)


class FormActionMixin:
    """Actions that ask for a value on an intermediate page, then apply it."""

    def form_action(self, request, queryset, *, form, action, title, apply):
        """An action that asks for a value first, then applies it to the selection."""
        if "apply" in request.POST and form.is_valid():
            try:
                with transaction.atomic():
                    result = apply(form.cleaned_data)
            except ValidationError as exc:
                self.message_user(request, "; ".join(exc.messages), messages.ERROR)
                return None
            self.message_user(request, result, messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.model._meta,
            "form": form,
            "queryset": queryset,
            "action": action,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/catalog/action_form.html", context)

    def _bound(self, request, form_class, **kwargs):
        data = request.POST if "apply" in request.POST else None
        return form_class(data, **kwargs)


class CuratedAdmin(FormActionMixin, admin.ModelAdmin):
    """Records every field an editor changes as curated; shows and releases them."""

    formfield_overrides = URL_FIELDS
    form = CuratedForm
    date_hierarchy = "created"
    list_per_page = 50
    curation_fields = ("curated", "release", "open_conflicts")

    def get_readonly_fields(self, request, obj=None):
        readonly = ["curated", "open_conflicts", "created", "updated"]
        identity = curation.IDENTITY_FIELD.get(self.model)
        if obj is not None and identity in ("key", "path"):
            readonly.append(identity)
        return list(dict.fromkeys([*readonly, *self.readonly_fields]))

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not obj.curated_fields:
            fieldsets = [
                (
                    name,
                    {
                        **options,
                        "fields": [f for f in options["fields"] if f != "release"],
                    },
                )
                for name, options in fieldsets
            ]
        return fieldsets

    def construct_change_message(self, request, form, formsets, add=False):
        message = super().construct_change_message(request, form, formsets, add)
        # History names fields plainly, without the form's "(curated)" marks.
        for part in message:
            changed = part.get("changed", {})
            if "fields" in changed:
                changed["fields"] = [
                    f.removesuffix(CURATED_MARK) for f in changed["fields"]
                ]
        return message

    @admin.display(description=_("curated fields"))
    def curated(self, obj):
        return ", ".join(
            curation.field_label(self.model, name) for name in obj.curated_fields
        ) or ("—" if obj.pk else "")

    @admin.display(description=_("open import conflicts"))
    def open_conflicts(self, obj):
        if obj.pk is None:
            return ""
        kind = curation.ALIAS_KIND[self.model]
        rows = (
            ImportConflict.objects.open()
            .filter(kind=kind, object_id=obj.pk)
            .select_related("reading_list")
        )
        if not rows:
            return "—"
        url = reverse("admin:catalog_importconflict_changelist")
        url += "?" + urlencode({"kind": kind, "object_id": obj.pk})
        items = format_html_join(
            "",
            "<li>{}: {}:{} says {} (curated: {})</li>",
            (
                (
                    curation.field_label(self.model, c.field),
                    c.reading_list.path,
                    c.line,
                    short(c.list_value),
                    short(c.curated_value),
                )
                for c in rows
            ),
        )
        return format_html('<ul>{}</ul><a href="{}">Resolve…</a>', items, url)

    @admin.display(description=_("sources (list: line)"))
    def provenance(self, obj):
        if obj.pk is None:
            return ""
        rows = obj.sources.select_related("reading_list").order_by(
            "reading_list__path", "line"
        )
        return (
            format_html_join(
                "",
                "<div>{}: line {}</div>",
                ((s.reading_list.path, s.line) for s in rows),
            )
            or "— (added by an editor)"
        )

    def save_model(self, request, obj, form, change):
        curation.mark_curated(obj, form.changed_data)
        released = [n for n in form.cleaned_data.get("release", ()) if n]
        obj.curated_fields = [n for n in obj.curated_fields if n not in released]
        identity = curation.IDENTITY_FIELD.get(self.model)
        obj.save(curate=False)
        if change and identity in form.changed_data:
            curation.remember_identity(obj, form.initial.get(identity))
        if released:
            ImportConflict.objects.filter(
                kind=curation.ALIAS_KIND[self.model],
                object_id=obj.pk,
                field__in=released,
            ).delete()

    def save_formset(self, request, form, formset, change):
        changes = InlineChanges()
        for inline_form in formset.forms:
            if inline_form.has_changed():
                _note_inline_change(inline_form, changes)
        formset.save()
        for renamed in changes.renamed:
            if renamed.instance.pk:
                curation.remember_identity(renamed.instance, renamed.old_identity)
        _curate_repository_papers(changes.repositories)

    @admin.action(
        description=_("Release curated fields back to the lists"),
        permissions=["change"],
    )
    def release_curated(self, request, queryset):
        count = 0
        for obj in queryset:
            count += bool(
                curation.release_fields(obj, obj.curated_fields, user=request.user)
            )
        self.message_user(
            request,
            ngettext(
                "Released the curated fields of %(count)d row.",
                "Released the curated fields of %(count)d rows.",
                count,
            )
            % {"count": count},
        )


def _note_inline_change(inline_form, changes: InlineChanges) -> None:
    """Curate an inline row's changed fields; note renames and repository links."""
    instance = inline_form.instance
    if hasattr(instance, "curated_fields"):
        curation.mark_curated(instance, inline_form.changed_data)
        identity = curation.IDENTITY_FIELD[type(instance)]
        if instance.pk and identity in inline_form.changed_data:
            old = inline_form.initial.get(identity)
            changes.renamed.append(Renamed(instance, old))
    elif isinstance(instance, Repository.papers.through):
        changes.repositories.add(inline_form.cleaned_data.get("repository"))
        changes.repositories.add(inline_form.initial.get("repository"))


def _curate_repository_papers(repositories) -> None:
    # A paper's repositories are the repositories' "papers" field.
    rows = Repository.objects.filter(
        pk__in=[getattr(r, "pk", r) for r in repositories if r]
    )
    for repository in rows:
        if curation.mark_curated(repository, ["papers"]):
            repository.save(update_fields=["curated_fields"], curate=False)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows the importer writes: editors look, and at most delete."""

    list_per_page = 100

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
