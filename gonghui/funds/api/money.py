"""API of plans, budgets, allocations, payments and the ledger."""

import datetime
from decimal import Decimal

from django.http import Http404, HttpResponse
from django.utils import timezone
from ninja import Field, Schema, Status
from ninja.pagination import paginate

from gonghui.aid.idempotency import idempotent
from gonghui.core.audit import audit
from gonghui.core.limits import limit_of
from gonghui.core.schemas import Count, Id, InputSchema, Pages, Year
from gonghui.core.xlsx import XLSX_CONTENT_TYPE
from gonghui.orgs import selectors as orgs

from .. import exports, selectors
from ..models import AllocationKind, AllocationOrder, Payment, Plan, PlanCategory
from ..services import allocations as allocation_orders
from ..services import ledger
from .common import Amount, category, router


class CategoryOut(Schema):
    id: int
    name: str
    kind: str
    target_amount: Decimal
    target_count: int
    target_unit: str


class PlanOut(Schema):
    id: int
    node_id: int
    name: str
    start_year: int
    end_year: int
    total: Decimal
    categories: list[CategoryOut]

    @staticmethod
    def resolve_categories(obj):
        return list(obj.categories.all())


class CategoryIn(InputSchema):
    name: str = Field(max_length=limit_of(PlanCategory, "name"))
    kind: str = "subsidy"
    target_amount: Amount
    target_count: Count = Field(0, ge=0)
    target_unit: str = Field("", max_length=limit_of(PlanCategory, "target_unit"))


class PlanIn(InputSchema):
    node_id: Id
    name: str = Field(max_length=limit_of(Plan, "name"))
    start_year: Count
    end_year: Count
    total: Amount
    categories: list[CategoryIn]


class BudgetIn(InputSchema):
    node_id: Id
    year: Year
    category_id: Id
    amount: Amount


class BudgetOut(Schema):
    id: int
    node_id: int
    year: int
    category_id: int
    amount: Decimal


class TargetIn(InputSchema):
    node_id: Id
    amount: Amount


class AllocationIn(InputSchema):
    from_node_id: Id
    year: Year
    category_id: Id
    kind: AllocationKind = AllocationKind.REGULAR
    targets: list[TargetIn] = []
    rule_node_kind: str = ""
    rule_amount_each: Amount | None = None
    note: str = Field("", max_length=limit_of(AllocationOrder, "note"))


class AllocationLineOut(Schema):
    to_node_id: int
    to_node_name: str
    amount: Decimal

    @staticmethod
    def resolve_to_node_name(obj):
        return obj.to_node.name


class AllocationOrderOut(Schema):
    id: int
    from_node_id: int
    year: int
    category_id: int
    kind: str
    total: Decimal
    rule: str
    note: str
    status: str
    prepared_by_id: int
    prepared_at: datetime.datetime
    decided_by_id: int | None
    decided_at: datetime.datetime | None
    reason: str
    lines: list[AllocationLineOut]

    @staticmethod
    def resolve_lines(obj):
        return list(obj.lines.all())


class AllocationOut(Schema):
    id: int
    from_node_id: int
    to_node_id: int
    to_node_name: str
    year: int
    category_id: int
    kind: str
    amount: Decimal
    rule: str
    note: str
    reverses_id: int | None
    order_id: int | None
    created_at: datetime.datetime

    @staticmethod
    def resolve_to_node_name(obj):
        return obj.to_node.name


class PaymentIn(InputSchema):
    node_id: Id
    year: Year
    category_id: Id
    amount: Amount
    purpose: str = Field(max_length=limit_of(Payment, "purpose"))
    payee_node_id: Id | None = None
    payee_name: str = Field("", max_length=limit_of(Payment, "payee_name"))


class PaymentOut(Schema):
    id: int
    node_id: int
    year: int
    category_id: int
    payee_node_id: int | None
    payee_name: str
    amount: Decimal
    purpose: str
    status: str
    project_id: int | None
    nomination_id: int | None
    prepared_at: datetime.datetime
    decided_at: datetime.datetime | None
    reason: str


class PaymentDecisionIn(InputSchema):
    approve: bool
    reason: str = Field("", max_length=limit_of(Payment, "reason"))


class ReversalReasonIn(InputSchema):
    reason: str = Field(max_length=limit_of(Payment, "reason"))


class LedgerEntryOut(Schema):
    seq: int
    at: datetime.datetime
    node_id: int
    year: int
    category_id: int
    kind: str
    amount: Decimal
    payee_name: str
    memo: str
    payment_id: int
    reverses_id: int | None
    hash: str


