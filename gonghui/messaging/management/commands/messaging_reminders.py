"""``gonghui messaging-reminders``: queue the course-session, seat-offer and rights-stage reminders due now
(every 5 minutes)."""

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gonghui.messaging import reminders


class Command(BaseCommand):
    help = gettext_lazy("Queue the reminders due now: course sessions tomorrow or within the hour, seat offers "
                        "about to lapse, rights case stages due today or tomorrow.")

    def handle(self, *args, **options):
        now = timezone.now()
        sessions, offers = reminders.session_reminders(now), reminders.offer_reminders(now)
        stages = reminders.stage_due_reminders(now)
        self.stdout.write(_("%(sessions)d session reminder(s), %(offers)d offer reminder(s), %(stages)d case stage "
                            "reminder(s).") % {"sessions": sessions, "offers": offers, "stages": stages})
