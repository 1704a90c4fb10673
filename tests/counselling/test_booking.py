"""A worker books a one-to-one counselling session from the phone: inside the counsellor's hours, one
booking per slot, cancel and reschedule their own; the note is the counsellor's alone; cadres see counts."""

import datetime
import json
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_scopes import scopes_disabled

from gonghui.accounts.middleware import WORKER_SESSION_KEY
from gonghui.core.errors import DomainError
from gonghui.core.models import AuditEntry
from gonghui.core.sessions import SAVED_AT
from gonghui.counselling import selectors, services
from gonghui.counselling.models import Session
from tests.concurrency import POSTGRESQL_ONLY, race
from tests.counselling.kit import counsellor, worker

pytestmark = pytest.mark.django_db
BJ = zoneinfo.ZoneInfo("Asia/Shanghai")
MONDAY_9 = datetime.datetime(2026, 6, 1, 9, 0, tzinfo=BJ)


@pytest.fixture
def now(clock):
    clock.move_to("2026-05-28T10:00")  # a Thursday before


def phone(w) -> Client:
    client = Client()
    session = client.session
    session[WORKER_SESSION_KEY] = w.pk
    session[SAVED_AT] = int(timezone.now().timestamp())  # as the phone sign-in leaves it
    session.save()
    return client


def post(client, url, data=None):
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def test_a_slot_is_booked_once(tree, now):
    c, a, b = counsellor(tree), worker(), worker()
    with scopes_disabled():
        services.book_session(worker=a, counsellor=c, starts_at=MONDAY_9, topic="工作压力大，睡不好")
        with pytest.raises(DomainError) as exc:
            services.book_session(worker=b, counsellor=c, starts_at=MONDAY_9)
        assert exc.value.code == "slot_taken" and Session.objects.count() == 1


@pytest.mark.parametrize("when", [
    datetime.datetime(2026, 6, 1, 11, 30, tzinfo=BJ),   # ends after 12:00
    datetime.datetime(2026, 6, 1, 13, 0, tzinfo=BJ),    # Monday afternoon: no hours
    datetime.datetime(2026, 6, 2, 9, 0, tzinfo=BJ),     # Tuesday: no hours
    datetime.datetime(2026, 5, 25, 9, 0, tzinfo=BJ),    # in the past
])
def test_outside_the_counsellors_hours_or_past_is_refused(tree, now, when):
    c = counsellor(tree)
    with scopes_disabled():
        with pytest.raises(DomainError):
            services.book_session(worker=worker(), counsellor=c, starts_at=when)
        assert not Session.objects.exists()


def test_cancel_and_reschedule_are_the_workers_own(tree, now):
    c, a, b = counsellor(tree), worker(), worker()
    with scopes_disabled():
        s = services.book_session(worker=a, counsellor=c, starts_at=MONDAY_9)
        with pytest.raises(DomainError):
            services.cancel_session(worker=b, session=s)
        wednesday = datetime.datetime(2026, 6, 3, 14, 0, tzinfo=BJ)
        services.reschedule_session(worker=a, session=s, starts_at=wednesday)
        services.book_session(worker=b, counsellor=c, starts_at=MONDAY_9)  # the old slot is free again
        with pytest.raises(DomainError) as exc:
            services.reschedule_session(worker=a, session=s, starts_at=MONDAY_9)
        assert exc.value.code == "slot_taken"
        services.cancel_session(worker=a, session=s)
        s.refresh_from_db()
        assert s.status == "cancelled" and s.starts_at == wednesday


