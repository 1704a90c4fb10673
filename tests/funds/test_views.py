"""Console pages and API lists: they render, refuse bad input in the user's language, and keep a
flat number of queries as rows grow."""

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from gonghui.accounts.services import create_api_token
from gonghui.funds.models import Allocation, ProjectState
from gonghui.funds.services import allocations, ledger
from tests.funds.kit import YEAR, advance, project_at, setup
from tests.test_scope_proof import snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def funds(tree):
    return setup(tree)


def _client(tree, name="b_admin") -> Client:
    client = Client()
    client.force_login(tree.user(name))
    return client


def _api(tree, name="b_admin") -> dict:
    with scopes_disabled():
        _token, key = create_api_token(user=tree.user(name), name="t")
    return {"Authorization": f"Bearer {key}"}


def test_home_shows_plan_allocated_and_spent_of_the_scope(tree, funds):
    advance(tree, project_at(tree, tree.c), ProjectState.PAID)
    page = _client(tree).get(reverse("funds:home")).content.decode()
    assert "城关镇总工会" in page and "阵地建设" in page and "50,000.00" in page
    assert "河口" not in page


def test_every_page_of_a_paid_project_renders(tree, funds):
    project = advance(tree, project_at(tree, tree.c), ProjectState.PAID)
    client = _client(tree)
    for name, kwargs in (("funds:plans", {}), ("funds:budgets", {}), ("funds:allocations", {}),
                         ("funds:payments", {}), ("funds:ledger", {}), ("funds:projects", {}),
                         ("funds:project", {"pk": project.pk}),
                         ("funds:project_create", {}), ("funds:awards", {})):
        response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code == 200, name
    page = client.get(reverse("funds:project", kwargs={"pk": project.pk})).content.decode()
    assert "补助" in page and "四有齐全" in page
    assert client.get(reverse("funds:plan", kwargs={"pk": funds.plan.pk})).status_code == 404  # the county's own
    page = _client(tree, "a_fin").get(reverse("funds:plan", kwargs={"pk": funds.plan.pk})).content.decode()
    assert "计划期内执行进度" in page and "50,000.00" in page


def test_the_console_refuses_an_allocation_beyond_the_budget_in_chinese(tree, funds):
    before = snapshot()
    response = _client(tree).post(reverse("funds:allocations") + f"?node={tree.b.pk}", {
        "year": YEAR, "category": funds.subsidy.pk, "amount": "250000", "kind": "regular", "mode": "one",
        "to_node": tree.c.pk})
    assert response.status_code == 200
    assert "缺口" in response.content.decode() and "50,000.00" in response.content.decode()
    assert snapshot() == before


def test_the_api_refuses_bad_amounts_and_changes_nothing(tree, funds):
    client, headers = Client(), _api(tree, "b_fin")
    before = snapshot()
    for amount in ("-100", "10.005", "NaN", "abc", 1200.5, 100.000000000000001):
        response = client.post("/api/v1/funds/allocation-orders", {
            "from_node_id": tree.b.pk, "year": YEAR, "category_id": funds.subsidy.pk,
            "targets": [{"node_id": tree.c.pk, "amount": amount}]}, content_type="application/json", headers=headers)
        assert response.status_code in (400, 422), (amount, response.content)
        if isinstance(amount, float):  # a JSON number with a fraction is no longer exact: refused, not rounded
            assert response.status_code == 422 and "整数元" in str(response.json()["errors"])
    assert snapshot() == before
    response = client.post("/api/v1/funds/allocation-orders", {
        "from_node_id": tree.b.pk, "year": YEAR, "category_id": funds.subsidy.pk,
        "targets": [{"node_id": tree.c.pk, "amount": "1200.50"}]}, content_type="application/json", headers=headers)
    assert response.status_code == 201, response.content
    order = response.json()
    assert order["status"] == "prepared" and order["total"] == "1200.50" and order["lines"][0]["to_node_id"] == tree.c.pk
    with scopes_disabled():
        assert not Allocation.objects.filter(to_node=tree.c).exists()  # nothing booked before approval
    response = client.post(f"/api/v1/funds/allocation-orders/{order['id']}/approve", {},
                           content_type="application/json", headers=_api(tree, "b_fin2"))
    assert response.status_code == 201, response.content
    with scopes_disabled():
        assert Allocation.objects.filter(to_node=tree.c).get().amount == ledger.parse_amount("1200.50")


