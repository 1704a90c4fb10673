"""Signed checkpoints of the audit log (core.checkpoints); on PostgreSQL the database refuses
UPDATE and DELETE on them, and TRUNCATE on the audit log, the checkpoints and the aid ledger.

TRUNCATE is a statement, not a row change, so the row triggers never saw it: emptying the log and
resetting its head passed unnoticed. Statement triggers refuse it now. A test database is emptied
between tests with TRUNCATE; the test settings say so on their connections
(``gonghui.maintenance=truncate-allowed``), nothing else does.
"""

from django.db import migrations, models

FORWARD = """
CREATE OR REPLACE FUNCTION core_refuse_truncate() RETURNS trigger AS $$
BEGIN
    IF current_setting('gonghui.maintenance', true) = 'truncate-allowed' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION '% is append-only: TRUNCATE refused', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_auditentry_no_truncate BEFORE TRUNCATE ON core_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION core_refuse_truncate();
CREATE TRIGGER core_auditcheckpoint_append_only BEFORE UPDATE OR DELETE ON core_auditcheckpoint
    FOR EACH ROW EXECUTE FUNCTION core_audit_append_only();
CREATE TRIGGER core_auditcheckpoint_no_truncate BEFORE TRUNCATE ON core_auditcheckpoint
    FOR EACH STATEMENT EXECUTE FUNCTION core_refuse_truncate();
CREATE TRIGGER aid_disbursement_no_truncate BEFORE TRUNCATE ON aid_disbursement
    FOR EACH STATEMENT EXECUTE FUNCTION core_refuse_truncate();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS aid_disbursement_no_truncate ON aid_disbursement;
DROP TRIGGER IF EXISTS core_auditcheckpoint_no_truncate ON core_auditcheckpoint;
DROP TRIGGER IF EXISTS core_auditcheckpoint_append_only ON core_auditcheckpoint;
DROP TRIGGER IF EXISTS core_auditentry_no_truncate ON core_auditentry;
DROP FUNCTION IF EXISTS core_refuse_truncate();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_key_fingerprint"),
        ("aid", "0002_ledger_append_only_trigger"),
    ]
    operations = [
        migrations.CreateModel(
            name="AuditCheckpoint",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("size", models.PositiveBigIntegerField(unique=True)),
                ("root", models.CharField(max_length=64)),
                ("signed_at", models.DateTimeField()),
                ("key_id", models.CharField(max_length=16)),
                ("signature", models.CharField(max_length=128)),
            ],
            options={"verbose_name": "audit checkpoint", "verbose_name_plural": "audit checkpoints",
                     "ordering": ["size"]},
        ),
        migrations.RunPython(forward, backward),
    ]
