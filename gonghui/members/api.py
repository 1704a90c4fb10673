"""API of the roster (mounted under /api/v1/): members, join applications, transfers, export.

Personal data is masked in every response; the full ID number and phone come only from the
reveal endpoint, which is audited like the console's button. Same scoping as the console.
"""

import datetime
from typing import Literal

from django.conf import settings as django_settings
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from gonghui.accounts.permissions import require, roles_allowed, roles_of, scope_for
from gonghui.core import editing
from gonghui.core.audit import audit
from gonghui.core.dbrouting import replica_reads
from gonghui.core.errors import DomainError, NotPermitted
from gonghui.core.limits import ID_NUMBER_TEXT, SEARCH_TERM, VERSION_TOKEN, limit_of, shortened_text
from gonghui.core.masking import mask_phone, mask_resident_id
from gonghui.core.schemas import Id, InputSchema, Pages, PatchSchema
from gonghui.core.xlsx import XLSX_CONTENT_TYPE, build_workbook
from gonghui.orgs import selectors as orgs

from . import selectors
from .limits import IMPORT_ERRORS_PAGE, IMPORT_VALUE_QUOTED
from .models import EmploymentForm, Member, MemberStatus, MemberType, NewFormType
from .services import card, importing, joining, roster, transfer

router = Router(tags=["members"])


class MemberOut(Schema):
    id: int
    name: str
    gender: str
    birth_year: int
    ethnicity: str
    id_number_masked: str
    phone_masked: str
    employment_form: str
    new_form_type: str
    is_migrant: bool
    employer_name: str
    node_id: int
    node_name: str
    member_type: str
    card_number: str
    joined_on: datetime.date
    status: str
    version: str = Field(description="Send it back with a PATCH: a change made meanwhile refuses the edit.")

    @staticmethod
    def resolve_birth_year(obj):
        return obj.birth_date.year

    @staticmethod
    def resolve_version(obj):
        return selectors.member_version(obj)

    @staticmethod
    def resolve_id_number_masked(obj):
        return mask_resident_id(obj.id_number)

    @staticmethod
    def resolve_phone_masked(obj):
        return mask_phone(obj.phone)

    @staticmethod
    def resolve_node_name(obj):
        return obj.node.name


class MemberIn(InputSchema):
    node_id: Id
    name: str = Field(max_length=limit_of(Member, "name"))
    id_number: str = Field(max_length=ID_NUMBER_TEXT)
    gender: str | None = None
    birth_date: datetime.date | None = None
    ethnicity: str = "汉族"
    phone: str = ""
    education: str = ""
    political_status: str = ""
    household: str = ""
    employment_form: EmploymentForm = EmploymentForm.CONTRACT
    new_form_type: NewFormType | None = None
    employer_name: str = ""
    member_type: MemberType = MemberType.FULL
    joined_on: datetime.date | None = None


class MemberPatch(PatchSchema):
    __nullable__ = frozenset()

    phone: str | None = None
    ethnicity: str | None = None
    education: str | None = None
    political_status: str | None = None
    household: str | None = None
    employment_form: EmploymentForm | None = None
    new_form_type: NewFormType | None = None
    employer_name: str | None = None
    member_type: MemberType | None = None
    version: str | None = Field(None, max_length=VERSION_TOKEN,
                                description="The member's version as read; a change made since refuses the edit.")


class EndIn(InputSchema):
    status: str = MemberStatus.LEFT
    on: datetime.date | None = None
    reason: str = ""


class MemberRevealOut(Schema):
    id_number: str
    phone: str


class JoinApplicationOut(Schema):
    id: int
    node_id: int
    name: str
    id_number_masked: str
    employer_name: str
    employment_form: str
    new_form_type: str
    status: str
    submitted_at: datetime.datetime
    due_on: datetime.date
    overdue: bool
    reason: str
    member_id: int | None

    @staticmethod
    def resolve_id_number_masked(obj):
        return mask_resident_id(obj.id_number)

    @staticmethod
    def resolve_overdue(obj):
        return selectors.is_overdue(obj)


class JoinDecisionIn(InputSchema):
    approve: bool
    reason: str = ""
    member_type: MemberType = MemberType.FULL


class TransferOut(Schema):
    id: int
    member_id: int
    from_node_id: int
    to_node_id: int
    status: str
    reason: str
    requested_at: datetime.datetime
    out_approved_at: datetime.datetime | None
    in_approved_at: datetime.datetime | None
    decided_reason: str


class TransferIn(InputSchema):
    member_id: Id
    to_node_code: str
    reason: str = ""
    to_employer_name: str = ""


