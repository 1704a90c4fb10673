"""Hardship files created through the API; annual-review reminders (gonghui aid-reminders)."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone, translation
from django_scopes import scopes_disabled

from gonghui.aid.models import HardshipFile
from gonghui.aid.services import hardship
from gonghui.core.notify import MemoryNotifier
from tests.factories import resident_id
from tests.test_scope_proof import _token_headers

from .conftest import snapshot

TODAY = timezone.localdate()


def _body(node, **over):
    body = {"node_id": node.pk, "name": "陈秀英", "id_number": resident_id("19760312", 77), "phone": "13912340000",
            "cause": "illness", "level": "deep", "household_size": 3, "income_per_head": "650",
            "situation": "丈夫尿毒症，每周透析三次",
            "household": [{"name": "张小红", "relation": "女儿", "birth_year": 2012, "note": "初中在读"}]}
    body.update(over)
    return json.dumps(body)


def _post(people, body, who="b_clerk"):
    return Client().post("/api/v1/aid/hardship", body, content_type="application/json",
                         headers=_token_headers(people, who))


def test_a_clerk_opens_a_hardship_file_through_the_api(people):
    response = _post(people, _body(people.c))
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["name"] == "陈秀英" and data["household"][0]["relation"] == "女儿" and data["income_per_head"] == "650.00"
    assert data["review_due_on"] == hardship._next_review(TODAY).isoformat()
    again = _post(people, _body(people.c))
    assert again.status_code == 400 and again.json()["code"] == "already_registered"


@pytest.mark.parametrize("over, field", [
    ({"income_per_head": "-1"}, "income_per_head"), ({"income_per_head": 650.5}, "income_per_head"),
    ({"income_per_head": "NaN"}, "income_per_head"), ({"id_number": "110101199003070000"}, "id_number"),
    ({"cause": "laziness"}, "cause"), ({"household_size": 0}, "household_size"), ({"phone": "12345"}, "phone"),
    ({"shoe_size": 42}, "shoe_size"),
])
def test_bad_input_is_refused_with_the_field_and_nothing_changes(people, over, field):
    headers = _token_headers(people, "b_clerk")
    before = snapshot()
    response = Client().post("/api/v1/aid/hardship", _body(people.c, **over), content_type="application/json",
                             headers=headers)
    assert response.status_code in (400, 422), response.content
    assert field in json.dumps(response.json(), ensure_ascii=False), response.content
    assert snapshot() == before


def test_zero_income_is_accepted(people):
    assert _post(people, _body(people.c, income_per_head=0)).status_code == 201


def test_outside_the_subtree_or_without_the_role_is_refused(people):
    headers = _token_headers(people, "b_clerk")
    finance = _token_headers(people, "a_finance")
    before = snapshot()
    assert Client().post("/api/v1/aid/hardship", _body(people.d), content_type="application/json",
                         headers=headers).status_code == 404
    assert Client().post("/api/v1/aid/hardship", _body(people.c), content_type="application/json",
                         headers=finance).status_code == 403
    assert snapshot() == before


def _file(people, seq, due, phone="13912340000", node=None):
    with scopes_disabled():
        file = hardship.register_file(node=node or people.c, actor=people.user("b_clerk"), name="刘桂兰",
                                      id_number=resident_id("19700101", seq), cause="disability", level="relative",
                                      household_size=2, income_per_head="800", phone=phone)
        HardshipFile.objects.filter(pk=file.pk).update(review_due_on=due)
        return HardshipFile.objects.get(pk=file.pk)


def test_reviews_due_within_30_days_are_reminded_once_per_due_date(people, django_capture_on_commit_callbacks):
    soon = _file(people, 1, TODAY + datetime.timedelta(days=10), phone="13911110001")
    overdue = _file(people, 2, TODAY - datetime.timedelta(days=3), phone="13911110002")
    later = _file(people, 3, TODAY + datetime.timedelta(days=60), phone="13911110003")
    no_phone = _file(people, 4, TODAY + datetime.timedelta(days=30), phone="")
    gone = _file(people, 5, TODAY + datetime.timedelta(days=5), phone="13911110005")
    with scopes_disabled():
        hardship.exit_file(file=gone, actor=people.user("b_clerk"), reason="家庭收入超过标准")
    MemoryNotifier.outbox.clear()
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("aid_reminders", stdout=out)
    phones = sorted(phone for phone, _text in MemoryNotifier.outbox)
    assert phones == ["13911110001", "13911110002"]
    assert "年度复核" in dict(MemoryNotifier.outbox)["13911110001"]  # the one due (the overdue one: its own test)
    text = out.getvalue()
    assert "3 reminder(s)." in text and "call" in text and "刘桂兰" not in text and "刘**" in text
    with scopes_disabled():
        assert HardshipFile.objects.get(pk=no_phone.pk).reminded_for == no_phone.review_due_on
        assert HardshipFile.objects.get(pk=later.pk).reminded_for is None
    # a second run reminds nobody again
    MemoryNotifier.outbox.clear()
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("aid_reminders", stdout=out)
    assert MemoryNotifier.outbox == [] and "0 reminder(s)." in out.getvalue()
    # after the review, the next due date gets its own reminder when it comes near
    with scopes_disabled():
        reviewed = hardship.review_file(file=soon, actor=people.user("b_clerk"), note="复核通过")
        assert reviewed.review_due_on > TODAY + datetime.timedelta(days=300)
        again = hardship.send_review_reminders(today=reviewed.review_due_on - datetime.timedelta(days=20))
        assert {f.pk for f in again} == {reviewed.pk, later.pk}  # not the overdue one already reminded
        assert overdue.pk not in {f.pk for f in again}


def test_an_overdue_review_is_reminded_as_overdue_not_as_due_on_a_past_date(people, clock):
    """The reminder job at 2026-03-02: a review due 2026-02-20 is told as overdue (its own template),
    one due today or later keeps "将于…到期"."""
    from gonghui.messaging.models import Message

    clock.move_to("2026-03-02T09:00:00")
    overdue = _file(people, 11, datetime.date(2026, 2, 20), phone="13911110011")
    today = _file(people, 12, datetime.date(2026, 3, 2), phone="13911110012")
    soon = _file(people, 13, datetime.date(2026, 3, 20), phone="13911110013")
    with scopes_disabled(), translation.override("en"):
        hardship.send_review_reminders()
        sent = {m.phone: m for m in Message.objects.filter(kind__startswith="hardship_review")}
    late = sent[overdue.phone]
    assert late.kind == "hardship_review_overdue"
    assert "2026-02-20" in late.text and "overdue" in late.text and "is due on" not in late.text
    assert json.loads(late.params) == {"date": "2026-02-20"}
    for file in (today, soon):
        assert sent[file.phone].kind == "hardship_review_due"
        assert f"is due on {file.review_due_on:%Y-%m-%d}" in sent[file.phone].text
