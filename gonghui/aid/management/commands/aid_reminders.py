"""``gonghui aid-reminders``: remind households in the hardship registry whose annual review is due
within 30 days (or overdue), once per due date, by their phone; print the list per union for the
aid officers (files without a phone are marked for a call). For a daily job."""

from django.core.management.base import BaseCommand

from gonghui.aid.services import hardship
from gonghui.core.masking import mask_name
from gonghui.core.scoping import scopes_disabled


class Command(BaseCommand):
    help = "Remind hardship households whose annual review is due within 30 days."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=hardship.REMIND_DAYS,
                            help="remind reviews due within this many days (default 30)")

    def handle(self, *args, **options):
        with scopes_disabled():
            sent = hardship.send_review_reminders(days=options["days"])
        for file in sent:
            how = "sms" if file.phone else "call"
            self.stdout.write(f"{file.review_due_on}  {file.node.code}  {file.node.name}  {mask_name(file.name)}  {how}")
        self.stdout.write(f"{len(sent)} reminder(s).")
