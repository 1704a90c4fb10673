"""The workers' API of activities (/api/v1/w/…): browse, sign up, join the waiting list, cancel,
confirm an offer, my bookings. What the phone page calls when the sign-up opens.

Browsing needs no sign-in; everything else is the worker signed in by phone on the worker pages
(session cookie and CSRF token, like the page's form). The idempotency key comes with the
course (``GET /w/courses/{id}``) and goes back with the sign-up: the same key twice returns the
first booking (201 both times), so a phone may retry a request whose answer it never saw.
"""

import datetime
import json

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from ninja.responses import NinjaJSONEncoder

from gonghui.accounts.worker_auth import worker_session
from gonghui.core.errors import DomainError
from gonghui.core.ratelimit import RateLimited
from gonghui.core.schemas import Id, InputSchema, Pages
from gonghui.core.scoping import scopes_disabled

from . import flash, selectors
from .course_filters import PER_PAGE as COURSES_PER_PAGE
from .models import BookingState, State
from .refusals import refusal
from .services import signup

router = Router(tags=["workers: activities"], auth=worker_session)


class CourseOut(Schema):
    id: int
    title: str
    kind: str
    organizer: str
    venue: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    capacity: int
    seats_left: int
    waiting: int
    signup_opens_at: datetime.datetime
    signup_closes_at: datetime.datetime
    members_only: bool
    status: str  # upcoming | open | full | closed

    @staticmethod
    def resolve_organizer(obj):
        return obj.node.name

    @staticmethod
    def resolve_venue(obj):
        return obj.venue_text

    @staticmethod
    def resolve_seats_left(obj):
        return max(obj.capacity - obj.taken, 0)

    @staticmethod
    def resolve_members_only(obj):
        return obj.audience == "members"

    @staticmethod
    def resolve_status(obj):
        now = timezone.now()
        if obj.state != State.PUBLISHED or now >= obj.signup_closes_at:
            return "closed"
        if now < obj.signup_opens_at:
            return "upcoming"
        return "full" if obj.taken >= obj.capacity or obj.waiting else "open"


class MyBookingOut(Schema):
    id: int
    activity_id: int
    title: str
    state: str
    name: str
    booked_at: datetime.datetime | None
    offer_expires_at: datetime.datetime | None
    waiting_position: int | None = None

    @staticmethod
    def resolve_title(obj):
        return obj.activity.title


class CourseDetailOut(CourseOut):
    key: str | None = None          # the idempotency key for this worker's sign-up
    booking: MyBookingOut | None = None


class SignUpIn(InputSchema):
    key: str
    name: str = ""


class Problem(Schema):
    code: str
    detail: str


def _booking_out(booking):
    booking.waiting_position = selectors.waiting_position(booking)
    return booking


@router.get("/courses", response=list[CourseOut], auth=None)
@scopes_disabled()  # open courses are public; around the pagination, which reads the page after the view returns
@paginate(Pages, page_size=COURSES_PER_PAGE)
def worker_list_courses(request):
    """Open and upcoming activities this visitor may join (those for all workers to anyone), soonest
    sign-up first; every one of them, a page at a time."""
    return selectors.open_courses(request.worker)


@router.get("/courses/{activity_id}", response=CourseDetailOut, auth=None)
def worker_get_course(request, activity_id: Id):
    activity = selectors.public_activity(activity_id)
    activity.key = activity.booking = None
    if request.worker is not None:
        booking = selectors.booking_of(request.worker, activity)
        if booking is None:
            activity.key = signup.issue_signup_key(activity=activity, worker=request.worker)
        else:
            booking.activity = activity
            activity.booking = _booking_out(booking)
    return activity


def _seat(request, activity_id: int, payload: SignUpIn, service):
    activity = selectors.activity_for_signup(activity_id)
    try:
        booking = service(activity=activity, worker=request.worker, key=payload.key, name=payload.name)
    except DomainError as exc:
        if exc.code == "full":
            return Status(409, {"code": exc.code, "detail": str(exc.message)})
        raise
    booking.activity = activity
    return Status(201, _booking_out(booking))


def _render(booking) -> dict:
    """The booking as the API answers it (the same encoder, so a replay from Redis reads the same)."""
    return json.loads(json.dumps(MyBookingOut.from_orm(_booking_out(booking)).model_dump(), cls=NinjaJSONEncoder))


STATE_CODES = {"full", "not_yet", "not_open", "window_over"}


