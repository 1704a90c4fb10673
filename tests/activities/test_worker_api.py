"""The workers' API of activities (/api/v1/w/…): what the phone calls at the opening instant."""

import json

import pytest
from django.test import Client
from django.utils import timezone
from django_scopes import scopes_disabled

from gonghui.accounts.middleware import WORKER_SESSION_KEY
from gonghui.activities.models import Activity, Booking, BookingState
from gonghui.core.sessions import SAVED_AT

from .conftest import book, make_activity, make_worker, refresh


def worker_client(worker, **kwargs) -> Client:
    client = Client(**kwargs)
    session = client.session
    session[WORKER_SESSION_KEY] = worker.pk
    session[SAVED_AT] = int(timezone.now().timestamp())  # as the phone sign-in leaves it
    session.save()
    return client


def post(client, url, data=None):
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def count(activity):
    with scopes_disabled():
        return Booking.objects.filter(activity=activity).count(), refresh(activity).taken


def test_anyone_browses_open_courses_without_a_key(tree):
    activity = make_activity(tree, capacity=2)
    listed = Client().get("/api/v1/w/courses").json()["items"]
    assert [c["id"] for c in listed] == [activity.pk]
    assert listed[0]["status"] == "open" and listed[0]["seats_left"] == 2
    detail = Client().get(f"/api/v1/w/courses/{activity.pk}").json()
    assert detail["key"] is None and detail["booking"] is None


def test_the_course_list_costs_the_same_queries_for_one_or_many(tree):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = worker_client(make_worker())
    make_activity(tree)
    with CaptureQueriesContext(connection) as one:
        assert client.get("/api/v1/w/courses").json()["count"] == 1
    for _ in range(5):
        make_activity(tree)
    with CaptureQueriesContext(connection) as six:
        assert len(client.get("/api/v1/w/courses").json()["items"]) == 6
    assert len(six) == len(one) <= 7, [q["sql"][:120] for q in six.captured_queries]


def test_sign_up_with_the_course_key_and_a_retry_returns_the_same_booking(tree):
    activity = make_activity(tree, capacity=2)
    worker = make_worker()
    client = worker_client(worker)
    key = client.get(f"/api/v1/w/courses/{activity.pk}").json()["key"]
    first = post(client, f"/api/v1/w/courses/{activity.pk}/sign-up", {"key": key, "name": "王强"})
    assert first.status_code == 201, first.content
    assert first.json()["state"] == "booked" and first.json()["name"] == "王强"
    again = post(client, f"/api/v1/w/courses/{activity.pk}/sign-up", {"key": key, "name": "王强"})
    assert again.status_code == 201 and again.json()["id"] == first.json()["id"]
    assert count(activity) == (1, 1)
    mine = client.get("/api/v1/w/bookings").json()
    assert [b["id"] for b in mine] == [first.json()["id"]]
    detail = client.get(f"/api/v1/w/courses/{activity.pk}").json()
    assert detail["key"] is None and detail["booking"]["state"] == "booked"


def test_a_full_course_answers_409_and_offers_the_waiting_list(tree):
    activity = make_activity(tree, capacity=1)
    book(activity, make_worker())
    worker = make_worker()
    client = worker_client(worker)
    key = client.get(f"/api/v1/w/courses/{activity.pk}").json()["key"]
    full = post(client, f"/api/v1/w/courses/{activity.pk}/sign-up", {"key": key, "name": "王强"})
    assert full.status_code == 409 and full.json()["code"] == "full"
    assert "候补" in full.json()["detail"]
    assert count(activity) == (1, 1)
    waiting = post(client, f"/api/v1/w/courses/{activity.pk}/wait", {"key": key, "name": "王强"})
    assert waiting.status_code == 201 and waiting.json()["state"] == "waiting"
    assert waiting.json()["waiting_position"] == 1


@pytest.mark.parametrize("key", ["forged", ""])
def test_a_forged_or_missing_key_is_refused_and_changes_nothing(tree, key):
    activity = make_activity(tree)
    client = worker_client(make_worker())
    response = post(client, f"/api/v1/w/courses/{activity.pk}/sign-up", {"key": key, "name": "王强"})
    assert response.status_code == 400 and response.json()["code"] == "key_invalid"
    assert count(activity) == (0, 0)


