"""The catalog's models, one module per family (see each module)."""

from catalog.models.base import TOPIC_SEPARATOR, CuratedMixin, _json_copy  # noqa: F401
from catalog.models.choices import AliasKind, Framework, LinkKind  # noqa: F401
from catalog.models.provenance import (  # noqa: F401
    SOURCE_TARGETS,
    Alias,
    ImportConflict,
    ImportConflictQuerySet,
    ReadingList,
    Source,
    _exactly_one_of,
)
from catalog.models.records import Link, Paper, Repository, Topic, Translation  # noqa: F401
from catalog.models.search import (  # noqa: F401
    GlossaryTerm,
    PaperSearch,
    SearchPostedTerm,
    SearchPosting,
    SearchTerm,
)
from catalog.models.versions import PaperMerge, PaperTitle  # noqa: F401

__all__ = [
    "Framework",
    "LinkKind",
    "AliasKind",
    "TOPIC_SEPARATOR",
    "CuratedMixin",
    "Topic",
    "Paper",
    "Repository",
    "Translation",
    "Link",
    "ReadingList",
    "SOURCE_TARGETS",
    "Source",
    "Alias",
    "ImportConflictQuerySet",
    "ImportConflict",
    "PaperTitle",
    "PaperMerge",
    "PaperSearch",
    "SearchTerm",
    "SearchPostedTerm",
    "SearchPosting",
    "GlossaryTerm",
]
