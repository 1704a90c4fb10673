"""The payment ledger becomes a log of ``core.log``, and PostgreSQL now refuses UPDATE, DELETE and
TRUNCATE on it (it had no trigger at all: an edited amount was found only by verification)."""

from django.db import migrations, models

FORWARD = """
CREATE TRIGGER funds_ledgerentry_append_only BEFORE UPDATE OR DELETE ON funds_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION core_log_append_only();
CREATE TRIGGER funds_ledgerentry_no_truncate BEFORE TRUNCATE ON funds_ledgerentry
    FOR EACH STATEMENT EXECUTE FUNCTION core_refuse_truncate();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS funds_ledgerentry_no_truncate ON funds_ledgerentry;
DROP TRIGGER IF EXISTS funds_ledgerentry_append_only ON funds_ledgerentry;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("funds", "0005_payment_one_waiting_alike"),
        ("core", "0006_log_without_head"),
    ]
    operations = [
        migrations.AlterField("ledgerentry", "seq", models.PositiveBigIntegerField(editable=False, unique=True)),
        migrations.AlterField("ledgerentry", "prev_hash", models.CharField(blank=True, editable=False, max_length=64)),
        migrations.AlterField("ledgerentry", "hash", models.CharField(editable=False, max_length=64)),
        migrations.RunPython(forward, backward),
    ]
