"""API of aid (mounted under /api/v1/); same scoping and rules as the console.

Names are masked in lists; medical details of a claim and a hardship file's personal details are
returned only to aid officers of the subtree, and each such read is audited.

Amounts come in as JSON strings ("1200.50") or integers (1200) and go out as strings. A JSON number
with a fraction is refused (422, with the reason): the JSON parser has already turned it into a
binary float, so 0.1 + 0.2 arrives as 0.30000000000000004 and long amounts are silently rounded —
the exact amount the client meant cannot be recovered. Negative, zero, NaN, infinite, over-precise
or too large amounts are refused too (``gonghui.core.money.parse_amount``, the console's rule).
"""

import datetime
from decimal import Decimal
from typing import Annotated, Any

from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import WithJsonSchema

from gonghui.accounts.permissions import allowed, require, scope_for
from gonghui.core.audit import audit
from gonghui.core.limits import ID_NUMBER_TEXT, PHONE_TEXT, limit_of
from gonghui.core.masking import mask_name, mask_resident_id
from gonghui.core.money import parse_amount
from gonghui.core.schemas import Count, Id, InputSchema, Pages, Year, checked
from gonghui.members import selectors as members
from gonghui.orgs import selectors as orgs

from . import limits, selectors
from . import workflow as wf
from .idempotency import idempotent
from .models import (
    Application,
    Disbursement,
    HouseholdMember,
    Method,
    Objection,
    Programme,
    ProgrammeKind,
    Scholarship,
)
from .models import Status as AppStatus
from .services import applications as services
from .services import hardship, medical, objections, programmes

router = Router(tags=["aid"])
# A string or an integer of yuan, checked by the shared money rule at the door (floats refused).
Amount = Annotated[Any, checked(lambda value: parse_amount(value, required=False)),
                   WithJsonSchema({"type": ["string", "integer", "null"], "examples": ["1200.50", 1200]})]


class ProgrammeOut(Schema):
    id: int
    node_id: int
    node_name: str
    kind: str
    name: str
    year: int
    period: str
    review_levels: int
    is_open: bool
    budget: Decimal
    approved: Decimal
    paid: Decimal

    @staticmethod
    def resolve_node_name(obj):
        return obj.node.name

    @staticmethod
    def resolve_budget(obj):
        return obj.budget_total

    @staticmethod
    def resolve_approved(obj):
        return obj.committed_total

    @staticmethod
    def resolve_paid(obj):
        return obj.paid_total


class AidApplicationOut(Schema):
    id: int
    programme_id: int
    programme_name: str
    node_id: int
    node_name: str
    name_masked: str
    id_number_masked: str
    reason: str
    amount_requested: Decimal
    amount_approved: Decimal | None
    status: str
    channel: str
    submitted_at: datetime.datetime
    decision_note: str

    @staticmethod
    def resolve_programme_name(obj):
        return obj.programme.name

    @staticmethod
    def resolve_node_name(obj):
        return obj.node.name

    @staticmethod
    def resolve_name_masked(obj):
        return mask_name(obj.name)

    @staticmethod
    def resolve_id_number_masked(obj):
        return mask_resident_id(obj.id_number)


class StepOut(Schema):
    step: str
    amount: str
    rule: str = ""


class ClaimOut(Schema):
    hospital: str
    diagnosis: str
    admitted_on: datetime.date
    discharged_on: datetime.date
    bills_total: Decimal
    eligible: Decimal
    payout: Decimal
    steps: list[StepOut]


class LedgerOut(Schema):
    seq: int
    application_id: int
    programme_id: int
    node_id: int
    kind: str
    amount: Decimal
    method: str
    paid_on: datetime.date
    reverses_id: int | None
    note: str
    mac: str


class AidApplicationDetailOut(AidApplicationOut):
    claim: ClaimOut | None = None
    ledger: list[LedgerOut] = []

    @staticmethod
    def resolve_claim(obj):
        return getattr(obj, "visible_claim", None)

    @staticmethod
    def resolve_ledger(obj):
        return getattr(obj, "ledger_rows", [])


class ScholarshipIn(InputSchema):
    student: str = Field(max_length=limits.PERSON_NAME)
    school: str = Field(max_length=limit_of(Scholarship, "school"))
    admission_year: Count
    level: str


