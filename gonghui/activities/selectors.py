"""Reads of activities. Console reads run inside the cadre's scope; worker reads say whose they are."""

import datetime

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from gonghui.core.scoping import scopes_disabled
from gonghui.members import selectors as members

from .models import ACTIVE_STATES, Activity, Attendance, Audience, Booking, BookingState, Session, State, Term

# --- console --------------------------------------------------------------------------------------

def activity_list(*, node=None, state: str = "", kind: str = "", term=None, query: str = "",
                  starts_from: datetime.date | None = None) -> QuerySet[Activity]:
    qs = Activity.objects.select_related("node", "term")
    if node is not None:
        qs = qs.filter(node__path__startswith=node.path)
    if state:
        qs = qs.filter(state=state)
    if kind:
        qs = qs.filter(kind=kind)
    if term is not None:
        qs = qs.filter(term=term)
    if query:
        qs = qs.filter(Q(title__contains=query) | Q(venue_text__contains=query))
    if starts_from:
        qs = qs.filter(starts_at__date__gte=starts_from)
    return qs.order_by("-starts_at", "-id")


def access_activity(pk) -> Activity:
    """The activity if inside the scope; the same 404 for "missing" and "not yours"."""
    try:
        return Activity.objects.select_related("node", "term", "term__node").get(pk=pk)
    except (Activity.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_term(pk) -> Term:
    try:
        return Term.objects.select_related("node").get(pk=pk)
    except (Term.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_session(pk) -> Session:
    try:
        return Session.objects.select_related("activity", "activity__node").get(pk=pk)
    except (Session.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_booking(pk) -> Booking:
    try:
        return Booking.objects.select_related("activity", "activity__node").get(pk=pk)
    except (Booking.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def term_list(*, node=None) -> QuerySet[Term]:
    qs = Term.objects.select_related("node").annotate(n_activities=Count("activities"))
    if node is not None:
        qs = qs.filter(node__path__startswith=node.path)
    return qs.order_by("-created_at", "-id")


def terms_for(node) -> QuerySet[Term]:
    """Terms an activity of ``node`` may belong to: its own node's and its ancestors' in scope."""
    paths = [node.path[:i] for i in range(4, len(node.path) + 1, 4)]
    return Term.objects.filter(node__path__in=paths).select_related("node").order_by("-created_at")


def bookings(activity: Activity, *, state: str = "") -> QuerySet[Booking]:
    qs = Booking.objects.filter(activity=activity).select_related("worker")
    if state == "seats":
        qs = qs.filter(state__in=(BookingState.BOOKED, BookingState.OFFERED))
    elif state:
        qs = qs.filter(state=state)
    return qs.annotate(n_attended=Count("attendances")).order_by("booked_at", "id")


def waitlist(activity: Activity) -> QuerySet[Booking]:
    return (Booking.objects.filter(activity=activity, state=BookingState.WAITING).select_related("worker")
            .order_by("queue_key", "id"))


def sessions_with_attendance(activity: Activity) -> QuerySet[Session]:
    return activity.sessions.annotate(n=Count("attendances")).order_by("number")


def participant_times(*, node=None) -> int:
    """参与人次: check-ins at every session of activities in the scope (under ``node``)."""
    qs = Attendance.objects.all()
    if node is not None:
        qs = qs.filter(session__activity__node__path__startswith=node.path)
    return qs.count()


# --- worker side (no cadre scope: each read names the worker) ------------------------------------------

def open_for_worker(worker, *, now=None) -> list[Activity]:
    """Published activities whose sign-up is open or still to open, that this worker may join:
    those for all workers, and those for members of a union above the worker's own."""
    now = now or timezone.now()
    member = members.membership_of_worker(worker) if worker is not None else None
    audience = Q(audience=Audience.ALL)
    if member is not None:
        paths = [member.node.path[:i] for i in range(4, len(member.node.path) + 1, 4)]
        audience |= Q(audience=Audience.MEMBERS, node__path__in=paths)
    with scopes_disabled():
        return list(Activity.objects.select_related("node").filter(audience, state=State.PUBLISHED,
                                                                   signup_closes_at__gt=now)
                    .order_by("signup_opens_at", "starts_at", "id")[:200])


def public_activity(pk) -> Activity:
    """A published (or closed) activity, for its worker page."""
    with scopes_disabled():
        try:
            return Activity.objects.select_related("node", "term").get(
                pk=pk, state__in=(State.PUBLISHED, State.CLOSED, State.CANCELLED), published_at__isnull=False)
        except (Activity.DoesNotExist, ValueError, TypeError):
            raise Http404 from None


def booking_of(worker, activity: Activity) -> Booking | None:
    with scopes_disabled():
        return Booking.objects.filter(worker=worker, activity=activity, state__in=ACTIVE_STATES).first()


def bookings_of_worker(worker) -> list[Booking]:
    with scopes_disabled():
        return list(Booking.objects.filter(worker=worker).select_related("activity", "activity__node")
                    .order_by("-created_at")[:50])


def booking_of_worker(worker, pk) -> Booking:
    with scopes_disabled():
        try:
            return Booking.objects.select_related("activity").get(pk=pk, worker=worker)
        except (Booking.DoesNotExist, ValueError, TypeError):
            raise Http404 from None