class TransferDecisionIn(InputSchema):
    side: str = Field(pattern="^(out|in)$")
    approve: bool
    reason: str = ""


def _readers(request) -> None:
    if not (request.user.is_superuser or roles_of(request.user) & roles_allowed("members.member.list")):
        raise NotPermitted("members.member.list")


@router.get("/members", response=list[MemberOut])
@replica_reads
@paginate(Pages, page_size=50)
def list_members(request, node: Id | None = None, q: str = Query("", max_length=SEARCH_TERM), status: str = MemberStatus.ACTIVE,
                 employment_form: str = "", migrant: bool | None = None, joined_from: datetime.date | None = None,
                 joined_to: datetime.date | None = None, gender: Literal["", "F", "M"] = ""):
    _readers(request)
    scope_node = orgs.access_node(node) if node is not None else None
    return selectors.member_list(node=scope_node, query=q, status=status, employment_form=employment_form,
                                 migrant=migrant, joined_from=joined_from, joined_to=joined_to, gender=gender,
                                 within=scope_for(request.user, "members.member.list"))


@router.get("/members/export.xlsx")
@replica_reads
def export_members(request, node: Id | None = None, status: str = MemberStatus.ACTIVE):
    _readers(request)
    scope_node = orgs.access_node(node) if node is not None else None
    qs = selectors.member_list(node=scope_node, status=status, within=scope_for(request.user, "members.member.list"))
    rows = [(m.name, m.get_gender_display(), mask_resident_id(m.id_number), mask_phone(m.phone),
             m.get_employment_form_display(), m.employer_name, m.node.name, m.joined_on, m.card_number,
             m.get_status_display()) for m in qs.iterator(chunk_size=2000)]
    audit("members.roster.exported", actor=request.user, obj=scope_node,
          data={"rows": len(rows), "full": False, "channel": "api"})
    content = build_workbook(title="会员花名册", exported_by=str(request.user), rows=rows,
                             headers=["姓名", "性别", "身份证号码", "手机号码", "用工形式", "工作单位", "所属工会",
                                      "入会日期", "会员卡号", "状态"])
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="members.xlsx"'
    return response


@router.get("/members/{member_id}", response=MemberOut)
def get_member(request, member_id: Id):
    member = selectors.access_member(member_id)
    require(request.user, "members.member.view", node=member.node)
    return member


@router.post("/members/{member_id}/reveal", response=MemberRevealOut)
def reveal_member(request, member_id: Id):
    member = selectors.access_member(member_id)
    return roster.reveal_member(member=member, actor=request.user, purpose="api")


@router.post("/members", response={201: MemberOut})
def create_member(request, payload: MemberIn):
    node = orgs.access_node(payload.node_id)
    data = payload.dict(exclude={"node_id"}, exclude_none=True)
    member = roster.create_member(node=node, actor=request.user, **data)
    return Status(201, selectors.access_member(member.pk))


@router.patch("/members/{member_id}", response=MemberOut)
def update_member(request, member_id: Id, payload: MemberPatch):
    member = selectors.access_member(member_id)
    fields = payload.dict(exclude_unset=True, exclude_none=True)
    roster.update_member(member=member, actor=request.user,
                         expected_version=editing.expected_from(request, fields.pop("version", None)), **fields)
    return selectors.access_member(member_id)


@router.post("/members/{member_id}/end", response=MemberOut)
def end_membership(request, member_id: Id, payload: EndIn):
    member = selectors.access_member(member_id)
    roster.end_membership(member=member, actor=request.user, **payload.dict(exclude_none=True))
    return selectors.access_member(member_id)


class CardRevokedOut(Schema):
    member_id: int
    card_version: int


@router.post("/members/{member_id}/card/revoke", response=CardRevokedOut)
def revoke_member_card(request, member_id: Id):
    """Every card QR code shown so far stops working (a lost phone); the member's next card is new."""
    member = card.revoke_card(member=selectors.access_member(member_id), actor=request.user)
    return {"member_id": member.pk, "card_version": member.card_version}


@router.get("/applications", response=list[JoinApplicationOut])
@paginate(Pages, page_size=50)
def list_applications(request, status: str = "pending", node: Id | None = None):
    scope_node = orgs.access_node(node) if node is not None else None
    qs = selectors.application_list(node=scope_node, status=status)
    within = scope_for(request.user, "members.application.view")
    return qs if within is None else qs.filter(node__path__within=within)


@router.post("/applications/{application_id}/decision", response=JoinApplicationOut)
def decide_application(request, application_id: Id, payload: JoinDecisionIn):
    application = selectors.access_application(application_id)
    if payload.approve:
        joining.approve_application(application=application, actor=request.user, member_type=payload.member_type)
    else:
        joining.reject_application(application=application, actor=request.user, reason=payload.reason)
    return selectors.access_application(application_id)


