"""On PostgreSQL the database itself refuses UPDATE and DELETE on the disbursement ledger.

Elsewhere the model refuses, and ``gonghui audit-verify`` detects a change behind its back.
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION aid_ledger_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the disbursement ledger is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER aid_disbursement_append_only
    BEFORE UPDATE OR DELETE ON aid_disbursement
    FOR EACH ROW EXECUTE FUNCTION aid_ledger_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS aid_disbursement_append_only ON aid_disbursement;
DROP FUNCTION IF EXISTS aid_ledger_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("aid", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
