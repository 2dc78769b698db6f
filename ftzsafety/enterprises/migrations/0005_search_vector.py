from django.db import migrations

DOCUMENT_TABLE = "enterprises_enterprisesearchdocument"


def stored_vector(apps, schema_editor):
    """PostgreSQL: keep the parsed words in a stored generated tsvector column and index that, so that a match
    (which GIN rechecks for prefix queries) does not parse every candidate document again."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS enterprise_search_tsv")
        schema_editor.execute(
            f"ALTER TABLE {DOCUMENT_TABLE} ADD COLUMN search_vector tsvector "
            "GENERATED ALWAYS AS (to_tsvector('simple', document)) STORED"
        )
        schema_editor.execute(f"CREATE INDEX enterprise_search_vector ON {DOCUMENT_TABLE} USING gin (search_vector)")


def expression_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS enterprise_search_vector")
        schema_editor.execute(f"ALTER TABLE {DOCUMENT_TABLE} DROP COLUMN IF EXISTS search_vector")
        schema_editor.execute(
            f"CREATE INDEX enterprise_search_tsv ON {DOCUMENT_TABLE} USING gin (to_tsvector('simple', document))"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("enterprises", "0004_search"),
    ]

    operations = [
        migrations.RunPython(stored_vector, expression_index),
    ]
