"""Issue 17, finding 2: two identical POSTs preparing a funds payment without a project or
nomination made two prepared payments. Money-creating calls take an ``Idempotency-Key``; an
identical payment already waiting is refused by the database; the console form carries a
one-time token, so a double submit makes one payment."""

import json

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from gonghui.aid.models import IdempotencyKey
from gonghui.funds.models import Allocation, AllocationOrder, LedgerEntry, Payment
from tests.funds.kit import YEAR, setup
from tests.test_scope_proof import _cadre_client, _token_headers, snapshot


@pytest.fixture
def funds(tree):
    return setup(tree)


def _body(tree, funds, **over) -> dict:
    return {"node_id": tree.b.pk, "year": YEAR, "category_id": funds.subsidy.pk, "amount": "30000",
            "purpose": "职工之家补助", "payee_node_id": tree.c.pk, **over}


def _post(client, url, body, headers, key=None):
    extra = {"Idempotency-Key": key} if key else {}
    return client.post(url, json.dumps(body), content_type="application/json", headers={**headers, **extra})


def test_the_same_key_twice_prepares_one_payment_and_answers_the_first_answer_again(tree, funds):
    client, headers = Client(), _token_headers(tree, "b_fin")
    first = _post(client, "/api/v1/funds/payments", _body(tree, funds), headers, key="pay-2026-0001")
    second = _post(client, "/api/v1/funds/payments", _body(tree, funds), headers, key="pay-2026-0001")
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json() and second["Idempotent-Replayed"] == "true"
    with scopes_disabled():
        assert Payment.objects.count() == 1


def test_the_same_key_with_another_body_is_refused_and_changes_nothing(tree, funds):
    client, headers = Client(), _token_headers(tree, "b_fin")
    _post(client, "/api/v1/funds/payments", _body(tree, funds), headers, key="pay-2026-0002")
    before = snapshot()
    other = _post(client, "/api/v1/funds/payments", _body(tree, funds, amount="40000"), headers, key="pay-2026-0002")
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
    assert "Idempotency-Key" in other.json()["detail"]
    assert snapshot() == before


def test_keys_belong_to_one_user_and_a_refused_request_keeps_no_key(tree, funds):
    client = Client()
    bad = _post(client, "/api/v1/funds/payments", _body(tree, funds, amount="-5"), _token_headers(tree, "b_fin"),
                key="k-1")
    assert bad.status_code in (400, 422)
    with scopes_disabled():
        assert not IdempotencyKey.objects.exists()
    ok = _post(client, "/api/v1/funds/payments", _body(tree, funds), _token_headers(tree, "b_fin"), key="k-1")
    assert ok.status_code == 201
    # another finance officer's "k-1" is their own key: it does its own work (and meets the waiting rule)
    theirs = _post(client, "/api/v1/funds/payments", _body(tree, funds, purpose="第二笔补助"),
                   _token_headers(tree, "b_fin2"), key="k-1")
    assert theirs.status_code == 201 and theirs.json()["id"] != ok.json()["id"]
    malformed = _post(client, "/api/v1/funds/payments", _body(tree, funds), _token_headers(tree, "b_fin"),
                      key="密钥" * 3)
    assert malformed.status_code == 400 and malformed.json()["code"] == "idempotency_key_invalid"


def test_an_identical_payment_already_waiting_is_refused_without_a_key(tree, funds):
    """The issue's two identical POSTs (no key): the second is refused, by the database's rule."""
    client, headers = Client(), _token_headers(tree, "b_fin")
    assert _post(client, "/api/v1/funds/payments", _body(tree, funds), headers).status_code == 201
    before = snapshot()
    again = _post(client, "/api/v1/funds/payments", _body(tree, funds), headers)
    assert again.status_code == 400 and again.json()["code"] == "payment_waiting"
    assert snapshot() == before


def test_allocation_and_decision_replay_instead_of_doing_twice(tree, funds):
    client, headers = Client(), _token_headers(tree, "b_fin")
    allocation = {"from_node_id": tree.b.pk, "year": YEAR, "category_id": funds.subsidy.pk,
                  "targets": [{"node_id": tree.c.pk, "amount": "1000"}]}
    first = _post(client, "/api/v1/funds/allocation-orders", allocation, headers, key="alloc-1")
    second = _post(client, "/api/v1/funds/allocation-orders", allocation, headers, key="alloc-1")
    assert first.status_code == second.status_code == 201 and first.json() == second.json()
    approve = f"/api/v1/funds/allocation-orders/{first.json()['id']}/approve"
    one = _post(client, approve, {}, _token_headers(tree, "b_fin2"), key="approve-1")
    two = _post(client, approve, {}, _token_headers(tree, "b_fin2"), key="approve-1")
    assert one.status_code == two.status_code == 201 and one.json() == two.json()
    payment = _post(client, "/api/v1/funds/payments", _body(tree, funds), headers).json()
    approver = _token_headers(tree, "b_fin2")
    url = f"/api/v1/funds/payments/{payment['id']}/decision"
    one = _post(client, url, {"approve": True}, approver, key="decide-1")
    two = _post(client, url, {"approve": True}, approver, key="decide-1")
    assert one.status_code == two.status_code == 200 and one.json() == two.json()
    with scopes_disabled():
        assert Allocation.objects.filter(from_node=tree.b).count() == 1
        assert LedgerEntry.objects.filter(payment_id=payment["id"]).count() == 1


def test_a_double_submitted_console_form_prepares_one_payment(tree, funds):
    client = _cadre_client(tree, "b_fin")
    page = client.get(f"/funds/payments/?node={tree.b.pk}")
    text = page.content.decode()
    assert 'name="form_token"' in text
    token = text.split('name="form_token" value="')[1].split('"')[0]
    form = {"year": YEAR, "category": funds.subsidy.pk, "amount": "30000", "purpose": "职工之家补助",
            "payee_node": tree.c.pk, "payee_name": "", "form_token": token}
    first = client.post(f"/funds/payments/?node={tree.b.pk}", form)
    second = client.post(f"/funds/payments/?node={tree.b.pk}", form)
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    with scopes_disabled():
        assert Payment.objects.count() == 1


def test_a_double_submitted_allocation_form_hands_down_once(tree, funds):
    client = _cadre_client(tree, "b_fin")
    text = client.get(f"/funds/allocations/?node={tree.b.pk}").content.decode()
    token = text.split('name="form_token" value="')[1].split('"')[0]
    form = {"year": YEAR, "category": funds.subsidy.pk, "mode": "one", "to_node": tree.c.pk, "amount": "1000",
            "kind": "regular", "note": "", "form_token": token}
    first = client.post(f"/funds/allocations/?node={tree.b.pk}", form)
    second = client.post(f"/funds/allocations/?node={tree.b.pk}", form)
    assert first.status_code == second.status_code == 302
    with scopes_disabled():
        assert AllocationOrder.objects.filter(from_node=tree.b).count() == 1