def test_a_key_of_another_worker_is_refused(tree):
    activity = make_activity(tree)
    someone = worker_client(make_worker())
    key = someone.get(f"/api/v1/w/courses/{activity.pk}").json()["key"]
    response = post(worker_client(make_worker()), f"/api/v1/w/courses/{activity.pk}/sign-up",
                    {"key": key, "name": "王强"})
    assert response.status_code == 400 and response.json()["code"] == "key_invalid"
    assert count(activity) == (0, 0)


def test_before_the_opening_instant_nothing_is_booked(tree):
    activity = make_activity(tree, opens_in=600)
    client = worker_client(make_worker())
    listed = client.get("/api/v1/w/courses").json()["items"]
    assert listed[0]["status"] == "upcoming"
    key = client.get(f"/api/v1/w/courses/{activity.pk}").json()["key"]
    response = post(client, f"/api/v1/w/courses/{activity.pk}/sign-up", {"key": key, "name": "王强"})
    assert response.status_code == 400 and response.json()["code"] == "not_yet"
    assert count(activity) == (0, 0)


def test_a_members_only_course_refuses_a_non_member(tree):
    activity = make_activity(tree, audience="members")
    client = worker_client(make_worker())
    key = client.get(f"/api/v1/w/courses/{activity.pk}").json()["key"]
    response = post(client, f"/api/v1/w/courses/{activity.pk}/sign-up", {"key": key, "name": "王强"})
    assert response.status_code == 400 and response.json()["code"] == "audience"
    assert count(activity) == (0, 0)


def test_a_worker_cannot_cancel_someone_elses_booking(tree):
    activity = make_activity(tree)
    theirs = book(activity, make_worker())
    response = post(worker_client(make_worker()), f"/api/v1/w/bookings/{theirs.pk}/cancel")
    assert response.status_code == 404
    assert refresh(theirs).state == BookingState.BOOKED


def test_cancelling_frees_the_seat(tree):
    activity = make_activity(tree)
    worker = make_worker()
    mine = book(activity, worker)
    response = post(worker_client(worker), f"/api/v1/w/bookings/{mine.pk}/cancel")
    assert response.status_code == 200 and response.json()["state"] == "cancelled"
    with scopes_disabled():
        assert Activity.objects.get(pk=activity.pk).taken == 0


def test_signing_up_needs_a_worker_session_and_its_csrf_token(tree):
    activity = make_activity(tree)
    url = f"/api/v1/w/courses/{activity.pk}/sign-up"
    assert post(Client(), url, {"key": "x", "name": "王强"}).status_code == 401
    cadre = Client()
    cadre.force_login(tree.user("a_admin"))
    assert post(cadre, url, {"key": "x", "name": "王强"}).status_code == 401
    worker = make_worker()
    strict = worker_client(worker, enforce_csrf_checks=True)
    key = strict.get(f"/api/v1/w/courses/{activity.pk}").json()["key"]
    assert post(strict, url, {"key": key, "name": "王强"}).status_code == 403
    assert count(activity) == (0, 0)


def test_my_bookings_give_each_place_in_the_queue_in_the_same_queries_however_many_wait(tree):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from .conftest import wait

    worker = make_worker()
    client = worker_client(worker)
    expected = {}

    def add(ahead: int):
        activity = make_activity(tree, capacity=1, title=f"课程{len(expected)}")
        book(activity, make_worker())
        for _ in range(ahead):
            wait(activity, make_worker())
        expected[wait(activity, worker).pk] = ahead + 1
        wait(activity, make_worker())  # behind: not counted

    def queries(url):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        return response, len(ctx.captured_queries)

    add(0)
    _, api_few = queries("/api/v1/w/bookings")
    _, page_few = queries(reverse("worker:my_courses"))
    add(2)
    add(1)
    response, api_many = queries("/api/v1/w/bookings")
    assert {b["id"]: b["waiting_position"] for b in response.json()} == expected
    response, page_many = queries(reverse("worker:my_courses"))
    assert {row["b"].pk: row["position"] for row in response.context["rows"]} == expected
    assert (api_many, page_many) == (api_few, page_few)
