"""The titles lists gave a paper, and the versions of one paper merged into
it (an arXiv preprint and its published version)."""

from django.db import models

from catalog.models.provenance import ReadingList
from catalog.models.records import Paper
from catalog.validators import validate_web_url


class PaperTitle(models.Model):
    """A normalised title and year a list gives a paper, or the address of
    the document it links ("doc:..."): how an import finds its arXiv and
    published versions (catalog.ingest.versions)."""

    paper = models.ForeignKey(Paper, related_name="+", on_delete=models.CASCADE)
    reading_list = models.ForeignKey(
        ReadingList, related_name="+", on_delete=models.CASCADE
    )
    normalised = models.CharField(max_length=300, db_index=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)

    def __str__(self):
        return self.normalised


class PaperMerge(models.Model):
    """An import merged a paper's published version into its arXiv one, or a
    paper cited with no link (merged_url blank) into the linked one."""

    paper = models.ForeignKey(Paper, related_name="merges", on_delete=models.CASCADE)
    merged_key = models.CharField(max_length=600)
    merged_url = models.URLField(
        max_length=1000, blank=True, validators=[validate_web_url]
    )
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
