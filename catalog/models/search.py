"""The search index's tables and the bilingual glossary."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from catalog.models.records import Paper


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


class SearchPostedTerm(models.Model):
    """A word of the index so many papers hold that its matches are kept
    ranked in ``SearchPosting``: the first search of a common word reads
    them in one index range instead of visiting every matching document
    (PostgreSQL only; ``catalog.fulltext.postings``)."""

    lexeme = models.CharField(max_length=100, primary_key=True)
    papers = models.PositiveIntegerField(help_text="Papers holding it when posted.")

    def __str__(self):
        return self.lexeme


class SearchPosting(models.Model):
    """One paper matching a posted word, with the rank a search of the word
    gives it; kept in step with the paper's document on every write."""

    pk = models.CompositePrimaryKey("lexeme", "paper")
    lexeme = models.CharField(max_length=100)
    # Deleted with the document by the search backend (its constraint, checked
    # at commit, catches a path that forgets): the ORM deletes documents by
    # one statement, not by loading them first.
    paper = models.ForeignKey(
        PaperSearch, on_delete=models.DO_NOTHING, related_name="+"
    )
    rank = models.FloatField()

    def __str__(self):
        return f"{self.lexeme} in paper {self.paper_id}"


class SearchTerm(models.Model):
    """A word of the papers' titles, for typo corrections ("did you mean").

    Found by its trigrams (migration 0014): on PostgreSQL a GIN
    ``gin_trgm_ops`` index of ``term``, on SQLite the FTS5 table
    ``catalog_searchterm_trigram`` that triggers on this table keep.
    """

    term = models.CharField(max_length=40, unique=True)
    length = models.PositiveSmallIntegerField()
    papers = models.PositiveIntegerField(
        default=0, help_text="Papers whose title, translation or code has it."
    )

    class Meta:
        ordering = ["term"]

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
