from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from gonghui.core import crypto
from gonghui.core.fields import EncryptedTextField
from gonghui.core.scoping import scopes_disabled


class Command(BaseCommand):
    help = ("Re-encrypt all personal data under the newest key (the first of GONGHUI_FIELD_KEYS); "
            "afterwards older keys can be removed from the configuration.")

    def handle(self, *args, **options):
        total = 0
        with scopes_disabled():
            for model in apps.get_models():
                names = [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
                if not names:
                    continue
                manager = model._base_manager
                for obj in manager.only("pk", *names).iterator(chunk_size=2000):
                    with transaction.atomic():
                        manager.filter(pk=obj.pk).update(**{n: getattr(obj, n) for n in names})
                    total += 1
        self.stdout.write(f"re-encrypted {total} rows with key {crypto.keyring()[0][0]}")
