"""A catalog-wide version number: cached pages are keyed by it.

Every write (model saves and deletes, m2m changes, imports) bumps the
version, so nothing cached before the write is ever served after it.
"""

from django.core.cache import cache

VERSION_KEY = "catalog:version"


def catalog_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return version


def bump_catalog_version(**kwargs) -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not set yet (or evicted): any fresh value will do
        cache.set(VERSION_KEY, catalog_version() + 1, timeout=None)


def connect_signals() -> None:
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from catalog import models

    for model in (
        models.Topic,
        models.Paper,
        models.Repository,
        models.Translation,
        models.Link,
        models.Source,
        models.ReadingList,
    ):
        post_save.connect(bump_catalog_version, sender=model, weak=False)
        post_delete.connect(bump_catalog_version, sender=model, weak=False)
    for field in (
        models.Paper.topics,
        models.Repository.papers,
        models.Repository.topics,
        models.Link.topics,
    ):
        m2m_changed.connect(bump_catalog_version, sender=field.through, weak=False)
