"""The rights API: lists and details masked, moves, mediation, indicators, bad input as 4xx with nothing changed."""

import pytest
from django.test import Client
from django.utils import timezone
from django_scopes import scopes_disabled

from gonghui.accounts.services import create_api_token
from gonghui.rights.models import Case

from .conftest import claim_fields, hotline_case, snapshot

pytestmark = pytest.mark.django_db


def api(tree, username="b_admin"):
    with scopes_disabled():
        _token, key = create_api_token(user=tree.user(username), name="t")
    client = Client(headers={"Authorization": f"Bearer {key}"})
    client.get("/api/v1/rights/cases")  # first-use stamp out of the way of snapshots
    return client


def post(client, url, data):
    return client.post(url, data=data, content_type="application/json")


def test_list_and_detail_mask_the_claimant(people):
    case = hotline_case(people)
    client = api(people)
    items = client.get("/api/v1/rights/cases").json()["items"]
    assert items[0]["tracking_code"] == case.tracking_code and items[0]["claimant_masked"] == "刘**"
    assert "刘大海" not in str(items) and "13812345678" not in str(items)
    detail = client.get(f"/api/v1/rights/cases/{case.pk}").json()
    assert detail["moves"] == ["accept", "decline", "withdraw"] and detail["history"][0]["to_stage"] == "submitted"
    assert post(client, f"/api/v1/rights/cases/{case.pk}/reveal", {}).json()["claimant_name"] == "刘大海"


def test_the_mediation_road_through_the_api(people):
    client = api(people)
    response = post(client, "/api/v1/rights/cases", {**claim_fields(), "node_id": people.c.pk})
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    for body in ({"action": "accept"}, {"action": "assign", "handler_id": people.user("b_admin").pk},
                 {"action": "investigate"}, {"action": "mediate"}):
        assert post(client, f"/api/v1/rights/cases/{pk}/moves", body).status_code == 200
    assert post(client, f"/api/v1/rights/cases/{pk}/invitations",
                {"mediator": "labour", "partner": "labour_bureau"}).status_code == 201
    labour = api(people, "labour")
    today = timezone.localdate().isoformat()
    assert post(labour, f"/api/v1/rights/cases/{pk}/sessions", {
        "held_on": today, "place": "县劳动人事争议调解中心", "participants": "人社局、工会、企业、职工",
        "result": "agreement"}).status_code == 201
    assert post(labour, f"/api/v1/rights/cases/{pk}/agreement",
                {"signed_on": today, "terms": "分两期支付", "amount": "16800.50"}).status_code == 201
    closed = post(labour, f"/api/v1/rights/cases/{pk}/moves", {"action": "close", "outcome": "调解成功"})
    assert closed.status_code == 200 and closed.json()["amount_recovered"] == "16800.50"
    figures = client.get(f"/api/v1/rights/figures?node={people.b.pk}").json()
    assert figures["amount_recovered"] == "16800.50" and figures["mediated"] == 1
    assert figures["children"][0]["amount_recovered"] == "16800.50"


@pytest.mark.parametrize("amount", ["-1", "NaN", "Infinity", "1.001", "abc", -5, True, 3800.5, 100.000000000000001])
def test_a_bad_amount_through_the_api_is_422_and_changes_nothing(people, amount):
    client = api(people)
    before = snapshot()
    response = post(client, "/api/v1/rights/cases", {**claim_fields(amount_claimed=amount), "node_id": people.c.pk})
    assert response.status_code == 422 and "amount_claimed" in response.json()["errors"]
    assert snapshot() == before


def test_a_move_from_the_wrong_stage_or_unknown_is_400_and_unknown_fields_422(people):
    case = hotline_case(people)
    client = api(people)
    before = snapshot()
    assert post(client, f"/api/v1/rights/cases/{case.pk}/moves", {"action": "close", "outcome": "x"}).json()[
        "code"] == "move_not_allowed"
    assert post(client, f"/api/v1/rights/cases/{case.pk}/moves", {"action": "teleport"}).status_code == 400
    assert post(client, f"/api/v1/rights/cases/{case.pk}/moves", {"action": "accept", "stage": "closed"}
                ).status_code == 422
    assert snapshot() == before
    with scopes_disabled():
        assert Case.objects.get(pk=case.pk).stage == "submitted"


def test_a_viewer_may_not_move_a_case(people):
    case = hotline_case(people)
    client = api(people, "b_viewer")
    assert client.get(f"/api/v1/rights/cases/{case.pk}").status_code == 404
    assert client.get("/api/v1/rights/figures").json()["claims"] == 1  # figures, no people


def test_case_list_queries_stay_flat(people, django_assert_max_num_queries):
    client = api(people)
    for _ in range(3):
        hotline_case(people)
    with django_assert_max_num_queries(12):
        assert len(client.get("/api/v1/rights/cases").json()["items"]) == 3
    for _ in range(12):
        hotline_case(people)
    with django_assert_max_num_queries(12):
        assert len(client.get("/api/v1/rights/cases").json()["items"]) == 15


def test_console_case_list_queries_stay_flat(people, django_assert_max_num_queries):
    client = Client()
    client.force_login(people.user("b_admin"))
    for _ in range(3):
        hotline_case(people)
    with django_assert_max_num_queries(20) as small:
        assert client.get("/rights/?stage=all").status_code == 200
    for _ in range(12):
        hotline_case(people)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get("/rights/?stage=all").status_code == 200
