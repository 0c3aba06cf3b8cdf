"""Building the papers' search documents and the suggestion vocabulary.

Documents are rebuilt in batches with a constant number of queries per batch:
papers, their translation titles and their repositories are read with
``values_list``; only documents whose text changed are written; the
vocabulary of title words ("did you mean") is adjusted by the difference
between the old and new documents, with relative updates
(``papers = papers + n``) so concurrent writers do not lose counts.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from itertools import islice

from django.conf import settings
from django.db import connections, transaction
from django.db.models import Exists, OuterRef

from catalog.fulltext.analyzer import analyze, title_words
from catalog.fulltext.backends import Document, get_backend, is_supported
from catalog.models import (
    Paper,
    PaperSearch,
    Repository,
    SearchPosting,
    SearchTerm,
    Translation,
)
from catalog.search.expansion import Glossary, glossary, term_tokens

logger = logging.getLogger(__name__)

BATCH_SIZE = 1000
# Notes longer than this are cut before indexing: they are rare, and a
# tsvector (1 MB) or a search result should not be dominated by one entry.
MAX_BODY_CHARS = 20_000
# Bounds the vocabulary queries' parameter lists.
TERM_CHUNK = 500


def _chunks(items: Sequence, size: int) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _join(*parts: str) -> str:
    return " ".join(part for part in parts if part)


def _clean_ids(ids: Iterable) -> list[int]:
    clean = set()
    for value in ids:
        if value is None:
            continue
        try:
            clean.add(int(value))
        except (TypeError, ValueError):
            continue
    return sorted(clean)


def build_documents(paper_rows: Sequence[tuple], using: str) -> dict[int, Document]:
    """Documents of papers given as ``PAPER_FIELDS`` rows (two more queries)."""
    ids = [row[0] for row in paper_rows]
    if not ids:
        return {}
    translations: dict[int, list[str]] = defaultdict(list)
    for paper_id, title in (
        Translation.objects.using(using)
        .filter(paper_id__in=ids)
        .exclude(title="")
        .order_by("paper_id", "pk")
        .values_list("paper_id", "title")
    ):
        translations[paper_id].append(title)
    repositories: dict[int, list[str]] = defaultdict(list)
    for paper_id, owner, name in (
        Repository.papers.through.objects.using(using)
        .filter(paper_id__in=ids)
        .order_by("paper_id", "repository_id")
        .values_list("paper_id", "repository__owner", "repository__name")
    ):
        repositories[paper_id].append(f"{owner} {name}")
    topics = topic_paths(ids, using)
    known = glossary()
    return {
        row[0]: with_glossary_terms(
            document_of(
                *row,
                translations=translations.get(row[0], ()),
                repositories=repositories.get(row[0], ()),
                topics=topics.get(row[0], ()),
            ),
            known,
        )
        for row in paper_rows
    }


def with_glossary_terms(document: Document, known: Glossary) -> Document:
    """The document with, in each field, the tokens of the glossary terms
    that field names (``catalog.search.expansion``)."""

    def field(text: str) -> str:
        return _join(text, *term_tokens(text, known))

    return replace(
        document,
        title=field(document.title),
        secondary=field(document.secondary),
        body=field(document.body),
    )


def topic_paths(ids: Sequence[int], using: str) -> dict[int, list[str]]:
    """{paper id: the paths of its topics}, one query."""
    paths: dict[int, list[str]] = defaultdict(list)
    for paper_id, path in (
        Paper.topics.through.objects.using(using)
        .filter(paper_id__in=ids)
        .order_by("paper_id", "topic_id")
        .values_list("paper_id", "topic__path")
    ):
        paths[paper_id].append(path)
    return paths


def _with_terms(documents: list[Document]) -> list[Document]:
    """Documents built at hand (the importer's) with their glossary terms."""
    known = glossary()
    return [with_glossary_terms(d, known) for d in documents]


def document_of(
    paper_id: int,
    title: str,
    short_name: str,
    organisation: str,
    venue: str,
    notes: str,
    *,
    translations: Iterable[str] = (),
    repositories: Iterable[str] = (),
    topics: Iterable[str] = (),
) -> Document:
    """A paper's document from its fields, its translation titles (non-empty,
    by id), its repositories ("owner name", by repository id) and its topic
    paths (weighted with translations: below the title, above the notes)."""
    return Document(
        paper_id=paper_id,
        title=_join(analyze(title), analyze(short_name)),
        secondary=_join(
            *map(analyze, translations),
            *map(analyze, repositories),
            *map(analyze, topics),
        ),
        body=_join(
            analyze(organisation),
            analyze(venue),
            analyze((notes or "")[:MAX_BODY_CHARS]),
        ),
    )


PAPER_FIELDS = ("pk", "title", "short_name", "organisation", "venue", "notes")


def _words_of(document_text: str | None) -> set[str]:
    """Vocabulary words of a stored document: its title and secondary lines."""
    if not document_text:
        return set()
    title, _, rest = document_text.partition("\n")
    secondary = rest.partition("\n")[0]
    return title_words(f"{title} {secondary}")


def index_papers(ids: Iterable[int] | None = None, using: str = "default") -> int:
    """(Re)build the search documents of these papers; returns how many.

    Ids of papers that no longer exist are removed from the index. Without
    ids, the whole index is rebuilt (``reindex_all``). Each batch of
    ``BATCH_SIZE`` papers takes a constant number of queries, in one
    transaction (joining the caller's, as the importer's).
    """
    if ids is None:
        return reindex_all(using=using)
    if not is_supported(using):
        return 0
    ids = _clean_ids(ids)
    for batch in _chunks(ids, BATCH_SIZE):
        index_documents((), using=using, rebuild=batch)
    return len(ids)


def index_documents(
    documents: Iterable[Document],
    using: str = "default",
    *,
    rebuild: Iterable[int] = (),
) -> int:
    """Index papers that have no document yet from documents built at hand
    (``document_of``), and rebuild the documents of the papers ``rebuild``
    from the database as ``index_papers`` does, in one transaction; returns
    how many documents were given or rebuilt.

    The importer builds its new papers' documents from what it wrote instead
    of reading them back; both kinds share each write (up to ``BATCH_SIZE``
    documents) and one adjustment of the vocabulary.
    """
    if not is_supported(using):
        return 0
    backend = get_backend(using)
    added: Counter[str] = Counter()
    removed: Counter[str] = Counter()
    pending: list[Document] = []
    done = 0

    def stage(batch: Iterable[Document], old: dict[int, str], write) -> None:
        for document in batch:
            removed.update(_words_of(old.get(document.paper_id)))
            added.update(_words_of(document.text))
            pending.append(document)
            if len(pending) >= BATCH_SIZE:
                write(pending[:])
                pending.clear()

    with transaction.atomic(using=using):
        for batch in _chunks(_clean_ids(rebuild), BATCH_SIZE):
            old = _lock_documents(batch, using)
            rows = list(
                Paper.objects.using(using)
                .filter(pk__in=batch)
                .order_by()
                .values_list(*PAPER_FIELDS)
            )
            rebuilt = build_documents(rows, using)
            gone = [paper_id for paper_id in batch if paper_id not in rebuilt]
            backend.delete(gone)
            for paper_id in gone:
                removed.update(_words_of(old.get(paper_id)))
            # Only documents whose text changed are written.
            changed = (d for d in rebuilt.values() if old.get(d.paper_id) != d.text)
            stage(changed, old, backend.write)
            done += len(batch)
        documents = iter(documents)
        while batch := list(islice(documents, BATCH_SIZE)):
            stage(_with_terms(batch), {}, backend.write)
            done += len(batch)
        backend.write(pending)
        _adjust_vocabulary(using, added, removed)
    return done


def _lock_documents(paper_ids: list[int], using: str) -> dict[int, str]:
    """The stored documents of these papers, locked until the transaction ends."""
    # Lock the documents being replaced (PostgreSQL) so concurrent
    # reindexing of a paper cannot count its words twice.
    return dict(
        PaperSearch.objects.using(using)
        .select_for_update()
        .filter(paper_id__in=paper_ids)
        .order_by()
        .values_list("paper_id", "document")
    )


def unindex_papers(ids: Iterable[int], using: str = "default") -> None:
    """Remove these papers from the index (before they are deleted)."""
    if not is_supported(using):
        return
    backend = get_backend(using)
    for batch in _chunks(_clean_ids(ids), BATCH_SIZE):
        with transaction.atomic(using=using):
            old = (
                PaperSearch.objects.using(using)
                .select_for_update()
                .filter(paper_id__in=batch)
                .values_list("document", flat=True)
            )
            removed = Counter()
            for text in old:
                removed.update(_words_of(text))
            backend.delete(batch)
            _adjust_vocabulary(using, Counter(), removed)


def reindex_all(using: str = "default", *, progress=None) -> int:
    """Rebuild every paper's document and the vocabulary; returns the count.

    Runs in one transaction: readers keep the old index until it commits.
    ``progress(done)`` is called after each batch, if given.
    """
    if not is_supported(using):
        return 0
    backend = get_backend(using)
    vocabulary: Counter[str] = Counter()
    done = 0
    with transaction.atomic(using=using):
        backend.delete_orphans()
        last = 0
        while True:
            rows = list(
                Paper.objects.using(using)
                .filter(pk__gt=last)
                .order_by("pk")
                .values_list(*PAPER_FIELDS)[:BATCH_SIZE]
            )
            if not rows:
                break
            last = rows[-1][0]
            documents = build_documents(rows, using)
            backend.write(list(documents.values()))
            for document in documents.values():
                vocabulary.update(_words_of(document.text))
            done += len(rows)
            if progress is not None:
                progress(done)
        # Documents of papers deleted behind the index's back. An anti-join:
        # PostgreSQL runs NOT IN (subquery) as a scan of the subquery per row
        # once the ids outgrow work_mem (40 minutes at 1,000,000 papers).
        paper = Paper.objects.using(using).filter(pk=OuterRef("paper_id"))
        SearchPosting.objects.using(using).filter(~Exists(paper)).delete()
        PaperSearch.objects.using(using).filter(~Exists(paper)).delete()
        _replace_vocabulary(using, vocabulary)
        refresh_postings(using)
    return done


def _replace_vocabulary(using: str, vocabulary: Counter) -> None:
    """Make the vocabulary ``vocabulary``, writing only the words that
    differ: a rebuild mostly finds it right, and each word written is also
    written to the trigram index of typo corrections."""
    terms = SearchTerm.objects.using(using)
    held = {
        term: (pk, papers)
        for pk, term, papers in terms.values_list("pk", "term", "papers")
    }
    gone = [pk for term, (pk, _) in held.items() if term not in vocabulary]
    for chunk in _chunks(gone, TERM_CHUNK):
        terms.filter(pk__in=chunk).delete()
    changed = [
        SearchTerm(pk=held[term][0], papers=count)
        for term, count in vocabulary.items()
        if term in held and held[term][1] != count
    ]
    terms.bulk_update(changed, ["papers"], batch_size=TERM_CHUNK)
    terms.bulk_create(
        (
            SearchTerm(term=term, length=len(term), papers=count)
            for term, count in vocabulary.items()
            if term not in held
        ),
        batch_size=TERM_CHUNK,
    )


def refresh_postings(using: str = "default") -> None:
    """Post the words ``settings.SEARCH_POSTED_MIN_PAPERS`` papers hold and
    drop the ones few hold now (``catalog.fulltext.postings``): after writes
    of many documents (an import run, a full reindex), never per edit."""
    if not is_supported(using):
        return
    with transaction.atomic(using=using):
        refreshed = get_backend(using).refresh_postings(
            settings.SEARCH_POSTED_MIN_PAPERS
        )
    if refreshed.added or refreshed.dropped:
        logger.info(
            "search postings: %d words posted, %d dropped",
            len(refreshed.added),
            len(refreshed.dropped),
        )


def _adjust_vocabulary(using: str, added: Counter, removed: Counter) -> None:
    """Apply the difference of title words (a constant number of queries)."""
    delta = Counter(added)
    delta.subtract(removed)
    changes = {term: change for term, change in delta.items() if change}
    if changes:
        get_backend(using).adjust_terms(changes)


def index_is_empty(using: str = "default") -> bool:
    return not PaperSearch.objects.using(using).exists()


def search_tables_exist(using: str = "default") -> bool:
    connection = connections[using]
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
    return "catalog_papersearch" in tables and "catalog_searchterm" in tables