def refusal_response(seen: flash.Look) -> HttpResponse:
    """Redis's refusal as this API answers the database's: 409 ``full`` in the sign-up's Problem
    shape, 400 for the rest as ``api.urls.domain_error`` writes a DomainError, the same encoder and
    content type. Also answered before the request reaches the API (``activities.middleware``)."""
    detail = seen.detail or "0"
    error = refusal(seen.value, capacity=int(float(detail)),
                    opens_at=datetime.datetime.fromtimestamp(float(detail), tz=datetime.UTC))
    if error.code == "full":
        body, status = {"code": error.code, "detail": str(error.message)}, 409
    else:
        body, status = {"code": error.code, "detail": str(error.message), "field": error.field}, 400
    return HttpResponse(json.dumps(body, cls=NinjaJSONEncoder), status=status,
                        content_type="application/json; charset=utf-8")


@router.post("/courses/{activity_id}/sign-up", response={201: MyBookingOut, 409: Problem})
def worker_sign_up(request, activity_id: Id, payload: SignUpIn):
    """One seat, first come first served. 409 ``full`` when every seat is taken (join the waiting
    list instead); 400 with a code for the rest (``not_yet``, ``window_over``, ``audience``,
    ``limit``, ``already``, ``key_invalid`` …); 429 ``busy`` with Retry-After when more people are
    on their way to the remaining seats than there are seats (send the same key again).

    With REDIS_URL the course's state in Redis answers first (``activities.flash``): a replay, a
    full, closed or not yet open course without the database, the same answer as the database's."""
    now = timezone.now()
    try:
        nonce = signup.check_signup_key(key=payload.key, activity_id=activity_id, worker_id=request.worker.pk)
    except DomainError:
        nonce = None  # the database path gives the answer in its order (404 before a bad key)
    seen = flash.adopt(request, activity_id, nonce) or (flash.look(activity_id, nonce, now) if nonce else flash.Look())
    if seen.answer == "replay":
        return HttpResponse(json.dumps(json.loads(seen.value), cls=NinjaJSONEncoder), status=201,
                            content_type="application/json; charset=utf-8")
    if seen.answer == "refuse":
        return refusal_response(seen)
    if seen.answer == "busy":
        raise RateLimited("busy", _("Many people are signing up for the last seats; trying again in a moment."),
                          retry_after=1)
    activity = selectors.activity_for_signup(activity_id)
    won = False
    try:
        booking = signup.sign_up(activity=activity, worker=request.worker, key=payload.key, name=payload.name,
                                 now=now)
        won = True
    except DomainError as exc:
        if exc.code in STATE_CODES:
            flash.remember(activity, now, _render, refused=True)
        if exc.code == "full":
            return Status(409, {"code": exc.code, "detail": str(exc.message)})
        raise
    finally:
        if seen.answer == "admit" and not won:
            flash.release(activity_id, seen.value)
    booking.activity = activity
    if seen.answer == "none":
        flash.remember(activity, now, _render, refused=False)
    # Rendered once, for Redis and for the answer (a replay from Redis answers the same bytes).
    body = _render(booking)
    if nonce and booking.state == BookingState.BOOKED:
        flash.won(activity_id, nonce, body)
    return HttpResponse(json.dumps(body, cls=NinjaJSONEncoder), status=201, content_type="application/json; charset=utf-8")


@router.post("/courses/{activity_id}/wait", response={201: MyBookingOut, 409: Problem})
def worker_join_waitlist(request, activity_id: Id, payload: SignUpIn):
    return _seat(request, activity_id, payload, signup.join_waitlist)


@router.get("/bookings", response=list[MyBookingOut])
def worker_bookings(request):
    return [_booking_out(b) for b in selectors.bookings_of_worker(request.worker)]


@router.post("/bookings/{booking_id}/cancel", response=MyBookingOut)
def worker_cancel_booking(request, booking_id: Id):
    """Give up a seat or an offer (it goes to the waiting list), or leave the waiting list."""
    booking = selectors.booking_of_worker(request.worker, booking_id)
    return _booking_out(signup.cancel_booking(booking=booking, worker=request.worker))


@router.post("/bookings/{booking_id}/confirm", response=MyBookingOut)
def worker_confirm_offer(request, booking_id: Id):
    booking = selectors.booking_of_worker(request.worker, booking_id)
    return _booking_out(signup.confirm_offer(booking=booking, worker=request.worker))
