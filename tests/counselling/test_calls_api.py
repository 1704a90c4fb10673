"""The hotline-call API: the counsellor records a call from the API with minimal data (no name, no
phone); the list shows no note; the one call's note answers that counsellor's account alone. Bad
input is refused in the user's language and saves nothing."""


import pytest
from django.test import Client
from django_scopes import scopes_disabled

from gonghui.accounts.services import create_api_token
from gonghui.counselling.models import HotlineCall
from tests.counselling.kit import counsellor

pytestmark = pytest.mark.django_db
URL = "/api/v1/counselling/calls"


@pytest.fixture
def now(clock):
    clock.move_to("2026-05-28T10:00")


def api(user) -> Client:
    with scopes_disabled():
        _token, key = create_api_token(user=user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE="zh-hans")


def payload(c, **kw):
    data = {"counsellor": c.pk, "called_at": "2026-05-27T20:15:00+08:00", "minutes": 25, "category": "emotion",
            "referred": True, "note": "来电者夜班后失眠，已介绍到医院心理科。"}
    data.update(kw)
    return data


def test_the_counsellor_records_lists_and_reads_their_call(tree, now):
    c = counsellor(tree)
    client = api(c.user)
    response = client.post(URL, payload(c), content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["minutes"] == 25 and body["category"] == "emotion" and "note" not in body
    assert not {"name", "phone", "caller"} & set(body)
    listed = client.get(URL).json()
    assert [row["id"] for row in listed["items"]] == [body["id"]] and "失眠" not in str(listed)
    one = client.get(f"{URL}/{body['id']}").json()
    assert "失眠" in one["note"]


def test_no_one_else_reads_or_records_for_the_counsellor(tree, now):
    c, other = counsellor(tree), counsellor(tree)
    made = api(c.user).post(URL, payload(c), content_type="application/json").json()
    for user in (tree.user("a_admin"), tree.user("b_admin"), other.user):
        client = api(user)
        assert client.get(f"{URL}/{made['id']}").status_code == 404
        assert client.get(URL).json()["items"] == []
        assert client.post(URL, payload(c), content_type="application/json").status_code == 404
    with scopes_disabled():
        assert HotlineCall.objects.count() == 1


@pytest.mark.parametrize("bad", [{"minutes": 0}, {"minutes": 601}, {"category": "gossip"},
                                 {"called_at": "2026-05-29T09:00:00+08:00"}, {"note": "长" * 4001}])
def test_bad_calls_are_refused_in_chinese_and_nothing_is_saved(tree, now, bad):
    c = counsellor(tree)
    response = api(c.user).post(URL, payload(c, **bad), content_type="application/json")
    assert response.status_code in (400, 422)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in response.content.decode("unicode_escape", "ignore"))
    with scopes_disabled():
        assert not HotlineCall.objects.exists()
