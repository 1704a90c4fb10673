"""Programmes and their budgets. Admins of the organizing union set them up."""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from gonghui.accounts.permissions import allowed, require
from gonghui.core.audit import audit
from gonghui.core.errors import DomainError
from gonghui.core.limits import check_length, limit_of
from gonghui.core.text import clean_name

from ..models import Budget, Programme, ProgrammeKind
from ..money import parse_amount, yuan
from ..selectors import budget_for

MEDICAL_RULES = ("enrolment_fee", "deductible", "cap_per_claim", "cap_per_year")


def _ratio(value) -> Decimal:
    try:
        ratio = Decimal(str(value))
    except (InvalidOperation, ValueError):
        ratio = Decimal("NaN")
    if not ratio.is_finite() or ratio <= 0 or ratio > 1 or ratio != ratio.quantize(Decimal("0.001")):
        raise ValidationError({"ratio": [_("The payout ratio is a number between 0 and 1, e.g. 0.6.")]})
    return ratio


@transaction.atomic
def create_programme(*, actor, node, kind: str, name: str, year: int, period: str = "",
                     starts_on: datetime.date, ends_on: datetime.date, review_levels: int = 1,
                     standard_amount=None, budget=None, objection_workdays: int = 5,
                     pay_after_publicity: bool = False, **rules) -> Programme:
    """A programme of ``node`` for one period, with the node's own budget when given."""
    require(actor, "aid.programme.create", node=node)
    if kind not in ProgrammeKind.values:
        raise ValidationError({"kind": [_("Choose a kind of programme.")]})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": [_("The end date is before the start date.")]})
    if review_levels not in (1, 2):
        raise ValidationError({"review_levels": [_("Review has one or two levels.")]})
    if not isinstance(objection_workdays, int) or not 1 <= objection_workdays <= 30:
        raise ValidationError({"objection_workdays": [_("The objection period is 1 to 30 working days.")]})
    fields = {"standard_amount": parse_amount(standard_amount, field="standard_amount")
              if standard_amount not in (None, "") else None}
    if kind == ProgrammeKind.MEDICAL:
        for rule in MEDICAL_RULES:
            fields[rule] = parse_amount(rules.get(rule), field=rule, allow_zero=rule == "deductible")
        fields["ratio"] = _ratio(rules.get("ratio"))
    period = period or str(year)
    check_length(Programme, "period", period)
    programme = Programme(node=node, kind=kind, name=clean_name(name, max_length=limit_of(Programme, "name")), year=year,
                          period=period, starts_on=starts_on, ends_on=ends_on,
                          review_levels=review_levels, objection_workdays=objection_workdays,
                          pay_after_publicity=bool(pay_after_publicity), **fields)
    try:
        with transaction.atomic():
            programme.save()
    except IntegrityError:
        raise DomainError("programme_exists", _("This union already runs this programme for this period."),
                          field="period") from None
    audit("aid.programme.created", actor=actor, obj=programme, data={"kind": kind, "period": programme.period})
    if budget not in (None, ""):
        set_budget(programme=programme, node=node, amount=budget, actor=actor)
    return programme


@transaction.atomic
def close_programme(*, actor, programme: Programme) -> Programme:
    require(actor, "aid.programme.close", node=programme.node)
    programme.is_open = False
    programme.save(update_fields=["is_open"])
    audit("aid.programme.closed", actor=actor, obj=programme)
    return programme


@transaction.atomic
def set_budget(*, actor, programme: Programme, node, amount) -> Budget:
    """Set (or change) the budget of ``node`` for the programme; never below what it approved and
    handed down.

    The organizing union sets its own budget. A union below gets a share carved out of the nearest
    budget above it: only the budgeters of the union holding that budget carve it (a township hands
    down its own share, never the county's money), never more than it has left, and the budget above
    is locked (SELECT … FOR UPDATE) while carving, so two shares set at once cannot overspend it.
    Lowering a share gives the difference back to the budget above."""
    if not node.path.startswith(programme.node.path):
        raise DomainError("node_outside", _("The union is not inside the programme's organizing union."),
                          field="node")
    amount = parse_amount(amount, field="amount", allow_zero=True)
    if node.pk == programme.node_id:
        require(actor, "aid.budget.set", node=node)
        parent = None
    else:
        above = node.get_parent()
        source = budget_for(programme, above)
        if source is None or not allowed(actor, "aid.budget.set", node=source.node):
            require(actor, "aid.budget.set", node=above)
            raise DomainError("no_parent_budget", _(
                "%(node)s has no share of this programme to hand down; a share is carved out of the budget of the "
                "union above by that union.") % {"node": above.name}, field="node")
        parent = Budget.objects.with_scopes_disabled().select_for_update(of=("self",)).select_related("node").get(pk=source.pk)
    budget = Budget.objects.with_scopes_disabled().select_for_update().filter(programme=programme, node=node).first()
    old = budget.amount if budget is not None else Decimal(0)
    if budget is not None and amount < budget.committed + budget.carved:
        raise DomainError("budget_below_committed", _(
            "%(amount)s yuan is already approved or handed down; the budget cannot be lower.")
            % {"amount": yuan(budget.committed + budget.carved)}, field="amount")
    if parent is not None:
        if budget is not None and budget.parent_id not in (None, parent.pk):
            parent = Budget.objects.with_scopes_disabled().select_for_update(of=("self",)).select_related("node").get(
                pk=budget.parent_id)
        taken = old if budget is not None and budget.parent_id == parent.pk else Decimal(0)
        if amount - taken > parent.free:
            raise DomainError("over_parent_budget", _(
                "%(node)s has %(left)s yuan of this programme left to hand down; a share of %(amount)s yuan is more "
                "than that.") % {"node": parent.node.name, "left": yuan(parent.free), "amount": yuan(amount)},
                field="amount")
        parent.carved += amount - taken
        parent.save(update_fields=["carved"])
    if budget is None:
        budget = Budget.objects.create(programme=programme, node=node, amount=amount, parent=parent)
    else:
        budget.amount = amount
        fields = ["amount"]
        if parent is not None and budget.parent_id is None:
            budget.parent = parent
            fields.append("parent")
        budget.save(update_fields=fields)
    audit("aid.budget.set", actor=actor, obj=programme,
          data={"node": node.pk, "amount": str(amount), "was": str(old),
                "carved_from": parent.pk if parent is not None else None})
    return budget


