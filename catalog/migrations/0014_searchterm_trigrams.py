# Typo tolerance without a first-letter restriction: the title words of
# catalog_searchterm are found by their trigrams (catalog.fulltext.backends
# similar_terms).
#
# PostgreSQL: the pg_trgm extension and a GIN trigram index on the words.
# (Neither is in the model's Meta: SQLite has no GIN.)
# SQLite: a contentless FTS5 table of the words (tokenize 'trigram', rowid =
# SearchTerm id, each word padded as pg_trgm pads it), an fts5vocab table of
# its (trigram, rowid) rows, and triggers that keep it in step with every
# write of catalog_searchterm (indexing's adjust_terms, reindex_all, restore,
# flush). A later migration that makes SQLite rebuild catalog_searchterm
# drops the triggers and must create them again.

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

TERM_TABLE = "catalog_searchterm"
TRIGRAM_TABLE = "catalog_searchterm_trigram"
TRIGRAM_ROWS = "catalog_searchterm_trigram_rows"
PG_INDEX = "searchterm_term_trgm"


class PostgresTrigramExtension(TrigramExtension):
    """pg_trgm on PostgreSQL; nothing on other databases, either way."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def _padded(row: str) -> str:
    return f"'  ' || {row}.term || ' '"


SQLITE_CREATE = [
    f"CREATE VIRTUAL TABLE {TRIGRAM_TABLE} USING fts5("
    "term, tokenize='trigram', content='', detail='none', columnsize=0)",
    f"CREATE VIRTUAL TABLE {TRIGRAM_ROWS} USING fts5vocab({TRIGRAM_TABLE}, instance)",
    f"INSERT INTO {TRIGRAM_TABLE} (rowid, term) "
    f"SELECT id, {_padded(TERM_TABLE)} FROM {TERM_TABLE}",
    f"CREATE TRIGGER {TRIGRAM_TABLE}_insert AFTER INSERT ON {TERM_TABLE} BEGIN "
    f"INSERT INTO {TRIGRAM_TABLE} (rowid, term) VALUES (new.id, {_padded('new')}); "
    "END",
    # A contentless table forgets a row given the values it was indexed with.
    f"CREATE TRIGGER {TRIGRAM_TABLE}_delete AFTER DELETE ON {TERM_TABLE} BEGIN "
    f"INSERT INTO {TRIGRAM_TABLE} ({TRIGRAM_TABLE}, rowid, term) "
    f"VALUES ('delete', old.id, {_padded('old')}); END",
    f"CREATE TRIGGER {TRIGRAM_TABLE}_update AFTER UPDATE OF id, term "
    f"ON {TERM_TABLE} BEGIN "
    f"INSERT INTO {TRIGRAM_TABLE} ({TRIGRAM_TABLE}, rowid, term) "
    f"VALUES ('delete', old.id, {_padded('old')}); "
    f"INSERT INTO {TRIGRAM_TABLE} (rowid, term) VALUES (new.id, {_padded('new')}); "
    "END",
]

SQLITE_DROP = [
    *(
        f"DROP TRIGGER IF EXISTS {TRIGRAM_TABLE}_{event}"
        for event in ("insert", "delete", "update")
    ),
    f"DROP TABLE IF EXISTS {TRIGRAM_ROWS}",
    f"DROP TABLE IF EXISTS {TRIGRAM_TABLE}",
]


def create_trigram_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        # Without fastupdate's pending list: new words would wait there for a
        # vacuum, each search scanning them all (and the planner, counting
        # them, would scan the table instead); the vocabulary grows slowly.
        schema_editor.execute(
            f"CREATE INDEX {PG_INDEX} ON {TERM_TABLE} "
            "USING GIN (term gin_trgm_ops) WITH (fastupdate = off)"
        )
    elif vendor == "sqlite":
        for statement in SQLITE_CREATE:
            schema_editor.execute(statement)


def drop_trigram_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")
    elif vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0013_search_postings"),
    ]

    operations = [
        # What the candidates were read by before: the same first letter and
        # a length within two.
        migrations.RemoveIndex(model_name="searchterm", name="searchterm_length_term"),
        PostgresTrigramExtension(),
        migrations.RunPython(create_trigram_index, drop_trigram_index, elidable=False),
    ]
