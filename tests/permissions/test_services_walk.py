"""The money actions (aid and funds: enter, approve, pay, reverse, budget) and the members' full-data
actions driven through the real services by every role alone and by mixed-role cadres (issue 16,
findings 1 and 3). For each cadre the service succeeds exactly when the declared decision allows it
(test_matrix proves that decision equals the declaration); otherwise it refuses with the action's
code or the declared exclusion's code and nothing changes. Each success is rolled back so that every
cadre meets the same object."""

import pytest
from django.db import transaction
from django_scopes import scopes_disabled

from gonghui.accounts import permissions as perms
from gonghui.accounts.models import Role
from gonghui.aid.services import applications, programmes
from gonghui.core import permissions as declared
from gonghui.core.errors import DomainError, NotPermitted
from gonghui.funds.models import PaymentStatus
from gonghui.funds.services import ledger
from gonghui.members import selectors as members_selectors
from gonghui.members.services import roster
from tests.aid.conftest import make_member, make_programme
from tests.factories import make_user
from tests.funds.kit import YEAR as FUNDS_YEAR
from tests.funds.kit import setup as funds_setup
from tests.test_scope_proof import snapshot

CADRES = {f"s_b_{role}": [(role, "b")] for role in Role.values} | {
    "s_d_admin": [(Role.ADMIN, "d")],
    "s_a_finance": [(Role.FINANCE, "a")],
    "s_mix_reviewer_a_clerk_b": [(Role.REVIEWER, "a"), (Role.CLERK, "b")],
    "s_mix_finance_admin_b": [(Role.FINANCE, "b"), (Role.ADMIN, "b")],
    "s_mix_clerk_d_reviewer_b": [(Role.CLERK, "d"), (Role.REVIEWER, "b")],
    "s_mix_reviewer_b_finance_d": [(Role.REVIEWER, "b"), (Role.FINANCE, "d")],
}


class _Undo(Exception):
    pass


@pytest.fixture
def cadres(tree):
    nodes = {"a": tree.a, "b": tree.b, "c": tree.c, "d": tree.d}
    users = {}
    with scopes_disabled():
        for name, held in CADRES.items():
            user = make_user(name)
            for role, at in held:
                user.roles.create(node=nodes[at], role=role)
            users[name] = user
    return users


def walk(code: str, users: dict, attempt, *, node, done_by=None) -> dict:
    """Try ``attempt(user)`` for every cadre; returns {name: succeeded}."""
    act = declared.action(code)
    codes = {rule.code for rule in act.excludes}
    outcome = {}
    for name, user in users.items():
        perms.forget(user)
        expected = perms.allowed(user, code, node=node, done_by=done_by)
        before = snapshot()
        try:
            with transaction.atomic(), scopes_disabled():
                attempt(user)
                raise _Undo
        except _Undo:
            outcome[name] = True
        except NotPermitted as exc:
            assert exc.permission == code, (code, name, exc.permission)
            outcome[name] = False
        except DomainError as exc:
            assert exc.code in codes, (code, name, exc.code, exc.message)
            outcome[name] = False
        if not outcome[name]:
            assert snapshot() == before, (code, name)
        assert outcome[name] is expected, (code, name)
    assert any(outcome.values()) and not all(outcome.values()), (code, outcome)
    return outcome


# --- aid --------------------------------------------------------------------------------------------

@pytest.fixture
def aid(tree, cadres):
    with scopes_disabled():
        tree.users["w_reviewer"] = make_user("w_reviewer", node=tree.a, roles=[Role.REVIEWER])
        tree.users["w_finance"] = make_user("w_finance", node=tree.a, roles=[Role.FINANCE])
        programme = make_programme(tree, budget="100000")
        members = [make_member(tree, seq=100 + i, phone=f"1391234560{i}") for i in range(4)]

        def filed(member):
            return applications.create_application(programme=programme, actor=tree.user("b_clerk"), member=member,
                                                   reason="家庭困难", amount="500")

        submitted = filed(members[0])
        approved = applications.approve_application(application=filed(members[1]), actor=tree.user("w_reviewer"))
        paid = applications.approve_application(application=filed(members[2]), actor=tree.user("w_reviewer"))
        applications.pay_application(application=paid, actor=tree.user("w_finance"))
    return tree, programme, members[3], submitted, approved, paid


def _done(application) -> dict:
    application.refresh_from_db()
    return {"aid.application.create": application.entered_by_id,
            "aid.application.first_pass": application.first_reviewed_by_id,
            "aid.application.approve": application.decided_by_id, "aid.application.raise": application.raised_by_id}


def test_aid_enter(aid, cadres):
    tree, programme, member, *_ = aid
    walk("aid.application.create", cadres, lambda u: applications.create_application(
        programme=programme, actor=u, member=member, reason="家庭困难", amount="500"), node=member.node)


