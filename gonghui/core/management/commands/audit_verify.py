from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.core.audit import verify_chain
from gonghui.core.checkpoints import verify_checkpoints
from gonghui.core.integrity import verifiers
from gonghui.core.scoping import scopes_disabled


class Command(BaseCommand):
    help = _("Recompute the audit log's hash chain, check every row against the latest signed checkpoint "
             "(and each checkpoint against the previous one), and verify the money ledgers.")

    def add_arguments(self, parser):
        parser.add_argument("--checkpoints", metavar="FILE",
                            help=_("checkpoint lines kept elsewhere (printed by audit-checkpoint) to compare with"))

    def handle(self, *args, checkpoints=None, **options):
        result = verify_chain()
        for problem in result.problems:
            self.stderr.write(problem)
        exported = Path(checkpoints).read_text(encoding="utf-8").splitlines() if checkpoints else None
        signed = verify_checkpoints(exported=exported)
        for problem in signed.problems:
            self.stderr.write(problem)
        failed = []
        for label, verify in verifiers().items():  # other append-only ledgers (aid, funds …)
            with scopes_disabled():
                checked, problems = verify()
            for problem in problems:
                self.stderr.write(f"{label}: {problem}")
            if problems:
                failed.append(label)
            else:
                self.stdout.write(_("%(label)s intact: %(rows)d rows verified.") % {"label": label, "rows": checked})
        if failed:
            raise CommandError(_("Ledger verification failed: %(labels)s.") % {"labels": ", ".join(failed)})
        if not signed.ok:
            raise CommandError(_("Audit log checkpoints do not match: %(n)d problem(s).") % {"n": len(signed.problems)})
        if not result.ok:
            raise CommandError(_("Audit log verification failed: %(n)d problem(s) in %(rows)d rows.")
                               % {"n": len(result.problems), "rows": result.checked})
        self.stdout.write(_("Audit log intact: %(rows)d rows verified.") % {"rows": result.checked})
        if signed.verified_upto:
            self.stdout.write(_("Signed checkpoints: rows 1–%(upto)d match checkpoint of %(at)s; %(pending)d rows "
                                "written since are not yet in a checkpoint.")
                              % {"upto": signed.verified_upto, "pending": signed.pending,
                                 "at": timezone.localtime(signed.latest_at).strftime("%Y-%m-%d %H:%M")})
        else:
            self.stdout.write(_("No signed checkpoint yet: %(pending)d rows are covered by the hash chain only "
                                "(schedule gonghui audit-checkpoint).") % {"pending": signed.pending})
