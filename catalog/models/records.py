"""The catalog's records: topics, papers, repositories, translations, links."""

from django.db import models
from django.db.models.functions import Lower
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from catalog.models.base import TOPIC_SEPARATOR, CuratedMixin
from catalog.models.choices import Framework, LinkKind, label_of
from catalog.querysets import PaperQuerySet
from catalog.routes import url_for
from catalog.validators import validate_web_url, validate_web_urls


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
        help_text='Canonical key: "arxiv:ID", "url:" + URL without scheme, or '
        '"title:" + the title\'s words for a paper a list cites with no link.',
    )
    title = models.CharField(max_length=1000)
    short_name = models.CharField(max_length=200, blank=True, help_text='e.g. "QRNN".')
    url = models.URLField(
        max_length=1000,
        blank=True,
        validators=[validate_web_url],
        help_text="The URL the paper was written with (none if cited without one).",
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

    def get_framework_display(self):
        return label_of(Framework, self.framework)

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

    def get_kind_display(self):
        return label_of(LinkKind, self.kind)
