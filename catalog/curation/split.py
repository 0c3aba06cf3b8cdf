"""Splitting an automatic merge: the published version of a paper that an
import merged with its arXiv version (catalog.ingest.versions) becomes its
own paper again, and imports keep the two apart."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from catalog.curation.history import log_change
from catalog.curation.locks import wait_for_import
from catalog.curation.reindex import reindex_papers
from catalog.kinds import ALIAS_KIND
from catalog.models import Alias, Paper, PaperMerge, Source


def split_merge(merge: PaperMerge, *, user=None) -> Paper:
    """Make the merged published version its own paper again; returns it.

    It gets the key, URL, title and year it had, the source line it was
    merged from, and its URL leaves the arXiv paper's; the merge stays
    recorded as split, so no import merges the two again. Its topics and
    code come back the next time its list is imported.
    """
    with transaction.atomic():
        wait_for_import(Paper)
        merge = PaperMerge.objects.select_for_update().get(pk=merge.pk)
        if merge.split:
            raise ValidationError(f"{merge} is already split.")
        if Paper.objects.filter(key=merge.merged_key).exists():
            raise ValidationError(f"A paper {merge.merged_key} exists already.")
        survivor = Paper.objects.select_for_update().get(pk=merge.paper_id)
        paper = Paper.objects.create(
            key=merge.merged_key,
            title=merge.title,
            url=merge.merged_url,
            year=merge.year,
        )
        survivor.alt_urls = [u for u in survivor.alt_urls if u != merge.merged_url]
        survivor.save(update_fields=["alt_urls"], curate=False)
        Alias.objects.filter(
            kind=ALIAS_KIND[Paper], key=merge.merged_key, target_id=survivor.pk
        ).delete()
        # Its list's next import rewrites the rest of its provenance.
        Source.objects.filter(
            paper=survivor, reading_list_id=merge.reading_list_id, line=merge.line
        ).update(paper=paper)
        merge.split = True
        merge.save(update_fields=["split"])
        log_change(
            user,
            [survivor, paper],
            f"Split {merge.merged_key} from {survivor.key}: two papers again.",
        )
    reindex_papers([survivor.pk, paper.pk])
    return paper
