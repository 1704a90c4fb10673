"""``gonghui audit-checkpoint``: sign a checkpoint over the audit log's new rows (every few minutes)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from gonghui.core.checkpoints import CheckpointRefused, export_line, make_checkpoint, public_key_text


class Command(BaseCommand):
    help = _("Sign a checkpoint (Merkle root) over the audit log's rows written since the last one, and print "
             "it as one line to keep elsewhere (a second system, the monthly work report).")

    def add_arguments(self, parser):
        parser.add_argument("--public-key", action="store_true",
                            help=_("print the signing key's public half (for whoever keeps the copies) and stop"))

    def handle(self, *args, public_key, **options):
        if public_key:
            self.stdout.write(public_key_text())
            return
        try:
            checkpoint = make_checkpoint()
        except CheckpointRefused as refused:
            raise CommandError(str(refused)) from None
        if checkpoint is None:
            self.stdout.write(_("No new rows since the last checkpoint."))
            return
        self.stdout.write(export_line(checkpoint))
