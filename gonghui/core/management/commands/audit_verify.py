from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from gonghui.core.audit import verify_chain
from gonghui.core.integrity import verifiers
from gonghui.core.scoping import scopes_disabled


class Command(BaseCommand):
    help = "Recompute the audit log's hash chain and report changed, deleted or missing rows."

    def handle(self, *args, **options):
        result = verify_chain()
        for problem in result.problems:
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
        if not result.ok:
            raise CommandError(_("Audit log verification failed: %(n)d problem(s) in %(rows)d rows.")
                               % {"n": len(result.problems), "rows": result.checked})
        self.stdout.write(_("Audit log intact: %(rows)d rows verified.") % {"rows": result.checked})