def test_aid_approve_never_by_whoever_entered(aid, cadres, tree):
    _tree, _programme, _member, submitted, *_ = aid
    entered = make_user("s_enterer_clerk_reviewer", node=tree.b, roles=[Role.CLERK, Role.REVIEWER])
    with scopes_disabled():
        submitted.entered_by = entered
        submitted.save(update_fields=["entered_by"])
    outcome = walk("aid.application.approve", cadres | {"entered": entered},
                   lambda u: applications.approve_application(application=submitted, actor=u),
                   node=submitted.node, done_by=_done(submitted))
    assert outcome["entered"] is False and outcome["s_mix_reviewer_a_clerk_b"] is True


def test_aid_pay_never_by_whoever_approved(aid, cadres, tree):
    *_, approved, _paid = aid
    with scopes_disabled():
        approver = make_user("s_approver_finance", node=tree.b, roles=[Role.REVIEWER, Role.FINANCE])
        approved.decided_by = approver
        approved.save(update_fields=["decided_by"])
    outcome = walk("aid.application.pay", cadres | {"approver": approver},
                   lambda u: applications.pay_application(application=approved, actor=u),
                   node=approved.node, done_by=_done(approved))
    assert outcome["approver"] is False and outcome["s_b_finance"] is True and outcome["s_b_reviewer"] is False


def test_aid_reverse(aid, cadres):
    *_, paid = aid
    walk("aid.application.reverse", cadres, lambda u: applications.reverse_disbursement(application=paid, actor=u, reason="退回"),
         node=paid.node)


def test_aid_budget_share_is_carved_by_the_union_holding_the_budget_above(aid, cadres):
    tree, programme, *_ = aid
    outcome = walk("aid.budget.set", cadres, lambda u: programmes.set_budget(
        programme=programme, node=tree.b, amount="1000", actor=u), node=tree.a)
    assert outcome["s_b_admin"] is False  # a township cannot hand itself the county's money
    assert outcome["s_a_finance"] is True


# --- funds ------------------------------------------------------------------------------------------

@pytest.fixture
def funds(tree, cadres):
    kit = funds_setup(tree)
    with scopes_disabled():
        def prepared(purpose):
            return ledger.prepare_payment(node=tree.b, year=FUNDS_YEAR, category=kit.subsidy, amount="100",
                                          purpose=purpose, actor=tree.user("b_clerk"), payee_node=tree.c)

        waiting = prepared("乡镇工会经费补助（一季度）")
        paid = prepared("乡镇工会经费补助（二季度）")
        paid = ledger.approve_payment(payment=paid, actor=tree.user("b_fin"))
    return kit, waiting, paid


def test_funds_budget(funds, cadres, tree):
    kit, *_ = funds
    walk("funds.budget.set", cadres, lambda u: ledger.set_budget(node=tree.b, year=FUNDS_YEAR, category=kit.subsidy,
                                                                  amount="150000", actor=u), node=tree.b)


def test_funds_prepare(funds, cadres, tree):
    kit, *_ = funds
    walk("funds.payment.prepare", cadres, lambda u: ledger.prepare_payment(
        node=tree.b, year=FUNDS_YEAR, category=kit.subsidy, amount="100", purpose="补助", actor=u,
        payee_node=tree.c), node=tree.b)


def test_funds_approve_never_by_the_preparer(funds, cadres, tree):
    _kit, waiting, _paid = funds
    with scopes_disabled():
        preparer = make_user("s_preparer_finance", node=tree.b, roles=[Role.FINANCE])
        waiting.prepared_by = preparer
        waiting.save(update_fields=["prepared_by"])
    outcome = walk("funds.payment.approve", cadres | {"preparer": preparer},
                   lambda u: ledger.approve_payment(payment=waiting, actor=u), node=tree.b,
                   done_by={"funds.payment.prepare": preparer.pk})
    assert outcome["preparer"] is False and outcome["s_b_finance"] is True and outcome["s_mix_finance_admin_b"] is True


def test_funds_reverse(funds, cadres, tree):
    *_, paid = funds
    assert paid.status == PaymentStatus.PAID
    walk("funds.payment.reverse", cadres, lambda u: ledger.reverse_payment(payment=paid, actor=u, reason="退回"),
         node=tree.b)


# --- members' full data (finding 3: decided per row from the roles covering that row) ---------------

def test_member_reveal_and_full_data_per_row(tree, cadres):
    with scopes_disabled():
        at_c = make_member(tree, seq=201, phone="13912345601")
        at_d = make_member(tree, tree.d, seq=202, phone="13912345602")
    walk("members.member.reveal", cadres, lambda u: roster.reveal_member(member=at_c, actor=u), node=at_c.node)
    for name, user in cadres.items():
        scope = members_selectors.full_view_scope(user)
        for member in (at_c, at_d):
            expected = perms.allowed(user, "members.member.full_data", node=member.node)
            assert scope(member.node.path) is expected, (name, member.node.name)
            assert members_selectors.may_see_full(user, member) is expected
    mixed = cadres["s_mix_reviewer_a_clerk_b"]  # reviewer over the county, clerk of one township
    assert members_selectors.may_see_full(mixed, at_c) and not members_selectors.may_see_full(mixed, at_d)
