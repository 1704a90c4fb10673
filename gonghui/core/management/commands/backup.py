from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from gonghui.core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = ("Write one archive with a consistent snapshot of the database, the uploaded files and a "
            "manifest (versions, migrations, row counts, key fingerprints — never the keys).")

    def add_arguments(self, parser):
        parser.add_argument("--to", type=Path, default=None,
                            help="folder for the archive (default: GONGHUI_BACKUP_DIR, data/backups)")

    def handle(self, *args, **options):
        target = options["to"] or settings.GONGHUI_BACKUP_DIR
        try:
            archive, manifest = create_backup(to=Path(target))
        except BackupError as error:
            raise CommandError(str(error)) from None
        rows = sum(manifest["row_counts"].values())
        media = sum(1 for name in manifest["files"] if name.startswith("media/"))
        self.stdout.write(_("Backup written: %(path)s (%(tables)d tables, %(rows)d rows, %(media)d uploaded "
                            "files, %(mb).1f MB).") % {
            "path": archive, "tables": len(manifest["row_counts"]), "rows": rows, "media": media,
            "mb": archive.stat().st_size / 1e6})
        self.stdout.write(_("Keep it with the key fingerprints it names; the keys themselves are not in it."))
        uploads = manifest["uploads"]
        if not uploads["included"]:
            self.stdout.write(_("The uploaded files are in the object store (bucket %(bucket)s), not in this archive: "
                                "back them up with the store's own versioning and replication (docs/operations.md).")
                              % {"bucket": uploads["bucket"]})
