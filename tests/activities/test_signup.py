"""Sign-up rules, sequentially (SQLite and PostgreSQL); the races are in test_concurrency.py."""

import datetime

import pytest
import time_machine
from django.core import signing
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone
from django_scopes import scopes_disabled

from gonghui.activities import selectors
from gonghui.activities.models import Activity, Booking, BookingState, TermHolding
from gonghui.activities.services import catalogue, signup
from gonghui.core.errors import DomainError
from gonghui.core.notify import MemoryNotifier

from .conftest import book, make_activity, make_member_worker, make_worker, refresh, wait


def counts(activity):
    a = refresh(activity)
    return a.taken, a.waiting


@pytest.fixture(autouse=True)
def _outbox():
    MemoryNotifier.outbox.clear()
    yield
    MemoryNotifier.outbox.clear()


def test_a_sign_up_takes_one_seat_and_the_worker_is_told(tree, activity, django_capture_on_commit_callbacks):
    worker = make_worker()
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(activity, worker)
    assert booking.state == BookingState.BOOKED and booking.name == "张伟"
    assert counts(activity) == (1, 0)
    assert any("职工舞蹈班" in text for _phone, text in MemoryNotifier.outbox)


def test_the_same_key_twice_returns_the_first_booking(tree, activity):
    worker = make_worker()
    key = signup.issue_signup_key(activity=activity, worker=worker)
    first = book(activity, worker, key=key)
    again = book(activity, worker, key=key)
    assert first.pk == again.pk
    assert counts(activity) == (1, 0)


def test_a_forged_key_is_refused_and_nothing_changes(tree, activity):
    worker = make_worker()
    forged = signing.dumps({"a": activity.pk, "w": worker.pk, "n": "x"}, salt="another-salt")
    with pytest.raises(DomainError) as err:
        book(activity, worker, key=forged)
    assert err.value.code == "key_invalid"
    with pytest.raises(DomainError):
        book(activity, worker, key="not-a-key")
    assert counts(activity) == (0, 0)


def test_a_key_replayed_by_another_worker_or_for_another_activity_is_refused(tree, activity):
    alice, bob = make_worker(), make_worker()
    key = signup.issue_signup_key(activity=activity, worker=alice)
    with pytest.raises(DomainError) as err:
        book(activity, bob, key=key)
    assert err.value.code == "key_invalid"
    other = make_activity(tree, title="声乐班")
    with pytest.raises(DomainError) as err:
        book(other, alice, key=key)
    assert err.value.code == "key_invalid"
    assert counts(activity) == (0, 0) and counts(other) == (0, 0)


def test_a_key_found_good_is_kept_only_under_its_secret_and_for_a_second(tree, activity):
    """A sign-up's key is checked three times in one request and kept in between (signup._GOOD_KEYS):
    a new secret or a clock moved on re-checks it, so a key from before the rotation or past its
    expiry is refused as before."""
    worker = make_worker()
    issued = datetime.datetime(2026, 9, 1, 9, 0, tzinfo=datetime.UTC)  # a fixed instant, not today
    with time_machine.travel(issued, tick=False):
        key = signup.issue_signup_key(activity=activity, worker=worker)
        nonce = signup.check_signup_key(key=key, activity_id=activity.pk, worker_id=worker.pk)
    with time_machine.travel(issued, tick=False), \
            override_settings(SECRET_KEY="another secret, after a rotation" * 2), pytest.raises(DomainError) as err:
        signup.check_signup_key(key=key, activity_id=activity.pk, worker_id=worker.pk)
    assert err.value.code == "key_invalid"
    later = issued + datetime.timedelta(seconds=signup.KEY_MAX_AGE + 5)
    with time_machine.travel(later, tick=False), pytest.raises(DomainError) as err:
        signup.check_signup_key(key=key, activity_id=activity.pk, worker_id=worker.pk)
    assert err.value.code == "key_expired"
    with time_machine.travel(issued + datetime.timedelta(hours=1), tick=False):
        assert signup.check_signup_key(key=key, activity_id=activity.pk, worker_id=worker.pk) == nonce
    # A bad key is never kept: it is refused every time.
    for _ in range(2):
        with pytest.raises(DomainError):
            signup.check_signup_key(key=key + "x", activity_id=activity.pk, worker_id=worker.pk)


def test_one_person_gets_one_seat_per_activity(tree, activity):
    worker = make_worker()
    book(activity, worker)
    with pytest.raises(DomainError) as err:
        book(activity, worker)
    assert err.value.code == "already"
    assert counts(activity) == (1, 0)


def test_full_is_answered_with_the_offer_of_the_waiting_list(tree, activity):
    for _ in range(3):
        book(activity, make_worker())
    late = make_worker()
    with pytest.raises(DomainError) as err:
        book(activity, late)
    assert err.value.code == "full" and "waiting list" in err.value.message.lower() or "候补" in err.value.message
    assert counts(activity) == (3, 0)
    entry = wait(activity, late)
    assert entry.state == BookingState.WAITING and selectors.waiting_position(entry) == 1
    assert counts(activity) == (3, 1)


