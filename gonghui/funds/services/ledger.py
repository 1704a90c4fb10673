"""Plans, budgets, allocations downward, payments and the append-only ledger.

Rules enforced here (console, API, demo and projects all come through these functions):

- amounts are exact decimals (``money.parse_amount``);
- a union hands down only what it has: its own budget plus what it received, minus what it
  already handed down and spent, per year and category; beyond that the allocation is refused
  with the shortfall;
- a payment is prepared by one cadre and approved by a finance officer of the paying union who
  is not the preparer; approval is a conditional update, so two approvals at once pay once;
- the ledger is append-only: a paid payment is undone by a reversing entry; it is a log of
  ``core.log`` (keyed row hash, order from the table's sequence, signed checkpoints), verified
  with the audit log by ``gonghui audit-verify``.
"""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.permissions import require
from gonghui.core import log
from gonghui.core.audit import audit
from gonghui.core.errors import DomainError
from gonghui.core.limits import excerpt
from gonghui.core.scoping import scopes_disabled
from gonghui.core.text import clean_name

from ..models import (
    Allocation,
    Budget,
    CategoryKind,
    LedgerEntry,
    LedgerHead,
    Payment,
    PaymentStatus,
    Plan,
    PlanCategory,
)
from ..money import parse_amount, yuan
from ..selectors import balance_for, payment_done_by


def _year(value) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise DomainError("year_invalid", _("Enter a year such as 2026."), field="year") from None
    if not 2000 <= year <= 2100:
        raise DomainError("year_invalid", _("Enter a year such as 2026."), field="year")
    return year


def _text(value: str, field: str, max_length: int = 100, required: bool = True) -> str:
    from django.core.exceptions import ValidationError

    if not (value or "").strip():
        if required:
            raise DomainError("required", _("This field is required."), field=field)
        return ""
    try:
        return clean_name(value, max_length=max_length)
    except ValidationError as exc:
        raise DomainError("text_invalid", " ".join(exc.messages), field=field) from None


# --- plans and budgets -----------------------------------------------------------------------------

@transaction.atomic
def create_plan(*, actor, node, name: str, start_year, end_year, total, categories: list[dict]) -> Plan:
    """A multi-year plan with its categories; the categories may not add up to more than the total."""
    require(actor, "funds.plan.create", node=node)
    start, end = _year(start_year), _year(end_year)
    if end < start or end - start > 9:
        raise DomainError("years_invalid", _("The last year must follow the first, ten years at most."),
                          field="end_year")
    total = parse_amount(total, field="total")
    if not categories:
        raise DomainError("no_categories", _("A plan needs at least one category."), field="categories")
    plan = Plan.objects.create(node=node, name=_text(name, "name"), start_year=start, end_year=end, total=total,
                               created_by=actor)
    planned = Decimal(0)
    names = set()
    for row in categories:
        category_name = _text(row.get("name", ""), "categories")
        if category_name in names:
            raise DomainError("category_twice", _("Each category appears once in a plan."), field="categories")
        names.add(category_name)
        kind = row.get("kind") or CategoryKind.SUBSIDY
        if kind not in CategoryKind.values:
            raise DomainError("category_kind", _("Unknown kind of category."), field="categories")
        amount = parse_amount(row.get("target_amount"), field="categories")
        count = row.get("target_count") or 0
        if not isinstance(count, int) or count < 0:
            raise DomainError("count_invalid", _("The target count is a whole number."), field="categories")
        planned += amount
        PlanCategory.objects.create(plan=plan, name=category_name, kind=kind, target_amount=amount,
                                    target_count=count, target_unit=_text(row.get("target_unit", ""), "categories",
                                                                          20, required=False))
    if planned > total:
        raise DomainError("plan_overcommitted",
                          _("The categories add up to %(sum)s yuan, more than the plan's total of %(total)s yuan.")
                          % {"sum": yuan(planned), "total": yuan(total)}, field="categories")
    audit("funds.plan.created", actor=actor, obj=plan, data={"total": str(total), "categories": len(names)})
    return plan


def _check_category(category: PlanCategory, node, year: int) -> None:
    plan = category.plan
    if not node.path.startswith(plan.node.path):
        raise DomainError("category_elsewhere", _("This category belongs to a plan of another union."),
                          field="category")
    if not plan.start_year <= year <= plan.end_year:
        raise DomainError("year_outside_plan", _("The year lies outside the plan (%(a)s–%(b)s).")
                          % {"a": plan.start_year, "b": plan.end_year}, field="year")