def test_only_the_counsellor_reads_the_note_and_a_cadre_is_refused(tree, now):
    c = counsellor(tree)
    with scopes_disabled():
        s = services.book_session(worker=worker(), counsellor=c, starts_at=MONDAY_9, topic="家庭矛盾")
        services.write_note(session=s, actor=c.user, note="来访者情绪平稳，建议两周后复访。")
        for cadre in ("a_admin", "b_admin", "b_viewer"):
            with pytest.raises(PermissionDenied):
                services.read_note(session=s, actor=tree.user(cadre))
        assert services.read_note(session=s, actor=c.user)[1].startswith("来访者")
        with connection.cursor() as cursor:
            cursor.execute("SELECT note, topic FROM counselling_session WHERE id = %s", [s.pk])
            raw = cursor.fetchone()
        assert "来访者" not in raw[0] and "家庭" not in raw[1]  # encrypted at rest
        refusals = AuditEntry.objects.filter(action="counselling.note.refused")
        assert refusals.count() == 3 and not any("来访" in json.dumps(e.data, ensure_ascii=False) for e in refusals)
    admin = Client()
    admin.force_login(tree.user("a_admin"))
    assert admin.get(f"/counselling/sessions/{s.pk}/").status_code == 404
    own = Client()
    own.force_login(c.user)
    page = own.get(f"/counselling/sessions/{s.pk}/").content.decode()
    assert "家庭矛盾" in page and "来访者" in page


def test_cadres_see_counts_never_who_or_what(tree, now):
    c = counsellor(tree)
    with scopes_disabled():
        s = services.book_session(worker=worker(), counsellor=c, starts_at=MONDAY_9, topic="家庭矛盾")
        services.write_note(session=s, actor=c.user, note="保密内容")
        services.book_session(worker=worker(), counsellor=c, starts_at=datetime.datetime(2026, 6, 3, 14, 0, tzinfo=BJ))
        assert selectors.counts(start=datetime.date(2026, 1, 1), end=datetime.date(2026, 12, 31), node=tree.a) == {
            "sessions": 1, "booked": 1, "people": 1, "hours": 0.8, "calls": 0, "call_minutes": 0, "lectures": 0,
            "lecture_people": 0}
    admin = Client()
    admin.force_login(tree.user("a_admin"))
    page = admin.get("/counselling/").content.decode()
    assert "家庭矛盾" not in page and "保密内容" not in page
    api = admin.get(f"/api/v1/counselling/counts?node={tree.a.pk}&start=2026-01-01&end=2026-12-31").json()
    assert api["sessions"] == 1 and set(api) == {"start", "end", "sessions", "booked", "people", "hours",
                                                        "calls", "call_minutes", "lectures", "lecture_people"}


def test_the_phone_books_cancels_and_sees_its_own(tree, now):
    c, w = counsellor(tree), worker()
    client = phone(w)
    listed = client.get("/api/v1/w/counselling/counsellors").json()["items"]
    assert [x["id"] for x in listed] == [c.pk] and listed[0]["hours"]["0"] == [["09:00", "12:00"]]
    made = post(client, "/api/v1/w/counselling/sessions", {"counsellor": c.pk, "starts_at": "2026-06-01T09:00:00+08:00",
                                                            "topic": "想聊聊"})
    assert made.status_code == 201, made.content
    outside = post(client, "/api/v1/w/counselling/sessions", {"counsellor": c.pk,
                                                              "starts_at": "2026-06-01T13:00:00+08:00"})
    assert outside.status_code == 400 and outside.json()["code"] == "outside_hours"
    taken = phone(worker()).get(f"/api/v1/w/counselling/counsellors/{c.pk}/taken?day=2026-06-01").json()
    assert len(taken) == 1
    assert [s["status"] for s in client.get("/api/v1/w/counselling/sessions").json()["items"]] == ["booked"]
    other = phone(worker())
    assert post(other, f"/api/v1/w/counselling/sessions/{made.json()['id']}/cancel").status_code == 404
    assert post(client, f"/api/v1/w/counselling/sessions/{made.json()['id']}/cancel").json()["status"] == "cancelled"


@POSTGRESQL_ONLY
@pytest.mark.django_db(transaction=True)
def test_two_phones_at_one_moment_one_gets_the_slot(tree, now):
    c, a, b = counsellor(tree), worker(), worker()
    results = race(lambda: services.book_session(worker=a, counsellor=c, starts_at=MONDAY_9),
                   lambda: services.book_session(worker=b, counsellor=c, starts_at=MONDAY_9))
    booked = [r for r in results if isinstance(r, Session)]
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(booked) == 1 and len(refused) == 1 and refused[0].code == "slot_taken", results
    with scopes_disabled():
        assert Session.objects.filter(status="booked").count() == 1
