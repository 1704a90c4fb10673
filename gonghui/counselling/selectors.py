"""Reads of counselling. Cadres see counsellors and counts (sessions, people, hours), never who or
what; a counsellor sees their own sessions; a worker their own bookings."""

import datetime

from django.db.models import Count, F, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from gonghui.orgs.models import Node

from .models import Counsellor, HotlineCall, Session, SessionStatus


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
            .select_related("counsellor__position").order_by("-starts_at", "-pk"))


def session_of_worker(worker, pk) -> Session:
    try:
        return sessions_of_worker(worker).get(pk=pk)
    except (Session.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def sessions_of_counsellor(user) -> QuerySet[Session]:
    return (Session.objects.with_scopes_disabled().filter(counsellor__user=user)
            .select_related("counsellor__position").order_by("-starts_at", "-pk"))


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
    calls = HotlineCall.objects.filter(called_at__date__range=(start, end))
    if node is not None:
        calls = calls.filter(counsellor__position__node__path__startswith=node.path)
    row.update(calls.aggregate(calls=Count("id"), call_minutes=Sum("minutes")))
    row["call_minutes"] = row["call_minutes"] or 0
    row.update(lecture_counts(start=start, end=end, node=node))
    return row


# Group lectures are activities of the "counselling" kind (gonghui.activities.models.Kind.COUNSELLING);
# counselling sits beside activities in the layers, so they are reached through the organizer union.
LECTURE_KIND = "counselling"


def lecture_counts(*, start: datetime.date, end: datetime.date, node=None) -> dict:
    """Mental-health lectures held (published or closed, begun by now) and their participants (seats
    booked) in the period, organized in the subtree. Counts only."""
    held = Q(activities__kind=LECTURE_KIND, activities__state__in=("published", "closed"),
             activities__starts_at__date__range=(start, end), activities__starts_at__lte=timezone.now())
    nodes = Node.scoped.all()  # the cadre's scope
    if node is not None:
        nodes = nodes.filter(path__startswith=node.path)
    row = nodes.aggregate(
        lectures=Count("activities", filter=held, distinct=True),
        lecture_people=Count("activities__bookings", filter=held & Q(activities__bookings__state="booked"),
                             distinct=True))
    return row


def this_year() -> tuple[datetime.date, datetime.date]:
    today = timezone.localdate()
    return today.replace(month=1, day=1), today.replace(month=12, day=31)


def calls_of_counsellor(user) -> QuerySet[HotlineCall]:
    """The calls the user took as a counsellor (no note loaded)."""
    return (HotlineCall.objects.with_scopes_disabled().filter(counsellor__user=user).defer("note")
            .select_related("counsellor").order_by("-called_at", "-pk"))


def call_of_counsellor(user, pk) -> HotlineCall:
    try:
        return calls_of_counsellor(user).get(pk=pk)
    except (HotlineCall.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def supervised_sessions(node) -> QuerySet[Session]:
    """For the supervising admin of a counselling room's union: who booked which counsellor when
    (the worker's phone masked by ``supervised_rows``), for safety. Never the topic or the note:
    they are not read."""
    return (Session.objects.with_scopes_disabled()
            .filter(counsellor__position__node__path__startswith=node.path)
            .select_related("counsellor__position", "worker").only(
                "id", "starts_at", "ends_at", "status", "counsellor__name", "counsellor__position__name",
                "worker__phone").order_by("-starts_at", "-pk"))


def supervised_rows(sessions) -> list[dict]:
    from gonghui.core.masking import mask_phone

    return [{"id": s.pk, "starts_at": s.starts_at, "ends_at": s.ends_at, "status": s.get_status_display(),
             "counsellor": s.counsellor.name, "room": s.counsellor.position.name,
             "worker": mask_phone(s.worker.phone)} for s in sessions]


def own_counsellor(user, pk) -> Counsellor:
    """One of the account's own counsellor rows; any other answers 404."""
    try:
        return counsellor_accounts(user).get(pk=pk)
    except (Counsellor.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def counsellor_accounts(user) -> QuerySet[Counsellor]:
    """The counsellor rows of this account (one per counselling room they work at)."""
    return Counsellor.objects.with_scopes_disabled().filter(user=user).select_related("position")
