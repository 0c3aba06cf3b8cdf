"""The editors' admin: every catalog model, curated fields, conflicts and merges.

Workflows live in ``catalog.curation``; this package is forms, columns and
actions around them: ``base`` (the curated-field machinery every catalog admin
shares), ``forms``, ``filters``, ``merging`` (the merge action), then one
module per model family. Importing them registers the admins on autodiscover.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from catalog.admin import (
    aliases,
    conflicts,
    glossary,
    links,
    lists_and_sources,
    papers,
    redirects,
    repositories,
    topics,
    versions,
)

admin.site.site_header = "dlresources editors"
admin.site.site_title = "dlresources"
admin.site.index_title = _("Catalog curation")

__all__ = [
    "aliases",
    "conflicts",
    "glossary",
    "links",
    "lists_and_sources",
    "papers",
    "redirects",
    "repositories",
    "topics",
    "versions",
]
