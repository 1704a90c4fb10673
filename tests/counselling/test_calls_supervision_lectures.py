"""Hotline calls recorded by the counsellor with minimal data (note theirs alone), the supervising
admin who sees who booked when but never a topic, and group lectures counted as activities."""

import datetime
import json
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django_scopes import scopes_disabled

from gonghui.core.models import AuditEntry
from gonghui.counselling import selectors, services
from gonghui.counselling.models import HotlineCall
from tests.activities.conftest import book as book_seat
from tests.activities.conftest import make_activity, make_worker
from tests.counselling.kit import counsellor, worker

pytestmark = pytest.mark.django_db
BJ = zoneinfo.ZoneInfo("Asia/Shanghai")
MONDAY_9 = datetime.datetime(2026, 6, 1, 9, 0, tzinfo=BJ)
YEAR = {"start": datetime.date(2026, 1, 1), "end": datetime.date(2026, 12, 31)}


@pytest.fixture
def now(clock):
    clock.move_to("2026-05-28T10:00")  # a Thursday


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def call(c, **kw):
    values = {"called_at": datetime.datetime(2026, 5, 27, 20, 15, tzinfo=BJ), "minutes": 25, "category": "work",
              "referred": False, "note": ""}
    values.update(kw)
    with scopes_disabled():
        return services.record_call(actor=c.user, counsellor=c, **values)


def test_a_call_is_recorded_with_minimal_data_and_counted(tree, now):
    c = counsellor(tree)
    call(c, note="来电者提到夜班后失眠，已介绍到医院心理科。", referred=True, category="emotion")
    call(c, minutes=10)
    with scopes_disabled():
        row = selectors.counts(**YEAR, node=tree.a)
        assert (row["calls"], row["call_minutes"]) == (2, 35)
        fields = {f.name for f in HotlineCall._meta.get_fields()}
        assert not {"name", "phone", "caller"} & fields
        with connection.cursor() as cursor:
            cursor.execute("SELECT note FROM counselling_hotlinecall WHERE referred")
            assert "失眠" not in cursor.fetchone()[0]  # encrypted at rest
    page = login(c.user).get("/counselling/calls/").content.decode()
    assert "失眠" not in page  # the list shows no note; the call's own page does


@pytest.mark.parametrize("bad", [{"minutes": 0}, {"minutes": 601}, {"category": "gossip"},
                                 {"called_at": datetime.datetime(2026, 5, 29, 9, 0, tzinfo=BJ)},
                                 {"note": "长" * 4001}])
def test_bad_calls_are_refused_and_nothing_is_saved(tree, now, bad):
    c = counsellor(tree)
    with pytest.raises(ValidationError):
        call(c, **bad)
    with scopes_disabled():
        assert not HotlineCall.objects.exists()


def test_only_the_counsellor_records_and_reads_a_call_note(tree, now):
    c, other = counsellor(tree), counsellor(tree)
    made = call(c, note="保密：来电者家庭矛盾")
    with scopes_disabled():
        with pytest.raises(PermissionDenied):
            services.record_call(actor=tree.user("a_admin"), counsellor=c, called_at=made.called_at, minutes=5,
                                 category="work")
        for cadre in (tree.user("a_admin"), tree.user("b_admin"), other.user):
            with pytest.raises(PermissionDenied):
                services.read_call_note(call=made, actor=cadre)
        assert services.read_call_note(call=made, actor=c.user) == "保密：来电者家庭矛盾"
        refusals = AuditEntry.objects.filter(action="counselling.call_note.refused")
        assert refusals.count() == 3 and not any("家庭" in json.dumps(e.data, ensure_ascii=False) for e in refusals)
    assert login(tree.user("a_admin")).get(f"/counselling/calls/{made.pk}/").status_code == 404
    assert login(other.user).get(f"/counselling/calls/{made.pk}/").status_code == 404
    assert "家庭矛盾" in login(c.user).get(f"/counselling/calls/{made.pk}/").content.decode()


def test_the_console_records_a_call(tree, now):
    c = counsellor(tree)
    client = login(c.user)
    response = client.post("/counselling/calls/", {"counsellor": c.pk, "called_at": "2026-05-28T09:00",
                                                   "minutes": "15", "category": "family", "note": "无"})
    assert response.status_code == 302, response.content.decode()[:2000]
    refused = client.post("/counselling/calls/", {"counsellor": c.pk, "called_at": "2026-05-28T09:00",
                                                  "minutes": "0", "category": "family"})
    assert refused.status_code == 200
    with scopes_disabled():
        assert HotlineCall.objects.count() == 1
    assert login(tree.user("a_admin")).get("/counselling/calls/").status_code == 404  # not a counsellor


def test_the_supervising_admin_sees_who_booked_when_never_the_topic(tree, now):
    c = counsellor(tree)
    with scopes_disabled():
        s = services.book_session(worker=worker(), counsellor=c, starts_at=MONDAY_9, topic="婚姻危机想离婚")
        services.write_note(session=s, actor=c.user, note="自伤风险低", held=False)
        phone = s.worker.phone
    admin = login(tree.user("b_admin"))
    page = admin.get(f"/counselling/supervise/?node={tree.b.pk}")
    text = page.content.decode()
    assert page.status_code == 200
    assert "2026-06-01 09:00" in text and phone[-4:] in text and phone not in text  # who (masked) and when
    assert "婚姻" not in text and "自伤" not in text  # never the topic or the note
    with scopes_disabled():
        assert AuditEntry.objects.filter(action="counselling.sessions.supervised").count() == 1
        with pytest.raises(PermissionDenied):
            services.read_note(session=s, actor=tree.user("b_admin"))
    assert login(tree.user("b_viewer")).get(f"/counselling/supervise/?node={tree.b.pk}").status_code == 403
    assert login(tree.user("d_admin")).get(f"/counselling/supervise/?node={tree.b.pk}").status_code in (403, 404)


def test_group_lectures_are_activities_counted_with_participants(tree, clock):
    clock.move_to("2026-05-20T10:00")
    lecture = make_activity(tree, tree.c, kind="counselling", title="职工心理健康讲座：走出焦虑", capacity=30)
    other = make_activity(tree, tree.c, kind="course", title="职工舞蹈班")
    for _i in range(3):
        book_seat(lecture, make_worker())
    book_seat(other, make_worker())
    clock.move_to("2026-06-30T10:00")  # after the lecture
    with scopes_disabled():
        row = selectors.counts(**YEAR, node=tree.a)
    assert (row["lectures"], row["lecture_people"]) == (1, 3)
    with scopes_disabled():
        assert selectors.lecture_counts(**YEAR, node=tree.b)["lectures"] == (1 if tree.c.path.startswith(
            tree.b.path) else 0)
