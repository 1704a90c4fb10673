"""``gonghui audit-verify``: every append-only log (the audit log, the aid and the funds ledgers):
each row's hash, each signed checkpoint, the exported copies; and how many rows are still pending."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.core import log
from gonghui.core.integrity import verifiers
from gonghui.core.scoping import scopes_disabled


class Command(BaseCommand):
    help = _("Recompute the hash of every row of the audit log and of the money ledgers, check them against "
             "the latest signed checkpoint (and each checkpoint against the previous one), and report the rows "
             "not yet in a checkpoint.")

    def add_arguments(self, parser):
        parser.add_argument("--checkpoints", metavar="FILE",
                            help=_("checkpoint lines kept elsewhere (printed by audit-checkpoint) to compare with"))
        parser.add_argument("--log", metavar="LABEL", choices=sorted(log.logs()),
                            help=_("verify this log only (core.audit, aid.disbursements, funds.ledger)"))

    def handle(self, *args, checkpoints=None, log=None, **options):
        from gonghui.core import log as logs

        exported = Path(checkpoints).read_text(encoding="utf-8").splitlines() if checkpoints else None
        labels = [log] if log else list(logs.logs())
        failed = []
        for label in labels:
            with scopes_disabled():
                result = logs.verify_log(label, exported=exported)
            for problem in result.problems:
                self.stderr.write(problem)
            if result.problems:
                failed.append(label)
                continue
            self.stdout.write(_("%(log)s intact: %(rows)d rows verified.") % {"log": label, "rows": result.rows})
            if result.verified_upto:
                self.stdout.write(_("%(log)s: rows 1–%(upto)d match the checkpoint of %(at)s; %(pending)d rows "
                                    "written since are not yet in a checkpoint.")
                                  % {"log": label, "upto": result.verified_upto, "pending": result.pending,
                                     "at": timezone.localtime(result.latest_at).strftime("%Y-%m-%d %H:%M")})
            else:
                self.stdout.write(_("%(log)s: no signed checkpoint yet: %(pending)d rows are pending "
                                    "(schedule gonghui audit-checkpoint).") % {"log": label, "pending": result.pending})
        if not log:
            for label, verify in verifiers().items():  # other verifiers an app registered
                if label in logs.logs():
                    continue
                with scopes_disabled():
                    checked, problems = verify()
                for problem in problems:
                    self.stderr.write(f"{label}: {problem}")
                if problems:
                    failed.append(label)
        if failed:
            raise CommandError(_("Verification failed: %(labels)s.") % {"labels": ", ".join(failed)})
