"""Plans, budgets, allocations, payments and the append-only ledger."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django_scopes import scopes_disabled

from gonghui.core.errors import DomainError, NotPermitted
from gonghui.funds import selectors
from gonghui.funds.models import Allocation, Budget, LedgerEntry, Payment, PaymentStatus, Plan
from gonghui.funds.money import parse_amount
from gonghui.funds.services import allocations, ledger
from gonghui.orgs.models import NodeKind
from tests.funds import kit
from tests.funds.kit import YEAR, setup
from tests.test_scope_proof import snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def funds(tree):
    return setup(tree)


@pytest.mark.parametrize("value, code", [
    ("-5", "amount_not_positive"), ("0", "amount_not_positive"), ("12.345", "amount_precision"),
    ("NaN", "amount_invalid"), ("Infinity", "amount_invalid"), ("1e3x", "amount_invalid"), ("", "amount_missing"),
    (12.5, "amount_float"), ("1000000000000", "amount_too_large"),
])
def test_bad_amounts_are_refused_with_a_reason(value, code):
    with pytest.raises(DomainError) as err:
        parse_amount(value)
    assert err.value.code == code


def test_amounts_are_exact_decimals():
    assert parse_amount("20,000") == Decimal("20000.00")
    assert parse_amount("0.10") + parse_amount("0.20") == Decimal("0.30")


def test_plan_categories_cannot_add_up_to_more_than_the_total(tree, funds):
    before = snapshot()
    with scopes_disabled(), pytest.raises(DomainError) as err:
        ledger.create_plan(node=tree.a, actor=tree.user("a_fin"), name="超额计划", start_year=2026, end_year=2028,
                           total="100", categories=[{"name": "甲", "target_amount": "80"},
                                                    {"name": "乙", "target_amount": "30"}])
    assert err.value.code == "plan_overcommitted"
    assert snapshot() == before


def test_negative_budget_and_over_precise_allocation_change_nothing(tree, funds):
    before = snapshot()
    with scopes_disabled():
        with pytest.raises(DomainError):
            ledger.set_budget(node=tree.b, year=YEAR, category=funds.subsidy, amount="-1", actor=tree.user("a_fin"))
        with pytest.raises(DomainError):
            allocations.prepare_allocation(from_node=tree.b, targets=[(tree.c, "10.001")], year=YEAR, category=funds.subsidy,
                                           actor=tree.user("b_fin"))
    assert snapshot() == before


def test_allocation_beyond_the_parents_budget_is_refused_with_the_shortfall(tree, funds):
    before = snapshot()
    with scopes_disabled(), pytest.raises(DomainError) as err:
        allocations.prepare_allocation(from_node=tree.b, targets=[(tree.c, "250000")], year=YEAR,
                                       category=funds.subsidy, actor=tree.user("b_fin"))
    assert err.value.code == "over_budget"
    assert "50,000.00" in err.value.message  # B holds 200,000
    assert snapshot() == before


def test_allocation_only_downward_and_by_managers(tree, funds):
    with scopes_disabled():
        with pytest.raises(DomainError):
            allocations.prepare_allocation(from_node=tree.b, targets=[(tree.d, "10")], year=YEAR,
                                           category=funds.subsidy, actor=tree.user("a_fin"))
        with pytest.raises(NotPermitted):
            allocations.prepare_allocation(from_node=tree.b, targets=[(tree.c, "10")], year=YEAR,
                                           category=funds.subsidy, actor=tree.user("b_clerk"))


def test_rule_allocates_to_every_union_of_a_type(tree, funds):
    with scopes_disabled():
        order = allocations.prepare_allocation_by_rule(
            from_node=tree.a, node_kind=NodeKind.TOWNSHIP_UNION, amount_each="20000", year=YEAR,
            category=funds.subsidy, actor=tree.user("a_fin"))
        rows = allocations.approve_allocation(order=order, actor=tree.user("a_fin2"))
        assert {r.to_node_id for r in rows} == {tree.b.pk, tree.d.pk}
        assert all(r.amount == Decimal("20000.00") and r.rule for r in rows)
        before = snapshot()
        with pytest.raises(DomainError) as err:  # 1,000,000 - 400,000 - 40,000 = 560,000 left for 2 × 300,000
            allocations.prepare_allocation_by_rule(from_node=tree.a, node_kind=NodeKind.TOWNSHIP_UNION,
                                                   amount_each="300000", year=YEAR, category=funds.subsidy,
                                                   actor=tree.user("a_fin"))
        assert err.value.code == "over_budget" and "40,000.00" in err.value.message
        assert snapshot() == before


def _payment(tree, funds, amount="30000", node=None, actor="b_fin"):
    node = node or tree.b
    return ledger.prepare_payment(node=node, year=YEAR, category=funds.subsidy, amount=amount, payee_node=tree.c,
                                  purpose="职工之家补助", actor=tree.user(actor))


def test_the_preparer_cannot_approve_their_own_payment(tree, funds):
    with scopes_disabled():
        payment = _payment(tree, funds)
        before = snapshot()
        with pytest.raises(DomainError) as err:
            ledger.approve_payment(payment=payment, actor=tree.user("b_fin"))
        assert err.value.code == "own_payment"
        assert snapshot() == before
        with pytest.raises(NotPermitted):  # an admin is not a finance officer
            ledger.approve_payment(payment=payment, actor=tree.user("b_admin"))
        ledger.approve_payment(payment=payment, actor=tree.user("b_fin2"))
        assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.PAID
        assert LedgerEntry.objects.get(payment=payment).amount == Decimal("30000.00")


def test_a_payment_is_approved_once(tree, funds):
    with scopes_disabled():
        payment = _payment(tree, funds)
        ledger.approve_payment(payment=payment, actor=tree.user("b_fin2"))
        with pytest.raises(DomainError) as err:
            ledger.approve_payment(payment=payment, actor=tree.user("a_fin"))
        assert err.value.code == "payment_decided"
        assert LedgerEntry.objects.filter(payment=payment).count() == 1


def test_payment_beyond_what_the_union_holds_is_refused(tree, funds):
    with scopes_disabled():
        payment = _payment(tree, funds, amount="250000")
        with pytest.raises(DomainError) as err:
            ledger.approve_payment(payment=payment, actor=tree.user("b_fin2"))
        assert err.value.code == "over_budget" and "50,000.00" in err.value.message
        assert not LedgerEntry.objects.exists()


def test_reversal_is_a_new_negative_entry_and_the_ledger_verifies(tree, funds):
    with scopes_disabled():
        payment = _payment(tree, funds)
        ledger.approve_payment(payment=payment, actor=tree.user("b_fin2"))
        entry = ledger.reverse_payment(payment=payment, actor=tree.user("b_fin2"), reason="重复申报")
        assert entry.amount == Decimal("-30000.00") and entry.reverses.payment_id == payment.pk
        with pytest.raises(DomainError):
            ledger.reverse_payment(payment=payment, actor=tree.user("b_fin2"), reason="再次冲销")
        assert selectors.balance_for(node=tree.b, year=YEAR, category=funds.subsidy).spent == 0
        assert ledger.verify_ledger().ok and ledger.verify_ledger().checked == 2


def test_the_ledger_cannot_be_edited_and_tampering_is_found(tree, funds, capsys):
    with scopes_disabled():
        for _i in range(3):
            ledger.approve_payment(payment=_payment(tree, funds, amount="100"), actor=tree.user("b_fin2"))
        entry = LedgerEntry.objects.order_by("seq")[1]
        with pytest.raises(PermissionError):
            entry.save()
        with connection.cursor() as cur:  # a forged row, behind the application's back (and its trigger)
            if connection.vendor == "postgresql":
                cur.execute("SET session_replication_role = replica")
            cur.execute("UPDATE funds_ledgerentry SET amount = 1 WHERE id = %s", [entry.pk])
            if connection.vendor == "postgresql":
                cur.execute("SET session_replication_role = DEFAULT")
        result = ledger.verify_ledger()
    assert not result.ok and f"row {entry.seq}" in result.problems[0]
    with pytest.raises(SystemExit):
        call_command("funds_verify_ledger")
    assert f"row {entry.seq}" in capsys.readouterr().out


def test_plan_against_allocated_and_spent_at_every_level(tree, funds, django_assert_max_num_queries):
    with scopes_disabled():
        kit.hand_down(tree, from_node=tree.b, targets=[(tree.c, "50000")], category=funds.subsidy)
        payment = ledger.prepare_payment(node=tree.c, year=YEAR, category=funds.subsidy, amount="12000.50",
                                         payee_name="青山精密机械有限公司工会", purpose="职工活动", actor=tree.user("b_admin"))
        ledger.approve_payment(payment=payment, actor=tree.user("b_fin"))
        with django_assert_max_num_queries(6):
            rows = selectors.funds_by_child(node=tree.a, year=YEAR)
    by_node = {row.node.pk: row for row in rows}
    b = by_node[tree.b.pk]
    assert b.received == Decimal("600000") and b.spent == Decimal("12000.50")
    assert by_node[tree.a.pk].budget == Decimal("3000000")
    with scopes_disabled():
        cats = {row.category.pk: row for row in selectors.funds_by_category(node=tree.a, year=YEAR)}
    assert cats[funds.subsidy.pk].spent == Decimal("12000.50")
    assert cats[funds.subsidy.pk].allocated == Decimal("400000")


def test_budget_cannot_drop_below_what_is_committed(tree, funds):
    with scopes_disabled():
        before = snapshot()
        with pytest.raises(DomainError) as err:
            ledger.set_budget(node=tree.a, year=YEAR, category=funds.subsidy, amount="300000",
                              actor=tree.user("a_fin"))
        assert err.value.code == "budget_committed"
        assert snapshot() == before
        assert Budget.objects.get(node=tree.a, category=funds.subsidy).amount == Decimal("1000000")
        assert Plan.objects.count() == 1 and Allocation.objects.count() == 6


# --- allocation corrections -----------------------------------------------------------------------------

def test_a_wrong_allocation_is_corrected_by_a_reversing_one_and_nothing_is_edited(tree, funds):
    from gonghui.core.models import AuditEntry

    with scopes_disabled():
        wrong = kit.hand_down(tree, from_node=tree.b, targets=[(tree.c, "30000")], category=funds.subsidy)[0]
        before_b = selectors.balance_for(node=tree.b, year=YEAR, category=funds.subsidy)
        reversal = ledger.reverse_allocation(allocation=wrong, actor=tree.user("b_fin2"), reason="应拨3000元，误录为30000元")
        assert reversal.amount == Decimal("-30000.00") and reversal.reverses_id == wrong.pk
        assert reversal.note == "应拨3000元，误录为30000元" and reversal.to_node_id == tree.c.pk
        assert Allocation.objects.get(pk=wrong.pk).amount == Decimal("30000.00")  # the original row stays
        assert selectors.balance_for(node=tree.c, year=YEAR, category=funds.subsidy).received == Decimal("0.00")
        assert selectors.balance_for(node=tree.b, year=YEAR, category=funds.subsidy).free == before_b.free + Decimal(30000)
        assert AuditEntry.objects.filter(action="funds.allocation.reversed").count() == 1
        by_category = {r.category.pk: r for r in selectors.funds_by_category(node=tree.b, year=YEAR)}
        assert by_category[funds.subsidy.pk].allocated == Decimal("0.00")
        for again in (wrong, reversal):  # once only; a correction is not corrected
            with pytest.raises(DomainError):
                ledger.reverse_allocation(allocation=again, actor=tree.user("b_fin"), reason="再次冲销")
        assert Allocation.objects.filter(reverses__isnull=False).count() == 1


def test_a_reversal_the_receiver_can_no_longer_cover_is_refused_with_the_shortfall(tree, funds):
    with scopes_disabled():
        allocation = kit.hand_down(tree, from_node=tree.b, targets=[(tree.c, "5000")], category=funds.subsidy)[0]
        payment = ledger.prepare_payment(node=tree.c, year=YEAR, category=funds.subsidy, amount="2000",
                                         payee_name="困难职工", purpose="慰问金", actor=tree.user("b_admin"))
        ledger.approve_payment(payment=payment, actor=tree.user("b_fin"))
        before = snapshot()
        with pytest.raises(DomainError) as refused:
            ledger.reverse_allocation(allocation=allocation, actor=tree.user("b_fin"), reason="误拨")
        assert refused.value.code == "reversal_short" and "2,000.00" in refused.value.message
        with pytest.raises(DomainError) as refused:
            ledger.reverse_allocation(allocation=allocation, actor=tree.user("b_fin"), reason="  ")
        assert refused.value.code == "required"
        with pytest.raises(NotPermitted):  # a clerk does not move money
            ledger.reverse_allocation(allocation=allocation, actor=tree.user("b_clerk"), reason="误拨")
    assert snapshot() == before


def test_allocations_page_and_api_reverse_an_allocation(tree, funds):
    from django.test import Client

    from gonghui.accounts.services import create_api_token

    with scopes_disabled():
        first = kit.hand_down(tree, from_node=tree.b, targets=[(tree.c, "1000")], category=funds.subsidy)[0]
    client = Client()
    client.force_login(tree.user("b_fin"))
    page = client.get(f"/funds/allocations/?node={tree.b.pk}&year={YEAR}").content.decode()
    assert f"/funds/allocations/{first.pk}/reverse/" in page
    response = client.post(f"/funds/allocations/{first.pk}/reverse/", {"reason": "重复下拨"})
    assert response.status_code == 302
    page = client.get(f"/funds/allocations/?node={tree.b.pk}&year={YEAR}").content.decode()
    assert f'data-reversed="{first.pk}"' in page and "重复下拨" in page
    with scopes_disabled():
        second = kit.hand_down(tree, from_node=tree.b, targets=[(tree.c, "800")], category=funds.subsidy)[0]
        _token, key = create_api_token(user=tree.user("b_fin"), name="t")
    headers = {"Authorization": f"Bearer {key}"}
    response = client.post(f"/api/v1/funds/allocations/{second.pk}/reverse", {"reason": ""},
                           content_type="application/json", headers=headers)
    assert response.status_code == 400
    response = client.post(f"/api/v1/funds/allocations/{second.pk}/reverse", {"reason": "金额有误"},
                           content_type="application/json", headers=headers)
    assert response.status_code == 201 and response.json()["amount"] == "-800.00"
    assert response.json()["reverses_id"] == second.pk