@transaction.atomic
def set_budget(*, actor, node, year, category: PlanCategory, amount) -> Budget:
    """A union's own budget for a category and year; lowering it below what is committed is refused."""
    require(actor, "funds.budget.set", node=node)
    year = _year(year)
    amount = parse_amount(amount, allow_zero=True)
    _check_category(category, node, year)
    _lock_ledger()
    with scopes_disabled():
        budget = Budget.objects.filter(node=node, year=year, category=category).first()
        old = budget.amount if budget else Decimal(0)
        position = balance_for(node=node, year=year, category=category)
        if amount < old and position.free - (old - amount) < 0:
            raise DomainError("budget_committed", _("%(done)s yuan of this budget is already handed down or spent; "
                                                    "it cannot go below that.") %
                              {"done": yuan(position.allocated + position.spent - position.received)},
                              field="amount")
        if budget is None:
            budget = Budget.objects.create(node=node, year=year, category=category, amount=amount, created_by=actor)
        else:
            budget.amount = amount
            budget.save(update_fields=["amount"])
    audit("funds.budget.set", actor=actor, obj=budget, data={"amount": str(amount), "was": str(old)})
    return budget


def _lock_ledger() -> LedgerHead:
    """Allocations, approvals and reversals serialize here: the balance they check cannot move under them."""
    head, _created = LedgerHead.objects.select_for_update().get_or_create(id=1)
    return head


# --- allocations (prepared and approved in services/allocations.py; corrected here) ------------------

@transaction.atomic
def reverse_allocation(*, actor, allocation: Allocation, reason: str) -> Allocation:
    """Correct an allocation by a reversing one (the negative amount, same ends, year and category),
    with the reason; nothing is edited or deleted. Refused for a reversal itself, for one already
    reversed, and when the receiving union no longer holds the money (it handed it down or spent it:
    the shortfall is named). To change an amount, reverse and allocate again."""
    from_node = allocation.from_node
    require(actor, "funds.allocation.reverse", node=from_node)
    reason = _text(reason, "reason", 200)
    _lock_ledger()  # the receiver's balance cannot move under the check
    with scopes_disabled():
        allocation = Allocation.objects.select_related("from_node", "to_node", "category").get(pk=allocation.pk)
        if allocation.is_reversal:
            raise DomainError("is_reversal", _("This row is itself a correction."), field="allocation")
        if Allocation.objects.filter(reverses=allocation).exists():
            raise DomainError("already_reversed", _("This allocation has already been reversed."), field="allocation")
    holder = balance_for(node=allocation.to_node, year=allocation.year, category=allocation.category)
    if allocation.amount > holder.free:
        raise DomainError("reversal_short", _(
            "%(node)s holds only %(free)s yuan of “%(category)s” for %(year)s; reversing %(amount)s yuan would leave "
            "a shortfall of %(short)s yuan (money already handed down or spent).") % {
            "node": allocation.to_node.name, "free": yuan(holder.free), "category": allocation.category.name,
            "year": allocation.year, "amount": yuan(allocation.amount), "short": yuan(allocation.amount - holder.free)},
            field="allocation")
    try:
        with transaction.atomic():
            reversal = Allocation.objects.create(
                from_node=allocation.from_node, to_node=allocation.to_node, year=allocation.year,
                category=allocation.category, kind=allocation.kind, amount=-allocation.amount,
                rule=_("correction"), note=reason, reverses=allocation, created_by=actor)
    except IntegrityError:  # a second reversal at the same moment
        raise DomainError("already_reversed", _("This allocation has already been reversed."),
                          field="allocation") from None
    audit("funds.allocation.reversed", actor=actor, obj=allocation.from_node, data={
        "allocation": allocation.pk, "reversal": reversal.pk, "amount": str(allocation.amount), "reason": reason})
    return reversal


# --- payments and the ledger -----------------------------------------------------------------------

@transaction.atomic
def prepare_payment(*, actor, node, year, category: PlanCategory, amount, purpose: str, payee_node=None,
                    payee_name: str = "", project=None, nomination=None) -> Payment:
    require(actor, "funds.payment.prepare", node=node)
    year = _year(year)
    amount = parse_amount(amount)
    _check_category(category, node, year)
    if payee_node is not None:
        payee_name = payee_node.name
    payment = Payment(node=node, year=year, category=category, amount=amount, payee_node=payee_node,
                      payee_name=_text(payee_name, "payee_name"), purpose=_text(purpose, "purpose", 200),
                      project=project, nomination=nomination, prepared_by=actor)
    try:
        with transaction.atomic():
            payment.save()
    except IntegrityError:
        if project is None and nomination is None:
            raise DomainError("payment_waiting", _(
                "An identical payment (same payee, amount and purpose) is already waiting for approval; approve or "
                "reject it first, or name what makes this one different in its purpose.")) from None
        raise DomainError("payment_exists", _("A payment for this is already waiting or paid.")) from None
    audit("funds.payment.prepared", actor=actor, obj=payment, data={"amount": str(amount), "year": year,
                                                                   "category": category.pk})
    return payment


def _append(*, payment: Payment, kind: str, amount: Decimal, actor,
            reverses: LedgerEntry | None = None) -> LedgerEntry:
    """One ledger row (``core.log.append``: its seq from the table's sequence, its keyed hash). The
    caller holds the balance lock (``_lock_ledger``)."""
    entry = LedgerEntry(at=timezone.now(), node_id=payment.node_id, year=payment.year,
                        category_id=payment.category_id, kind=kind, amount=amount, payee_name=payment.payee_name,
                        memo=payment.purpose, payment=payment, reverses=reverses, actor=actor)
    log.append(entry)
    return entry


