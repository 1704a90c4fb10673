from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from gonghui.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = ("Restore a `gonghui backup` archive into an empty database and media folder, then verify "
            "row counts, the audit log and ledgers, and that encrypted fields decrypt.")
    # Its own checks come first, in order (archive, keys, schema, empty target): the system check
    # of the keys would only say less.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)

    def handle(self, *args, **options):
        try:
            report = restore_backup(options["archive"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(_("Restored %(tables)d tables (%(rows)d rows) and %(media)d uploaded files; row counts "
                            "match the manifest.") % {"tables": report.tables, "rows": report.rows,
                                                      "media": report.media_files})
        self.stdout.write(_("Audit log intact: %(rows)d rows verified.") % {"rows": report.audit_rows})
        for label, rows in sorted(report.ledgers.items()):
            self.stdout.write(_("%(label)s intact: %(rows)d rows verified.") % {"label": label, "rows": rows})
        self.stdout.write(_("Encrypted fields decrypt: %(n)d sampled values read back.") % {"n": report.decrypted})
        if report.pending_migrations:
            self.stdout.write(_("This version has %(n)d migrations the archive predates: run `gonghui migrate`.")
                              % {"n": len(report.pending_migrations)})
