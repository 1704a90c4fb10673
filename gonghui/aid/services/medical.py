"""Medical mutual aid (医疗互助): yearly enrolment per member, claims with bills, payout by the rules.

Payout of a claim, step by step (kept on the claim so the worker and the clerk see the same):

    eligible self-paid amount (≤ the bills' total)
    − deductible                      (not below zero)
    × payout ratio                    (rounded to the fen, half up)
    ≤ cap per claim
    ≤ what is left of the yearly cap  (approved and paid claims of the same enrolment)

The bills must add up to the total declared on the claim; a claim whose bills do not is refused.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from gonghui.accounts.permissions import require
from gonghui.core.audit import audit
from gonghui.core.errors import DomainError
from gonghui.core.limits import length_error, limit_of
from gonghui.core.text import clean_name
from gonghui.core.uploads import IMAGE, PDF, check_upload, store

from ..limits import DIAGNOSIS
from ..models import (
    Application,
    ClaimBill,
    ClaimDocument,
    Enrolment,
    MedicalClaim,
    Programme,
    ProgrammeKind,
    Status,
)
from ..money import CENT, parse_amount
from .applications import create_application

ZERO = Decimal("0.00")
MAX_BILLS = 30
MAX_PHOTOS = 10


def _check_bill_photos(files) -> list:
    """Photos or PDFs of the bills, each decided by its bytes (``core.uploads``); at most MAX_PHOTOS."""
    files = [f for f in (files or []) if f]
    if len(files) > MAX_PHOTOS:
        raise ValidationError({"bill_photos": [_("At most %(n)d photos or PDFs of bills on one claim.")
                                               % {"n": MAX_PHOTOS}]})
    return [check_upload(f, kinds=(IMAGE, PDF), field="bill_photos") for f in files]


@transaction.atomic
def enrol_member(*, actor, programme: Programme, member, fee=None) -> Enrolment:
    """Enrol a member for the programme's year; a second enrolment shows the first."""
    if programme.kind != ProgrammeKind.MEDICAL:
        raise DomainError("not_medical", _("Only medical mutual aid takes enrolments."))
    require(actor, "aid.enrolment.create", node=member.node)
    if not member.is_active:
        raise DomainError("not_member", _("Only active members can be enrolled."), field="member")
    if not member.node.path.startswith(programme.node.path):
        raise DomainError("node_outside", _("The applicant's union is not covered by this programme."))
    fee = parse_amount(fee if fee not in (None, "") else programme.enrolment_fee, field="fee")
    existing = Enrolment.objects.with_scopes_disabled().filter(programme=programme, member=member).first()
    if existing is not None:
        raise DomainError("already_enrolled", _("This member is already enrolled for %(period)s.")
                          % {"period": programme.period})
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(programme=programme, member=member, node=member.node, fee=fee,
                                                 covers_from=programme.starts_on, covers_to=programme.ends_on,
                                                 enrolled_by=actor)
    except IntegrityError:
        raise DomainError("already_enrolled", _("This member is already enrolled for %(period)s.")
                          % {"period": programme.period}) from None
    audit("aid.enrolment.created", actor=actor, obj=enrolment, data={"member": member.pk, "fee": str(fee)})
    return enrolment


ENROL_BATCH = 2000


