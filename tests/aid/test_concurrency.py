"""Races the database must settle: two reviewers approving one application, approvals competing for
the last of a budget, two clerks filing for the same person, two payments of one approval.
Real threads and a barrier, on PostgreSQL (SQLite serializes writers)."""

from decimal import Decimal

import pytest
from django.db import connection
from django_scopes import scopes_disabled

from gonghui.aid.models import Application, Budget, Disbursement, Status
from gonghui.aid.services import applications as apps
from gonghui.aid.services import ledger
from gonghui.core.errors import DomainError
from tests.concurrency import POSTGRESQL_ONLY, race
from tests.factories import make_tree, make_user

from .conftest import make_member, make_programme

pytestmark = [
    pytest.mark.django_db(transaction=True),
    POSTGRESQL_ONLY,
]


def setup(budget="10000"):
    with scopes_disabled():
        tree = make_tree()
        r1 = make_user("r1", node=tree.b, roles=["reviewer"])
        r2 = make_user("r2", node=tree.a, roles=["admin"])
        programme = make_programme(tree, budget=budget)
    return tree, r1, r2, programme


def file(tree, programme, member, amount="800"):
    with scopes_disabled():
        return apps.create_application(programme=programme, member=member, actor=tree.user("b_clerk"),
                                       reason="家中老人重病", amount=amount)


def test_two_reviewers_approving_at_once_give_one_approval_and_one_payout():
    assert connection.vendor == "postgresql"
    tree, r1, r2, programme = setup()
    application = file(tree, programme, make_member(tree))
    results = race(lambda: apps.approve_application(application=application, actor=r1),
                   lambda: apps.approve_application(application=application, actor=r2))
    assert sum(isinstance(r, Application) for r in results) == 1
    assert sum(isinstance(r, DomainError) and r.code == "decided" for r in results) == 1
    with scopes_disabled():
        assert Budget.objects.get().committed == Decimal("800.00")
    # whoever approved may not pay: the other of the two payers pays, once
    results = race(lambda: apps.pay_application(application=application, actor=tree.user("b_admin")),
                   lambda: apps.pay_application(application=application, actor=r2))
    with scopes_disabled():
        assert Disbursement.objects.count() == 1
        assert Application.objects.get().status == Status.PAID
    assert ledger.verify_ledger().ok and ledger.verify_ledger().checked == 1


def test_concurrent_approvals_never_exceed_the_budget():
    tree, r1, r2, programme = setup(budget="2000")
    applications = [file(tree, programme, make_member(tree, seq=i, phone=f"139000000{i:02d}")) for i in range(4)]
    reviewers = [r1, r2, r1, r2]
    results = race(*[lambda a=a, r=r: apps.approve_application(application=a, actor=r) for a, r in zip(applications, reviewers, strict=True)])
    approved = [r for r in results if isinstance(r, Application)]
    assert len(approved) == 2
    assert all(isinstance(r, DomainError) and r.code == "over_budget" for r in results if r not in approved)
    with scopes_disabled():
        assert Budget.objects.get().committed == Decimal("1600.00")


def test_two_clerks_filing_for_the_same_person_make_one_application():
    tree, _r1, _r2, programme = setup()
    member = make_member(tree)
    with scopes_disabled():
        tree.users["b_clerk2"] = make_user("b_clerk2", node=tree.b, roles=["clerk"])
    results = race(*[lambda user=user: apps.create_application(
        programme=programme, member=member, actor=tree.user(user), reason="困难", amount="500")
        for user in ("b_clerk", "b_clerk2", "b_admin")])
    with scopes_disabled():
        assert Application.objects.count() == 1
    assert sum(isinstance(r, Application) for r in results) == 1
    assert all(r.code == "already_applied" for r in results if isinstance(r, DomainError))


def _paid(tree, programme, member, r1):
    application = file(tree, programme, member)
    with scopes_disabled():
        apps.approve_application(application=application, actor=r1)
        apps.pay_application(application=application, actor=tree.user("b_admin"))
    return application


def test_reversing_one_payment_twice_at_once_writes_one_reversal():
    """Issue 17, finding 3: two cadres reverse the same payment at the same moment."""
    tree, r1, r2, programme = setup()
    application = _paid(tree, programme, make_member(tree), r1)
    results = race(lambda: apps.reverse_disbursement(application=application, actor=tree.user("b_admin"), reason="银行退票"),
                   lambda: apps.reverse_disbursement(application=application, actor=r2, reason="账号错误"))
    assert sum(isinstance(r, Disbursement) for r in results) == 1, results
    assert sum(isinstance(r, DomainError) and r.code == "decided" for r in results) == 1, results
    with scopes_disabled():
        assert Disbursement.objects.filter(kind="reversal").count() == 1
        assert sum(d.amount for d in Disbursement.objects.all()) == 0
        assert Application.objects.get().status == Status.APPROVED
    assert ledger.verify_ledger().ok and ledger.verify_ledger().checked == 2


def test_reversing_and_releasing_at_once_returns_the_money_to_the_budget_once():
    tree, r1, r2, programme = setup()
    application = _paid(tree, programme, make_member(tree), r1)
    results = race(*[lambda: apps.reverse_disbursement(application=application, actor=r2, reason="学生放弃入学", release=True)] * 2)
    assert sum(isinstance(r, Disbursement) for r in results) == 1, results
    with scopes_disabled():
        assert Budget.objects.get().committed == 0
        assert Application.objects.get().status == Status.REJECTED


def test_two_shares_carved_at_once_never_exceed_the_budget_above():
    """Issue 16, finding 1: the budget above is locked while a share is carved out of it."""
    from gonghui.aid.services import programmes

    tree, r1, r2, programme = setup(budget="30000")
    a_admin = tree.user("a_admin")
    results = race(lambda: programmes.set_budget(programme=programme, node=tree.b, amount="20000", actor=a_admin),
                   lambda: programmes.set_budget(programme=programme, node=tree.d, amount="20000", actor=a_admin))
    assert sum(isinstance(r, Budget) for r in results) == 1, results
    assert sum(isinstance(r, DomainError) and r.code == "over_parent_budget" for r in results) == 1, results
    with scopes_disabled():
        top = Budget.objects.get(node=tree.a)
        assert top.carved == Decimal("20000") and Budget.objects.count() == 2