def _lock_payment(payment: Payment) -> Payment:
    """The payment row, locked for the rest of the transaction (approvals, rejections and reversals
    of one payment queue here; their conditional updates settle the outcome)."""
    with scopes_disabled():
        return (Payment.objects.select_for_update(of=("self",)).select_related("node", "category")
                .get(pk=payment.pk))


@transaction.atomic
def approve_payment(*, actor, payment: Payment) -> Payment:
    """The finance officer of the paying union, never the preparer, approves; the ledger gets the row."""
    payment = _lock_payment(payment)
    # the declared exclusions: never the preparer, never who approved or accepted the project
    require(actor, "funds.payment.approve", node=payment.node, done_by=payment_done_by(payment))
    _lock_ledger()
    position = balance_for(node=payment.node, year=payment.year, category=payment.category)
    if payment.status == PaymentStatus.PREPARED and payment.amount > position.free:
        raise DomainError("over_budget", _(
            "%(node)s holds %(free)s yuan of “%(category)s” for %(year)s; paying %(amount)s yuan would leave a "
            "shortfall of %(short)s yuan.") % {"node": payment.node.name, "free": yuan(position.free),
                                               "category": payment.category.name, "year": payment.year,
                                               "amount": yuan(payment.amount),
                                               "short": yuan(payment.amount - position.free)})
    now = timezone.now()
    with scopes_disabled():
        changed = Payment.objects.filter(pk=payment.pk, status=PaymentStatus.PREPARED).update(
            status=PaymentStatus.PAID, decided_by=actor, decided_at=now)
    if not changed:
        raise DomainError("payment_decided", _("This payment has already been decided."))
    payment.status, payment.decided_by, payment.decided_at = PaymentStatus.PAID, actor, now
    entry = _append(payment=payment, kind=LedgerEntry.Kind.PAYMENT, amount=payment.amount, actor=actor)
    audit("funds.payment.approved", actor=actor, obj=payment, data={"amount": str(payment.amount), "entry": entry.seq})
    _after_payment(payment, actor, paid=True)
    return payment


@transaction.atomic
def reject_payment(*, actor, payment: Payment, reason: str) -> Payment:
    payment = _lock_payment(payment)
    require(actor, "funds.payment.reject", node=payment.node)
    reason = _text(reason, "reason", 200)
    with scopes_disabled():
        changed = Payment.objects.filter(pk=payment.pk, status=PaymentStatus.PREPARED).update(
            status=PaymentStatus.REJECTED, decided_by=actor, decided_at=timezone.now(), reason=reason)
    if not changed:
        raise DomainError("payment_decided", _("This payment has already been decided."))
    payment.status, payment.reason = PaymentStatus.REJECTED, reason
    audit("funds.payment.rejected", actor=actor, obj=payment, data={"reason": reason})
    _after_payment(payment, actor, paid=False)
    return payment


@transaction.atomic
def reverse_payment(*, actor, payment: Payment, reason: str) -> LedgerEntry:
    """Undo a paid payment by a negative entry that points at the original (never an edit)."""
    payment = _lock_payment(payment)
    require(actor, "funds.payment.reverse", node=payment.node)
    reason = _text(reason, "reason", 200)
    _lock_ledger()
    with scopes_disabled():
        changed = Payment.objects.filter(pk=payment.pk, status=PaymentStatus.PAID).update(
            status=PaymentStatus.REVERSED, reason=reason)
        original = LedgerEntry.objects.filter(payment=payment, kind=LedgerEntry.Kind.PAYMENT).first()
    if not changed or original is None:
        raise DomainError("not_paid", _("Only a paid payment can be reversed, and only once."))
    payment.status, payment.reason = PaymentStatus.REVERSED, reason
    payment.purpose = excerpt(_("Reversal: %(reason)s") % {"reason": reason}, Payment, "purpose")  # reason kept whole
    entry = _append(payment=payment, kind=LedgerEntry.Kind.REVERSAL, amount=-original.amount,
                    actor=actor, reverses=original)
    audit("funds.payment.reversed", actor=actor, obj=payment, data={"entry": entry.seq, "reason": reason})
    _after_payment(payment, actor, paid=False)
    return entry


def _after_payment(payment: Payment, actor, *, paid: bool) -> None:
    """A subsidy or a reward moves its project or nomination on when the money goes (or comes back)."""
    if payment.project_id:
        from .projects import settle_subsidy

        settle_subsidy(payment=payment, actor=actor, paid=paid)


# --- integrity ---------------------------------------------------------------------------------------

VerifyResult = log.LogCheck  # one result type for the audit log and the ledgers


def verify_ledger(*, exported: list[str] | None = None) -> log.LogCheck:
    """Every row's keyed hash and the ledger's signed checkpoints (``core.log.verify_log``)."""
    with scopes_disabled():
        return log.verify_log(LedgerEntry.log_label, exported=exported)
