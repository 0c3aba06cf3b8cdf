"""Search documents of papers that curation changed with bulk queries."""

from __future__ import annotations

from catalog.models import Link, Paper, Repository, Translation
from catalog.search import index_papers


def paper_ids_of(model, pks) -> list[int]:
    """The papers whose search documents hold the given rows of ``model``."""
    if model is Paper:
        return list(pks)
    if model is Repository:
        return list(
            Repository.papers.through.objects.filter(repository_id__in=pks).values_list(
                "paper_id", flat=True
            )
        )
    if model in (Translation, Link):
        return [
            pk
            for pk in model.objects.filter(pk__in=pks).values_list(
                "paper_id", flat=True
            )
            if pk
        ]
    return []


def reindex_papers(ids) -> None:
    # The search index follows save(); rows changed by bulk queries are
    # reindexed the way the importer does it.
    if ids:
        index_papers(list(ids))
