"""The disbursement ledger becomes a log of ``core.log``: its columns take the common names
(``prev_mac`` → ``prev_hash``, ``mac`` → ``hash``), its chain tip (``LedgerHead``) goes (rows take
their order from the table's sequence), and its row trigger is the common one."""

from django.db import migrations, models

FORWARD = """
DROP TRIGGER IF EXISTS aid_disbursement_append_only ON aid_disbursement;
CREATE TRIGGER aid_disbursement_append_only BEFORE UPDATE OR DELETE ON aid_disbursement
    FOR EACH ROW EXECUTE FUNCTION core_log_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS aid_disbursement_append_only ON aid_disbursement;
CREATE TRIGGER aid_disbursement_append_only BEFORE UPDATE OR DELETE ON aid_disbursement
    FOR EACH ROW EXECUTE FUNCTION aid_ledger_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("aid", "0004_money_authority"),
        ("core", "0006_log_without_head"),
    ]
    operations = [
        migrations.RenameField("disbursement", "prev_mac", "prev_hash"),
        migrations.RenameField("disbursement", "mac", "hash"),
        migrations.AlterField("disbursement", "prev_hash",
                              models.CharField(blank=True, editable=False, max_length=64)),
        migrations.DeleteModel(name="LedgerHead"),
        migrations.RunPython(forward, backward),
    ]
