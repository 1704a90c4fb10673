from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("core", "0004_audit_checkpoint")]
    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="node_path",
            field=models.CharField(blank=True, db_index=True, max_length=255),
        ),
    ]
