"""Allocation orders (下拨单): money handed down is prepared by one cadre and approved by another.

- ``prepare_allocation`` / ``prepare_allocation_by_rule``: the order with its receiving unions, checked
  as the booking will be (unions below and active, each once, the category's plan and year, what the
  giving union holds) — a shortfall is named now, not at approval;
- ``approve_allocation``: another manager of the giving union (the declared exclusion ``own_allocation``)
  approves; the lines are checked again under the ledger's lock and booked as ``Allocation`` rows, so
  balances, summaries and statistics only ever count approved money; two approvals at once book once;
- ``reject_allocation``: with a reason; nothing is booked.

The order's status moves only through ``workflow.ALLOCATION_ORDER`` (``core.statemachine``).
"""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.permissions import require
from gonghui.core.audit import audit
from gonghui.core.errors import DomainError
from gonghui.core.limits import excerpt
from gonghui.core.scoping import scopes_disabled

from ..models import (
    Allocation,
    AllocationKind,
    AllocationOrder,
    AllocationOrderLine,
    PlanCategory,
)
from ..money import parse_amount, yuan
from ..selectors import balance_for
from ..workflow import ALLOCATION_ORDER
from .ledger import _check_category, _lock_ledger, _text, _year


def _lines(from_node, targets) -> tuple[list[tuple], Decimal]:
    """[(node, amount)] checked: below the giver, active, each once, a positive exact amount."""
    if not targets:
        raise DomainError("no_targets", _("Choose at least one union to receive the money."), field="to_node")
    rows, total, seen = [], Decimal(0), set()
    for node, amount in targets:
        if node.pk == from_node.pk or not node.path.startswith(from_node.path):
            raise DomainError("not_below", _("Money is handed down only to unions below %(node)s.")
                              % {"node": from_node.name}, field="to_node")
        if node.pk in seen:
            raise DomainError("target_twice", _("%(node)s is listed twice.") % {"node": node.name}, field="to_node")
        if not node.is_active:
            raise DomainError("node_inactive", _("%(node)s is merged or dissolved.") % {"node": node.name},
                              field="to_node")
        seen.add(node.pk)
        amount = parse_amount(amount)
        rows.append((node, amount))
        total += amount
    return rows, total


def _check_free(from_node, year: int, category: PlanCategory, total: Decimal) -> None:
    position = balance_for(node=from_node, year=year, category=category)
    if total > position.free:
        raise DomainError("over_budget", _(
            "%(node)s holds %(free)s yuan of “%(category)s” for %(year)s; handing down %(total)s yuan would "
            "leave a shortfall of %(short)s yuan.") % {
            "node": from_node.name, "free": yuan(position.free), "category": category.name, "year": year,
            "total": yuan(total), "short": yuan(total - position.free)}, field="amount")


@transaction.atomic
def prepare_allocation(*, actor, from_node, targets: list[tuple], year, category: PlanCategory,
                       kind: str = AllocationKind.REGULAR, rule: str = "", note: str = "") -> AllocationOrder:
    """An order handing money down to unions of the subtree: ``targets`` is [(node, amount)]. Nothing is
    booked until another cadre approves it."""
    require(actor, "funds.allocation.create", node=from_node)
    year = _year(year)
    if kind not in AllocationKind.values:
        raise DomainError("allocation_kind", _("Unknown kind of allocation."), field="kind")
    _check_category(category, from_node, year)
    rows, total = _lines(from_node, targets)
    _check_free(from_node, year, category, total)
    rule, note = _text(rule, "rule", 100, required=False), _text(note, "note", 200, required=False)
    order = AllocationOrder.objects.create(from_node=from_node, year=year, category=category, kind=kind, total=total,
                                           rule=rule, note=note, prepared_by=actor)
    AllocationOrderLine.objects.bulk_create([AllocationOrderLine(order=order, to_node=node, amount=amount)
                                             for node, amount in rows])
    audit("funds.allocation.prepared", actor=actor, obj=order, data={
        "year": year, "category": category.pk, "kind": kind, "total": str(total), "count": len(rows), "rule": rule})
    return order


def prepare_allocation_by_rule(*, actor, from_node, node_kind: str, amount_each, year, category: PlanCategory,
                               kind: str = AllocationKind.REGULAR, note: str = "") -> AllocationOrder:
    """E.g. "each street union 20,000 yuan a year": every active union of ``node_kind`` below, in one order."""
    from gonghui.orgs.models import Node, NodeKind, NodeStatus

    if node_kind not in NodeKind.values:
        raise DomainError("node_kind", _("Unknown type of union."), field="node_kind")
    amount = parse_amount(amount_each, field="amount_each")
    nodes = list(Node.objects.filter(path__startswith=from_node.path, kind=node_kind, status=NodeStatus.ACTIVE)
                 .exclude(pk=from_node.pk).order_by("path"))
    if not nodes:
        raise DomainError("no_targets", _("No union of this type lies below %(node)s.") % {"node": from_node.name},
                          field="node_kind")
    rule = _("each %(kind)s %(amount)s yuan") % {"kind": NodeKind(node_kind).label, "amount": yuan(amount)}
    return prepare_allocation(actor=actor, from_node=from_node, targets=[(n, amount) for n in nodes], year=year,
                              category=category, kind=kind, rule=excerpt(rule, AllocationOrder, "rule"), note=note)


def _lock_order(order: AllocationOrder) -> AllocationOrder:
    with scopes_disabled():
        return (AllocationOrder.objects.select_for_update(of=("self",))
                .select_related("from_node", "category__plan__node").get(pk=order.pk))


@transaction.atomic
def approve_allocation(*, actor, order: AllocationOrder) -> list[Allocation]:
    """Another manager of the giving union approves: the lines are checked again and booked."""
    order = _lock_order(order)
    ALLOCATION_ORDER.apply(order, "approve", permit=lambda move: require(
        actor, move.permission, node=order.from_node, done_by={"funds.allocation.create": order.prepared_by_id}))
    _lock_ledger()  # the giver's balance cannot move under the check
    with scopes_disabled():
        lines = list(order.lines.select_related("to_node"))
    rows, total = _lines(order.from_node, [(line.to_node, line.amount) for line in lines])
    _check_category(order.category, order.from_node, order.year)
    _check_free(order.from_node, order.year, order.category, total)
    order.decided_by, order.decided_at = actor, timezone.now()
    order.save(update_fields=["status", "decided_by", "decided_at"])
    created = Allocation.objects.bulk_create([
        Allocation(from_node=order.from_node, to_node=node, year=order.year, category=order.category, kind=order.kind,
                   amount=amount, rule=order.rule, note=order.note, order=order, created_by=actor)
        for node, amount in rows])
    audit("funds.allocation.approved", actor=actor, obj=order, data={
        "year": order.year, "category": order.category_id, "total": str(total), "count": len(created)})
    return created


@transaction.atomic
def reject_allocation(*, actor, order: AllocationOrder, reason: str) -> AllocationOrder:
    order = _lock_order(order)
    ALLOCATION_ORDER.apply(order, "reject", permit=lambda move: require(actor, move.permission, node=order.from_node))
    order.reason = _text(reason, "reason", 200)
    order.decided_by, order.decided_at = actor, timezone.now()
    order.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    audit("funds.allocation.rejected", actor=actor, obj=order, data={"reason": order.reason})
    return order