class AidApplicationIn(InputSchema):
    programme_id: Id
    member_id: Id
    reason: str = Field(max_length=limit_of(Application, "reason"))
    amount: Amount = None
    scholarship: ScholarshipIn | None = None


class AidReviewIn(InputSchema):
    action: str = Field(pattern="^(first_pass|approve|reject|withdraw|raise_amount)$")
    note: str = Field("", max_length=limit_of(Application, "decision_note"))
    amount: Amount = None


class PayIn(InputSchema):
    method: Method = Method.BANK
    paid_on: datetime.date | None = None
    note: str = Field("", max_length=limit_of(Disbursement, "note"))


class ReverseIn(InputSchema):
    reason: str = Field(max_length=limit_of(Disbursement, "note"))
    release: bool = False


class AidFigureOut(Schema):
    kind: str
    label: str
    people: int
    paid: Decimal
    budget: Decimal | None


class AidFiguresOut(Schema):
    year: int
    people: int
    paid: Decimal
    items: list[AidFigureOut]


class HardshipOut(Schema):
    id: int
    node_id: int
    node_name: str
    name_masked: str
    cause: str
    level: str
    household_size: int
    status: str
    review_due_on: datetime.date

    @staticmethod
    def resolve_node_name(obj):
        return obj.node.name

    @staticmethod
    def resolve_name_masked(obj):
        return mask_name(obj.name)


class HardshipDetailOut(HardshipOut):
    name: str
    id_number_masked: str
    income_per_head: Decimal
    situation: str
    household: list[dict]
    events: list[dict]

    @staticmethod
    def resolve_id_number_masked(obj):
        return mask_resident_id(obj.id_number)

    @staticmethod
    def resolve_household(obj):
        return [{"name": h.name, "relation": h.relation, "birth_year": h.birth_year, "note": h.note}
                for h in obj.household.all()]

    @staticmethod
    def resolve_events(obj):
        return [{"action": e.action, "at": e.at.isoformat(), "note": e.note} for e in obj.events.all()]


# Income per head may be zero (no income at all); same door rules otherwise (floats refused).
IncomeAmount = Annotated[Any, checked(lambda value: parse_amount(value, allow_zero=True, required=False)),
                         WithJsonSchema({"type": ["string", "integer"], "examples": ["650.00", 0]})]


class HouseholdIn(InputSchema):
    name: str = Field(max_length=limits.PERSON_NAME)
    relation: str = Field(max_length=limit_of(HouseholdMember, "relation"))
    birth_year: int | None = Field(None, ge=1900, le=2100)
    note: str = Field("", max_length=limit_of(HouseholdMember, "note"))


class HardshipIn(InputSchema):
    node_id: Id
    member_id: Id | None = None
    name: str = Field(max_length=limits.PERSON_NAME)
    id_number: str = Field(max_length=ID_NUMBER_TEXT)
    phone: str = Field("", max_length=PHONE_TEXT)
    cause: str
    level: str
    household_size: Count
    income_per_head: IncomeAmount
    situation: str = Field("", max_length=limits.SITUATION)
    household: list[HouseholdIn] = Field([], max_length=limits.HOUSEHOLD_ROWS)


class ObjectionOut(Schema):
    id: int
    publicity_id: int
    application_id: int
    node_id: int
    entry_masked: str
    reason: str
    has_evidence: bool
    status: str
    filed_at: datetime.datetime
    objection_until: datetime.date
    decision_note: str

    @staticmethod
    def resolve_entry_masked(obj):
        return mask_name(obj.application.name)

    @staticmethod
    def resolve_has_evidence(obj):
        return bool(obj.evidence)

    @staticmethod
    def resolve_objection_until(obj):
        return obj.publicity.objection_until


class ObjectionDecisionIn(InputSchema):
    decision: str = Field(pattern="^(uphold|dismiss)$")
    note: str = Field(max_length=limit_of(Objection, "decision_note"))


class EnrolUnionIn(InputSchema):
    node_id: Id
    fee: Amount = None


class EnrolUnionOut(Schema):
    enrolled: int
    skipped: int
    members: int


class WishOut(Schema):
    id: int
    node_id: int
    name_masked: str
    title: str
    kind: str
    amount: Decimal | None
    item: str
    status: str
    helper: str
    posted_at: datetime.datetime

    @staticmethod
    def resolve_name_masked(obj):
        return mask_name(obj.name)


