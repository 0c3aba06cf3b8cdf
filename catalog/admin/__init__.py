"""The editors' admin: every catalog model, curated fields, conflicts and merges.

Workflows live in ``catalog.curation``; this module is forms, columns and
actions around them.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.views.main import ORDER_VAR
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.redirects.admin import RedirectAdmin
from django.contrib.redirects.models import Redirect
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode

from catalog import curation
from catalog.models import (
    Alias,
    Framework,
    ImportConflict,
    Link,
    Paper,
    ReadingList,
    Repository,
    Source,
    Topic,
    Translation,
)
from catalog.validators import validate_local_path

admin.site.site_header = "dlresources editors"
admin.site.site_title = "dlresources"
admin.site.index_title = "Catalog curation"


def _count(through, fk: str):
    """A correlated COUNT of ``through`` rows pointing at the outer row."""
    rows = (
        through.objects.filter(**{fk: OuterRef("pk")})
        .order_by()
        .values(fk)
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(rows), 0)


def _admin_link(model, pk, text):
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[pk])
    return format_html('<a href="{}">{}</a>', url, text)


def _names(objects) -> str:
    return ", ".join(str(getattr(o, "name", o)) for o in objects) or "—"


# -- list filters --------------------------------------------------------------


class CuratedFilter(admin.SimpleListFilter):
    title = "curated"
    parameter_name = "curated"

    def lookups(self, request, model_admin):
        return [("yes", "Has curated fields"), ("no", "Follows the lists")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(curated_fields=[])
        if self.value() == "no":
            return queryset.filter(curated_fields=[])
        return queryset


class ConflictFilter(admin.SimpleListFilter):
    title = "import conflicts"
    parameter_name = "conflicts"

    def lookups(self, request, model_admin):
        return [("yes", "Has open conflicts")]

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
    title = "has code"
    parameter_name = "has_code"

    def lookups(self, request, model_admin):
        return [("yes", "Yes"), ("no", "No")]

    def queryset(self, request, queryset):
        has_code = Exists(
            Repository.papers.through.objects.filter(paper_id=OuterRef("pk"))
        )
        if self.value() == "yes":
            return queryset.filter(has_code)
        if self.value() == "no":
            return queryset.filter(~has_code)
        return queryset


SOURCE_LIST_FILTER = ("sources__reading_list", admin.RelatedOnlyFieldListFilter)
CURATED_MARK = " (curated)"
MERGE_LIMIT = 20


# -- curated fields ------------------------------------------------------------


class CuratedForm(forms.ModelForm):
    """Marks curated fields in their labels and offers to release them."""

    release = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Release to the lists",
        help_text="Checked fields go back to the reading lists: the next import "
        "may overwrite them.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model = self._meta.model
        curated = list(self.instance.curated_fields) if self.instance.pk else []
        self.fields["release"].choices = [
            (name, curation.field_label(model, name)) for name in curated
        ]
        for name in curated:
            try:
                form_name = model._meta.get_field(name).name
            except FieldDoesNotExist:
                continue
            if form_name in self.fields:
                field = self.fields[form_name]
                field.label = f"{field.label}{CURATED_MARK}"


# Links in lists are https nearly always; Django 6 makes it the default.
URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


class CuratedAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELDS
    """Records every field an editor changes as curated; shows and releases them."""

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

    @admin.display(description="curated fields")
    def curated(self, obj):
        return ", ".join(
            curation.field_label(self.model, name) for name in obj.curated_fields
        ) or ("—" if obj.pk else "")

    @admin.display(description="open import conflicts")
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
                    _short(c.list_value),
                    _short(c.curated_value),
                )
                for c in rows
            ),
        )
        return format_html('<ul>{}</ul><a href="{}">Resolve…</a>', items, url)

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
        through_changed, renamed = set(), []
        for inline_form in formset.forms:
            if not inline_form.has_changed():
                continue
            instance = inline_form.instance
            if hasattr(instance, "curated_fields"):
                curation.mark_curated(instance, inline_form.changed_data)
                identity = curation.IDENTITY_FIELD[type(instance)]
                if instance.pk and identity in inline_form.changed_data:
                    renamed.append((instance, inline_form.initial.get(identity)))
            elif isinstance(instance, Repository.papers.through):
                through_changed.add(inline_form.cleaned_data.get("repository"))
                through_changed.add(inline_form.initial.get("repository"))
        formset.save()
        for instance, old_value in renamed:
            if instance.pk:
                curation.remember_identity(instance, old_value)
        # A paper's repositories are the repositories' "papers" field.
        repositories = Repository.objects.filter(
            pk__in=[getattr(r, "pk", r) for r in through_changed if r]
        )
        for repository in repositories:
            if curation.mark_curated(repository, ["papers"]):
                repository.save(update_fields=["curated_fields"], curate=False)

    @admin.action(
        description="Release curated fields back to the lists",
        permissions=["change"],
    )
    def release_curated(self, request, queryset):
        count = 0
        for obj in queryset:
            count += bool(
                curation.release_fields(obj, obj.curated_fields, user=request.user)
            )
        self.message_user(request, f"Released the curated fields of {count} rows.")

    # -- intermediate pages ----------------------------------------------------

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


class MergeAdmin(CuratedAdmin):
    """Adds "merge selected" with a confirmation page listing what moves."""

    @admin.action(
        description="Merge selected %(verbose_name_plural)s into one…",
        permissions=["change", "delete"],
    )
    def merge_selected(self, request, queryset):
        candidates = sorted(queryset, key=self.merge_order)
        if not 2 <= len(candidates) <= MERGE_LIMIT:
            self.message_user(
                request,
                f"Select between 2 and {MERGE_LIMIT} rows to merge.",
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
                    f"Merged {len(plan.losers)} into “{survivor}”.",
                    messages.SUCCESS,
                )
                return None
            plan = curation.plan_merge(survivor, losers)
        except ValidationError as exc:
            self.message_user(request, "; ".join(exc.messages), messages.ERROR)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": f"Merge {len(candidates)} {self.opts.verbose_name_plural}",
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


def _short(value, limit=80) -> str:
    text = "—" if value in (None, "", []) else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- papers --------------------------------------------------------------------


class RepositoryInline(admin.TabularInline):
    formfield_overrides = URL_FIELDS
    model = Repository.papers.through
    autocomplete_fields = ("repository",)
    extra = 0
    verbose_name = "repository"
    verbose_name_plural = "repositories"


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
    verbose_name_plural = "other links"


class TopicChoiceForm(forms.Form):
    topic = forms.ModelChoiceField(Topic.objects.all())

    def __init__(self, *args, admin_site, topics=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["topic"]
        if topics is None:
            field.widget = AutocompleteSelect(Paper.topics.field, admin_site)
            field.widget.choices = field.choices
        else:
            field.queryset = topics


class VenueForm(forms.Form):
    venue = forms.CharField(
        max_length=100, required=False, help_text="Normalised, e.g. NeurIPS."
    )


class FrameworkForm(forms.Form):
    framework = forms.ChoiceField(choices=Framework.choices)


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

    @admin.display(description="topics")
    def topic_names(self, obj):
        return _names(obj.topics.all())

    @admin.display(description="code", boolean=True, ordering="has_code")
    def has_code(self, obj):
        return obj.has_code

    @admin.display(description="sources (list: line)")
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

    @admin.action(description="Add a topic to selected papers…", permissions=["change"])
    def assign_topic(self, request, queryset):
        def apply(data):
            count = curation.assign_topic(queryset, data["topic"], user=request.user)
            return f"Added “{data['topic']}” to {count} papers."

        return self.form_action(
            request,
            queryset,
            form=self._bound(request, TopicChoiceForm, admin_site=self.admin_site),
            action="assign_topic",
            title="Add a topic to the selected papers",
            apply=apply,
        )

    @admin.action(
        description="Remove a topic from selected papers…", permissions=["change"]
    )
    def remove_topic(self, request, queryset):
        def apply(data):
            count = curation.remove_topic(queryset, data["topic"], user=request.user)
            return f"Removed “{data['topic']}” from {count} papers."

        topics = Topic.objects.filter(papers__in=queryset).distinct()
        return self.form_action(
            request,
            queryset,
            form=self._bound(
                request, TopicChoiceForm, admin_site=self.admin_site, topics=topics
            ),
            action="remove_topic",
            title="Remove a topic from the selected papers",
            apply=apply,
        )

    @admin.action(
        description="Set the venue of selected papers…", permissions=["change"]
    )
    def set_venue(self, request, queryset):
        def apply(data):
            count = curation.set_field(
                queryset, "venue", data["venue"], user=request.user
            )
            return f"Set the venue of {count} papers."

        return self.form_action(
            request,
            queryset,
            form=self._bound(request, VenueForm),
            action="set_venue",
            title="Set the venue of the selected papers",
            apply=apply,
        )

    @admin.action(
        description="Set the framework of selected papers' repositories…",
        permissions=["change"],
    )
    def set_repository_framework(self, request, queryset):
        repositories = Repository.objects.filter(papers__in=queryset).distinct()
        return self.form_action(
            request,
            queryset,
            form=self._bound(request, FrameworkForm),
            action="set_repository_framework",
            title="Set the framework of the selected papers' repositories",
            apply=lambda data: _set_framework(repositories, data, request.user),
        )


def _set_framework(repositories, data, user) -> str:
    changed = curation.set_field(
        repositories, "framework", data["framework"], user=user
    )
    return f"Set the framework of {changed} repositories."


# -- repositories --------------------------------------------------------------


class PapersCountMixin:
    @admin.display(description="papers", ordering="paper_count")
    def paper_count(self, obj):
        return obj.paper_count


@admin.register(Repository)
class RepositoryAdmin(PapersCountMixin, MergeAdmin):
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
            .annotate(paper_count=_count(Repository.papers.through, "repository_id"))
            .prefetch_related(
                Prefetch("topics", queryset=Topic.objects.only("pk", "name", "path"))
            )
        )

    @admin.display(description="topics")
    def topic_names(self, obj):
        return _names(obj.topics.all())

    provenance = PaperAdmin.provenance

    @admin.action(
        description="Set the framework of selected repositories…",
        permissions=["change"],
    )
    def set_framework(self, request, queryset):
        return self.form_action(
            request,
            queryset,
            form=self._bound(request, FrameworkForm),
            action="set_framework",
            title="Set the framework of the selected repositories",
            apply=lambda data: _set_framework(queryset, data, request.user),
        )


# -- topics --------------------------------------------------------------------


class TopicForm(CuratedForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = "Empty: made from the path."

    def clean(self):
        cleaned = super().clean()
        if "name" in self.fields and cleaned.get("name"):
            try:
                curation.check_topic_place(
                    self.instance, parent=cleaned.get("parent"), name=cleaned["name"]
                )
            except ValidationError as exc:
                self.add_error(None, exc)
        return cleaned


class MoveTopicForm(forms.Form):
    parent = forms.ModelChoiceField(
        Topic.objects.all(),
        required=False,
        help_text="Empty: move to the top level.",
    )

    def __init__(self, *args, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["parent"]
        field.widget = AutocompleteSelect(Topic.parent.field, admin_site)
        field.widget.choices = field.choices


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
                paper_count=_count(Paper.topics.through, "topic_id"),
                repository_count=_count(Repository.topics.through, "topic_id"),
                link_count=_count(Link.topics.through, "topic_id"),
            )
        )

    def merge_order(self, obj):
        # An ancestor cannot merge into its descendant: offer the shallowest.
        return (obj.depth, obj.pk)

    @admin.display(description="name", ordering="path")
    def indented_name(self, obj):
        return format_html(
            '<span style="padding-left:{}em">{}</span>', obj.depth * 1.5, obj.name
        )

    @admin.display(description="papers", ordering="paper_count")
    def paper_count(self, obj):
        return obj.paper_count

    @admin.display(description="repositories", ordering="repository_count")
    def repository_count(self, obj):
        return obj.repository_count

    @admin.display(description="links", ordering="link_count")
    def link_count(self, obj):
        return obj.link_count

    provenance = PaperAdmin.provenance

    def save_model(self, request, obj, form, change):
        if not change:
            curation.place_new_topic(obj)
            return super().save_model(request, obj, form, change)
        moved = {"name", "parent"} & set(form.changed_data)
        if moved:
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
        description="Move selected topics up among siblings", permissions=["change"]
    )
    def move_up(self, request, queryset):
        self._shift(request, queryset.order_by("order", "path"), -1)

    @admin.action(
        description="Move selected topics down among siblings",
        permissions=["change"],
    )
    def move_down(self, request, queryset):
        self._shift(request, queryset.order_by("-order", "-path"), 1)

    def _shift(self, request, queryset, delta):
        moved = sum(
            curation.shift_topic(topic, delta, user=request.user) for topic in queryset
        )
        self.message_user(request, f"Moved {moved} topics.")

    @admin.action(
        description="Move selected topics under another parent…",
        permissions=["change"],
    )
    def move_under(self, request, queryset):
        def apply(data):
            for topic in queryset:
                curation.move_topic(topic, parent=data["parent"], user=request.user)
            where = data["parent"] or "the top level"
            return f"Moved {len(queryset)} topics under “{where}”."

        return self.form_action(
            request,
            queryset,
            form=self._bound(request, MoveTopicForm, admin_site=self.admin_site),
            action="move_under",
            title="Move the selected topics",
            apply=apply,
        )


# -- translations and other links ----------------------------------------------


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
    provenance = PaperAdmin.provenance


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
    provenance = PaperAdmin.provenance

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("topics", queryset=Topic.objects.only("pk", "name", "path"))
            )
        )

    @admin.display(description="topics")
    def topic_names(self, obj):
        return _names(obj.topics.all())


# -- import bookkeeping (read-mostly) ------------------------------------------


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows the importer writes: editors look, and at most delete."""

    list_per_page = 100

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


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
                source_count=_count(Source, "reading_list_id"),
                conflict_count=_count(ImportConflict, "reading_list_id"),
            )
        )

    @admin.display(description="sources", ordering="source_count")
    def source_count(self, obj):
        return obj.source_count

    @admin.display(description="conflicts", ordering="conflict_count")
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

    @admin.display(description="entry")
    def target(self, obj):
        for model, name in curation.ALIAS_KIND.items():
            related = getattr(obj, name)
            if related is not None:
                label = f"{model._meta.verbose_name}: {related}"
                return _admin_link(model, related.pk, label)
        return "—"


