"""Reads of counselling. Cadres see counsellors and counts (sessions, people, hours), never who or
what; a counsellor sees their own sessions; a worker their own bookings."""

import datetime

from django.db.models import Count, F, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from .models import Counsellor, Session, SessionStatus


def counsellor_list() -> QuerySet[Counsellor]:
    return Counsellor.objects.select_related("position__node").order_by("name", "pk")


def open_counsellors() -> QuerySet[Counsellor]:
    """For workers' phones: every counsellor taking bookings, with the room's name and address."""
    return (Counsellor.objects.with_scopes_disabled().filter(active=True, position__status="open")
            .select_related("position").order_by("position__name", "name"))


def open_counsellor(pk) -> Counsellor:
    try:
        return open_counsellors().get(pk=pk)
    except (Counsellor.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def sessions_of_worker(worker) -> QuerySet[Session]:
    return (Session.objects.with_scopes_disabled().filter(worker=worker)
            .select_related("counsellor__position").order_by("-starts_at"))


def session_of_worker(worker, pk) -> Session:
    try:
        return sessions_of_worker(worker).get(pk=pk)
    except (Session.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def sessions_of_counsellor(user) -> QuerySet[Session]:
    return (Session.objects.with_scopes_disabled().filter(counsellor__user=user)
            .select_related("counsellor__position").order_by("-starts_at"))


def session_of_counsellor(user, pk) -> Session:
    """The counsellor's own session; the same 404 for anyone else's."""
    try:
        return sessions_of_counsellor(user).get(pk=pk)
    except (Session.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def taken_slots(counsellor: Counsellor, day: datetime.date) -> list[datetime.datetime]:
    return list(Session.objects.with_scopes_disabled().filter(
        counsellor=counsellor, status=SessionStatus.BOOKED, starts_at__date=day).values_list("starts_at", flat=True))


def counts(*, start: datetime.date, end: datetime.date, node=None) -> dict:
    """Sessions held and booked, people and hours in the period, inside the cadre's scope: counts
    only. One query."""
    qs = Session.objects.filter(starts_at__date__range=(start, end))
    if node is not None:
        qs = qs.filter(counsellor__position__node__path__startswith=node.path)
    held = Q(status=SessionStatus.DONE)
    row = qs.aggregate(sessions=Count("id", filter=held), booked=Count("id", filter=Q(status=SessionStatus.BOOKED)),
                       people=Count("worker", filter=held, distinct=True),
                       duration=Sum(F("ends_at") - F("starts_at"), filter=held))
    duration = row.pop("duration") or datetime.timedelta(0)
    row["hours"] = round(duration.total_seconds() / 3600, 1)
    return row


def this_year() -> tuple[datetime.date, datetime.date]:
    today = timezone.localdate()
    return today.replace(month=1, day=1), today.replace(month=12, day=31)
