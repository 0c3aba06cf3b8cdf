"""Constants both sides share: the importer (write side) and curation."""

from catalog.models import Link, Paper, Repository, Topic, Translation

# The kind of entry an Alias row names, by model (its ``kind`` column).
ALIAS_KIND = {
    Topic: "topic",
    Paper: "paper",
    Repository: "repository",
    Translation: "translation",
    Link: "link",
}

# Key for pg_advisory_xact_lock: one writer of the catalog at a time on
# PostgreSQL (an import, or an editor's merge).
IMPORT_LOCK_KEY = 0x646C72  # "dlr"
