"""The rush, with real threads behind a barrier on PostgreSQL (SQLite has a single writer, so the
same rules are tested sequentially in test_signup.py)."""

import datetime

import pytest
from django.db import connection
from django_scopes import scopes_disabled

from gonghui.activities.models import Activity, Booking, BookingState
from gonghui.activities.services import catalogue, signup
from gonghui.core.errors import DomainError
from tests.concurrency import POSTGRESQL_ONLY, race
from tests.factories import make_tree

from .conftest import make_activity, make_worker

pytestmark = [
    pytest.mark.django_db(transaction=True),
    POSTGRESQL_ONLY,
]


def _fresh(activity):
    with scopes_disabled():
        return Activity.objects.select_related("term").get(pk=activity.pk)


def _sign_up(activity, worker, key=None):
    def call():
        fresh = _fresh(activity)
        return signup.sign_up(activity=fresh, worker=worker, name="王强",
                              key=key or signup.issue_signup_key(activity=fresh, worker=worker))
    return call


def _codes(results):
    return sorted(r.code if isinstance(r, DomainError) else type(r).__name__ for r in results)


def test_fifty_people_for_ten_seats_make_exactly_ten_bookings():
    assert connection.vendor == "postgresql"
    tree = make_tree_unscoped()
    activity = make_activity(tree, capacity=10)
    workers = [make_worker() for _ in range(50)]
    results = race(*[_sign_up(activity, w) for w in workers])
    booked = [r for r in results if isinstance(r, Booking)]
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(booked) == 10, _codes(results)
    assert len(refused) == 40 and {r.code for r in refused} == {"full"}, _codes(results)
    with scopes_disabled():
        assert Booking.objects.filter(activity=activity, state=BookingState.BOOKED).count() == 10
        assert Activity.objects.get(pk=activity.pk).taken == 10


def test_one_person_double_clicking_gets_one_booking():
    tree = make_tree_unscoped()
    activity = make_activity(tree, capacity=10)
    worker = make_worker()
    key = signup.issue_signup_key(activity=activity, worker=worker)
    results = race(*[_sign_up(activity, worker, key) for _ in range(8)])
    assert all(isinstance(r, Booking) for r in results), _codes(results)
    assert len({r.pk for r in results}) == 1
    with scopes_disabled():
        assert Booking.objects.filter(activity=activity, worker=worker).count() == 1
        assert Activity.objects.get(pk=activity.pk).taken == 1


def test_one_person_racing_themself_with_fresh_keys_holds_one_seat():
    tree = make_tree_unscoped()
    activity = make_activity(tree, capacity=10)
    worker = make_worker()
    results = race(*[_sign_up(activity, worker) for _ in range(8)])
    assert sum(isinstance(r, Booking) for r in results) == 1, _codes(results)
    assert all(r.code == "already" for r in results if isinstance(r, DomainError))
    with scopes_disabled():
        assert Activity.objects.get(pk=activity.pk).taken == 1


def test_one_person_racing_two_courses_never_exceeds_the_term_limit():
    tree = make_tree_unscoped()
    with scopes_disabled():
        term = catalogue.create_term(node=tree.c, actor=tree.user("a_admin"), name="2026年春季", per_person_limit=1)
    courses = [make_activity(tree, term=term, title=t, capacity=5) for t in ("舞蹈班", "声乐班", "围棋班", "茶艺班")]
    worker = make_worker()
    results = race(*[_sign_up(c, worker) for c in courses for _ in range(2)])
    assert sum(isinstance(r, Booking) for r in results) == 1, _codes(results)
    assert {r.code for r in results if isinstance(r, DomainError)} <= {"limit", "already"}
    with scopes_disabled():
        assert Booking.objects.filter(worker=worker, state=BookingState.BOOKED).count() == 1
        assert sum(Activity.objects.get(pk=c.pk).taken for c in courses) == 1


