"""Two finance officers approving one payment at once pay once; two allocations racing for the
same budget cannot overspend it. Real threads and a barrier, on PostgreSQL (SQLite has one writer)."""

import pytest
from django.db import connection
from django_scopes import scopes_disabled

from gonghui.core.errors import DomainError
from gonghui.funds import selectors
from gonghui.funds.models import Allocation, LedgerEntry, Payment
from gonghui.funds.services import allocations, ledger
from tests.concurrency import POSTGRESQL_ONLY, race
from tests.factories import make_tree
from tests.funds.kit import YEAR, setup

pytestmark = [
    pytest.mark.django_db(transaction=True),
    POSTGRESQL_ONLY,
]


def test_two_approvals_of_one_payment_at_once_make_one_payment():
    assert connection.vendor == "postgresql"
    with scopes_disabled():
        tree = make_tree()
        funds = setup(tree)
        payment = ledger.prepare_payment(node=tree.b, year=YEAR, category=funds.subsidy, amount="30000",
                                         payee_node=tree.c, purpose="职工之家补助", actor=tree.user("b_admin"))
    results = race(lambda: ledger.approve_payment(payment=payment, actor=tree.user("b_fin")),
                   lambda: ledger.approve_payment(payment=payment, actor=tree.user("b_fin2")))
    with scopes_disabled():
        assert LedgerEntry.objects.filter(payment=payment).count() == 1
        assert Payment.objects.get(pk=payment.pk).status == "paid"
        assert ledger.verify_ledger().ok
    assert sum(isinstance(r, DomainError) for r in results) == 1, results


def test_two_allocations_racing_for_one_budget_cannot_overspend_it():
    with scopes_disabled():
        tree = make_tree()
        funds = setup(tree)  # B holds 200,000 of each category
        # two orders of 150,000 each fit B's 200,000 when prepared; approved at the same moment, one is refused
        orders = [allocations.prepare_allocation(from_node=tree.b, targets=[(tree.c, "150000")], year=YEAR,
                                                 category=funds.subsidy, actor=tree.user("b_fin")) for _ in range(2)]
    results = race(*[lambda o=o: allocations.approve_allocation(order=o, actor=tree.user("b_fin2")) for o in orders])
    with scopes_disabled():
        assert Allocation.objects.filter(from_node=tree.b).count() == 1
    assert sum(isinstance(r, DomainError) for r in results) == 1, results


def test_reversing_one_payment_twice_at_once_writes_one_reversal():
    """Issue 17, finding 3: two finance officers reverse the same paid payment at the same moment."""
    with scopes_disabled():
        tree = make_tree()
        funds = setup(tree)
        payment = ledger.prepare_payment(node=tree.b, year=YEAR, category=funds.subsidy, amount="30000",
                                         payee_node=tree.c, purpose="职工之家补助", actor=tree.user("b_admin"))
        ledger.approve_payment(payment=payment, actor=tree.user("b_fin"))
    results = race(lambda: ledger.reverse_payment(payment=payment, actor=tree.user("b_fin"), reason="重复支付"),
                   lambda: ledger.reverse_payment(payment=payment, actor=tree.user("b_fin2"), reason="账号错误"))
    assert sum(isinstance(r, LedgerEntry) for r in results) == 1, results
    assert sum(isinstance(r, DomainError) and r.code == "not_paid" for r in results) == 1, results
    with scopes_disabled():
        assert LedgerEntry.objects.filter(payment=payment, kind=LedgerEntry.Kind.REVERSAL).count() == 1
        assert selectors.balance_for(node=tree.b, year=YEAR, category=funds.subsidy).spent == 0
        assert Payment.objects.get(pk=payment.pk).status == "reversed"
        assert ledger.verify_ledger().ok


def test_one_idempotency_key_sent_twice_at_once_prepares_one_payment():
    """Issue 17, finding 2 on PostgreSQL: the second insert of the key waits for the first request's
    transaction, then answers from it (or says it is still running): one payment either way."""
    import json

    from django.test import Client

    from tests.test_scope_proof import _token_headers

    with scopes_disabled():
        tree = make_tree()
        funds = setup(tree)
    headers = {**_token_headers(tree, "b_fin"), "Idempotency-Key": "race-1"}
    body = json.dumps({"node_id": tree.b.pk, "year": YEAR, "category_id": funds.subsidy.pk, "amount": "30000",
                       "purpose": "职工之家补助", "payee_node_id": tree.c.pk})
    results = race(*[lambda: Client().post("/api/v1/funds/payments", body, content_type="application/json",
                                           headers=headers)] * 2)
    codes = sorted(r.status_code for r in results)
    assert codes in ([201, 201], [201, 409]), [(r.status_code, r.content) for r in results]
    with scopes_disabled():
        assert Payment.objects.count() == 1
