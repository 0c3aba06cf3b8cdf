"""The search documents of an import's papers: those it created are built
from what it wrote, the others read back from the database."""

from __future__ import annotations

from collections.abc import Iterator

from django.db import transaction

from catalog.cache import bump_catalog_version
from catalog.fulltext.backends import Document
from catalog.ingest import specs
from catalog.ingest.ids import IdSet
from catalog.ingest.parsing import ParsedList
from catalog.ingest.specs import ImportState, join
from catalog.models import Paper
from catalog.search.indexing import PAPER_FIELDS, document_of, index_documents


def index_new_papers(parsed: ParsedList, state: ImportState, *, using: str) -> None:
    """Index the search documents of a list's papers once they are written."""
    created = state.created_of(Paper)
    # Papers that existed may have translations and code from other lists
    # or editors: their documents are read back from the database.
    index_documents(
        _new_documents(parsed, state, created),
        using=using,
        rebuild=(pk for pk in state.paper_ids.values() if pk not in created),
    )
    # Cached pages die with this version, once the import has committed.
    transaction.on_commit(bump_catalog_version, using=using)


def _new_documents(
    parsed: ParsedList, state: ImportState, created: IdSet
) -> Iterator[Document]:
    """Search documents of the papers this import created, from what it wrote
    (nothing else can point at them yet), topics included."""
    # paper_ids holds the list's papers in its order: no lookup by key.
    papers = zip(parsed.papers, state.paper_ids.items(), strict=True)
    for entry, (key, pk) in papers:
        assert key == entry.key
        if pk not in created:
            continue
        extras = state.extras.get(pk) or {}
        values = specs.paper_values(entry)
        # The topics the list filed it under (steps.ListSteps._add_topics),
        # in the order the database gives a paper's topics: by id.
        topics = {path for t in entry.topics if (path := join(t)) in state.topic_ids}
        yield document_of(
            pk,
            *(values[name] for name in PAPER_FIELDS[1:]),
            translations=[t for _, t in sorted(extras.get("translations", ()))],
            repositories=[r for _, r in sorted(extras.get("repositories", ()))],
            topics=sorted(topics, key=state.topic_ids.__getitem__),
        )
