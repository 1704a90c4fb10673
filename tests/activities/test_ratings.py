"""学员评价: who may rate, when, how often, and what the organizer sees."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from gonghui.accounts.services import create_api_token
from gonghui.activities.models import Activity, Rating, Session
from gonghui.activities.services import ratings, signup
from gonghui.core.errors import DomainError

from .conftest import book, make_activity, make_worker
from .test_views import cadre, worker_client


def _began(activity):
    """Move the activity's times into the past (as if it had started an hour ago)."""
    start = timezone.now() - datetime.timedelta(hours=1)
    with scopes_disabled():
        Activity.objects.filter(pk=activity.pk).update(starts_at=start, ends_at=start + datetime.timedelta(hours=2))
        Session.objects.filter(activity=activity).update(starts_at=start, ends_at=start + datetime.timedelta(hours=2))
        return Activity.objects.get(pk=activity.pk)


def _attend(tree, booking):
    with scopes_disabled():
        session = Session.objects.select_related("activity__node").get(activity_id=booking.activity_id)
        signup.check_in(session=session, token=signup.issue_ticket_token(booking=booking), actor=tree.user("b_admin"))


@pytest.fixture
def attended(tree):
    activity = make_activity(tree)
    worker = make_worker()
    booking = book(activity, worker, name="周海燕")
    _began(activity)
    _attend(tree, booking)
    return booking, worker


def test_an_attendee_rates_once_on_the_phone_and_the_organizer_sees_the_average(tree, attended):
    booking, worker = attended
    client = worker_client(worker)
    mine = client.get(reverse("worker:my_courses")).content.decode()
    assert reverse("worker:booking_rate", args=[booking.pk]) in mine
    client.post(reverse("worker:booking_rate", args=[booking.pk]), {"score": "4", "comment": "老师讲得很好\n场地有点小"})
    again = client.post(reverse("worker:booking_rate", args=[booking.pk]), {"score": "1"}, follow=True)
    assert "已经评价" in again.content.decode() or "already rated" in again.content.decode()
    with scopes_disabled():
        assert list(Rating.objects.values_list("score", flat=True)) == [4]
    page = cadre(tree).get(reverse("activities:detail", args=[booking.activity_id])).content.decode()
    assert "4.0 ★" in page and "场地有点小" in page and "周海燕" not in page  # the name is masked


@pytest.mark.parametrize("score", ["0", "6", "", "abc", "4.5", "-1"])
def test_a_score_out_of_range_is_refused_and_nothing_is_saved(tree, attended, score):
    booking, worker = attended
    response = worker_client(worker).post(reverse("worker:booking_rate", args=[booking.pk]), {"score": score},
                                          follow=True)
    assert "1 到 5" in response.content.decode() or "1 to 5" in response.content.decode()
    with scopes_disabled():
        assert not Rating.objects.exists()


def test_someone_who_did_not_attend_cannot_rate(tree):
    activity = make_activity(tree)
    worker = make_worker()
    booking = book(activity, worker)
    _began(activity)
    with pytest.raises(DomainError) as exc, scopes_disabled():
        ratings.rate_booking(booking=booking, worker=worker, score=5)
    assert exc.value.code == "not_attended"
    mine = worker_client(worker).get(reverse("worker:my_courses")).content.decode()
    assert reverse("worker:booking_rate", args=[booking.pk]) not in mine


def test_no_rating_before_the_activity_took_place(tree):
    activity = make_activity(tree)
    worker = make_worker()
    booking = book(activity, worker)
    _attend(tree, booking)  # checked in early, but it has not begun
    with pytest.raises(DomainError) as exc, scopes_disabled():
        ratings.rate_booking(booking=booking, worker=worker, score=5)
    assert exc.value.code == "not_yet"
    with scopes_disabled():
        assert not Rating.objects.exists()


def test_nobody_rates_through_someone_elses_booking(tree, attended):
    booking, _worker = attended
    stranger = make_worker()
    response = worker_client(stranger).post(reverse("worker:booking_rate", args=[booking.pk]), {"score": "5"})
    assert response.status_code == 404
    with pytest.raises(DomainError), scopes_disabled():
        ratings.rate_booking(booking=booking, worker=stranger, score=5)
    with scopes_disabled():
        assert not Rating.objects.exists()


def test_a_long_or_hidden_comment_is_refused(tree, attended):
    booking, worker = attended
    for comment in ("好" * 501, "好\u202e评"):
        response = worker_client(worker).post(reverse("worker:booking_rate", args=[booking.pk]),
                                              {"score": "5", "comment": comment}, follow=True)
        assert response.status_code == 200
    with scopes_disabled():
        assert not Rating.objects.exists()


def test_the_api_gives_count_average_and_masked_comments(tree, attended):
    booking, worker = attended
    with scopes_disabled():
        ratings.rate_booking(booking=booking, worker=worker, score=5, comment="很棒")
        _token, key = create_api_token(user=tree.user("b_admin"), name="t")
    body = Client().get(f"/api/v1/activities/{booking.activity_id}/ratings",
                        headers={"Authorization": f"Bearer {key}"}).json()
    assert body["count"] == 1 and body["average"] == 5.0 and body["by_score"]["5"] == 1
    assert body["items"][0]["comment"] == "很棒" and body["items"][0]["name_masked"] != "周海燕"


def test_the_my_activities_page_reads_ratings_in_flat_queries(tree, django_assert_max_num_queries):
    worker = make_worker()
    client = worker_client(worker)

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("worker:my_courses")).status_code == 200
        return len(ctx.captured_queries)

    def add():
        activity = make_activity(tree, title=f"课程{timezone.now().timestamp()}")
        b = book(activity, worker)
        _began(activity)
        _attend(tree, b)
        with scopes_disabled():
            ratings.rate_booking(booking=b, worker=worker, score=3)

    add()
    small = count()
    add()
    add()
    assert count() == small


def test_the_api_pages_through_every_rating(tree, monkeypatch):
    from gonghui.activities import api

    activity = make_activity(tree, capacity=3)
    people = [(make_worker(), name) for name in ("周海燕", "李娜", "王强")]
    bookings = [book(activity, worker, name=name) for worker, name in people]
    _began(activity)
    with scopes_disabled():
        for booking, (worker, _name) in zip(bookings, people, strict=True):
            _attend(tree, booking)
            ratings.rate_booking(booking=booking, worker=worker, score=4, comment=f"评价{booking.pk}")
        _token, key = create_api_token(user=tree.user("b_admin"), name="t")
    headers = {"Authorization": f"Bearer {key}"}
    url = f"/api/v1/activities/{activity.pk}/ratings"
    first = Client().get(url, {"page_size": 2}, headers=headers).json()
    second = Client().get(url, {"page_size": 2, "page": 2}, headers=headers).json()
    assert first["count"] == second["count"] == 3 and len(first["items"]) == 2 and len(second["items"]) == 1
    seen = {r["comment"] for r in first["items"] + second["items"]}
    assert seen == {f"评价{b.pk}" for b in bookings} and second["by_score"]["4"] == 3
    monkeypatch.setattr(api, "RATINGS_PAGE", 1)  # without page_size, the endpoint's own page
    assert len(Client().get(url, headers=headers).json()["items"]) == 1
    assert Client().get(url, {"page": 0}, headers=headers).status_code == 422