class SummaryRow(Schema):
    node_id: int | None
    node_name: str
    category_id: int | None
    category_name: str
    target_amount: Decimal | None
    budget: Decimal
    received: Decimal
    allocated: Decimal
    spent: Decimal
    execution_percent: Decimal | None


class SummaryOut(Schema):
    node_id: int
    year: int | None
    by_category: list[SummaryRow]
    by_child: list[SummaryRow]



def _row(row, *, by: str) -> dict:
    return {"node_id": row.node.pk if row.node else None, "node_name": row.node.name if row.node else "",
            "category_id": row.category.pk if row.category else None,
            "category_name": row.category.name if row.category else "",
            "target_amount": row.category.target_amount if (row.category and by == "category") else None,
            "budget": row.budget, "received": row.received, "allocated": row.allocated, "spent": row.spent,
            "execution_percent": row.execution}


# --- plans, budgets, allocations ---------------------------------------------------------------------

@router.get("/funds/plans", response=list[PlanOut])
@paginate(Pages, page_size=50)
def list_fund_plans(request, node: Id | None = None):
    return selectors.plan_list(node=orgs.access_node(node) if node is not None else None)


@router.post("/funds/plans", response={201: PlanOut})
def create_fund_plan(request, payload: PlanIn):
    node = orgs.access_node(payload.node_id)
    plan = ledger.create_plan(node=node, actor=request.user, name=payload.name, start_year=payload.start_year,
                              end_year=payload.end_year, total=payload.total,
                              categories=[c.dict() for c in payload.categories])
    return Status(201, selectors.access_plan(plan.pk))


@router.get("/funds/summary", response=SummaryOut)
def funds_summary(request, node: Id | None = None, year: Year | None = None):
    """Plan against budgeted, received, handed down and spent: per category, and per child union."""
    scope_node = orgs.access_node(node) if node is not None else selectors.default_node()
    if scope_node is None:
        raise Http404
    return {"node_id": scope_node.pk, "year": year,
            "by_category": [_row(r, by="category") for r in selectors.funds_by_category(node=scope_node, year=year)],
            "by_child": [_row(r, by="child") for r in selectors.funds_by_child(node=scope_node, year=year)]}


@router.post("/funds/budgets", response={201: BudgetOut})
def set_fund_budget(request, payload: BudgetIn):
    node = orgs.access_node(payload.node_id)
    return Status(201, ledger.set_budget(node=node, year=payload.year, category=category(payload.category_id),
                                         amount=payload.amount, actor=request.user))


@router.get("/funds/allocations", response=list[AllocationOut])
@paginate(Pages, page_size=100)
def list_fund_allocations(request, node: Id | None = None, year: Year | None = None):
    return selectors.allocation_list(node=orgs.access_node(node) if node is not None else None, year=year)


@router.get("/funds/allocation-orders", response=list[AllocationOrderOut])
@paginate(Pages, page_size=50)
def list_fund_allocation_orders(request, node: Id | None = None, year: Year | None = None, status: str = ""):
    """Allocation orders of the unions in scope (the giver's), newest first; ``status``: prepared, approved, rejected."""
    return selectors.allocation_order_list(node=orgs.access_node(node) if node is not None else None, year=year,
                                           status=status)


@router.post("/funds/allocation-orders", response={201: AllocationOrderOut})
@idempotent("funds.allocation.create")
def prepare_fund_allocation_order(request, payload: AllocationIn):
    """An order handing money down: either ``targets`` (per-node amounts) or a rule (``rule_node_kind`` +
    ``rule_amount_each``). Nothing is booked until another cadre approves it."""
    from_node = orgs.access_node(payload.from_node_id)
    chosen = category(payload.category_id)
    if payload.rule_node_kind:
        order = allocation_orders.prepare_allocation_by_rule(
            actor=request.user, from_node=from_node, node_kind=payload.rule_node_kind,
            amount_each=payload.rule_amount_each, year=payload.year, category=chosen, kind=payload.kind,
            note=payload.note)
    else:
        targets = [(orgs.access_node(t.node_id), t.amount) for t in payload.targets]
        order = allocation_orders.prepare_allocation(actor=request.user, from_node=from_node, targets=targets,
                                                     year=payload.year, category=chosen, kind=payload.kind,
                                                     note=payload.note)
    return Status(201, selectors.access_allocation_order(order.pk))


@router.post("/funds/allocation-orders/{order_id}/approve", response={201: list[AllocationOut]})
@idempotent("funds.allocation.approve")
def approve_fund_allocation_order(request, order_id: Id):
    """Another cadre of the giving union (never the preparer) approves: the booked allocations are answered."""
    order = selectors.access_allocation_order(order_id)
    return Status(201, allocation_orders.approve_allocation(actor=request.user, order=order))


