"""The worker's counselling pages on the phone: book inside the counsellor's hours (the topic goes to
the counsellor only), a taken slot or one outside the hours is refused in Chinese and nothing is
booked, cancel and move one's own session."""

import pytest
from django_scopes import scopes_disabled

from gonghui.counselling.models import Session
from tests.counselling.kit import counsellor, worker
from tests.counselling.test_booking import phone

pytestmark = pytest.mark.django_db


@pytest.fixture
def now(clock):
    clock.move_to("2026-05-28T10:00")  # a Thursday


def test_book_refuse_move_and_cancel_on_the_phone(tree, now):
    c, w = counsellor(tree), worker()
    client = phone(w)
    page = client.get("/w/counselling/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert c.name in page and "09:00–12:00" in page
    booked = client.post("/w/counselling/", {"counsellor": c.pk, "day": "2026-06-01", "time": "09:00",
                                             "topic": "工作压力大，睡不好"})
    assert booked.status_code == 302
    other = phone(worker())
    for bad in ({"time": "09:00"}, {"time": "13:00"}):  # the slot taken; outside the hours
        response = other.post("/w/counselling/", {"counsellor": c.pk, "day": "2026-06-01", "topic": "", **bad},
                              HTTP_ACCEPT_LANGUAGE="zh-hans", follow=True)
        assert any("\u4e00" <= ch <= "\u9fff" for ch in response.content.decode())
    with scopes_disabled():
        [s] = Session.objects.all()
    assert s.worker_id == w.pk and s.topic == "工作压力大，睡不好"
    client.post(f"/w/counselling/{s.pk}/move/", {"day": "2026-06-03", "time": "14:00"})
    assert other.post(f"/w/counselling/{s.pk}/cancel/").status_code == 404  # not theirs
    with scopes_disabled():
        s.refresh_from_db()
        assert (s.starts_at.day, s.status) == (3, "booked")
    client.post(f"/w/counselling/{s.pk}/cancel/")
    with scopes_disabled():
        s.refresh_from_db()
    assert s.status == "cancelled"