@admin.register(Alias)
class AliasAdmin(ReadOnlyAdmin):
    list_display = ("key", "kind", "target", "created")
    list_filter = ("kind",)
    search_fields = ("key",)
    date_hierarchy = "created"

    @admin.display(description="now means")
    def target(self, obj):
        model = curation.MODEL_FOR_KIND[obj.kind]
        label = f"{model._meta.verbose_name} #{obj.target_id}"
        return _admin_link(model, obj.target_id, label)


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

    @admin.display(description="entity", ordering="entity_key")
    def entity(self, obj):
        model = curation.MODEL_FOR_KIND[obj.kind]
        label = f"{model._meta.verbose_name} {obj.entity_key}"
        return _admin_link(model, obj.object_id, label)

    @admin.display(description="field", ordering="field")
    def field_label(self, obj):
        return curation.field_label(curation.MODEL_FOR_KIND[obj.kind], obj.field)

    @admin.display(description="curated value")
    def curated(self, obj):
        return _short(obj.curated_value)

    @admin.display(description="list value")
    def from_list(self, obj):
        return _short(obj.list_value)

    @admin.display(description="list and line", ordering="reading_list__path")
    def list_and_line(self, obj):
        return f"{obj.reading_list.path}:{obj.line}"

    @admin.action(description="Keep the curated values", permissions=["resolve"])
    def keep_curated(self, request, queryset):
        count = curation.keep_curated(queryset, user=request.user)
        self.message_user(request, f"Kept the curated value of {count} conflicts.")

    @admin.action(description="Accept the lists' values", permissions=["resolve"])
    def accept_list_value(self, request, queryset):
        accepted, refused = 0, []
        for conflict in queryset.order_by("pk"):
            model = curation.MODEL_FOR_KIND[conflict.kind]
            perm = f"{model._meta.app_label}.change_{model._meta.model_name}"
            if not request.user.has_perm(perm):
                refused.append(f"{conflict}: you may not change it")
                continue
            try:
                with transaction.atomic():
                    curation.accept_list_value(conflict, user=request.user)
            except ValidationError as exc:
                refused.append(f"{conflict}: {'; '.join(exc.messages)}")
                continue
            accepted += 1
        if accepted:
            self.message_user(
                request, f"Applied the list's value of {accepted} conflicts."
            )
        for problem in refused:
            self.message_user(request, problem, messages.ERROR)


class LocalRedirectForm(forms.ModelForm):
    """A redirect leads to a path of this site: never an open redirect."""

    class Meta:
        model = Redirect
        fields = ["site", "old_path", "new_path"]

    def clean_new_path(self):
        target = self.cleaned_data["new_path"]
        validate_local_path(target)
        return target


admin.site.unregister(Redirect)


@admin.register(Redirect)
class LocalRedirectAdmin(RedirectAdmin):
    form = LocalRedirectForm
