"""Two finance officers approving one payment at once pay once; two allocations racing for the
same budget cannot overspend it. Real threads and a barrier, on PostgreSQL (SQLite has one writer)."""

import pytest
from django.db import connection
from django_scopes import scopes_disabled

from gonghui.core.errors import DomainError
from gonghui.funds.models import Allocation, LedgerEntry, Payment
from gonghui.funds.services import ledger
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
    results = race(*[lambda: ledger.allocate(from_node=tree.b, targets=[(tree.c, "150000")], year=YEAR,
                                             category=funds.subsidy, actor=tree.user("b_fin"))] * 2)
    with scopes_disabled():
        assert Allocation.objects.filter(from_node=tree.b).count() == 1
    assert sum(isinstance(r, DomainError) for r in results) == 1, results