def test_the_waiting_list_is_refused_while_seats_are_free(tree, activity):
    with pytest.raises(DomainError) as err:
        wait(activity, make_worker())
    assert err.value.code == "seats_free"
    assert counts(activity) == (0, 0)


def test_before_the_opening_instant_and_after_the_window_sign_up_is_refused(tree):
    early = make_activity(tree, opens_in=600)
    worker = make_worker()
    with pytest.raises(DomainError) as err:
        book(early, worker)
    assert err.value.code == "not_yet"
    late = make_activity(tree, title="摄影班")
    with scopes_disabled():
        Activity.objects.filter(pk=late.pk).update(signup_closes_at=timezone.now() - datetime.timedelta(minutes=1),
                                                   signup_opens_at=timezone.now() - datetime.timedelta(days=2))
    with pytest.raises(DomainError) as err:
        book(late, worker)
    assert err.value.code == "window_over"
    assert counts(early) == (0, 0) and counts(late) == (0, 0)


def test_a_draft_cannot_be_signed_up_for(tree):
    draft = make_activity(tree, publish=False)
    with pytest.raises(DomainError) as err:
        book(draft, make_worker())
    assert err.value.code == "not_open"


def test_members_only_activity_refuses_outsiders_and_members_of_other_unions(tree):
    members_only = make_activity(tree, node=tree.b, audience="members")
    with pytest.raises(DomainError) as err:
        book(members_only, make_worker())
    assert err.value.code == "audience"
    sibling = make_member_worker(tree, tree.d, 11)
    with pytest.raises(DomainError):
        book(members_only, sibling)
    assert counts(members_only) == (0, 0)
    inside = make_member_worker(tree, tree.c, 12)
    booking = book(members_only, inside, name="")
    assert booking.name == "陈晓燕" and booking.member_id is not None


def test_a_non_member_must_give_a_name(tree, activity):
    with pytest.raises(DomainError) as err:
        book(activity, make_worker(), name=" ")
    assert err.value.code == "name_required"
    with pytest.raises(DomainError):
        book(activity, make_worker(), name="<b>x</b>")
    assert counts(activity) == (0, 0)


def test_the_term_limit_holds_across_courses(tree):
    with scopes_disabled():
        term = catalogue.create_term(node=tree.c, actor=tree.user("a_admin"), name="2026年春季", per_person_limit=1)
    dance = make_activity(tree, term=term)
    song = make_activity(tree, term=term, title="声乐班")
    worker = make_worker()
    book(dance, worker)
    with pytest.raises(DomainError) as err:
        book(song, worker)
    assert err.value.code == "limit"
    assert counts(song) == (0, 0)
    # cancelling frees the allowance
    with scopes_disabled():
        booking = Booking.objects.get(worker=worker, activity=dance)
    signup.cancel_booking(booking=booking, worker=worker)
    assert book(song, worker).state == BookingState.BOOKED
    with scopes_disabled():
        assert TermHolding.objects.get(term=term, worker=worker).held == 1


def test_cancelling_offers_the_seat_to_the_head_of_the_waiting_list(tree, activity):
    seated = [make_worker() for _ in range(3)]
    bookings = [book(activity, w) for w in seated]
    first, second = make_worker(), make_worker()
    wait(activity, first)
    wait(activity, second)
    signup.cancel_booking(booking=bookings[0], worker=seated[0])
    with scopes_disabled():
        offered = Booking.objects.get(activity=activity, worker=first)
        still = Booking.objects.get(activity=activity, worker=second)
    assert offered.state == BookingState.OFFERED and offered.offer_expires_at > timezone.now()
    assert selectors.waiting_position(still) == 1
    assert counts(activity) == (3, 1)
    signup.confirm_offer(booking=offered, worker=first)
    assert refresh(offered).state == BookingState.BOOKED


def test_an_expired_offer_moves_on_to_the_next(tree, activity):
    seated = [make_worker() for _ in range(3)]
    bookings = [book(activity, w) for w in seated]
    first, second = make_worker(), make_worker()
    wait(activity, first)
    wait(activity, second)
    signup.cancel_booking(booking=bookings[1], worker=seated[1])
    later = timezone.now() + datetime.timedelta(hours=25)
    with pytest.raises(DomainError) as err:
        with scopes_disabled():
            signup.confirm_offer(booking=Booking.objects.get(activity=activity, worker=first), worker=first,
                                 now=later)
    assert err.value.code == "offer_expired"
    assert signup.expire_offers(now=later) == 1
    with scopes_disabled():
        assert Booking.objects.get(activity=activity, worker=first).state == BookingState.EXPIRED
        assert Booking.objects.get(activity=activity, worker=second).state == BookingState.OFFERED
    assert counts(activity) == (3, 0)


