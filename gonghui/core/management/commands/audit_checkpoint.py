"""``gonghui audit-checkpoint``: the sequencer. Seals the rows written since the last run of every
append-only log (the audit log, the aid and the funds ledgers) in a signed checkpoint each (every
few minutes, by the systemd timer ``gonghui-job@audit-checkpoint.timer``)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from gonghui.core import log
from gonghui.core.checkpoints import CheckpointRefused, export_line, make_checkpoint, public_key_text


class Command(BaseCommand):
    help = _("Sign a checkpoint (Merkle root) over the rows of the audit log and of the money ledgers written "
             "since the last one, and print each as one line to keep elsewhere (a second system, the monthly "
             "work report).")

    def add_arguments(self, parser):
        parser.add_argument("--public-key", action="store_true",
                            help=_("print the signing key's public half (for whoever keeps the copies) and stop"))
        parser.add_argument("--patience", type=float, default=10.0,
                            help=_("seconds to wait for writers still running before leaving their rows to the "
                                   "next run"))

    def handle(self, *args, public_key, patience, **options):
        if public_key:
            self.stdout.write(public_key_text())
            return
        refused = []
        for label in log.logs():
            try:
                checkpoint = make_checkpoint(label, patience=patience)
            except CheckpointRefused as exc:
                refused.append(str(exc))
                continue
            if checkpoint is None:
                self.stdout.write(_("%(log)s: no new rows since the last checkpoint.") % {"log": label})
            else:
                self.stdout.write(export_line(checkpoint))
        if refused:
            raise CommandError(" ".join(refused))
