from django.db import migrations


class Migration(migrations.Migration):
    """One name for a kept file's storage name across modules (core.models.StoredFile)."""

    dependencies = [("registration", "0002_renewal_reminder")]

    operations = [
        migrations.RenameField(model_name="material", old_name="storage_name", new_name="stored_name"),
        migrations.RenameField(model_name="certificate", old_name="storage_name", new_name="stored_name"),
    ]