def _within(request, code: str = "aid.application.list"):
    return scope_for(request.user, code)


@router.get("/aid/programmes", response=list[ProgrammeOut])
@paginate(Pages, page_size=50)
def list_aid_programmes(request, year: Year | None = None, kind: str = ""):
    return selectors.programme_list(year=year, kind=kind if kind in ProgrammeKind.values else "")


@router.get("/aid/programmes/{programme_id}", response=ProgrammeOut)
def get_aid_programme(request, programme_id: Id):
    programme = selectors.access_programme(programme_id)
    return selectors.programme_list().get(pk=programme.pk)


@router.post("/aid/programmes/{programme_id}/close", response=ProgrammeOut)
def close_aid_programme(request, programme_id: Id):
    """The organizing union's administrator closes the programme to new applications."""
    programme = selectors.access_programme(programme_id)
    programmes.close_programme(programme=programme, actor=request.user)
    return selectors.programme_list().get(pk=programme.pk)


@router.get("/aid/figures", response=AidFiguresOut)
def aid_figures(request, year: Year | None = None):
    """A year's aid in the caller's subtree: people helped and net amount paid per programme kind
    (ledger sums), with the budgets."""
    year = year or timezone.localdate().year
    figures = selectors.year_figures(year=year)
    labels = dict(ProgrammeKind.choices)
    return {"year": year, "people": figures["people"], "paid": figures["paid"],
            "items": [{"kind": k, "label": str(labels.get(k, k)), **v} for k, v in sorted(figures["by_kind"].items())]}


@router.get("/aid/applications", response=list[AidApplicationOut])
@paginate(Pages, page_size=50)
def list_aid_applications(request, programme: Id | None = None, status: str = ""):
    scope_programme = selectors.access_programme(programme) if programme else None
    return selectors.application_list(programme=scope_programme, status=status if status in AppStatus.values else "",
                                      within=_within(request))


def _detail(request, application):
    """Medical details go to aid officers of the subtree only, and each such read is audited."""
    require(request.user, "aid.application.view", node=application.node)
    claim = selectors.claim_of(application)
    if claim is not None and allowed(request.user, "aid.claim.view", node=application.node):
        audit("aid.claim.viewed", actor=request.user, obj=application, data={"channel": "api"})
        application.visible_claim = claim
    application.ledger_rows = list(selectors.ledger_list().filter(application=application).order_by("seq"))
    return application


@router.get("/aid/applications/{application_id}", response=AidApplicationDetailOut)
def get_aid_application(request, application_id: Id):
    return _detail(request, selectors.access_application(application_id))


@router.post("/aid/applications", response={201: AidApplicationDetailOut})
@idempotent("aid.application.create")
def create_aid_application(request, payload: AidApplicationIn):
    member = members.access_member(payload.member_id)
    programme = Programme.objects.with_scopes_disabled().filter(pk=payload.programme_id).first()
    if programme is None or not member.node.path.startswith(programme.node.path):
        from django.http import Http404

        raise Http404
    application = services.create_application(
        programme=programme, member=member, actor=request.user, reason=payload.reason, amount=payload.amount,
        scholarship=payload.scholarship.dict() if payload.scholarship else None)
    return Status(201, _detail(request, selectors.access_application(application.pk)))


@router.post("/aid/applications/{application_id}/review", response=AidApplicationDetailOut)
@idempotent("aid.application.review")
def review_aid_application(request, application_id: Id, payload: AidReviewIn):
    """Fire one transition of the declared state machine: first_pass, approve, reject, withdraw; or
    raise_amount (above the programme's standard, by a reviewer of its organizing union, with the
    reason in ``note``)."""
    application = selectors.access_application(application_id)
    if payload.action == wf.FIRST_PASS:
        services.pass_first_review(application=application, actor=request.user, note=payload.note)
    elif payload.action == wf.APPROVE:
        services.approve_application(application=application, actor=request.user, amount=payload.amount, note=payload.note)
    elif payload.action == wf.REJECT:
        services.reject_application(application=application, actor=request.user, note=payload.note)
    elif payload.action == "raise_amount":  # above the standard: a reviewer of the organizing union, the reason in note
        services.raise_amount(application=application, actor=request.user, amount=payload.amount,
                              reason=payload.note)
    else:
        services.withdraw_application(application=application, actor=request.user)
    return _detail(request, selectors.access_application(application_id))