@transaction.atomic
def enrol_union(*, actor, programme: Programme, node, fee=None) -> dict:
    """Enrol every active member of ``node`` and the unions under it for the programme's period,
    with one fee, in one action. Idempotent: members already enrolled are skipped (also when a
    clerk enrols one of them at the same moment: the unique constraint decides, the row is
    skipped). Returns {"enrolled", "skipped", "members"}; one audit entry with the counts."""
    from gonghui.members import selectors as members

    if programme.kind != ProgrammeKind.MEDICAL:
        raise DomainError("not_medical", _("Only medical mutual aid takes enrolments."))
    require(actor, "aid.enrolment.create", node=node)
    if not node.path.startswith(programme.node.path):
        raise DomainError("node_outside", _("The union is not inside the programme's organizing union."),
                          field="node")
    if not programme.is_open:
        raise DomainError("programme_closed", _("This programme is closed for applications."))
    fee = parse_amount(fee if fee not in (None, "") else programme.enrolment_fee, field="fee")
    people = list(members.member_list(node=node).order_by().values_list("pk", "node_id"))
    done = set(Enrolment.objects.with_scopes_disabled()
               .filter(programme=programme, member__node__path__startswith=node.path)
               .values_list("member_id", flat=True))
    fresh = [Enrolment(programme=programme, member_id=pk, node_id=node_id, fee=fee, covers_from=programme.starts_on,
                       covers_to=programme.ends_on, enrolled_by=actor) for pk, node_id in people if pk not in done]
    before = Enrolment.objects.with_scopes_disabled().filter(programme=programme).count()
    for start in range(0, len(fresh), ENROL_BATCH):
        Enrolment.objects.bulk_create(fresh[start:start + ENROL_BATCH], ignore_conflicts=True)
    enrolled = Enrolment.objects.with_scopes_disabled().filter(programme=programme).count() - before
    result = {"enrolled": enrolled, "skipped": len(people) - enrolled, "members": len(people)}
    audit("aid.enrolment.bulk", actor=actor, obj=programme, data={"node": node.pk, "fee": str(fee), **result})
    return result


def _paid_this_year(enrolment: Enrolment, *, exclude: int | None = None) -> Decimal:
    """Approved and paid claims of the enrolment (what counts against the yearly cap)."""
    qs = Application.objects.with_scopes_disabled().filter(
        claim__enrolment=enrolment, status__in=(Status.APPROVED, Status.PAID))
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    return qs.aggregate(s=Sum("amount_approved"))["s"] or ZERO


def compute_payout(*, programme: Programme, eligible: Decimal, used: Decimal) -> tuple[Decimal, list[dict]]:
    """The payout and its steps: [{"step": code, "amount": "…"}] (labels are given by the pages)."""
    steps = [{"step": "eligible", "amount": f"{eligible:.2f}"}]
    after = max(eligible - programme.deductible, ZERO)
    steps.append({"step": "deductible", "amount": f"{after:.2f}", "rule": f"{programme.deductible:.2f}"})
    value = (after * programme.ratio).quantize(CENT, rounding=ROUND_HALF_UP)
    steps.append({"step": "ratio", "amount": f"{value:.2f}", "rule": f"{programme.ratio * 100:.1f}%"})
    if value > programme.cap_per_claim:
        value = programme.cap_per_claim
    steps.append({"step": "cap_claim", "amount": f"{value:.2f}", "rule": f"{programme.cap_per_claim:.2f}"})
    left = max(programme.cap_per_year - used, ZERO)
    value = min(value, left)
    steps.append({"step": "cap_year", "amount": f"{value:.2f}", "rule": f"{programme.cap_per_year:.2f}",
                  "used": f"{used:.2f}"})
    return value, steps


def _clean_bills(bills, *, declared_total) -> tuple[list[tuple[str, Decimal]], Decimal]:
    """[(number, amount)] and the total; refused when they do not add up to the declared total."""
    total = parse_amount(declared_total, field="bills_total")
    rows, errors = [], []
    for i, bill in enumerate(bills or [], start=1):
        number = str(bill.get("number") or "").strip()
        if message := length_error(ClaimBill, "number", number):
            errors.append(_("Bill %(n)d: %(error)s") % {"n": i, "error": message})
            continue
        try:
            amount = parse_amount(bill.get("amount"), field="bills")
        except ValidationError as exc:
            errors.append(_("Bill %(n)d: %(error)s") % {"n": i, "error": " ".join(exc.messages)})
            continue
        if not number:
            errors.append(_("Bill %(n)d: enter the bill number.") % {"n": i})
        rows.append((number, amount))
    if not rows and not errors:
        errors.append(_("Add the hospital bills (number and amount of each)."))
    if len(rows) > MAX_BILLS:
        errors.append(_("At most %(n)d bills on one claim.") % {"n": MAX_BILLS})
    if errors:
        raise ValidationError({"bills": errors})
    added = sum((amount for _n, amount in rows), ZERO)
    if added != total:
        raise ValidationError({"bills": [_("The bills add up to %(sum)s yuan, not the %(total)s yuan declared; "
                                           "check each bill.") % {"sum": f"{added:.2f}", "total": f"{total:.2f}"}]})
    return rows, total


