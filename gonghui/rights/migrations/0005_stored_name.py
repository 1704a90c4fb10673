from django.db import migrations


class Migration(migrations.Migration):
    """One name for a kept file's storage name across modules (core.models.StoredFile)."""

    dependencies = [("rights", "0004_digest_runs")]

    operations = [
        migrations.RenameField(model_name="attachment", old_name="storage_name", new_name="stored_name"),
    ]