def test_cancellations_racing_sign_ups_never_go_negative_and_promote_exactly_once():
    tree = make_tree_unscoped()
    activity = make_activity(tree, capacity=2)
    seated = [make_worker(), make_worker()]
    with scopes_disabled():
        bookings = [_sign_up(activity, w)() for w in seated]
    waiting = make_worker()
    with scopes_disabled():
        fresh = _fresh(activity)
        signup.join_waitlist(activity=fresh, worker=waiting, name="赵敏",
                             key=signup.issue_signup_key(activity=fresh, worker=waiting))
    newcomers = [make_worker() for _ in range(6)]
    results = race(lambda: signup.cancel_booking(booking=bookings[0], worker=seated[0]),
                   *[_sign_up(activity, w) for w in newcomers])
    assert isinstance(results[0], Booking), results[0]
    # the waiting person is first in line: the newcomers all hear "full"
    assert all(isinstance(r, DomainError) and r.code == "full" for r in results[1:]), _codes(results)
    with scopes_disabled():
        current = Activity.objects.get(pk=activity.pk)
        assert current.taken == 2 and current.waiting == 0
        assert Booking.objects.get(activity=activity, worker=waiting).state == BookingState.OFFERED
        assert Booking.objects.filter(activity=activity, state__in=("booked", "offered")).count() == 2


def test_many_cancellations_and_sign_ups_keep_the_counter_true():
    tree = make_tree_unscoped()
    activity = make_activity(tree, capacity=5, waitlist_mode="auto")
    seated = [make_worker() for _ in range(5)]
    with scopes_disabled():
        bookings = [_sign_up(activity, w)() for w in seated]
    line = [make_worker() for _ in range(4)]
    with scopes_disabled():
        for w in line:
            fresh = _fresh(activity)
            signup.join_waitlist(activity=fresh, worker=w, name="孙丽", key=signup.issue_signup_key(activity=fresh, worker=w))
    results = race(*[lambda b=b, w=w: signup.cancel_booking(booking=b, worker=w) for b, w in zip(bookings, seated, strict=True)],
                   *[_sign_up(activity, make_worker()) for _ in range(5)])
    assert all(not isinstance(r, Exception) or isinstance(r, DomainError) for r in results), results
    with scopes_disabled():
        current = Activity.objects.get(pk=activity.pk)
        held = Booking.objects.filter(activity=activity, state__in=("booked", "offered")).count()
        assert current.taken == held <= current.capacity
        assert current.waiting == Booking.objects.filter(activity=activity, state="waiting").count()
        # the four waiting people were served before any newcomer
        assert Booking.objects.filter(activity=activity, worker__in=line, state="booked").count() == 4


def make_tree_unscoped():
    with scopes_disabled():
        return make_tree()


def test_a_seat_offer_confirmed_while_the_expiry_job_runs_is_settled_once():
    """The worker confirms a second before the deadline while the expiry job (its clock a second past
    it) lapses the offer: one of them wins, whole — never a confirmed booking whose seat also moved
    on to the next person."""
    tree = make_tree_unscoped()
    activity = make_activity(tree, capacity=1)
    seated, first, second = make_worker(), make_worker(), make_worker()
    with scopes_disabled():
        booking = _sign_up(activity, seated)()
        for w in (first, second):
            fresh = _fresh(activity)
            signup.join_waitlist(activity=fresh, worker=w, name="周芳", key=signup.issue_signup_key(activity=fresh, worker=w))
        signup.cancel_booking(booking=booking, worker=seated)
        offered = Booking.objects.get(activity=activity, worker=first)
    assert offered.state == BookingState.OFFERED
    deadline = offered.offer_expires_at
    confirmed, expired = race(
        lambda: signup.confirm_offer(booking=offered, worker=first, now=deadline - datetime.timedelta(seconds=1)),
        lambda: signup.expire_offers(now=deadline + datetime.timedelta(seconds=1)))
    with scopes_disabled():
        mine = Booking.objects.get(pk=offered.pk)
        theirs = Booking.objects.get(activity=activity, worker=second)
        current = Activity.objects.get(pk=activity.pk)
        held = Booking.objects.filter(activity=activity, state__in=("booked", "offered")).count()
        waiting = Booking.objects.filter(activity=activity, state="waiting").count()
    if isinstance(confirmed, Booking):  # the worker was first: the job found nothing to lapse
        assert expired == 0 and mine.state == BookingState.BOOKED and theirs.state == BookingState.WAITING
    else:  # the job was first: the confirmation is refused and the seat went to the next person
        assert isinstance(confirmed, DomainError) and confirmed.code == "no_offer", confirmed
        assert expired == 1 and mine.state == BookingState.EXPIRED and theirs.state == BookingState.OFFERED
    assert current.taken == held == 1 and current.waiting == waiting
