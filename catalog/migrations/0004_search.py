# Full-text search (catalog.search): the search documents, the vocabulary of
# "did you mean" suggestions, and each database's own index of the documents:
# on PostgreSQL a tsvector column with a GIN index, on SQLite an FTS5 table.
#
# Papers that exist when this runs are indexed by the post_migrate hook of
# catalog.search (or `manage.py rebuild_search_index`).

import django.db.models.deletion
from django.db import migrations, models

FTS_TABLE = "catalog_paper_fts"


def create_vendor_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE catalog_papersearch ADD COLUMN vector tsvector"
        )
        schema_editor.execute(
            "CREATE INDEX catalog_papersearch_vector ON catalog_papersearch "
            "USING GIN (vector)"
        )
    elif vendor == "sqlite":
        # rowid is the paper id; title = weight A, secondary = B, body = C.
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
            "title, secondary, body, tokenize='porter unicode61')"
        )


def drop_vendor_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS catalog_papersearch_vector")
        schema_editor.execute(
            "ALTER TABLE catalog_papersearch DROP COLUMN IF EXISTS vector"
        )
    elif vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0003_conflict_kept"),
    ]

    operations = [
        migrations.CreateModel(
            name="PaperSearch",
            fields=[
                (
                    "paper",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_document",
                        serialize=False,
                        to="catalog.paper",
                    ),
                ),
                ("document", models.TextField(blank=True)),
            ],
            options={
                "verbose_name": "paper search document",
            },
        ),
        migrations.CreateModel(
            name="SearchTerm",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                ("term", models.CharField(max_length=40, unique=True)),
                ("length", models.PositiveSmallIntegerField()),
                (
                    "papers",
                    models.PositiveIntegerField(
                        default=0,
                        help_text="Papers whose title, translation or code has it.",
                    ),
                ),
            ],
            options={
                "ordering": ["term"],
                "indexes": [
                    models.Index(
                        fields=["length", "term"], name="searchterm_length_term"
                    )
                ],
            },
        ),
        migrations.RunPython(create_vendor_index, drop_vendor_index, elidable=False),
    ]
