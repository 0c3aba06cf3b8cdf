from django.db import models
from django.db.models.functions import Lower
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from catalog.querysets import PaperQuerySet
from catalog.routes import url_for
from catalog.validators import validate_web_url, validate_web_urls

TOPIC_SEPARATOR = " > "


class Framework(models.TextChoices):
    PYTORCH = "pytorch", "PyTorch"
    TENSORFLOW = "tensorflow", "TensorFlow"
    KERAS = "keras", "Keras"
    JAX = "jax", "JAX"
    MXNET = "mxnet", "MXNet"
    CAFFE = "caffe", "Caffe"
    CAFFE2 = "caffe2", "Caffe2"
    PADDLE = "paddlepaddle", "PaddlePaddle"
    MINDSPORE = "mindspore", "MindSpore"
    THEANO = "theano", "Theano"
    TORCH = "torch", _("Torch (Lua)")
    CHAINER = "chainer", "Chainer"
    MATLAB = "matlab", "MATLAB"
    UNKNOWN = "unknown", _("Unknown")


class LinkKind(models.TextChoices):
    ARTICLE = "article", _("Article")
    BLOG = "blog", _("Blog post")
    COURSE = "course", _("Course")
    TOOL = "tool", _("Tool")
    LIBRARY = "library", _("Library")
    PRACTICE = "practice", _("Practice")
    VIDEO = "video", _("Video")
    DATASET = "dataset", _("Dataset")
    BOOK = "book", _("Book")
    DISCUSSION = "discussion", _("Discussion")
    LINK = "link", _("Link")


def _json_copy(value):
    """A copy of JSON-shaped data (lists, dicts, scalars); faster than deepcopy."""
    if isinstance(value, list):
        return [_json_copy(item) for item in value]
    if isinstance(value, dict):
        return {key: _json_copy(item) for key, item in value.items()}
    return value


class CuratedMixin(models.Model):
    """Fields an editor changed by hand; imports never overwrite them.

    Rows remember the values they were loaded with, so ``save()`` from any
    editing path (admin, shell, a script) records each field it changes.
    The importer writes with bulk queries and never calls ``save()``.
    """

    curated_fields = models.JSONField(
        default=list,
        blank=True,
        help_text="Fields changed by an editor; later imports leave them alone.",
    )

    # Identity and bookkeeping columns: the importer never writes these as
    # values (path and key are its lookups, slug is only filled when empty).
    NEVER_CURATED = frozenset(
        {"id", "key", "path", "slug", "curated_fields", "created", "updated"}
    )

    class Meta:
        abstract = True

    def save(self, *args, curate=True, **kwargs):
        """Save, adding every field changed since loading to ``curated_fields``.

        ``curate=False`` saves without recording (e.g. accepting a list value).
        """
        if curate:
            update_fields = kwargs.get("update_fields")
            changed = [
                name
                for name in self.curation_changes(update_fields=update_fields)
                if name not in self.curated_fields
            ]
            if changed:
                self.curated_fields = [*self.curated_fields, *changed]
                if update_fields is not None:
                    kwargs["update_fields"] = {*update_fields, "curated_fields"}
        super().save(*args, **kwargs)
        self._loaded_values = {
            field.attname: self._snapshot_value(self.__dict__[field.attname])
            for field in self._meta.concrete_fields
            if field.attname in self.__dict__
        }

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_values = {
            name: cls._snapshot_value(value)
            for name, value in zip(field_names, values, strict=True)
        }
        return instance

    def curation_changes(self, *, update_fields=None):
        """Attribute names of curatable fields changed since the row was loaded."""
        loaded = getattr(self, "_loaded_values", None)
        if self.pk is None or loaded is None:
            return []
        return [
            field.attname
            for field in self._curatable_fields(loaded, update_fields)
            if not self._same_value(
                field, loaded[field.attname], self.__dict__[field.attname]
            )
        ]

    def _curatable_fields(self, loaded: dict, update_fields):
        """The editable fields loaded and set on this instance (of
        ``update_fields``, when a save names them)."""
        named = None if update_fields is None else set(update_fields)
        for field in self._meta.concrete_fields:
            name = field.attname
            if name in self.NEVER_CURATED or not field.editable:
                continue
            if name not in loaded or name not in self.__dict__:
                continue
            if named is None or {field.name, name} & named:
                yield field

    @staticmethod
    def _snapshot_value(value):
        # Copy lists and dicts, so in-place edits (alt_urls.append) show up.
        return _json_copy(value) if isinstance(value, list | dict) else value

    @staticmethod
    def _same_value(field, old, new):
        from django.core.exceptions import ValidationError

        if old == new:
            return True
        try:
            return field.to_python(old) == field.to_python(new)
        except ValidationError:
            return False


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


