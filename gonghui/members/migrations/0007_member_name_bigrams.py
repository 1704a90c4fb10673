"""A two-character index on members' names (PostgreSQL only). The trigram index (0006) serves a name
search of three characters or more; a two-character query — a surname and one given character, or
a two-character name typed whole, the commonest Chinese names — yields no trigram, so PostgreSQL
scanned every member: about 1.8 s across a province of ten million. Here each name's two-character
pieces, as an array from an immutable function, go into a GIN index; the roster asks
``member_name_bigrams(name) @> ARRAY[query]`` beside its ``LIKE`` (members.selectors). SQLite, the
embedded database, keeps its scan: the migration does nothing there."""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION member_name_bigrams(name text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT substr(name, i, 2)), '{}')
    FROM generate_series(1, char_length(name) - 1) AS i
$$"""
INDEX = "member_name_bigrams"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON members_member "
                          "USING gin (member_name_bigrams(name::text))")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute("DROP FUNCTION IF EXISTS member_name_bigrams(text)")


class Migration(migrations.Migration):
    dependencies = [("members", "0006_member_name_trgm")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
