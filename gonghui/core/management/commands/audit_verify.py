from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from gonghui.core.audit import verify_chain


class Command(BaseCommand):
    help = "Recompute the audit log's hash chain and report changed, deleted or missing rows."

    def handle(self, *args, **options):
        result = verify_chain()
        for problem in result.problems:
            self.stderr.write(problem)
        if not result.ok:
            raise CommandError(_("Audit log verification failed: %(n)d problem(s) in %(rows)d rows.")
                               % {"n": len(result.problems), "rows": result.checked})
        self.stdout.write(_("Audit log intact: %(rows)d rows verified.") % {"rows": result.checked})