class Topic(CuratedMixin):
    parent = models.ForeignKey(
        "self", null=True, blank=True, related_name="children", on_delete=models.CASCADE
    )
    name = models.CharField(max_length=300)
    path = models.CharField(
        max_length=1000,
        unique=True,
        help_text='Full path from the root, e.g. "Deep Learning > LSTM/GRU".',
    )
    slug = models.SlugField(max_length=300, unique=True, allow_unicode=True)
    order = models.PositiveIntegerField(default=0, help_text="Position among siblings.")
    depth = models.PositiveSmallIntegerField(default=0)
    description = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["path"]
        indexes = [models.Index(fields=["parent", "order"], name="topic_parent_order")]

    def __str__(self):
        return self.path

    def get_absolute_url(self):
        return url_for("catalog:topic-detail", self.slug)

    @property
    def parts(self):
        return self.path.split(TOPIC_SEPARATOR)

    @staticmethod
    def slug_for_path(path):
        return (
            slugify(path.replace(TOPIC_SEPARATOR, " "), allow_unicode=True)[:280]
            or "topic"
        )


class Paper(CuratedMixin):
    key = models.CharField(
        max_length=600,
        unique=True,
        help_text='Canonical key: "arxiv:ID" or "url:" + URL without scheme.',
    )
    title = models.CharField(max_length=1000)
    short_name = models.CharField(max_length=200, blank=True, help_text='e.g. "QRNN".')
    url = models.URLField(
        max_length=1000,
        validators=[validate_web_url],
        help_text="The URL the paper was written with.",
    )
    alt_urls = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_web_urls],
        help_text='Other URLs of it, as a JSON list: ["https://…"].',
    )
    arxiv_id = models.CharField(max_length=40, null=True, blank=True, unique=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    date = models.DateField(null=True, blank=True)
    venue = models.CharField(
        max_length=100, blank=True, help_text="Normalised: NeurIPS."
    )
    venue_year = models.PositiveSmallIntegerField(null=True, blank=True)
    organisation = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)
    topics = models.ManyToManyField(Topic, related_name="papers", blank=True)
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    updated = models.DateTimeField(auto_now=True)

    objects = PaperQuerySet.as_manager()

    class Meta:
        verbose_name = _("paper")
        verbose_name_plural = _("papers")
        ordering = ["-year", "title"]
        indexes = [
            models.Index(fields=["year", "venue"], name="paper_year_venue"),
            models.Index(fields=["venue", "year"], name="paper_venue_year"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year__isnull=True)
                | models.Q(year__gte=1900, year__lte=2100),
                name="paper_year_range",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return url_for("catalog:paper-detail", self.pk, self.url_slug)

    @property
    def url_slug(self):
        """Readable part of the detail URL; the id alone identifies the paper."""
        return slugify(self.title, allow_unicode=True)[:80].strip("-") or "paper"

    @property
    def display_name(self):
        return self.short_name or self.title


class PaperTitle(models.Model):
    """A normalised title and year a list gives a paper: how an import finds
    its arXiv and published versions (catalog.ingest.versions)."""

    paper = models.ForeignKey(Paper, related_name="+", on_delete=models.CASCADE)
    reading_list = models.ForeignKey(
        ReadingList, related_name="+", on_delete=models.CASCADE
    )
    normalised = models.CharField(max_length=300, db_index=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)

    def __str__(self):
        return self.normalised


class PaperMerge(models.Model):
    """An import merged a paper's published version into its arXiv one."""

    paper = models.ForeignKey(Paper, related_name="merges", on_delete=models.CASCADE)
    merged_key = models.CharField(max_length=600)
    merged_url = models.URLField(max_length=1000, validators=[validate_web_url])
    title = models.CharField(max_length=1000)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    reading_list = models.ForeignKey(
        ReadingList, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    line = models.PositiveIntegerField(default=0)
    split = models.BooleanField(default=False, help_text="Imports keep them apart.")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["paper", "merged_key"], name="papermerge_unique_pair"
            ),
        ]

    def __str__(self):
        return f"{self.merged_key} -> {self.paper.key}"