def test_the_api_takes_a_project_through_the_steps(tree, funds):
    client, headers = Client(), _api(tree)
    response = client.post("/api/v1/funds/projects", {
        "node_id": tree.c.pk, "kind": "bookroom_new", "title": "职工书屋建设", "year": YEAR,
        "category_id": funds.construction.pk, "address": "厂区二楼", "description": "购置图书2000册",
        "budget_total": "30000", "subsidy_requested": "15000"}, content_type="application/json", headers=headers)
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    act = f"/api/v1/funds/projects/{pk}/actions"
    response = client.post(act, {"action": "conclude_appraisal"}, content_type="application/json", headers=headers)
    assert response.status_code == 400 and response.json()["code"] == "out_of_turn"
    response = client.post(act, {"action": "review", "approve": True}, content_type="application/json",
                           headers=headers)
    assert response.json()["state"] == "reviewed" and response.json()["step"] == 3
    response = client.post(act, {"action": "score", "panelist": "张三", "score": "101"},
                           content_type="application/json", headers=headers)
    assert response.status_code == 400 and response.json()["code"] == "score_out_of_scale"


def _many(tree, funds, n):
    with scopes_disabled():
        for i in range(n):
            payment = ledger.prepare_payment(node=tree.b, year=YEAR, category=funds.subsidy, amount=f"{i + 1}",
                                             payee_node=tree.c, purpose=f"慰问{i}", actor=tree.user("b_admin"))
            ledger.approve_payment(payment=payment, actor=tree.user("b_fin"))
            project_at(tree, tree.c, title=f"项目{i}")
            allocations.prepare_allocation(actor=tree.user("b_fin"), from_node=tree.b, targets=[(tree.c, f"{i + 1}")],
                                           year=YEAR, category=funds.subsidy, note=f"待审批{i}")


@pytest.mark.parametrize("url", ["funds:payments", "funds:ledger", "funds:projects", "funds:home", "funds:allocations"])
def test_console_lists_keep_a_flat_number_of_queries(tree, funds, url, django_assert_max_num_queries):
    client = _client(tree)
    _many(tree, funds, 2)
    client.get(reverse(url))
    with django_assert_max_num_queries(30) as few:
        client.get(reverse(url))
    _many(tree, funds, 8)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse(url)).status_code == 200


@pytest.mark.parametrize("url", ["/api/v1/funds/payments", "/api/v1/funds/ledger", "/api/v1/funds/projects",
                                 "/api/v1/funds/allocations", "/api/v1/funds/allocation-orders",
                                 "/api/v1/funds/plans", "/api/v1/funds/summary"])
def test_api_lists_keep_a_flat_number_of_queries(tree, funds, url, django_assert_max_num_queries):
    client, headers = Client(), _api(tree)
    _many(tree, funds, 2)
    client.get(url, headers=headers)
    with django_assert_max_num_queries(30) as few:
        client.get(url, headers=headers)
    _many(tree, funds, 8)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url, headers=headers).status_code == 200


def test_the_project_page_refuses_a_late_objection_and_records_a_timely_one(tree, funds):
    project = advance(tree, project_at(tree, tree.c), ProjectState.PUBLICITY)
    client, url = _client(tree), reverse("funds:project", kwargs={"pk": project.pk})
    late = (project.publicity_until.toordinal() + 1)
    import datetime

    before = snapshot()
    response = client.post(url, {"action": "objection", "raised_by": "职工来信", "text": "迟到的异议",
                                 "on": datetime.date.fromordinal(late).isoformat()}, follow=True)
    assert "逾期提出的异议不予受理" in response.content.decode()
    assert snapshot() == before
    response = client.post(url, {"action": "objection", "raised_by": "职工来信", "text": "选址有争议",
                                 "on": project.publicity_from.isoformat()})
    assert response.status_code == 302
    with scopes_disabled():
        assert project.objections.count() == 1
