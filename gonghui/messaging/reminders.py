"""Reminders, run by the scheduler every five minutes (``gonghui messaging-reminders``): the day before a
course session and an hour before it, to everyone holding a seat; a seat offer about to lapse; a rights
case whose stage falls due today or tomorrow, to its handler (else the handling union's staff). Each
reminder has a dedupe key (booking, session, which reminder; case, stage, due date), so a run repeated,
or two schedulers, send it once; a reminder whose moment has passed while no worker ran is not sent late.
The hardship files' annual review reminders are the aid module's daily job (``aid-reminders``)."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.activities.models import Booking, BookingState, Session
from gonghui.activities.models import State as ActivityState
from gonghui.core.crypto import blind_index
from gonghui.core.scoping import scopes_disabled
from gonghui.orgs.selectors import staff_list
from gonghui.rights import selectors as rights_selectors

from . import services

DAY, HOUR = datetime.timedelta(days=1), datetime.timedelta(hours=1)
WINDOW = datetime.timedelta(minutes=15)  # a run every 5 minutes, with room for a late one
OFFER_WARNING = datetime.timedelta(hours=2)


def _phone_key(phone: str) -> str:
    """A short keyed hash of a number, for dedupe keys (the number itself is never in a key)."""
    return blind_index(str(phone), purpose="phone")[:32]


def _when(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%m-%d %H:%M")


def session_reminders(now: datetime.datetime) -> int:
    """Reminders due at ``now``: sessions starting in about a day, or in about an hour."""
    count = 0
    with scopes_disabled():
        for ahead, which, urgent in ((DAY, "day", False), (HOUR, "hour", True)):
            sessions = (Session.objects.select_related("activity")
                        .filter(starts_at__gt=now + ahead - WINDOW, starts_at__lte=now + ahead)
                        .exclude(activity__state__in=[ActivityState.CANCELLED, ActivityState.DRAFT]))
            for session in sessions:
                activity = session.activity
                bookings = Booking.objects.select_related("worker").filter(activity=activity,
                                                                            state=BookingState.BOOKED)
                for booking in bookings:
                    text = (_("Reminder: “%(title)s” meets tomorrow at %(at)s, %(venue)s.") if which == "day" else
                            _("Reminder: “%(title)s” starts at %(at)s, %(venue)s.")) % {
                        "title": activity.title, "at": _when(session.starts_at), "venue": activity.venue_text}
                    with transaction.atomic():
                        services.queue_message(phone=booking.worker.phone, text=text,
                                               kind=f"session_reminder_{which}",
                                               params={"title": activity.title, "at": _when(session.starts_at)},
                                               urgent=urgent, dedupe_key=f"remind-{which}:{booking.pk}:{session.pk}")
                    count += 1
    return count


def offer_reminders(now: datetime.datetime) -> int:
    """A seat offer lapsing within two hours, not yet confirmed: one reminder per offer."""
    count = 0
    with scopes_disabled():
        offers = (Booking.objects.select_related("worker", "activity")
                  .filter(state=BookingState.OFFERED, offer_expires_at__gt=now, offer_expires_at__lte=now + OFFER_WARNING))
        for booking in offers:
            text = _("Your seat offer for “%(title)s” lapses at %(at)s: confirm it on the worker page.") % {
                "title": booking.activity.title, "at": _when(booking.offer_expires_at)}
            with transaction.atomic():
                services.queue_message(phone=booking.worker.phone, text=text, kind="seat_offer_lapsing", urgent=True,
                                       params={"title": booking.activity.title, "at": _when(booking.offer_expires_at)},
                                       dedupe_key=f"offer-lapse:{booking.pk}:{booking.offer_expires_at:%Y%m%d%H%M}")
            count += 1
    return count


def stage_due_reminders(now: datetime.datetime) -> int:
    """Rights cases whose stage falls due today or tomorrow (local date): one reminder per case, stage and
    due date to the handler's mobile, or to the handling union's current staff when the handler has none."""
    today = timezone.localdate(now)
    count = 0
    for case in rights_selectors.stage_due_on([today, today + DAY]):
        handler_phone = getattr(case.handler, "phone", "") if case.handler_id else ""
        with scopes_disabled():
            phones = [handler_phone] if handler_phone else [
                s.phone for s in staff_list(case.node).filter(node=case.node, ended_on__isnull=True) if s.phone]
        due = case.due_on.strftime("%Y-%m-%d")
        text = _("Rights case %(code)s (%(stage)s) is due on %(date)s.") % {
            "code": case.tracking_code, "stage": case.get_stage_display(), "date": due}
        with transaction.atomic():
            for phone in phones:
                services.queue_message(phone=phone, text=text, kind="rights_stage_due",
                                       params={"code": case.tracking_code, "date": due},
                                       dedupe_key=f"stage-due:{case.pk}:{case.stage}:{due}:{_phone_key(phone)}")
                count += 1
    return count
