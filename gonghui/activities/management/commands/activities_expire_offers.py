"""Lapse the seat offers past their deadline and offer the seats to the next people waiting.

    gonghui activities-expire-offers                 # every activity
    gonghui activities-expire-offers --activity 42   # one activity

Run it every few minutes from cron or a systemd timer (see docs/activities.md). Safe to run
twice or concurrently: each activity is handled under its row lock, an offer lapses once.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from gonghui.activities.services import signup


class Command(BaseCommand):
    help = "Lapse seat offers past their deadline and move the seats down the waiting lists."

    def add_arguments(self, parser):
        parser.add_argument("--activity", type=int, help="only this activity (id)")

    def handle(self, *args, activity=None, **options):
        if activity is not None and activity < 1:
            raise CommandError(_("Give an activity id (a positive whole number)."))
        expired = signup.expire_offers(activity_id=activity)
        self.stdout.write(_("Offers expired: %(n)d") % {"n": expired})
