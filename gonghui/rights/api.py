"""API of rights (mounted under /api/v1/); same scoping as the console.

Claimants' names and phones are masked in every response; the reveal endpoint is audited like
the console's button. A mediator's token sees the cases it is invited to, nothing else.
"""

import datetime
from decimal import Decimal
from typing import Annotated, Any

from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate
from pydantic import WithJsonSchema

from gonghui.accounts.models import User
from gonghui.accounts.permissions import allowed, require, roles_of
from gonghui.core import editing
from gonghui.core.audit import audit
from gonghui.core.dbrouting import replica_reads
from gonghui.core.errors import DomainError, NotPermitted
from gonghui.core.limits import PHONE_TEXT, SEARCH_TERM, VERSION_TOKEN, limit_of
from gonghui.core.masking import mask_name, mask_phone
from gonghui.core.schemas import Count, Id, InputSchema, Pages, checked
from gonghui.core.xlsx import XLSX_CONTENT_TYPE
from gonghui.orgs import selectors as orgs

from . import limits, selectors
from .deadlines import deadline_note
from .models import Case, Category, Channel, CheckupItem, Finding, Invitation, MediationSession, Satisfaction
from .services import cases as services
from .services import checklist, claims, export

router = Router(tags=["rights"])

# Yuan as a string ("3800.50") or a whole number; exact, at most two decimals, never negative, NaN
# or Infinity, no JSON number with a fraction (services.claims.clean_amount, the forms' rule).
Amount = Annotated[Any, checked(lambda value: claims.clean_amount(value=value)),
                   WithJsonSchema({"type": ["string", "integer", "null"], "examples": ["3800.50", 3800]})]


class CaseOut(Schema):
    id: int
    tracking_code: str
    node_id: int
    node_name: str
    channel: str
    category: str
    claimant_masked: str
    phone_masked: str
    employer_name: str
    employer_id: int | None
    workers_involved: int
    amount_claimed: Decimal | None
    stage: str
    stage_label: str
    stage_since: datetime.date
    due_on: datetime.date | None
    overdue: bool
    deadline_note: str = Field(description="set when the deadline was counted Monday to Friday (holiday schedule "
                                           "of that year not known yet)")
    handler: str
    amount_recovered: Decimal
    mediated: bool
    satisfaction: str
    submitted_at: datetime.datetime
    closed_on: datetime.date | None

    @staticmethod
    def resolve_node_name(obj):
        return obj.node.name

    @staticmethod
    def resolve_claimant_masked(obj):
        return mask_name(obj.claimant_name)

    @staticmethod
    def resolve_phone_masked(obj):
        return mask_phone(obj.claimant_phone)

    @staticmethod
    def resolve_stage_label(obj):
        return str(obj.get_stage_display())

    @staticmethod
    def resolve_overdue(obj):
        return selectors.is_overdue(obj)

    @staticmethod
    def resolve_deadline_note(obj):
        return deadline_note(obj)

    @staticmethod
    def resolve_handler(obj):
        return str(obj.handler) if obj.handler_id else ""


class CaseEventOut(Schema):
    at: datetime.datetime
    kind: str
    from_stage: str
    to_stage: str
    text: str
    by_claimant: bool
    visible_to_claimant: bool
    actor: str
    attachments: list[int]

    @staticmethod
    def resolve_actor(obj):
        return str(obj.actor) if obj.actor_id else ""

    @staticmethod
    def resolve_attachments(obj):
        return [a.pk for a in obj.attachments.all()]


class MediationSessionOut(Schema):
    id: int
    held_on: datetime.date
    place: str
    participants: str
    result: str


class CaseDetailOut(CaseOut):
    parties: str
    facts: str
    outcome: str
    decline_reason: str
    moves: list[str]
    history: list[CaseEventOut]
    sessions: list[MediationSessionOut] = Field(alias="sessions_list")
    mediators: list[str]


class ClaimIn(InputSchema):
    node_id: Id
    channel: Channel = Channel.HOTLINE
    category: Category
    claimant_name: str = Field(max_length=limits.CLAIMANT_NAME)
    claimant_phone: str = Field("", max_length=PHONE_TEXT)
    employer_name: str = Field(max_length=limit_of(Case, "employer_name"))
    facts: str = Field(max_length=limits.FACTS)
    amount_claimed: Amount = None
    workers_involved: Count = 1
    parties: str = Field("", max_length=limit_of(Case, "parties"))