class Repository(CuratedMixin):
    key = models.CharField(
        max_length=400, unique=True, help_text='"github.com/owner/name", lowercased.'
    )
    host = models.CharField(max_length=100)
    owner = models.CharField(max_length=200)
    name = models.CharField(max_length=200)
    url = models.URLField(
        max_length=1000,
        validators=[validate_web_url],
        help_text="The URL as written in the list.",
    )
    framework = models.CharField(
        max_length=20, choices=Framework, default=Framework.UNKNOWN, db_index=True
    )
    papers = models.ManyToManyField(Paper, related_name="repositories", blank=True)
    topics = models.ManyToManyField(Topic, related_name="repositories", blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("repository")
        verbose_name_plural = _("repositories")
        ordering = ["host", "owner", "name"]
        verbose_name_plural = "repositories"
        constraints = [
            models.UniqueConstraint(
                Lower("host"),
                Lower("owner"),
                Lower("name"),
                name="repository_unique_path",
            ),
            models.CheckConstraint(
                condition=models.Q(framework__in=Framework.values),
                name="repository_framework_valid",
            ),
        ]

    def __str__(self):
        return f"{self.owner}/{self.name}"

    def get_absolute_url(self):
        return url_for("catalog:repository-detail", self.pk, self.url_slug)

    @property
    def url_slug(self):
        return slugify(f"{self.owner}-{self.name}")[:80].strip("-") or "repository"


class Translation(CuratedMixin):
    paper = models.ForeignKey(
        Paper, related_name="translations", on_delete=models.CASCADE
    )
    language = models.CharField(max_length=10, default="zh", help_text="BCP 47 code.")
    title = models.CharField(max_length=1000, blank=True)
    url = models.URLField(max_length=1000, unique=True, validators=[validate_web_url])
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        ordering = ["paper", "language", "url"]

    def __str__(self):
        return self.title or self.url


class Link(CuratedMixin):
    """Any other resource of a list: an article, course, tool, discussion..."""

    url = models.URLField(max_length=1000, unique=True, validators=[validate_web_url])
    title = models.CharField(max_length=1000, blank=True)
    kind = models.CharField(
        max_length=20, choices=LinkKind, default=LinkKind.LINK, db_index=True
    )
    paper = models.ForeignKey(
        Paper, null=True, blank=True, related_name="links", on_delete=models.SET_NULL
    )
    topics = models.ManyToManyField(Topic, related_name="links", blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("link")
        verbose_name_plural = _("links")
        ordering = ["kind", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=LinkKind.values), name="link_kind_valid"
            ),
        ]

    def __str__(self):
        return self.title or self.url


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
        ReadingList, related_name="sources", on_delete=models.CASCADE
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


class AliasKind(models.TextChoices):
    TOPIC = "topic", _("Topic path")
    PAPER = "paper", _("Paper key")
    REPOSITORY = "repository", _("Repository key")
    LINK = "link", _("Link URL")
    TRANSLATION = "translation", _("Translation URL")


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


class PaperSearch(models.Model):
    """A paper's search document (``catalog.search``), one row per paper.

    ``document`` is the analyzed text of its weighted parts, one line each:
    A (title, short name), B (translation titles, repositories) and C
    (organisation, venue, notes). The database indexes it its own way:
    PostgreSQL in a ``vector tsvector`` column of this table (GIN index),
    SQLite in the FTS5 table ``catalog_paper_fts`` (rowid = paper id).
    Both are added by migration 0004 and written by ``catalog.search`` only.
    """

    paper = models.OneToOneField(
        Paper,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_document",
    )
    document = models.TextField(blank=True)

    class Meta:
        verbose_name = _("paper search document")
        verbose_name_plural = _("paper search documents")

    def __str__(self):
        return f"search document of paper {self.paper_id}"


class SearchTerm(models.Model):
    """A word of the papers' titles, for "did you mean" suggestions."""

    term = models.CharField(max_length=40, unique=True)
    length = models.PositiveSmallIntegerField()
    papers = models.PositiveIntegerField(
        default=0, help_text="Papers whose title, translation or code has it."
    )

    class Meta:
        ordering = ["term"]
        indexes = [
            models.Index(fields=["length", "term"], name="searchterm_length_term")
        ]

    def __str__(self):
        return self.term


class GlossaryTerm(models.Model):
    """A term of the field in English and Chinese, with the other names a
    query may use for it: a search for any of them finds all (``catalog.search``
    expands queries with the glossary). Shipped with the app
    (``catalog/search/data/glossary.tsv``), edited by editors."""

    english = models.CharField(max_length=200)
    chinese = models.CharField(max_length=200, blank=True)
    aliases = models.CharField(
        max_length=500,
        blank=True,
        help_text="Other names (acronyms, short names, variants), comma-separated.",
    )
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["english"]
        constraints = [
            models.UniqueConstraint(
                fields=["english", "chinese"], name="glossaryterm_unique"
            )
        ]

    def __str__(self):
        return f"{self.english} / {self.chinese}" if self.chinese else self.english

    @property
    def forms(self) -> list[str]:
        """Every name of the term: English, Chinese, then the aliases."""
        names = [self.english, self.chinese, *self.aliases.split(",")]
        return [name.strip() for name in names if name.strip()]
