"""Console, worker pages and API of activities: the flows end to end, and flat query counts."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from gonghui.accounts.middleware import WORKER_SESSION_KEY
from gonghui.accounts.services import create_api_token
from gonghui.activities.models import Activity, Booking, BookingState
from gonghui.core.sessions import SAVED_AT

from .conftest import book, make_activity, make_worker, refresh, wait


def worker_client(worker) -> Client:
    client = Client()
    session = client.session
    session[WORKER_SESSION_KEY] = worker.pk
    session[SAVED_AT] = int(timezone.now().timestamp())  # as the phone sign-in leaves it
    session.save()
    return client


def cadre(tree, name="b_admin") -> Client:
    client = Client()
    client.force_login(tree.user(name))
    return client


def test_a_worker_signs_up_at_the_opening_and_sees_it_in_my_activities(tree, activity):
    worker = make_worker()
    client = worker_client(worker)
    page = client.get(reverse("worker:course", args=[activity.pk]))
    assert page.status_code == 200
    key = page.context["key"]
    for _ in range(2):  # a double click: the same key twice
        response = client.post(reverse("worker:course_signup", args=[activity.pk]), {"key": key, "name": "刘芳"})
        assert response.status_code == 302
    with scopes_disabled():
        assert Booking.objects.filter(activity=activity, worker=worker).count() == 1
    mine = client.get(reverse("worker:my_courses"))
    assert "职工舞蹈班" in mine.content.decode() and "<svg" in mine.content.decode()


def test_a_full_course_offers_the_waiting_list_on_the_page(tree):
    activity = make_activity(tree, capacity=1)
    book(activity, make_worker())
    client = worker_client(make_worker())
    page = client.get(reverse("worker:course", args=[activity.pk]))
    assert reverse("worker:course_wait", args=[activity.pk]) in page.content.decode()
    response = client.post(reverse("worker:course_wait", args=[activity.pk]),
                           {"key": page.context["key"], "name": "刘芳"}, follow=True)
    assert page.status_code == 200 and response.status_code == 200
    assert refresh(activity).waiting == 1


def test_the_count_down_shows_before_the_opening(tree):
    activity = make_activity(tree, opens_in=3600)
    page = worker_client(make_worker()).get(reverse("worker:course", args=[activity.pk]))
    assert 'id="count"' in page.content.decode() and 3500 < page.context["opens_in"] <= 3600


def test_a_worker_cannot_cancel_someone_elses_booking(tree, activity):
    owner = make_worker()
    booking = book(activity, owner)
    response = worker_client(make_worker()).post(reverse("worker:booking_cancel", args=[booking.pk]))
    assert response.status_code == 404
    assert refresh(booking).state == BookingState.BOOKED


def test_drafts_are_not_shown_to_workers(tree):
    draft = make_activity(tree, publish=False)
    assert Client().get(reverse("worker:course", args=[draft.pk])).status_code == 404


def test_console_create_publish_and_lower_capacity_refused(tree):
    client = cadre(tree)
    start = timezone.localtime() + datetime.timedelta(days=10)
    fmt = "%Y-%m-%dT%H:%M"
    data = {"title": "围棋入门班", "kind": "course", "term": "", "audience": "members", "venue_text": "城关镇职工之家",
            "starts_at": start.strftime(fmt), "ends_at": (start + datetime.timedelta(hours=2)).strftime(fmt),
            "sessions": 8, "capacity": 2, "signup_opens_at": (start - datetime.timedelta(days=5)).strftime(fmt),
            "signup_closes_at": (start - datetime.timedelta(days=1)).strftime(fmt), "waitlist_mode": "offer",
            "offer_hours": 24}
    response = client.post(f"{reverse('activities:create')}?node={tree.b.pk}", data)
    assert response.status_code == 302
    with scopes_disabled():
        activity = Activity.objects.get(title="围棋入门班")
        assert activity.sessions.count() == 8
    assert client.post(reverse("activities:publish", args=[activity.pk])).status_code == 302
    with scopes_disabled():
        Activity.objects.filter(pk=activity.pk).update(signup_opens_at=timezone.now() - datetime.timedelta(hours=1))
    from .conftest import make_member_worker
    for seq in (31, 32):
        book(activity, make_member_worker(tree, tree.c, seq), name="")
    response = client.post(reverse("activities:edit", args=[activity.pk]), {**data, "capacity": 1})
    assert response.status_code == 200 and "2" in response.context["form"].errors["capacity"][0]
    assert refresh(activity).capacity == 2


def test_bad_dates_in_the_console_form_change_nothing(tree):
    client = cadre(tree)
    start = timezone.localtime() + datetime.timedelta(days=10)
    fmt = "%Y-%m-%dT%H:%M"
    response = client.post(f"{reverse('activities:create')}?node={tree.b.pk}", {
        "title": "茶艺班", "kind": "course", "audience": "all", "venue_text": "x", "starts_at": start.strftime(fmt),
        "ends_at": (start - datetime.timedelta(hours=2)).strftime(fmt), "sessions": 1, "capacity": 10,
        "signup_opens_at": start.strftime(fmt), "signup_closes_at": (start - datetime.timedelta(days=1)).strftime(fmt),
        "waitlist_mode": "offer", "offer_hours": 24})
    assert response.status_code == 200 and response.context["form"].errors
    with scopes_disabled():
        assert not Activity.objects.filter(title="茶艺班").exists()


def test_export_is_masked_and_audited(tree, activity):
    book(activity, make_worker(), name="欧阳娜娜")
    response = cadre(tree).get(reverse("activities:export", args=[activity.pk]))
    assert response.status_code == 200
    from io import BytesIO

    from openpyxl import load_workbook
    text = " ".join(str(c.value) for row in load_workbook(BytesIO(response.content)).active.iter_rows() for c in row)
    assert "欧***" in text and "欧阳娜娜" not in text
    from gonghui.core.models import AuditEntry
    with scopes_disabled():
        assert AuditEntry.objects.filter(action="activities.booking.exported").exists()


def _add(tree, n):
    for i in range(n):
        a = make_activity(tree, title=f"舞蹈班{i}", capacity=3)
        book(a, make_worker())


def test_list_pages_have_flat_query_counts(tree, django_assert_max_num_queries):
    _add(tree, 3)
    client, worker = cadre(tree), worker_client(make_worker())
    with scopes_disabled():
        _token, key = create_api_token(user=tree.user("b_admin"), name="t")
    headers = {"Authorization": f"Bearer {key}"}

    def measure():
        counts = {}
        for name, call in (("console", lambda: client.get(reverse("activities:list"))),
                           ("worker", lambda: worker.get(reverse("worker:courses"))),
                           ("api", lambda: Client().get("/api/v1/activities", headers=headers))):
            from django.db import connection
            from django.test.utils import CaptureQueriesContext
            with CaptureQueriesContext(connection) as ctx:
                assert call().status_code == 200
            counts[name] = len(ctx.captured_queries)
        return counts

    Client().get("/api/v1/activities", headers=headers)  # the token's first-use stamp, out of the way
    small = measure()
    _add(tree, 12)
    assert measure() == small


def test_detail_page_with_many_bookings_has_flat_queries(tree):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    activity = make_activity(tree, capacity=40)
    client = cadre(tree)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("activities:detail", args=[activity.pk])).status_code == 200
        return len(ctx.captured_queries)

    for _ in range(2):
        book(activity, make_worker())
    small = count()
    for _ in range(20):
        book(activity, make_worker())
    assert count() == small


def test_waiting_list_move_needs_a_reason(tree):
    activity = make_activity(tree, capacity=1)
    book(activity, make_worker())
    entries = [wait(activity, make_worker()) for _ in range(2)]
    client = cadre(tree)
    client.post(reverse("activities:waitlist_move", args=[entries[1].pk]), {"position": 1, "reason": ""})
    with scopes_disabled():
        assert not entries[1].moves.exists()
    client.post(reverse("activities:waitlist_move", args=[entries[1].pk]), {"position": 1, "reason": "孕期职工优先"})
    with scopes_disabled():
        assert entries[1].moves.get().to_position == 1


@pytest.mark.parametrize("payload", [
    {"capacity": 0}, {"capacity": "many"}, {"title": "<script>x</script>"}, {"extra": 1},
])
def test_api_create_refuses_bad_input_and_changes_nothing(tree, payload):
    with scopes_disabled():
        _token, key = create_api_token(user=tree.user("b_admin"), name="t")
    start = timezone.now() + datetime.timedelta(days=10)
    body = {"node_id": tree.c.pk, "title": "摄影班", "venue": "文化宫", "capacity": 20, "starts_at": start.isoformat(),
            "ends_at": (start + datetime.timedelta(hours=2)).isoformat(),
            "signup_opens_at": (start - datetime.timedelta(days=3)).isoformat(),
            "signup_closes_at": (start - datetime.timedelta(days=1)).isoformat(), **payload}
    response = Client().post("/api/v1/activities", body, content_type="application/json",
                             headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 422, response.content
    with scopes_disabled():
        assert not Activity.objects.exists()
