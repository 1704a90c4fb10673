"""``gonghui registration-reminders``: the daily job of renewal reminders (换领). Lists the
registrations due within 30 days that it reminds now, sends each union's staff the message
(core.notify) and records it, once per registration and validity end (running it twice a day
reminds no one twice)."""

from django.core.management.base import BaseCommand

from gonghui.core.scoping import scopes_disabled
from gonghui.registration.services import reminders


class Command(BaseCommand):
    help = "Remind unions whose legal-person registration expires within 30 days (once per registration and term)."

    def handle(self, *args, **options):
        with scopes_disabled():
            sent = reminders.send_renewal_reminders()
        for registration in sent:
            self.stdout.write(f"{registration.valid_until}  {registration.credit_code}  {registration.name}"
                              f"  → {registration.notified}")
        self.stdout.write(f"{len(sent)} reminder(s).")
