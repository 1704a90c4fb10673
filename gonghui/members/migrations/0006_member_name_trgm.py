"""A trigram index on members' names (PostgreSQL only), so a name search across a province (``name
LIKE '%…%'``, members.selectors) reads the index instead of every member. SQLite, the embedded
database, has no pg_trgm and keeps its scan: the migration does nothing there."""

from django.db import migrations

INDEX = "member_name_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON members_member USING gin (name gin_trgm_ops)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("members", "0005_model_names")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
