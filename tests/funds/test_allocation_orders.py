"""Money handed down (下拨) is prepared by one cadre and approved by another: until approval nothing is
booked, and whoever prepared the order never approves it."""

from decimal import Decimal

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from gonghui.core.errors import DomainError, NotPermitted
from gonghui.core.models import AuditEntry
from gonghui.funds import selectors
from gonghui.funds.models import Allocation, AllocationOrder, AllocationOrderStatus
from gonghui.funds.services import allocations
from tests.funds.kit import YEAR, setup
from tests.test_scope_proof import snapshot


@pytest.fixture
def funds(tree):
    return setup(tree)


def _order(tree, funds, amount="30000", actor="b_fin"):
    return allocations.prepare_allocation(actor=tree.user(actor), from_node=tree.b, targets=[(tree.c, amount)],
                                          year=YEAR, category=funds.subsidy, note="乡镇工会经费补助")


def test_a_prepared_order_books_nothing_until_another_cadre_approves_it(tree, funds):
    with scopes_disabled():
        before = selectors.balance_for(node=tree.b, year=YEAR, category=funds.subsidy)
        order = _order(tree, funds)
        assert order.status == AllocationOrderStatus.PREPARED and order.total == Decimal("30000.00")
        assert not Allocation.objects.filter(to_node=tree.c).exists()
        assert selectors.balance_for(node=tree.b, year=YEAR, category=funds.subsidy) == before
        assert selectors.balance_for(node=tree.c, year=YEAR, category=funds.subsidy).received == 0
        rows = allocations.approve_allocation(actor=tree.user("b_fin2"), order=order)
        assert [(r.to_node_id, r.amount, r.order_id) for r in rows] == [(tree.c.pk, Decimal("30000.00"), order.pk)]
        assert selectors.balance_for(node=tree.b, year=YEAR, category=funds.subsidy).free == before.free - 30000
        assert selectors.balance_for(node=tree.c, year=YEAR, category=funds.subsidy).received == Decimal("30000.00")
        order.refresh_from_db()
        assert order.status == AllocationOrderStatus.APPROVED and order.decided_by == tree.user("b_fin2")
        by_category = {r.category.pk: r for r in selectors.funds_by_category(node=tree.b, year=YEAR)}
        assert by_category[funds.subsidy.pk].allocated == Decimal("30000.00")
        assert list(AuditEntry.objects.filter(action__startswith="funds.allocation.").values_list(
            "action", flat=True).order_by("-seq")[:2]) == ["funds.allocation.approved", "funds.allocation.prepared"]


def test_whoever_prepares_an_order_does_not_approve_it(tree, funds):
    with scopes_disabled():
        order = _order(tree, funds)
        before = snapshot()
        with pytest.raises(DomainError) as refused:
            allocations.approve_allocation(actor=tree.user("b_fin"), order=order)
        assert refused.value.code == "own_allocation"
        assert "另一" in str(refused.value.message) or "another" in str(refused.value.message)
        with pytest.raises(NotPermitted):  # a clerk does not move money
            allocations.approve_allocation(actor=tree.user("b_clerk"), order=order)
        with pytest.raises(NotPermitted):  # a finance officer of the union beside does not either
            allocations.approve_allocation(actor=tree.user("d_fin"), order=order)
        assert AllocationOrder.objects.get(pk=order.pk).status == AllocationOrderStatus.PREPARED
    assert snapshot() == before


def test_approval_checks_the_money_again_and_decides_once(tree, funds):
    with scopes_disabled():
        # B holds 200,000: each order fits alone when prepared, together they do not
        first, second = _order(tree, funds, "150000"), _order(tree, funds, "150000")
        allocations.approve_allocation(actor=tree.user("b_fin2"), order=first)
        before = snapshot()
        with pytest.raises(DomainError) as refused:
            allocations.approve_allocation(actor=tree.user("b_fin2"), order=second)
        assert refused.value.code == "over_budget" and "100,000.00" in refused.value.message  # the shortfall
        assert snapshot() == before
        with pytest.raises(DomainError) as refused:
            allocations.approve_allocation(actor=tree.user("b_admin"), order=first)
        assert refused.value.code == "allocation_decided"
        assert Allocation.objects.filter(order=first).count() == 1


def test_a_rejected_order_needs_a_reason_and_books_nothing(tree, funds):
    with scopes_disabled():
        order = _order(tree, funds)
        before = snapshot()
        with pytest.raises(DomainError) as refused:
            allocations.reject_allocation(actor=tree.user("b_fin2"), order=order, reason="   ")
        assert refused.value.code == "required"
        assert snapshot() == before
        allocations.reject_allocation(actor=tree.user("b_fin2"), order=order, reason="拨付对象应为C工会下属企业")
        order.refresh_from_db()
        assert order.status == AllocationOrderStatus.REJECTED and order.reason == "拨付对象应为C工会下属企业"
        with pytest.raises(DomainError) as refused:
            allocations.approve_allocation(actor=tree.user("b_admin"), order=order)
        assert refused.value.code == "allocation_decided"
        assert not Allocation.objects.filter(to_node=tree.c).exists()


def test_the_allocations_page_shows_waiting_orders_with_the_approve_button_for_another_cadre(tree, funds):
    with scopes_disabled():
        order = _order(tree, funds, "12345.60")
    url = f"/funds/allocations/?node={tree.b.pk}&year={YEAR}"
    preparer = Client()
    preparer.force_login(tree.user("b_fin"))
    page = preparer.get(url).content.decode()
    assert f'data-order="{order.pk}"' in page and "12,345.60" in page
    assert f"/funds/allocation-orders/{order.pk}/approve/" not in page  # not for the one who prepared it
    response = preparer.post(f"/funds/allocation-orders/{order.pk}/approve/")
    assert response.status_code == 302
    with scopes_disabled():
        assert AllocationOrder.objects.get(pk=order.pk).status == AllocationOrderStatus.PREPARED
    approver = Client()
    approver.force_login(tree.user("b_fin2"))
    page = approver.get(url).content.decode()
    assert f"/funds/allocation-orders/{order.pk}/approve/" in page
    assert approver.post(f"/funds/allocation-orders/{order.pk}/approve/").status_code == 302
    with scopes_disabled():
        assert Allocation.objects.get(order=order).amount == Decimal("12345.60")
    page = approver.get(url).content.decode()
    assert f'data-order="{order.pk}"' not in page  # no longer waiting; booked in the list below
