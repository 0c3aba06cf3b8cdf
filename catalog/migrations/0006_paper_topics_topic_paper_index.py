from django.db import migrations

# Django creates the topics through table itself: index it here, for "related
# papers" (a topic's most recent papers, index-only).
INDEX = "catalog_paper_topics_topic_paper"


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0005_paper_year_venue_index"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX {INDEX} ON catalog_paper_topics (topic_id, paper_id)",
            f"DROP INDEX {INDEX}",
        ),
    ]