class RightsMoveIn(InputSchema):
    action: str = Field(max_length=limits.MOVE_NAME)
    reason: str = Field("", max_length=limit_of(Case, "decline_reason"))
    handler_id: Id | None = None
    outcome: str = Field("", max_length=limits.OUTCOME)
    amount_recovered: Amount = None
    satisfaction: Satisfaction | None = None
    note: str = Field("", max_length=limit_of(Finding, "note"))


class CommentIn(InputSchema):
    text: str = Field(max_length=limits.COMMENT)
    visible_to_claimant: bool = False


class InviteIn(InputSchema):
    mediator: str = Field(max_length=limit_of(User, "username"), description="the mediator's account name")
    partner: Invitation.Partner


class SessionIn(InputSchema):
    held_on: datetime.date
    place: str = Field(max_length=limit_of(MediationSession, "place"))
    participants: str = Field(max_length=limit_of(MediationSession, "participants"))
    result: MediationSession.Result
    notes: str = Field("", max_length=limits.SESSION_NOTES)


class AgreementIn(InputSchema):
    signed_on: datetime.date
    terms: str = Field(max_length=limits.TERMS)
    amount: Amount


class ExtendIn(InputSchema):
    workdays: Count
    reason: str = Field(max_length=limits.EXTENSION_REASON)


class RightsRevealOut(Schema):
    claimant_name: str
    claimant_phone: str


class RightsFiguresOut(Schema):
    node_id: int | None
    claims: int
    open: int
    overdue: int
    closed: int
    mediated: int
    with_sessions: int
    agreements: int
    mediation_success_rate: Decimal | None
    amount_recovered: Decimal
    satisfaction_rate: Decimal | None
    by_category: dict[str, int]
    children: list[dict]
    checkups: dict
    agreements: dict


class CheckupOut(Schema):
    id: int
    employer_id: int
    employer_name: str
    node_id: int
    visited_on: datetime.date
    inspectors: str
    risks: int
    open_risks: int

    @staticmethod
    def resolve_employer_name(obj):
        return obj.employer.name


class AgreementOut(Schema):
    id: int
    node_id: int
    employer_id: int | None
    kind: str
    signed_on: datetime.date
    term_months: int
    expires_on: datetime.date
    wage_growth: Decimal | None
    workers_covered: int
    has_congress: bool
    has_open_affairs: bool


class ChecklistItemOut(Schema):
    id: int
    code: str
    title: str
    basis: str
    order: int
    active: bool
    replaces_id: int | None
    retired_at: datetime.datetime | None
    version: str = Field("", description=editing.VERSION_HELP)

    @staticmethod
    def resolve_version(obj):
        return selectors.item_version(obj)


class ChecklistItemIn(InputSchema):
    title: str = Field(max_length=limit_of(CheckupItem, "title"))
    basis: str = Field("", max_length=limit_of(CheckupItem, "basis"))


class ChecklistRewordIn(ChecklistItemIn):
    version: str | None = Field(None, max_length=VERSION_TOKEN, description=editing.VERSION_HELP)


class ChecklistOrderIn(InputSchema):
    ids: list[Id] = Field(max_length=limits.CHECKLIST_ROWS, description="every active item's id, in the new order")


def _detail(request, case):
    """The case with its history, sessions and what this user may do next (attributes for CaseDetailOut)."""
    audit("rights.case.viewed", actor=request.user, obj=case, data={"channel": "api"})
    case.moves = [m.name for m in selectors.available_moves(request.user, case)]
    case.history = selectors.case_history(case)
    case.sessions_list = selectors.case_sessions(case)
    case.mediators = [str(i.mediator) for i in selectors.case_invitations(case) if i.revoked_at is None]
    return case


@router.get("/rights/cases", response=list[CaseOut])
@paginate(Pages, page_size=50)
def list_cases(request, node: Id | None = None, stage: str = "", category: str = "", overdue: bool | None = None,
               q: str = Query("", max_length=SEARCH_TERM)):
    scope_node = orgs.access_node(node) if node is not None else None
    return selectors.case_list(request.user, node=scope_node, stage=stage, category=category, overdue=overdue,
                               query=q)


@router.get("/rights/cases.xlsx")
@replica_reads
def export_cases(request, node: Id | None = None, stage: str = "", category: str = "", overdue: bool | None = None,
                 q: str = Query("", max_length=SEARCH_TERM)):
    """The filtered cases as xlsx, claimants masked (the full version is a console action only); audited."""
    scope_node = orgs.access_node(node) if node is not None else None
    qs = selectors.case_list(request.user, node=scope_node, stage=stage, category=category, overdue=overdue,
                             query=q)
    content = export.export_cases(actor=request.user, cases=qs, covers=[scope_node] if scope_node else
                                  orgs.scope_roots(), filters={"node": node, "stage": stage, "category": category,
                                                               "overdue": overdue, "q": q}, channel="api")
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="rights-cases.xlsx"'
    return response