@router.post("/aid/applications/{application_id}/pay", response=AidApplicationDetailOut)
@idempotent("aid.application.pay")
def pay_aid_application(request, application_id: Id, payload: PayIn):
    application = selectors.access_application(application_id)
    services.pay_application(application=application, actor=request.user, method=payload.method, paid_on=payload.paid_on,
                 note=payload.note)
    return _detail(request, selectors.access_application(application_id))


@router.post("/aid/applications/{application_id}/reverse", response=AidApplicationDetailOut)
@idempotent("aid.application.reverse")
def reverse_aid_payment(request, application_id: Id, payload: ReverseIn):
    application = selectors.access_application(application_id)
    services.reverse_disbursement(application=application, actor=request.user, reason=payload.reason, release=payload.release)
    return _detail(request, selectors.access_application(application_id))


@router.get("/aid/ledger", response=list[LedgerOut])
@paginate(Pages, page_size=100)
def list_aid_ledger(request, year: Year | None = None, programme: Id | None = None):
    scope_programme = selectors.access_programme(programme) if programme else None
    return selectors.ledger_list(year=year, programme=scope_programme, within=_within(request, "aid.ledger.list"))


@router.get("/aid/hardship", response=list[HardshipOut])
@paginate(Pages, page_size=50)
def list_hardship_files(request, status: str = "active"):
    return selectors.hardship_list(status=status if status in ("active", "exited") else "active",
                                   within=_within(request, "aid.hardship.list"))


@router.post("/aid/hardship", response={201: HardshipDetailOut})
def create_hardship_file(request, payload: HardshipIn):
    """Open a hardship file (clerks and admins of the union); one active file per person."""
    node = orgs.access_node(payload.node_id)
    member = members.access_member(payload.member_id) if payload.member_id else None
    if member is not None and not member.node.path.startswith(node.path):
        from django.http import Http404

        raise Http404
    file = hardship.register_file(
        node=node, actor=request.user, member=member, name=payload.name, id_number=payload.id_number,
        phone=payload.phone, cause=payload.cause, level=payload.level, household_size=payload.household_size,
        income_per_head=payload.income_per_head, situation=payload.situation,
        household=[h.dict() for h in payload.household])
    return Status(201, selectors.access_hardship(file.pk))


@router.get("/aid/hardship/{file_id}", response=HardshipDetailOut)
def get_hardship_file(request, file_id: Id):
    """The full file for aid officers of the subtree; the read is audited."""
    return hardship.open_file(file=selectors.access_hardship(file_id), actor=request.user)


@router.get("/aid/wishes", response=list[WishOut])
@paginate(Pages, page_size=50)
def list_aid_wishes(request, status: str = ""):
    return selectors.wish_list(status=status, within=_within(request, "aid.wish.list"))


@router.get("/aid/objections", response=list[ObjectionOut])
@paginate(Pages, page_size=50)
def list_aid_objections(request, status: str = "", publicity: Count | None = None):
    """Objections to publicity entries of the caller's subtree (aid officers), newest first."""
    scope_publicity = selectors.access_publicity(publicity) if publicity else None
    return selectors.objection_list(publicity=scope_publicity, status=status, within=_within(request, "aid.objection.view"))


@router.post("/aid/objections/{objection_id}/decide", response=ObjectionOut)
def decide_aid_objection(request, objection_id: Id, payload: ObjectionDecisionIn):
    """Uphold (the approval is revoked; a paid entry is reversed in the ledger) or dismiss, with the reason."""
    objection = objections.decide_objection(objection=selectors.access_objection(objection_id), actor=request.user,
                                            uphold=payload.decision == "uphold", note=payload.note)
    return selectors.objection_list().get(pk=objection.pk)


@router.post("/aid/programmes/{programme_id}/enrolments/union", response=EnrolUnionOut)
@idempotent("aid.enrolment.union")
def enrol_aid_union(request, programme_id: Id, payload: EnrolUnionIn):
    """Enrol every active member of a union (and the unions under it) in a medical mutual aid
    programme with one fee; members already enrolled are skipped and counted. Safe to repeat."""
    programme = selectors.access_programme(programme_id)
    return medical.enrol_union(programme=programme, node=orgs.access_node(payload.node_id), actor=request.user,
                               fee=payload.fee)
