"""Activities and courses on the phone: browse, count down, sign up, cancel, my activities (activities).

The URL patterns below are joined into the worker namespace by worker/urls.py."""

import io
import math

import segno
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gonghui.accounts.decorators import worker_required
from gonghui.activities import completion, course_filters, selectors
from gonghui.activities.limits import COURSE_PLACE
from gonghui.activities.models import Audience, Booking, BookingState, Rating, State
from gonghui.activities.services import ratings, signup
from gonghui.core.errors import DomainError
from gonghui.core.limits import limit_of
from gonghui.core.masking import mask_name
from gonghui.members import selectors as members

from .membership import offer_context


def courses(request):
    """Open and upcoming activities this visitor may join (all-worker ones for anyone)."""
    now = timezone.now()
    filters = course_filters.parse(request.GET)  # type, place, date, seats left; 20 a page
    page = selectors.open_courses_page(request.worker, request.GET.get("page"), per=course_filters.PER_PAGE, now=now,
                                       **course_filters.lookup(filters))
    return render(request, "worker/courses/list.html", {
        "open": [a for a in page if a.signup_opens_at <= now],
        "upcoming": [a for a in page if a.signup_opens_at > now], "now": now,
        "filters": filters, "kinds": course_filters.KINDS, "page": page, "place_limit": COURSE_PLACE})


def course(request, pk):
    activity = selectors.public_activity(pk)
    now = timezone.now()
    booking = selectors.booking_of(request.worker, activity) if request.worker else None
    member = members.membership_of_worker(request.worker) if request.worker else None
    context = {
        "a": activity, "booking": booking, "now": now, "member": member,
        "opens_in": max(math.ceil((activity.signup_opens_at - now).total_seconds()), 0),  # never early
        "open": activity.state == State.PUBLISHED and activity.signup_opens_at <= now < activity.signup_closes_at,
        "closed": activity.state != State.PUBLISHED or now >= activity.signup_closes_at,
        "full": activity.taken >= activity.capacity or activity.waiting > 0,
        "position": selectors.waiting_position(booking) if booking else None,
        "members_only": activity.audience == Audience.MEMBERS,
        "name_limit": limit_of(Booking, "name"),
    }
    if booking is not None and booking.state == BookingState.BOOKED:
        context["progress"] = completion.progress(booking)  # 结业证书 once the share of sessions is attended
    if request.worker and booking is None:
        context["key"] = signup.issue_signup_key(activity=activity, worker=request.worker)
    if booking is not None and member is None:  # served first: offered to join the organizing union
        context["offer"] = offer_context(request, node=activity.node, service=activity.title, channel="course")
    response = render(request, "worker/courses/detail.html", context)
    response["Cache-Control"] = "no-store"
    return response


def _act(request, pk, service, done_text):
    activity = selectors.public_activity(pk)
    try:
        service(activity=activity, worker=request.worker, key=request.POST.get("key", ""),
                name=request.POST.get("name", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done_text)
    return redirect("worker:course", pk=activity.pk)


@worker_required
@require_POST
def course_signup(request, pk):
    return _act(request, pk, signup.sign_up, _("You have a seat. See it under “My activities”."))


@worker_required
@require_POST
def course_wait(request, pk):
    return _act(request, pk, signup.join_waitlist,
                _("You are on the waiting list. We will tell you by SMS when a seat is yours."))


@worker_required
@require_POST
def booking_cancel(request, pk):
    booking = selectors.booking_of_worker(request.worker, pk)
    try:
        signup.cancel_booking(booking=booking, worker=request.worker)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Done. Your seat goes to the next person waiting.")
                         if booking.state != BookingState.WAITING else _("You have left the waiting list."))
    if request.POST.get("back") == "course":
        return redirect("worker:course", pk=booking.activity_id)
    return redirect("worker:my_courses")


@worker_required
@require_POST
def booking_confirm(request, pk):
    booking = selectors.booking_of_worker(request.worker, pk)
    try:
        signup.confirm_offer(booking=booking, worker=request.worker)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Confirmed: the seat is yours."))
    return redirect("worker:my_courses")


def _qr(text: str) -> str:
    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="svg", scale=4, border=2, xmldecl=False)
    return out.getvalue().decode()


@worker_required
@require_POST
def booking_rate(request, pk):
    """学员评价: 1–5 stars and a comment, once, by someone who checked in, after it began."""
    booking = selectors.booking_of_worker(request.worker, pk)
    try:
        ratings.rate_booking(booking=booking, worker=request.worker, score=request.POST.get("score", ""),
                     comment=request.POST.get("comment", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Thank you for your rating."))
    return redirect("worker:my_courses")


@worker_required
def my_courses(request):
    rows = []
    now = timezone.now()
    bookings = selectors.bookings_of_worker(request.worker)
    attended, rated = selectors.rating_states(bookings)
    for b in bookings:
        began = b.activity.starts_at <= now and b.activity.state != State.CANCELLED
        rows.append({"b": b, "position": selectors.waiting_position(b), "rating": rated.get(b.pk),
                     "can_rate": began and b.pk in attended and b.pk not in rated,
                     "qr": mark_safe(_qr(signup.issue_ticket_token(booking=b))) if b.state == BookingState.BOOKED else ""})  # noqa: S308
    response = render(request, "worker/courses/mine.html", {
        "rows": rows, "now": now, "latest": selectors.WORKER_BOOKINGS if len(bookings) >= selectors.WORKER_BOOKINGS else 0,
        "comment_limit": limit_of(Rating, "comment")})
    response["Cache-Control"] = "no-store"
    return response


@worker_required
def course_certificate(request, pk):
    """The worker's certificate of completion of the booking ``pk`` (404 for another's or one not earned)."""
    def verify_url(token):
        return settings.GONGHUI_PUBLIC_BASE_URL.rstrip("/") + reverse("worker:course_certificate_check", args=[token])

    try:
        name, data = completion.certificate_for(actor=request.worker, booking_pk=pk, verify_url_of=verify_url)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("worker:my_courses")
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


def course_certificate_check(request, token):
    """The public page a certificate's QR code opens: valid, or not issued."""
    verdict = completion.verify(token)
    b = verdict.booking
    return render(request, "worker/courses/certificate_check.html", {
        "valid": verdict.valid, "number": completion.serial(b) if b else "",
        "masked_name": mask_name(b.name) if b else "", "activity": b.activity if b else None,
        "hours": completion.hours(b.activity) if b else None})


urlpatterns = [
    path("courses/", courses, name="courses"),
    path("courses/<int:pk>/", course, name="course"),
    path("courses/<int:pk>/sign-up/", course_signup, name="course_signup"),
    path("courses/<int:pk>/wait/", course_wait, name="course_wait"),
    path("courses/mine/", my_courses, name="my_courses"),
    path("courses/bookings/<int:pk>/cancel/", booking_cancel, name="booking_cancel"),
    path("courses/bookings/<int:pk>/confirm/", booking_confirm, name="booking_confirm"),
    path("courses/bookings/<int:pk>/rate/", booking_rate, name="booking_rate"),
    path("courses/bookings/<int:pk>/certificate/", course_certificate, name="course_certificate"),
    path("courses/certificates/<str:token>/", course_certificate_check, name="course_certificate_check"),
]
