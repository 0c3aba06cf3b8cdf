"""Where records came from: reading lists, the lines that wrote each
record, aliases of merged keys, conflicts between imports and editors."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from catalog.models.choices import AliasKind
from catalog.models.records import Link, Paper, Repository, Topic, Translation


class ReadingList(models.Model):
    """A markdown reading list that has been imported."""

    path = models.CharField(
        max_length=500, unique=True, help_text="File name the list is known by."
    )
    title = models.CharField(max_length=500, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    imported_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reading list")
        verbose_name_plural = _("reading lists")
        ordering = ["path"]

    def __str__(self):
        return self.title or self.path


SOURCE_TARGETS = ("topic", "paper", "repository", "translation", "link")


def _exactly_one_of(fields):
    """A Q object true when exactly one of the foreign keys is set."""
    condition = models.Q()
    for field in fields:
        only_this = models.Q(**{f"{field}__isnull": False})
        for other in fields:
            if other != field:
                only_this &= models.Q(**{f"{other}__isnull": True})
        condition |= only_this
    return condition


class Source(models.Model):
    """Where an entity was written: a list and a line (provenance)."""

    reading_list = models.ForeignKey(
        ReadingList,
        related_name="sources",
        on_delete=models.CASCADE,
        db_index=False,  # (source_list_line leads with it)
    )
    line = models.PositiveIntegerField()
    topic = models.ForeignKey(
        Topic, null=True, blank=True, related_name="sources", on_delete=models.CASCADE
    )
    paper = models.ForeignKey(
        Paper,
        null=True,
        blank=True,
        related_name="sources",
        on_delete=models.CASCADE,
        db_index=False,  # (see Meta.indexes)
    )
    repository = models.ForeignKey(
        Repository,
        null=True,
        blank=True,
        related_name="sources",
        on_delete=models.CASCADE,
        db_index=False,  # (see Meta.indexes)
    )
    translation = models.ForeignKey(
        Translation,
        null=True,
        blank=True,
        related_name="sources",
        on_delete=models.CASCADE,
    )
    link = models.ForeignKey(
        Link,
        null=True,
        blank=True,
        related_name="sources",
        on_delete=models.CASCADE,
        db_index=False,  # (see Meta.indexes)
    )

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["reading_list", "line"]
        constraints = [
            models.CheckConstraint(
                condition=_exactly_one_of(SOURCE_TARGETS), name="source_one_target"
            ),
        ]
        indexes = [
            models.Index(fields=["reading_list", "line"], name="source_list_line"),
            # Entries' lists (provenance, the source list facet), index-only.
            models.Index(fields=["paper", "reading_list"], name="source_paper_list"),
            models.Index(
                fields=["repository", "reading_list"], name="source_repository_list"
            ),
            models.Index(fields=["link", "reading_list"], name="source_link_list"),
        ]

    def __str__(self):
        return f"{self.reading_list.path}:{self.line}"


class Alias(models.Model):
    """An old key that now means another row: left by merges, renames and moves.

    The importer resolves keys through aliases, so a list that still writes a
    merged duplicate or a renamed topic updates the editor's survivor.
    """

    kind = models.CharField(max_length=20, choices=AliasKind)
    key = models.CharField(max_length=1000)
    target_id = models.BigIntegerField()
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("alias")
        verbose_name_plural = _("aliases")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "key"], name="alias_unique_kind_key"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=AliasKind.values), name="alias_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.key} -> {self.target_id}"


class ImportConflictQuerySet(models.QuerySet):
    def open(self):
        """Conflicts no editor has decided yet."""
        return self.filter(kept=False)


class ImportConflict(models.Model):
    """A list says something else than a field an editor curated."""

    kind = models.CharField(max_length=20, choices=AliasKind)
    object_id = models.BigIntegerField()
    entity_key = models.CharField(max_length=1000, help_text="Key, path or URL.")
    field = models.CharField(max_length=100)
    curated_value = models.JSONField(null=True, blank=True)
    list_value = models.JSONField(null=True, blank=True)
    reading_list = models.ForeignKey(
        ReadingList, related_name="conflicts", on_delete=models.CASCADE
    )
    line = models.PositiveIntegerField()
    kept = models.BooleanField(
        default=False,
        help_text="An editor kept the curated value; the next import stays quiet "
        "unless the list changes its value again.",
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = ImportConflictQuerySet.as_manager()

    class Meta:
        verbose_name = _("import conflict")
        verbose_name_plural = _("import conflicts")
        ordering = ["-updated"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "field", "reading_list"],
                name="importconflict_unique_per_list",
            ),
        ]

    def __str__(self):
        return f"{self.entity_key}.{self.field} ({self.reading_list.path}:{self.line})"
