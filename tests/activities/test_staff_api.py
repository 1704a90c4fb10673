"""Staff API: moving and removing people on the waiting list, and check-in by scanning a ticket."""

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from gonghui.accounts.services import create_api_token
from gonghui.activities import selectors
from gonghui.activities.models import Attendance, Booking, BookingState, QueueMove, Session
from gonghui.activities.services import signup

from .conftest import book, make_activity, make_worker, refresh, wait
from .test_views import cadre


@pytest.fixture
def api(tree):
    with scopes_disabled():
        _token, key = create_api_token(user=tree.user("b_admin"), name="t")
    client = Client()
    headers = {"Authorization": f"Bearer {key}"}

    def call(method, url, data=None):
        if method == "get":
            return client.get("/api/v1" + url, headers=headers)
        return client.post("/api/v1" + url, data or {}, content_type="application/json", headers=headers)

    return call


@pytest.fixture
def queue(tree):
    activity = make_activity(tree, capacity=1)
    book(activity, make_worker())
    return activity, [wait(activity, make_worker(), name=n) for n in ("李娜", "王芳", "张伟")]


def test_staff_move_someone_up_the_waiting_list_with_a_reason(tree, api, queue):
    activity, (first, second, third) = queue
    response = api("post", f"/bookings/{third.pk}/move", {"position": 1, "reason": "残疾职工优先"})
    assert response.status_code == 200 and response.json()["position"] == 1
    assert [selectors.waiting_position(refresh(b)) for b in (first, second, third)] == [2, 3, 1]
    with scopes_disabled():
        move = QueueMove.objects.get()
    assert (move.from_position, move.to_position, move.reason) == (3, 1, "残疾职工优先")


@pytest.mark.parametrize("payload", [{"position": 0, "reason": "x"}, {"position": 9, "reason": "优先"},
                                     {"position": 1, "reason": ""}, {"position": 1}])
def test_a_bad_move_is_refused_and_the_order_stays(tree, api, queue, payload):
    _activity, (first, second, third) = queue
    response = api("post", f"/bookings/{third.pk}/move", payload)
    assert response.status_code in (400, 409, 422)
    assert [selectors.waiting_position(refresh(b)) for b in (first, second, third)] == [1, 2, 3]
    with scopes_disabled():
        assert not QueueMove.objects.exists()


def test_staff_take_someone_off_the_list_and_they_are_told(tree, api, queue, django_capture_on_commit_callbacks):
    from gonghui.core.notify import MemoryNotifier

    MemoryNotifier.outbox.clear()
    activity, (first, second, _third) = queue
    with django_capture_on_commit_callbacks(execute=True):
        response = api("post", f"/bookings/{first.pk}/leave", {"reason": "本人电话告知不再参加"})
    assert response.status_code == 200 and response.json()["state"] == "left"
    assert refresh(activity).waiting == 2 and selectors.waiting_position(refresh(second)) == 1
    assert any("不再参加" in m[1] for m in MemoryNotifier.outbox)
    again = api("post", f"/bookings/{first.pk}/leave", {"reason": "重复"})
    assert again.status_code in (400, 409) and refresh(activity).waiting == 2
    with scopes_disabled():
        seat = Booking.objects.get(activity=activity, state=BookingState.BOOKED)
    assert api("post", f"/bookings/{seat.pk}/leave", {"reason": "误操作"}).status_code in (400, 409)
    assert refresh(seat).state == BookingState.BOOKED


def test_the_console_takes_someone_off_the_list_with_a_reason(tree, queue):
    activity, (first, _second, _third) = queue
    client = cadre(tree)
    client.post(reverse("activities:waitlist_remove", args=[first.pk]), {"reason": ""})
    assert refresh(first).state == BookingState.WAITING
    client.post(reverse("activities:waitlist_remove", args=[first.pk]), {"reason": "本人放弃"})
    assert refresh(first).state == BookingState.LEFT and refresh(activity).waiting == 2


def test_check_in_by_api_counts_a_repeat_scan_once(tree, api):
    activity = make_activity(tree, sessions=2)
    booking = book(activity, make_worker(), name="周海燕")
    with scopes_disabled():
        first_session = Session.objects.get(activity=activity, number=1)
    sessions = api("get", f"/activities/{activity.pk}/sessions").json()
    assert [s["number"] for s in sessions] == [1, 2] and sessions[0]["id"] == first_session.pk
    ticket = signup.issue_ticket_token(booking=booking)
    one = api("post", f"/sessions/{first_session.pk}/check-in", {"ticket": ticket})
    two = api("post", f"/sessions/{first_session.pk}/check-in", {"ticket": ticket})
    assert (one.status_code, two.status_code) == (201, 200)
    assert one.json()["first_scan"] and not two.json()["first_scan"] and two.json()["checked_in"] == 1
    assert one.json()["name_masked"] != "周海燕"
    with scopes_disabled():
        assert Attendance.objects.count() == 1


def test_forged_or_foreign_tickets_are_refused(tree, api):
    activity = make_activity(tree)
    other = make_activity(tree, title="别的课")
    foreign = book(other, make_worker())
    with scopes_disabled():
        session = Session.objects.get(activity=activity)
    for ticket in ("forged-ticket", signup.issue_ticket_token(booking=foreign), signup.issue_ticket_token(booking=foreign) + "x"):
        response = api("post", f"/sessions/{session.pk}/check-in", {"ticket": ticket})
        assert response.status_code in (400, 409), response.content
    with scopes_disabled():
        assert not Attendance.objects.exists()