@router.post("/funds/allocation-orders/{order_id}/reject", response=AllocationOrderOut)
def reject_fund_allocation_order(request, order_id: Id, payload: ReversalReasonIn):
    order = selectors.access_allocation_order(order_id)
    allocation_orders.reject_allocation(actor=request.user, order=order, reason=payload.reason)
    return selectors.access_allocation_order(order.pk)


# --- payments and the ledger -------------------------------------------------------------------------

@router.post("/funds/allocations/{allocation_id}/reverse", response={201: AllocationOut})
@idempotent("funds.allocation.reverse")
def reverse_fund_allocation(request, allocation_id: Id, payload: ReversalReasonIn):
    """Correct an allocation by a reversing one with the reason (refused when the receiver no longer holds it)."""
    allocation = selectors.access_allocation(allocation_id)
    return Status(201, ledger.reverse_allocation(allocation=allocation, actor=request.user, reason=payload.reason))


@router.get("/funds/payments", response=list[PaymentOut])
@paginate(Pages, page_size=50)
def list_fund_payments(request, node: Id | None = None, status: str = ""):
    return selectors.payment_list(node=orgs.access_node(node) if node is not None else None, status=status)


@router.post("/funds/payments", response={201: PaymentOut})
@idempotent("funds.payment.prepare")
def prepare_fund_payment(request, payload: PaymentIn):
    node = orgs.access_node(payload.node_id)
    payee = orgs.access_node(payload.payee_node_id) if payload.payee_node_id else None
    return Status(201, ledger.prepare_payment(node=node, year=payload.year, category=category(payload.category_id),
                                              amount=payload.amount, purpose=payload.purpose, actor=request.user,
                                              payee_node=payee, payee_name=payload.payee_name))


@router.get("/funds/payments/{payment_id}", response=PaymentOut)
def get_fund_payment(request, payment_id: Id):
    return selectors.access_payment(payment_id)


@router.post("/funds/payments/{payment_id}/decision", response=PaymentOut)
@idempotent("funds.payment.decide")
def decide_fund_payment(request, payment_id: Id, payload: PaymentDecisionIn):
    payment = selectors.access_payment(payment_id)
    if payload.approve:
        return ledger.approve_payment(payment=payment, actor=request.user)
    return ledger.reject_payment(payment=payment, actor=request.user, reason=payload.reason)


@router.post("/funds/payments/{payment_id}/reverse", response=LedgerEntryOut)
@idempotent("funds.payment.reverse")
def reverse_fund_payment(request, payment_id: Id, payload: ReversalReasonIn):
    payment = selectors.access_payment(payment_id)
    return ledger.reverse_payment(payment=payment, actor=request.user, reason=payload.reason)


def _year_of(year: int | None) -> int:
    return year if year and 2000 <= year <= 2100 else timezone.localdate().year


@router.get("/funds/ledger/export.xlsx")
def export_fund_ledger(request, node: Id | None = None, year: Year | None = None):
    """The ledger of a union's subtree (default: the top of the caller's scope) for a year, as xlsx; audited."""
    scope_node = orgs.access_node(node) if node is not None else selectors.default_node()
    if scope_node is None:
        raise Http404
    year = _year_of(year)
    content, count = exports.ledger_workbook(selectors.ledger_list(node=scope_node, year=year),
                                             title=f"ledger {year}", exported_by=str(request.user))
    audit("funds.ledger.exported", actor=request.user, obj=scope_node, data={"year": year, "rows": count,
                                                                            "channel": "api"})
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="ledger-{year}.xlsx"'
    return response


@router.get("/funds/summary/export.xlsx")
def export_funds_summary(request, node: Id | None = None, year: Year | None = None):
    """Plan vs allocated vs spent of a union for a year, as xlsx; audited."""
    scope_node = orgs.access_node(node) if node is not None else selectors.default_node()
    if scope_node is None:
        raise Http404
    year = _year_of(year)
    content, count = exports.plan_workbook(node=scope_node, year=year, exported_by=str(request.user))
    audit("funds.plan_vs_spent.exported", actor=request.user, obj=scope_node, data={"year": year, "rows": count,
                                                                                   "channel": "api"})
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="funds-{year}.xlsx"'
    return response


@router.get("/funds/ledger", response=list[LedgerEntryOut])
@paginate(Pages, page_size=100)
def list_fund_ledger(request, node: Id | None = None, year: Year | None = None):
    return selectors.ledger_list(node=orgs.access_node(node) if node is not None else None, year=year)