def test_auto_booking_mode_books_the_next_person_at_once(tree):
    activity = make_activity(tree, waitlist_mode="auto", capacity=1)
    a, b = make_worker(), make_worker()
    booking = book(activity, a)
    wait(activity, b)
    signup.cancel_booking(booking=booking, worker=a)
    with scopes_disabled():
        assert Booking.objects.get(activity=activity, worker=b).state == BookingState.BOOKED
    assert counts(activity) == (1, 0)


def test_a_person_at_the_limit_is_passed_over(tree):
    with scopes_disabled():
        term = catalogue.create_term(node=tree.c, actor=tree.user("a_admin"), name="2026年秋季", per_person_limit=1)
    dance = make_activity(tree, term=term, capacity=1)
    tea = make_activity(tree, term=term, capacity=1, title="茶艺班")
    holder, busy, next_one = make_worker(), make_worker(), make_worker()
    seat = book(dance, holder)
    wait(dance, busy)
    wait(dance, next_one)
    book(tea, busy)  # now at the limit
    signup.cancel_booking(booking=seat, worker=holder)
    with scopes_disabled():
        assert Booking.objects.get(activity=dance, worker=busy).state == BookingState.PASSED
        assert Booking.objects.get(activity=dance, worker=next_one).state == BookingState.OFFERED


def test_leaving_the_waiting_list(tree):
    activity = make_activity(tree, capacity=1)
    book(activity, make_worker())
    w = make_worker()
    entry = wait(activity, w)
    signup.cancel_booking(booking=entry, worker=w)
    assert refresh(entry).state == BookingState.LEFT
    assert counts(activity) == (1, 0)


def test_cancelling_someone_elses_booking_is_refused(tree, activity):
    owner, other = make_worker(), make_worker()
    booking = book(activity, owner)
    with pytest.raises(DomainError) as err:
        signup.cancel_booking(booking=booking, worker=other)
    assert err.value.code == "not_yours"
    assert refresh(booking).state == BookingState.BOOKED and counts(activity) == (1, 0)


def test_capacity_cannot_drop_below_the_seats_taken(tree, activity):
    for _ in range(3):
        book(activity, make_worker())
    with pytest.raises(DomainError) as err, scopes_disabled():
        catalogue.update_activity(activity=activity, actor=tree.user("a_admin"), capacity=2)
    assert err.value.code == "capacity_below_taken" and "3" in err.value.message
    assert refresh(activity).capacity == 3


def test_raising_capacity_promotes_the_waiting(tree, activity, django_capture_on_commit_callbacks):
    for _ in range(3):
        book(activity, make_worker())
    waiting = make_worker()
    wait(activity, waiting)
    with django_capture_on_commit_callbacks(execute=True), scopes_disabled():
        catalogue.update_activity(activity=activity, actor=tree.user("a_admin"), capacity=4)
    with scopes_disabled():
        assert Booking.objects.get(activity=activity, worker=waiting).state == BookingState.OFFERED


def test_staff_reorder_the_waiting_list_with_a_reason(tree):
    activity = make_activity(tree, capacity=1)
    book(activity, make_worker())
    entries = [wait(activity, make_worker()) for _ in range(3)]
    with pytest.raises(ValidationError):
        with scopes_disabled():
            signup.move_in_waitlist(booking=entries[2], actor=tree.user("b_admin"), position=1, reason=" ")
    with scopes_disabled():
        signup.move_in_waitlist(booking=entries[2], actor=tree.user("b_admin"), position=1, reason="残疾职工优先")
        assert [selectors.waiting_position(refresh(e)) for e in entries] == [2, 3, 1]
        assert entries[2].moves.get().reason == "残疾职工优先"
        from gonghui.core.models import AuditEntry
        assert AuditEntry.objects.filter(action="activities.waitlist.moved").exists()


def test_check_in_counts_once_per_session_and_refuses_foreign_codes(tree, activity):
    worker = make_worker()
    booking = book(activity, worker)
    other = make_activity(tree, title="插花班")
    other_booking = book(other, make_worker())
    with scopes_disabled():
        session = activity.sessions.get()
        actor = tree.user("b_admin")
        token = signup.issue_ticket_token(booking=booking)
        _a, created = signup.check_in(session=session, token=token, actor=actor)
        _b, again = signup.check_in(session=session, token=token, actor=actor)
        assert created and not again
        with pytest.raises(DomainError) as err:
            signup.check_in(session=session, token=signup.issue_ticket_token(booking=other_booking), actor=actor)
        assert err.value.code == "ticket_other"
        with pytest.raises(DomainError) as err:
            signup.check_in(session=session, token=token + "x", actor=actor)
        assert err.value.code == "ticket_invalid"
        assert session.attendances.count() == 1


def test_a_cadre_outside_the_organizer_cannot_manage(tree):
    from gonghui.core.errors import NotPermitted

    activity = make_activity(tree, node=tree.d, actor="d_admin")
    with pytest.raises(NotPermitted), scopes_disabled():
        catalogue.close_activity(activity=activity, actor=tree.user("b_admin"))
    assert refresh(activity).state == "published"