def submit_claim(*, actor=None, programme: Programme, member, hospital: str, diagnosis: str, admitted_on: datetime.date,
                 discharged_on: datetime.date, bills_total, eligible, bills, worker=None,
                 reason: str = "", bill_photos=()) -> Application:
    """A claim of an enrolled member, by the worker (``worker``) or a clerk (``actor``).

    ``bill_photos`` are uploaded photos or PDFs of the bills: medical data, stored under random
    names outside the web root and served only to aid officers of the subtree and the worker."""
    enrolment = Enrolment.objects.with_scopes_disabled().filter(programme=programme, member=member).first()
    if enrolment is None:
        raise DomainError("not_enrolled", _("You are not enrolled in this year's medical mutual aid; ask your "
                                            "union to enrol you."), field="programme")
    errors = {}
    try:
        hospital = clean_name(hospital or "", max_length=limit_of(MedicalClaim, "hospital"))
    except ValidationError as exc:
        errors["hospital"] = exc.messages
    try:
        diagnosis = clean_name(diagnosis or "", max_length=DIAGNOSIS)
    except ValidationError as exc:
        errors["diagnosis"] = exc.messages
    if admitted_on and discharged_on and discharged_on < admitted_on:
        errors["discharged_on"] = [_("The discharge date is before the admission date.")]
    elif admitted_on and not (enrolment.covers_from <= admitted_on <= enrolment.covers_to):
        errors["admitted_on"] = [_("The stay must begin within the enrolment period (%(start)s to %(end)s).")
                                 % {"start": enrolment.covers_from, "end": enrolment.covers_to}]
    try:
        rows, total = _clean_bills(bills, declared_total=bills_total)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        rows, total = [], None
    try:
        eligible = parse_amount(eligible, field="eligible")
    except ValidationError as exc:
        errors.update(exc.message_dict)
        eligible = None
    if eligible is not None and total is not None and eligible > total:
        errors["eligible"] = [_("The eligible self-paid amount cannot exceed the bills' total.")]
    try:
        photos = _check_bill_photos(bill_photos)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    except DomainError as exc:
        errors[exc.field or "bill_photos"] = [exc.message]
    if errors:
        raise ValidationError(errors)
    payout, steps = compute_payout(programme=programme, eligible=eligible, used=_paid_this_year(enrolment))
    if payout <= 0:
        raise DomainError("nothing_payable", _("Under the programme's rules nothing would be paid for this claim "
                                               "(below the deductible, or the yearly cap is used up)."))

    def write_claim(application):
        claim = MedicalClaim.objects.create(
            application=application, enrolment=enrolment, hospital=hospital, diagnosis=diagnosis,
            admitted_on=admitted_on, discharged_on=discharged_on, bills_total=total, eligible=eligible,
            payout=payout, steps=steps)
        ClaimBill.objects.bulk_create([ClaimBill(claim=claim, number=n, amount=a) for n, a in rows])
        ClaimDocument.objects.bulk_create([
            ClaimDocument(claim=claim, stored_name=store(p.content, folder="aid/claims", extension=p.extension),
                          content_type=p.content_type, size=p.size) for p in photos])

    return create_application(programme=programme, actor=actor, worker=worker, member=member, repeatable=True,
                              reason=reason or _("Hospital stay at %(hospital)s") % {"hospital": hospital},
                              amount=payout, extra=write_claim)


def update_claim_payout(*, application: Application) -> Decimal:
    """The claim's payout at approval, recomputed (and saved when it changed) under the application's lock: other claims approved meanwhile use the yearly cap."""
    claim = MedicalClaim.objects.with_scopes_disabled().select_related("enrolment").get(application=application)
    # Serialize approvals of one enrolment, so two claims approved at once respect the yearly cap.
    Enrolment.objects.with_scopes_disabled().select_for_update().filter(pk=claim.enrolment_id).first()
    payout, _steps = compute_payout(programme=application.programme, eligible=claim.eligible,
                                    used=_paid_this_year(claim.enrolment, exclude=application.pk))
    if payout <= 0:
        raise DomainError("cap_used", _("The yearly cap of this member is used up; nothing more can be paid."))
    if payout != claim.payout:
        claim.payout = payout
        claim.steps = _steps
        claim.save(update_fields=["payout", "steps"])
    return payout