@router.post("/rights/cases", response={201: CaseDetailOut})
def create_claim(request, payload: ClaimIn):
    """Register a claim taken on the hotline or at the counter (clerks of the union or above)."""
    node = orgs.access_node(payload.node_id)
    data = payload.dict()
    data.pop("node_id")
    case = claims.file_claim(node=node, actor=request.user, **data)
    return Status(201, _detail(request, case))


@router.get("/rights/cases/{case_id}", response=CaseDetailOut)
def get_case(request, case_id: Id):
    return _detail(request, selectors.access_case(request.user, case_id))


@router.post("/rights/cases/{case_id}/moves", response=CaseDetailOut)
def move_case(request, case_id: Id, payload: RightsMoveIn):
    """Fire a declared step: accept, decline, assign, investigate, mediate, legal_aid, arbitration,
    litigation, close, visit, withdraw."""
    case = selectors.access_case(request.user, case_id)
    handler = get_user_model().objects.filter(pk=payload.handler_id).first() if payload.handler_id else None
    services.move_case(case=case, name=payload.action, actor=request.user, reason=payload.reason, handler=handler,
                  outcome=payload.outcome, amount_recovered=payload.amount_recovered,
                  satisfaction=payload.satisfaction or "", note=payload.note)
    return _detail(request, case)


@router.post("/rights/cases/{case_id}/comments", response={201: CaseEventOut})
def comment_case(request, case_id: Id, payload: CommentIn):
    case = selectors.access_case(request.user, case_id)
    return Status(201, services.comment_on_case(case=case, actor=request.user, text=payload.text,
                                        visible_to_claimant=payload.visible_to_claimant))


@router.post("/rights/cases/{case_id}/documents", response={201: CaseEventOut})
def add_case_document(request, case_id: Id, file: File[UploadedFile], text: str = ""):
    """A picture or PDF for the case file (checked by its bytes, size-capped)."""
    case = selectors.access_case(request.user, case_id)
    return Status(201, services.comment_on_case(case=case, actor=request.user, text=text, files=[file]))


@router.post("/rights/cases/{case_id}/deadline", response=CaseOut)
def extend_case_deadline(request, case_id: Id, payload: ExtendIn):
    case = selectors.access_case(request.user, case_id)
    return services.extend_deadline(case=case, actor=request.user, workdays=payload.workdays, reason=payload.reason)


@router.post("/rights/cases/{case_id}/invitations", response={201: dict})
def invite_mediator(request, case_id: Id, payload: InviteIn):
    case = selectors.access_case(request.user, case_id)
    mediator = get_user_model().objects.filter(username=payload.mediator.strip(), is_active=True).first()
    invitation = services.invite_mediator(case=case, actor=request.user, mediator=mediator, partner=payload.partner)
    return Status(201, {"id": invitation.pk, "mediator": str(invitation.mediator), "partner": invitation.partner})


class UninviteIn(InputSchema):
    mediator: str = Field(max_length=limit_of(User, "username"), description="the invited mediator's account name")


@router.post("/rights/cases/{case_id}/invitations/revoke", response=dict)
def revoke_mediator_invitation(request, case_id: Id, payload: UninviteIn):
    """The case's handler withdraws a mediator's invitation: the mediator no longer sees the case."""
    case = selectors.access_case(request.user, case_id)
    invitation = next((i for i in selectors.case_invitations(case)
                       if i.mediator.username == payload.mediator.strip() and i.revoked_at is None), None)
    if invitation is None:
        raise DomainError("not_invited", _("This mediator is not invited to the case."), field="mediator")
    invitation = services.revoke_invitation(invitation=invitation, actor=request.user)
    return {"id": invitation.pk, "mediator": str(invitation.mediator), "revoked": True}


@router.post("/rights/cases/{case_id}/sessions", response={201: MediationSessionOut})
def record_mediation_session(request, case_id: Id, payload: SessionIn):
    case = selectors.access_case(request.user, case_id)
    return Status(201, services.record_session(case=case, actor=request.user, **payload.dict()))


@router.post("/rights/cases/{case_id}/agreement", response={201: CaseOut})
def record_mediation_agreement(request, case_id: Id, payload: AgreementIn):
    case = selectors.access_case(request.user, case_id)
    services.record_agreement(case=case, actor=request.user, **payload.dict())
    return Status(201, case)


