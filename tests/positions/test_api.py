"""The API: create, read, patch, list with a flat query count, the scoped nearest search, indicators,
card visits; bad input answered in the user's language with nothing changed."""

import pytest
from django_scopes import scopes_disabled

from gonghui.accounts.services import create_api_token
from gonghui.members.services import card
from gonghui.positions.models import Position, Visit
from tests.positions.factories import CENTRE, make_position
from tests.scope_kit import _member


@pytest.fixture
def api(tree, client):
    with scopes_disabled():
        _token, key = create_api_token(user=tree.user("b_admin"), name="test")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    return client


def payload(tree, **kw):
    data = {"node_id": tree.c.pk, "name": "人民路驿站", "kind": "rest_station", "address": "青山县人民路1号",
            "lat": CENTRE[0], "lng": CENTRE[1], "hours": {"0": [["08:00", "18:00"]]}, "amenities": ["hot_water"]}
    data.update(kw)
    return data


def test_create_read_patch(tree, api):
    response = api.post("/api/v1/positions", payload(tree, hours="周一至周五 08:00-18:00"),
                        content_type="application/json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["hours"]["4"] == [["08:00", "18:00"]]
    patched = api.patch(f"/api/v1/positions/{pk}", {"amenities": ["wifi", "toilet"]}, content_type="application/json")
    assert patched.json()["amenities"] == ["toilet", "wifi"]
    assert api.get(f"/api/v1/positions/{pk}").json()["name"] == "人民路驿站"


@pytest.mark.parametrize("bad, word", [
    ({"lat": 2.29, "lng": 48.85}, "不在我国境内"),
    ({"hours": {"0": [["12:00", "08:00"]]}}, "结束时间早于开始时间"),
    ({"amenities": ["jacuzzi"]}, "不在服务设施目录中"),
    ({"kind": "spa"}, ""),
    ({"unknown_field": 1}, "不接受"),
])
def test_bad_input_is_refused_and_changes_nothing(tree, api, bad, word):
    response = api.post("/api/v1/positions", payload(tree, **bad), content_type="application/json")
    assert response.status_code == 422 and word in str(response.json())
    with scopes_disabled():
        assert not Position.objects.exists()


def test_list_query_count_is_flat(tree, api, django_assert_max_num_queries):
    with scopes_disabled():
        make_position(tree.c, tree=tree)
    with django_assert_max_num_queries(10):
        api.get("/api/v1/positions")
    with scopes_disabled():
        for _ in range(25):
            make_position(tree.c, tree=tree)
    with django_assert_max_num_queries(10):
        response = api.get("/api/v1/positions", {"amenity": "hot_water"})
    assert response.json()["count"] == 26


def test_scoped_nearest_sees_only_the_callers_subtree(tree, api):
    with scopes_disabled():
        mine = make_position(tree.c, tree=tree, lat=CENTRE[0] + 0.01)
        make_position(tree.d, tree=tree, lat=CENTRE[0], name="河口驿站")
    items = api.get("/api/v1/positions/nearest", {"lat": CENTRE[0], "lng": CENTRE[1]}).json()["items"]
    assert [i["id"] for i in items] == [mine.pk]


def test_indicators_and_card_visit(tree, api):
    with scopes_disabled():
        station = make_position(tree.c, tree=tree)
        token = card.make_card_token(member=_member(tree, tree.c))
    first = api.post(f"/api/v1/positions/{station.pk}/card-visits", {"card_token": token},
                     content_type="application/json")
    again = api.post(f"/api/v1/positions/{station.pk}/card-visits", {"card_token": token},
                     content_type="application/json")
    assert first.json()["counted"] and not again.json()["counted"]
    bad = api.post(f"/api/v1/positions/{station.pk}/card-visits", {"card_token": "forged"},
                   content_type="application/json")
    assert bad.status_code == 400
    with scopes_disabled():
        assert Visit.objects.count() == 1
    data = api.get("/api/v1/positions/indicators", {"node": tree.b.pk}).json()
    assert data["positions_by_kind"]["rest_station"] == 1 and sum(m["visits"] for m in data["visits_by_month"]) == 1
