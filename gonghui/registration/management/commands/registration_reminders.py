"""``gonghui registration-reminders``: list registrations due for renewal (换领) within 30 days, for
a daily job; each reminder is written to the audit log once per registration and expiry date."""

from django.core.management.base import BaseCommand

from gonghui.core.scoping import scopes_disabled
from gonghui.registration.services import reminders


class Command(BaseCommand):
    help = "Remind unions whose legal-person registration expires within 30 days."

    def handle(self, *args, **options):
        with scopes_disabled():
            sent = reminders.send_renewal_reminders()
        for registration in sent:
            self.stdout.write(f"{registration.valid_until}  {registration.credit_code}  {registration.name}")
        self.stdout.write(f"{len(sent)} reminder(s).")
