from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from gonghui.funds.services.ledger import verify_ledger


class Command(BaseCommand):
    help = "Verify the funds payment ledger (its rows' keyed hashes and signed checkpoints): the same as gonghui audit-verify --log funds.ledger."

    def handle(self, *args, **options):
        result = verify_ledger()
        for problem in result.problems:
            self.stdout.write(problem)
        if not result.ok:
            self.stdout.write(_("The payment ledger failed verification: %(n)d problem(s) in %(rows)d rows.")
                              % {"n": len(result.problems), "rows": result.checked})
            raise SystemExit(1)
        self.stdout.write(_("Payment ledger intact: %(rows)d rows verified.") % {"rows": result.checked})
