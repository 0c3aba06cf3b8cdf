"""Keep the search index in step with ``save()`` and ``delete()``.

Connected by ``CatalogConfig.ready()``. Bulk writes send no signals: code
that writes papers, translations or repositories in bulk calls
``catalog.search.index_papers`` itself (the importer and curation do).
Fixture loading (``raw`` saves) is skipped; ``rebuild_search_index`` indexes
such data.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_migrate,
    post_save,
    pre_delete,
)

from catalog.fulltext.analyzer import SearchQuery, parse_query
from catalog.fulltext.backends import get_backend, is_supported
from catalog.models import GlossaryTerm, Paper, Repository, Topic, Translation
from catalog.search.expansion import term_token
from catalog.search.indexing import (
    index_is_empty,
    index_papers,
    reindex_all,
    search_tables_exist,
    unindex_papers,
)

# The migration that loads the glossary (its terms are indexed).
GLOSSARY_MIGRATION = "0009_glossary"
# Paper fields that go into its document; saves of other fields skip indexing.
INDEXED_PAPER_FIELDS = frozenset(
    {"title", "short_name", "organisation", "venue", "notes"}
)
DISPATCH = "catalog.search"


def _loaded(instance, attname, default=None):
    """The value ``attname`` had when the row was loaded (CuratedMixin)."""
    return getattr(instance, "_loaded_values", {}).get(attname, default)


def _changed(instance, *attnames) -> bool:
    loaded = getattr(instance, "_loaded_values", None)
    if not loaded:
        return True
    return any(
        name not in loaded or loaded[name] != getattr(instance, name)
        for name in attnames
    )


def _from_paper_deletion(origin) -> bool:
    """Whether a delete cascades from deleting papers (they leave the index)."""
    if isinstance(origin, QuerySet):
        return origin.model is Paper
    return isinstance(origin, Paper)


# -- papers --------------------------------------------------------------------------


def paper_saved(sender, instance, created, raw, using, update_fields, **kwargs):
    if raw:
        return
    if (
        not created
        and update_fields is not None
        and not INDEXED_PAPER_FIELDS & set(update_fields)
    ):
        return
    index_papers([instance.pk], using=using)


def paper_deleting(sender, instance, using, origin=None, **kwargs):
    """Leave the index (and the vocabulary) before the row goes."""
    if isinstance(origin, QuerySet) and origin.model is Paper:
        # Queryset.delete(): drop all of them at once, on the first signal.
        if not getattr(origin, "_search_unindexed", False):
            origin._search_unindexed = True
            unindex_papers(origin.values_list("pk", flat=True), using=using)
        return
    unindex_papers([instance.pk], using=using)


# -- translations --------------------------------------------------------------------


def translation_saved(sender, instance, created, raw, using, **kwargs):
    if raw:
        return
    if not created and not _changed(instance, "paper_id", "title"):
        return
    ids = {instance.paper_id, _loaded(instance, "paper_id")}
    index_papers(ids, using=using)


def translation_deleted(sender, instance, using, origin=None, **kwargs):
    if _from_paper_deletion(origin):
        return
    index_papers([instance.paper_id], using=using)


# -- relations between papers and other rows ----------------------------------


def _paper_ids_of(through, column: str):
    """The ids of the papers a row is related to through ``through``."""

    def paper_ids(instance, using) -> list[int]:
        return list(
            through.objects.using(using)
            .filter(**{column: instance.pk})
            .values_list("paper_id", flat=True)
        )

    return paper_ids


def _papers_changed(paper_ids_of, *, field_on_paper: bool):
    """An m2m_changed receiver reindexing the papers an add, remove or clear
    touches (``field_on_paper``: the field is Paper's, so a forward change's
    instance is the paper; else the other row's, as repository.papers)."""

    def receiver(sender, instance, action, reverse, pk_set, using, **kwargs):
        instance_is_paper = reverse != field_on_paper
        if action == "pre_clear":
            if not instance_is_paper:
                # The cleared links are gone by post_clear: remember them.
                instance._search_cleared_ids = paper_ids_of(instance, using)
            return
        if action not in {"post_add", "post_remove", "post_clear"}:
            return
        if instance_is_paper:
            ids = [instance.pk]
        elif action == "post_clear":
            ids = getattr(instance, "_search_cleared_ids", [])
        else:
            ids = pk_set or []
        index_papers(ids, using=using)

    return receiver


_repository_paper_ids = _paper_ids_of(Repository.papers.through, "repository_id")
_topic_paper_ids = _paper_ids_of(Paper.topics.through, "topic_id")


# -- repositories --------------------------------------------------------------------


def repository_saved(sender, instance, created, raw, using, **kwargs):
    if raw or created or not _changed(instance, "owner", "name"):
        return
    index_papers(_repository_paper_ids(instance, using), using=using)


def repository_deleting(sender, instance, using, **kwargs):
    # The links to its papers are gone by post_delete: remember them.
    instance._search_paper_ids = _repository_paper_ids(instance, using)


def repository_deleted(sender, instance, using, **kwargs):
    ids = getattr(instance, "_search_paper_ids", None)
    if ids:
        index_papers(ids, using=using)


repository_papers_changed = _papers_changed(_repository_paper_ids, field_on_paper=False)


# -- topics (their paths are indexed) --------------------------------------------


def topic_saved(sender, instance, created, raw, using, **kwargs):
    if raw or created or not _changed(instance, "path"):
        return
    index_papers(_topic_paper_ids(instance, using), using=using)


topic_papers_changed = _papers_changed(_topic_paper_ids, field_on_paper=True)


# -- the glossary (its terms are indexed) --------------------------------------------


def _naming_paper_ids(term_pk: int, names, using) -> set[int]:
    """Papers indexed with the term's token or holding one of ``names``."""
    backend = get_backend(using)
    queries = [SearchQuery(terms=(term_token(term_pk),))]
    queries += [parse_query(f'"{name}"') for name in names]
    return {pk for query in queries for pk, _ in backend.scores(query, ranked=False)}


def glossary_changed(sender, instance, using, **kwargs):
    """Reindex the papers naming a term saved or deleted, once committed
    (the glossary is read again under the new catalog version)."""
    if kwargs.get("raw") or not is_supported(using):
        return
    names = instance.forms if kwargs.get("signal") is post_save else []
    pk = instance.pk

    def reindex():
        index_papers(_naming_paper_ids(pk, names, using), using=using)

    transaction.on_commit(reindex, using=using)


# -- migrations ----------------------------------------------------------------------


def _needs_index(applied: set, using: str) -> bool:
    """Whether a migration just applied leaves papers to (re)index: the
    index's, on a database with papers and no documents; the glossary's
    (documents hold its terms), on any database with papers."""
    glossary = ("catalog", GLOSSARY_MIGRATION) in applied
    if not (glossary or ("catalog", "0004_search") in applied):
        return False
    if not search_tables_exist(using):
        return False
    if not (glossary or index_is_empty(using)):
        return False
    return Paper.objects.using(using).exists()


def build_missing_index(sender, using="default", plan=None, verbosity=1, **kwargs):
    """After migration 0004 (the index) is applied to a database with papers,
    index them; after the glossary's migration, index them again."""
    applied = {
        (migration.app_label, migration.name)
        for migration, backwards in plan or ()
        if not backwards
    }
    if not _needs_index(applied, using):
        return
    count = reindex_all(using=using)
    stdout = kwargs.get("stdout")
    if verbosity and stdout is not None:
        stdout.write(f"  Indexed {count} papers for search.")


def connect(app_config) -> None:
    """Connect the handlers (``CatalogConfig.ready``); idempotent."""
    through = Repository.papers.through
    post_save.connect(paper_saved, sender=Paper, dispatch_uid=f"{DISPATCH}.paper")
    pre_delete.connect(
        paper_deleting, sender=Paper, dispatch_uid=f"{DISPATCH}.paper-delete"
    )
    post_save.connect(
        translation_saved, sender=Translation, dispatch_uid=f"{DISPATCH}.translation"
    )
    post_delete.connect(
        translation_deleted,
        sender=Translation,
        dispatch_uid=f"{DISPATCH}.translation-delete",
    )
    post_save.connect(
        repository_saved, sender=Repository, dispatch_uid=f"{DISPATCH}.repository"
    )
    pre_delete.connect(
        repository_deleting,
        sender=Repository,
        dispatch_uid=f"{DISPATCH}.repository-deleting",
    )
    post_delete.connect(
        repository_deleted,
        sender=Repository,
        dispatch_uid=f"{DISPATCH}.repository-delete",
    )
    m2m_changed.connect(
        repository_papers_changed,
        sender=through,
        dispatch_uid=f"{DISPATCH}.repository-papers",
    )
    post_save.connect(topic_saved, sender=Topic, dispatch_uid=f"{DISPATCH}.topic")
    for signal in (post_save, post_delete):
        signal.connect(
            glossary_changed,
            sender=GlossaryTerm,
            dispatch_uid=f"{DISPATCH}.glossary-{signal is post_save}",
        )
    m2m_changed.connect(
        topic_papers_changed,
        sender=Paper.topics.through,
        dispatch_uid=f"{DISPATCH}.topic-papers",
    )
    post_migrate.connect(
        build_missing_index, sender=app_config, dispatch_uid=f"{DISPATCH}.migrate"
    )
