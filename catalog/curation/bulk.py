"""Services behind the admin's bulk actions on selected rows."""

from __future__ import annotations

from django.db import transaction

from catalog.cache import bump_catalog_version
from catalog.curation.fields import mark_curated
from catalog.curation.history import changed_message, log_change
from catalog.curation.reindex import reindex_papers
from catalog.models import Paper, Topic


def assign_topic(papers, topic: Topic, *, user=None) -> int:
    """Add ``topic`` to every paper; returns how many papers gained it."""
    return _change_topic(papers, topic, add=True, user=user)


def remove_topic(papers, topic: Topic, *, user=None) -> int:
    """Remove ``topic`` from every paper; returns how many papers lost it."""
    return _change_topic(papers, topic, add=False, user=user)


def _change_topic(papers, topic, *, add, user) -> int:
    through = Paper.topics.through
    papers = list(papers)
    with transaction.atomic():
        held = set(
            through.objects.filter(
                topic=topic, paper__in=[p.pk for p in papers]
            ).values_list("paper_id", flat=True)
        )
        changed = [p for p in papers if (p.pk in held) != add]
        ids = [p.pk for p in changed]
        if add:
            through.objects.bulk_create(
                [through(paper_id=pk, topic_id=topic.pk) for pk in ids],
                ignore_conflicts=True,
            )
        else:
            through.objects.filter(topic=topic, paper_id__in=ids).delete()
        for paper in changed:
            mark_curated(paper, ["topics"])
        Paper.objects.bulk_update(changed, ["curated_fields"])
        if changed:  # bulk writes send no signal: retire cached pages and facets
            bump_catalog_version()
        verb = "added" if add else "deleted"
        log_change(
            user,
            changed,
            changed_message(Paper, ["topics"])
            + [{verb: {"name": "topic", "object": str(topic)}}],
        )
    reindex_papers(ids)
    return len(changed)


def set_field(objects, name: str, value, *, user=None) -> int:
    """Set one field on every object through ``save()``, which curates it."""
    changed = []
    with transaction.atomic():
        for obj in objects:
            if getattr(obj, name) != value:
                setattr(obj, name, value)
                obj.full_clean(
                    exclude=[f.name for f in obj._meta.fields if f.name != name]
                )
                obj.save()
                changed.append(obj)
        if changed:
            log_change(user, changed, changed_message(type(changed[0]), [name]))
    return len(changed)