@router.get("/transfers", response=list[TransferOut])
@paginate(Pages, page_size=50)
def list_transfers(request, status: str = ""):
    return selectors.transfer_list(status=status)


@router.post("/transfers", response={201: TransferOut})
def request_transfer(request, payload: TransferIn):
    member = selectors.access_member(payload.member_id)
    to_node = orgs.destination_by_code(payload.to_node_code)
    if to_node is None:
        raise DomainError("unknown_node", _("No active union has this code."), field="to_node_code")
    return Status(201, transfer.request_transfer(member=member, to_node=to_node, actor=request.user,
                                                 reason=payload.reason, to_employer_name=payload.to_employer_name))


@router.post("/transfers/{transfer_id}/decision", response=TransferOut)
def decide_transfer(request, transfer_id: Id, payload: TransferDecisionIn):
    t = selectors.access_transfer(transfer_id)
    if payload.approve:
        return transfer.approve_transfer(transfer=t, actor=request.user, side=payload.side)
    return transfer.reject_transfer(transfer=t, actor=request.user, side=payload.side, reason=payload.reason)


@router.post("/transfers/{transfer_id}/cancel", response=TransferOut)
def cancel_transfer(request, transfer_id: Id):
    """Withdraw a pending transfer: whoever requested it, or the outgoing union's administrator."""
    return transfer.cancel_transfer(transfer=selectors.access_transfer(transfer_id), actor=request.user)


# --- roster import: the console's two steps, as resources a client can poll -----------------------

class ImportErrorOut(Schema):
    row: int
    column: str
    value: str
    reason: str


class ImportOut(Schema):
    token: str
    state: str
    node_id: int
    filename: str
    counts: dict
    header_row: int
    errors: list[ImportErrorOut] = Field(description="the first errors; every one is listed, page by page, at "
                                                     "GET /imports/{token}/errors")
    error_count: int = Field(description="how many errors there are in all")
    seconds: float


def _error_out(e) -> dict:
    return {"row": e.row, "column": str(e.column), "value": shortened_text(e.value, IMPORT_VALUE_QUOTED),
            "reason": str(e.reason)}


def _import_out(staged) -> dict:
    return {"token": staged.token, "state": staged.state, "node_id": staged.node_id, "filename": staged.filename,
            "counts": staged.counts, "header_row": staged.header_row, "seconds": round(staged.seconds, 2),
            "errors": [_error_out(e) for e in staged.errors[:IMPORT_ERRORS_PAGE]], "error_count": len(staged.errors)}


@router.post("/imports", response={201: ImportOut})
def stage_import(request, node_id: Id = Form(...), file: UploadedFile = File(...)):  # noqa: B008 - ninja style
    """Upload a roster (xlsx or csv): it is read and validated, nothing is written. The answer
    carries the counts, the first errors (every one at GET /imports/{token}/errors) and a token;
    POST /imports/{token}/commit runs it."""
    node = orgs.access_node(node_id)
    if file.size and file.size > django_settings.GONGHUI_IMPORT_MAX_BYTES:
        raise importing.ImportRefused("too_big", _("The file is larger than %(mb)d MB; split it into several "
                                                   "files.") % {"mb": django_settings.GONGHUI_IMPORT_MAX_BYTES
                                                               // importing.MB})
    staged = importing.stage_import(data=file.read(), filename=file.name or "", node=node, actor=request.user)
    return Status(201, _import_out(staged))


def _load_staged(request, token: str):
    """Another user's import, an expired one and a made-up token all answer the same 404."""
    try:
        return importing.load_staged_import(token=token, actor=request.user)
    except DomainError as exc:
        if exc.code == "import_not_found":
            raise Http404 from None
        raise


@router.get("/imports/{token}", response=ImportOut)
def get_import(request, token: str):
    return _import_out(_load_staged(request, token))


@router.get("/imports/{token}/errors", response=list[ImportErrorOut])
@paginate(Pages, page_size=IMPORT_ERRORS_PAGE)
def import_errors(request, token: str):
    """Every error of a staged import, in row order, page by page (``count`` is how many in all)."""
    return [_error_out(e) for e in _load_staged(request, token).errors]


@router.post("/imports/{token}/commit", response=ImportOut)
def commit_import(request, token: str):
    staged = _load_staged(request, token)
    node = orgs.access_node(staged.node_id)
    return _import_out(importing.commit_staged_import(token=token, actor=request.user, node=node))