@router.post("/rights/cases/{case_id}/reveal", response=RightsRevealOut)
def reveal_claimant(request, case_id: Id):
    case = selectors.access_case(request.user, case_id)
    audit("rights.case.contact_revealed", actor=request.user, obj=case, data={"channel": "api"})
    return {"claimant_name": case.claimant_name, "claimant_phone": case.claimant_phone}


@router.get("/rights/figures", response=RightsFiguresOut)
def rights_indicators(request, node: Id | None = None, since: datetime.date | None = None,
                      until: datetime.date | None = None):
    """Claims by category, cases closed, mediation success rate, amount recovered (挽回经济损失)."""
    scope_node = orgs.access_node(node) if node is not None else None
    figures = selectors.rights_figures(request.user, node=scope_node, since=since, until=until)
    anchor = scope_node or next(iter(orgs.scope_roots()), None)
    reads = anchor is not None and allowed(request.user, "rights.figures.view", node=anchor)
    children = []
    if scope_node is not None:
        children = [{"node_id": child.pk, "name": child.name, "claims": row["claims"], "closed": row["closed"],
                     "overdue": row["overdue"], "amount_recovered": str(row["amount"] or 0)}
                    for child, row in selectors.child_figures(request.user, scope_node)]
    return {**figures.__dict__, "node_id": scope_node.pk if scope_node else None,
            "mediation_success_rate": figures.mediation_success_rate,
            "satisfaction_rate": figures.satisfaction_rate, "children": children,
            "checkups": selectors.checkup_figures(anchor) if reads else {},
            "agreements": selectors.agreement_coverage(anchor) if reads else {}}


def _reader_node(request, node: int | None):
    scope_node = orgs.access_node(node) if node is not None else next(iter(orgs.scope_roots()), None)
    if scope_node is None:
        raise NotPermitted("rights.list")
    require(request.user, "rights.list", node=scope_node)
    return scope_node


@router.get("/rights/checkups", response=list[CheckupOut])
@paginate(Pages, page_size=50)
def list_checkups(request, node: Id | None = None, employer: Count | None = None):
    """Legal check-up visits of the subtree, or one employer's history of visits."""
    scope_node = _reader_node(request, node)
    scope_employer = orgs.access_employer(employer) if employer is not None else None
    return selectors.checkup_list(node=scope_node, employer=scope_employer)


@router.get("/rights/agreements", response=list[AgreementOut])
@paginate(Pages, page_size=50)
def list_collective_agreements(request, node: Id | None = None,
                               renewal_due_within: Annotated[int, Field(ge=0, le=3660)] | None = None):
    """``renewal_due_within``: days, up to ten years (a larger number overflowed the date: a 500)."""
    scope_node = _reader_node(request, node)
    return selectors.agreement_list(node=scope_node, renewal_due_within=renewal_due_within)


# --- the check-up template (one list for the platform; county cadres edit it) -------------------------------

@router.get("/rights/checklist", response=list[ChecklistItemOut])
@paginate(Pages, page_size=100)
def list_checklist_items(request, retired: bool = False):
    """The items every new check-up answers, in order (``retired=true``: those taken out)."""
    if not (request.user.is_superuser or roles_of(request.user)):
        return selectors.checklist_items().none()
    return selectors.checklist_items(retired=retired)


@router.post("/rights/checklist", response={201: ChecklistItemOut})
def add_checklist_item(request, payload: ChecklistItemIn):
    return Status(201, checklist.add_item(actor=request.user, title=payload.title, basis=payload.basis))


@router.put("/rights/checklist/order", response=list[ChecklistItemOut])
def reorder_checklist(request, payload: ChecklistOrderIn):
    """Name every active item once, in the new order; refused if the list has changed meanwhile."""
    return checklist.reorder_checklist(actor=request.user, ids=payload.ids)


@router.post("/rights/checklist/{item_id}/wording", response=ChecklistItemOut)
def reword_checklist_item(request, item_id: Id, payload: ChecklistRewordIn):
    """Returns the item as it now stands: a new version (new id and code) when check-ups had answered it."""
    item = selectors.access_checklist_item(item_id)
    return checklist.reword_item(item=item, actor=request.user, title=payload.title, basis=payload.basis,
                                 expected_version=editing.expected_from(request, payload.version))


@router.post("/rights/checklist/{item_id}/retire", response=ChecklistItemOut)
def retire_checklist_item(request, item_id: Id):
    return checklist.retire_item(item=selectors.access_checklist_item(item_id), actor=request.user)


@router.post("/rights/checklist/{item_id}/restore", response=ChecklistItemOut)
def restore_checklist_item(request, item_id: Id):
    return checklist.restore_item(item=selectors.access_checklist_item(item_id), actor=request.user)
