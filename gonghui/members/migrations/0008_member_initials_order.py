"""Pinyin initials searched and listed in the order of one index (PostgreSQL only).

A roster search by initials ("zs") matches about 1 % of members: across a province of ten million,
100,000 rows fetched and sorted by name for a page of twenty (900 ms at p95, 576 ms in a county). The
roster now lists an initials search by initials, then name (exact initials first), and this index
holds that order: the page is the index's first rows in the prefix's range. The initials column
takes the C collation (byte order, as SQLite compares them), in which PostgreSQL reads a
``LIKE 'zs%'`` as that range and keeps its statistics in the same order. The index carries the union
and the status too, so the page's count is read from the index alone. It serves equality and prefix
look-ups as well, so the column's own two indexes (plain and pattern) go; on SQLite, the embedded
database, which sorts its matches, none is made.

In a county's scope (one member in a hundred of a province) that ordered walk meets the county's
members only now and then; the union-and-status index gains the initials after its two columns, so
the county's members are reached directly, one probe per union of the county, the initials a range
(both databases)."""

from django.db import migrations, models

INDEX = "member_initials_order"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute('ALTER TABLE members_member ALTER COLUMN name_initials TYPE varchar(50) COLLATE "C"')
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON members_member (name_initials, name, id) "
                          "INCLUDE (node_id, status)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute('ALTER TABLE members_member ALTER COLUMN name_initials TYPE varchar(50) COLLATE "default"')


class Migration(migrations.Migration):
    dependencies = [("members", "0007_member_name_bigrams")]

    operations = [
        migrations.AlterField(
            model_name="member",
            name="name_initials",
            field=models.CharField(blank=True, editable=False, max_length=50),
        ),
        migrations.RunPython(create, drop, elidable=False),
        # In a county's scope the ordered walk above meets the county's members one in a hundred; the
        # union's index with the initials after it reaches them directly, one probe per union.
        migrations.RemoveIndex(model_name="member", name="member_node_status"),
        migrations.AddIndex(
            model_name="member",
            index=models.Index(fields=["node", "status", "name_initials"], name="member_node_status_initials"),
        ),
    ]
