"""The related objects the API's rows show, loaded in the rows' own query
(``catalog.browse.rows``): topic paths and the keys of related entries."""

from __future__ import annotations

from django.db.models import OuterRef

from catalog.browse.rows import Related, topic_list, with_related
from catalog.models import Link, Paper, Repository, Translation


def _topic_paths(entries: str) -> Related:
    return topic_list(entries, ("path",))


API_PAPER_RELATED = (
    _topic_paths("papers"),
    Related(
        "code",
        Repository.objects.filter(papers=OuterRef("pk")),
        ("key", "url", "framework"),
        key=lambda r: r.key,
    ),
)
API_PAPER_DETAIL_RELATED = (
    *API_PAPER_RELATED,
    Related(
        "translation_list",
        Translation.objects.filter(paper=OuterRef("pk")),
        ("title", "url", "language"),
        key=lambda t: (t.language, t.url),
    ),
    Related(
        "link_list",
        Link.objects.filter(paper=OuterRef("pk")),
        ("url", "title", "kind"),
        key=lambda link: (link.kind, link.title, link.url),
    ),
)
API_REPOSITORY_RELATED = (
    _topic_paths("repositories"),
    Related(
        "paper_list",
        Paper.objects.filter(repositories=OuterRef("pk")),
        ("key", "title", "year"),
        key=lambda p: p.key,
    ),
)
API_LINK_RELATED = (_topic_paths("links"),)


def loaded(entries, related: tuple[Related, ...]):
    """The one entry of ``entries`` (a queryset) with its ``related``
    objects, or None."""
    rows = with_related(entries[:1], related)
    return rows[0] if rows else None
