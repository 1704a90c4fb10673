"""Legal check-ups of employers (劳动用工法律体检) and collective agreements (工资集体协商 / 集体合同).

Rules enforced here:
- admins and clerks of the employer's jurisdiction (or above) record visits and agreements;
- a visit answers every item of the checklist; a risk found gets a rectification due date, and
  its follow-up (rectified on, what was done) is recorded later;
- an agreement's term is 1 to 3 years (Labour Contract Law / Collective Contract Provisions), its
  expiry follows from the signing date; wage growth is an exact percentage.
"""

import calendar
import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.permissions import require
from gonghui.core.audit import audit
from gonghui.core.limits import length_error, limit_of

from .. import limits
from ..models import AgreementKind, Checkup, CollectiveAgreement, Finding
from ..selectors import checklist_items
from .claims import clean_text


def _date(value, field: str, *, not_future: bool = True) -> datetime.date:
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value.strip())
        except ValueError:
            raise ValidationError({field: [_("Enter a valid date.")]}) from None
    if not isinstance(value, datetime.date):
        raise ValidationError({field: [_("Enter a valid date.")]})
    if not_future and value > timezone.localdate():
        raise ValidationError({field: [_("The date cannot be in the future.")]})
    return value


@transaction.atomic
def record_checkup(*, actor, employer, visited_on, inspectors: str, findings: dict, summary: str = "") -> Checkup:
    """``findings``: item code → {"result": ok/risk/na, "note": str, "rectify_by": date or ""}."""
    require(actor, "rights.checkup.create", node=employer.node)
    errors = {}
    try:
        visited_on = _date(visited_on, "visited_on")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        inspectors = clean_text(value=inspectors, field="inspectors", max_length=limit_of(Checkup, "inspectors"))
        summary = clean_text(value=summary, field="summary", max_length=limits.CHECKUP_SUMMARY, required=False)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    rows = []
    for item in checklist_items():
        answer = findings.get(item.code) or {}
        result = answer.get("result", "")
        key = f"item_{item.code}"
        if result not in Finding.Result.values:
            errors[key] = [_("Answer this item.")]
            continue
        rectify_by = answer.get("rectify_by") or None
        if result == Finding.Result.RISK:
            try:
                rectify_by = _date(rectify_by or "", key, not_future=False)
            except ValidationError:
                errors[key] = [_("A risk needs a date by which it is rectified.")]
                continue
            if not errors.get("visited_on") and isinstance(visited_on, datetime.date) and rectify_by < visited_on:
                errors[key] = [_("The rectification date cannot be before the visit.")]
                continue
        else:
            rectify_by = None
        note = str(answer.get("note", ""))
        if message := length_error(Finding, "note", note):
            errors[key] = [message]
            continue
        rows.append((item, result, note, rectify_by))
    if errors:
        raise ValidationError(errors)
    checkup = Checkup.objects.create(employer=employer, node=employer.node, visited_on=visited_on,
                                     inspectors=inspectors, summary=summary, created_by=actor)
    Finding.objects.bulk_create([Finding(checkup=checkup, item=item, position=item.order, result=result, note=note,
                                         rectify_by=by) for item, result, note, by in rows])
    risks = sum(1 for row in rows if row[1] == Finding.Result.RISK)
    audit("rights.checkup.recorded", actor=actor, obj=checkup, data={"employer": employer.pk, "risks": risks})
    return checkup


@transaction.atomic
def record_rectification(*, actor, finding: Finding, rectified_on, follow_up: str) -> Finding:
    require(actor, "rights.checkup.rectify", node=finding.checkup.node)
    if finding.result != Finding.Result.RISK:
        raise ValidationError({"rectified_on": [_("Only a risk found needs rectifying.")]})
    rectified_on = _date(rectified_on, "rectified_on")
    if rectified_on < finding.checkup.visited_on:
        raise ValidationError({"rectified_on": [_("The rectification date cannot be before the visit.")]})
    finding.rectified_on = rectified_on
    finding.follow_up = clean_text(value=follow_up, field="follow_up", max_length=limit_of(Finding, "follow_up"))
    finding.save(update_fields=["rectified_on", "follow_up"])
    audit("rights.checkup.rectified", actor=actor, obj=finding.checkup, data={"finding": finding.pk})
    return finding


# --- collective agreements ------------------------------------------------------------------------------

def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _percent(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip().removesuffix("%"))
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite() or number < 0 or number > 100 or number.as_tuple().exponent < -2:
        raise ValidationError({"wage_growth": [_("Enter a percentage between 0 and 100, such as 5 or 6.5.")]})
    return number


@transaction.atomic
def register_agreement(*, actor, node, kind: str, signed_on, term_months, workers_covered, employer=None,
                       wage_growth=None, has_congress: bool = False, has_open_affairs: bool = False
                       ) -> CollectiveAgreement:
    """A collective contract or special agreement of an employer, or of an industry / area union (no employer)."""
    require(actor, "rights.agreement.create", node=node)
    errors = {}
    if kind not in AgreementKind.values:
        errors["kind"] = [_("Choose the type of agreement.")]
    if employer is not None and not (employer.node.path.startswith(node.path) or employer.union_id == node.pk):
        errors["employer"] = [_("The employer is not in this union's area.")]
    try:
        signed_on = _date(signed_on, "signed_on")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        term_months = int(term_months)
        if not 12 <= term_months <= 36:
            raise ValueError
    except (TypeError, ValueError):
        errors["term_months"] = [_("A collective agreement runs for 1 to 3 years (12 to 36 months).")]
    try:
        workers_covered = int(workers_covered)
        if not 1 <= workers_covered <= 1_000_000:
            raise ValueError
    except (TypeError, ValueError):
        errors["workers_covered"] = [_("Enter the number of workers covered.")]
    try:
        wage_growth = _percent(wage_growth)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    agreement = CollectiveAgreement.objects.create(
        node=node, employer=employer, kind=kind, signed_on=signed_on, term_months=term_months,
        expires_on=_add_months(signed_on, term_months), wage_growth=wage_growth, workers_covered=workers_covered,
        has_congress=bool(has_congress), has_open_affairs=bool(has_open_affairs), created_by=actor)
    audit("rights.agreement.registered", actor=actor, obj=agreement,
          data={"kind": kind, "employer": employer.pk if employer else None, "workers": workers_covered})
    return agreement
