"""``gonghui rotate-keys``: re-encrypt personal data under the newest field key.

Safe to run while the platform is in use, and to rerun:
- each value is read as stored (ciphertext) and written back by a conditional UPDATE that matches
  the value read, so a value edited meanwhile (already sealed with the newest key by the edit) is
  left as the edit wrote it, never reverted;
- values already under the newest key are not read at all (a rerun re-encrypts nothing);
- the run reports how many values remain under older keys (to be zero before an old key is
  dropped from GONGHUI_FIELD_KEYS) and is recorded in the audit log (counts only).
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from gonghui.core import crypto
from gonghui.core.audit import audit
from gonghui.core.fields import EncryptedTextField


def encrypted_columns():
    """(model, table, primary-key column, column) of every encrypted field."""
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedTextField):
                yield model, model._meta.db_table, model._meta.pk.column, field.column


class Command(BaseCommand):
    help = ("Re-encrypt all personal data under the newest key (the first of GONGHUI_FIELD_KEYS), skipping "
            "values already under it and never overwriting a value changed meanwhile; reports how many values "
            "remain under older keys (drop an old key only when none do).")

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=1000, help="rows read per query (default 1000)")

    def handle(self, *args, batch: int = 1000, **options):
        newest = crypto.keyring()[0][0]
        current = f"{crypto.PREFIX}:{newest}:%"
        rotated = changed = unreadable = 0
        remaining: dict[str, int] = {}
        quote = connection.ops.quote_name
        for model, table, pk, column in encrypted_columns():
            t, p, c = quote(table), quote(pk), quote(column)
            last = None
            while True:
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"SELECT {p}, {c} FROM {t} WHERE {c} IS NOT NULL AND {c} <> '' AND {c} NOT LIKE %s"  # noqa: S608 - quoted names
                        + (f" AND {p} > %s" if last is not None else "") + f" ORDER BY {p} LIMIT %s",
                        [current, *([last] if last is not None else []), batch])
                    rows = cursor.fetchall()
                if not rows:
                    break
                last = rows[-1][0]
                for key, stored in rows:
                    try:
                        fresh = crypto.encrypt(crypto.decrypt(stored))
                    except (ValueError, KeyError):
                        unreadable += 1  # no configured key opens it: it stays, and is counted below
                        continue
                    with transaction.atomic(), connection.cursor() as cursor:
                        cursor.execute(f"UPDATE {t} SET {c} = %s WHERE {p} = %s AND {c} = %s",  # noqa: S608
                                       [fresh, key, stored])
                        if cursor.rowcount == 1:
                            rotated += 1
                        else:
                            changed += 1  # edited since it was read: the edit's value stands
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT COUNT(*) FROM {t} WHERE {c} IS NOT NULL AND {c} <> '' "  # noqa: S608
                               f"AND {c} NOT LIKE %s", [current])
                left = cursor.fetchone()[0]
            if left:
                label = f"{model._meta.label_lower}.{column}"
                remaining[label] = remaining.get(label, 0) + left
        total_left = sum(remaining.values())
        audit("core.keys.rotated", data={"key": newest, "rotated": rotated, "changed_meanwhile": changed,
                                         "unreadable": unreadable, "remaining_under_old_keys": total_left})
        self.stdout.write(f"re-encrypted {rotated} values with key {newest}; {changed} changed meanwhile and left "
                          f"as edited; {total_left} remain under older keys")
        for label, count in sorted(remaining.items()):
            self.stdout.write(f"  {label}: {count}")
