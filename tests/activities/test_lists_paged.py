"""An activity's waiting list and its ratings page instead of stopping at 200 and 100 rows: the row
past the old cap is on a later page, the page says how many there are in all, and a page costs the
same queries whatever its length."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from gonghui.accounts.models import Worker
from gonghui.activities.models import Booking, BookingState, Rating
from gonghui.core.crypto import blind_index

from .conftest import make_activity
from .test_views import cadre


def _workers(n, prefix):
    with scopes_disabled():
        return Worker.objects.bulk_create([
            Worker(phone=f"{prefix}{i:08d}", phone_hash=blind_index(f"{prefix}{i:08d}", purpose="phone"))
            for i in range(n)])


def _html(response):
    assert response.status_code == 200
    return response.content.decode()


def test_the_waiting_list_pages_past_two_hundred_and_says_how_many_wait(tree):
    activity = make_activity(tree)
    with scopes_disabled():
        Booking.objects.bulk_create([
            Booking(activity=activity, worker=w, name="候补", state=BookingState.WAITING, queue_key=i)
            for i, w in enumerate(_workers(230, "137"))])
    client = cadre(tree)
    url = reverse("activities:detail", args=[activity.pk])
    with CaptureQueriesContext(connection) as first_queries:
        first = _html(client.get(url))
    assert 'data-total="230"' in first and "wpage=2" in first
    assert "<td>100</td>" in first and "<td>101</td>" not in first
    with CaptureQueriesContext(connection) as last_queries:
        last = _html(client.get(url, {"wpage": 3}))
    assert "<td>201</td>" in last and "<td>230</td>" in last  # past the old cap of 200
    assert "<td>100</td>" not in last
    assert len(last_queries) == len(first_queries)  # 30 rows or 100: no query per row


def test_the_ratings_page_past_one_hundred_and_keep_the_waiting_lists_page(tree):
    activity = make_activity(tree, capacity=200)
    with scopes_disabled():
        bookings = Booking.objects.bulk_create([
            Booking(activity=activity, worker=w, name="学员", state=BookingState.BOOKED)
            for w in _workers(120, "138")])
        Rating.objects.bulk_create([Rating(activity=activity, booking=b, worker_id=b.worker_id, score=5,
                                           comment=f"评价{i:03d}") for i, b in enumerate(bookings)])
    client = cadre(tree)
    url = reverse("activities:detail", args=[activity.pk])
    with CaptureQueriesContext(connection) as first_queries:
        first = _html(client.get(url))
    assert 'data-total="120"' in first and "rpage=2" in first
    with CaptureQueriesContext(connection) as last_queries:
        last = _html(client.get(url, {"rpage": 3, "wpage": 1}))
    # The newest first: the oldest rating, past the old cap of 100, is on the last page.
    assert "评价000" in last and "评价119" not in last
    assert "wpage=1" in last  # the other list's page stays in the links
    assert len(last_queries) == len(first_queries)
