"""API of registration (mounted under /api/v1/); same scoping as the console.

The union's admin creates, fills in, uploads and submits; the office reviews. Personal data (the
legal representative's ID number) is masked in every response. The certificate check is public.
"""

import datetime
from decimal import Decimal
from typing import Annotated

from django.http import Http404, HttpResponse, JsonResponse
from ninja import Field, File, Form, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from gonghui.core import editing
from gonghui.core.audit import audit
from gonghui.core.dbrouting import replica_reads
from gonghui.core.limits import ID_NUMBER_TEXT, limit_of
from gonghui.core.masking import mask_resident_id
from gonghui.core.schemas import Count, Id, InputSchema, Pages, PatchSchema, named_choices
from gonghui.core.xlsx import XLSX_CONTENT_TYPE
from gonghui.orgs import selectors as orgs

from . import exports, limits, selectors
from .materials import item_label
from .models import Application, RegistrationStatus
from .models import Kind as _Kind
from .services import applications, certificates, offices
from .services.forms import FORM_KINDS
from .workflow import ApplicationStatus

# The model's choices under a name of their own in the OpenAPI document (another app has a Kind too).
Kind = named_choices("RegistrationKind", _Kind)

router = Router(tags=["registration"])

Money = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]


class FormOut(Schema):
    name: str
    address: str
    founded_on: datetime.date | None
    elected_on: datetime.date | None
    term_years: int | None
    approving_body: str
    approval_doc_no: str
    worker_count: int
    member_count: int
    full_time_cadres: int
    chair_name: str
    legal_rep_name: str
    legal_rep_id_number_masked: str
    funding_source: str
    last_year_balance: Decimal
    dues_income: Decimal
    retained_funds: Decimal
    other_income: Decimal
    fixed_funds: Decimal
    working_funds: Decimal
    premises_m2: Decimal

    @staticmethod
    def resolve_legal_rep_id_number_masked(obj):
        return mask_resident_id(obj.legal_rep_id_number)


class MaterialOut(Schema):
    id: int
    item: str
    label: str
    original_name: str
    size: int
    uploaded_at: datetime.datetime

    @staticmethod
    def resolve_label(obj):
        return item_label(obj.item)


class RegistrationApplicationOut(FormOut):
    id: int
    node_id: int
    node_name: str
    office: str
    kind: str
    status: str
    changed_on: datetime.date | None
    reason: str
    loss_notice: str
    filed_late: bool
    submitted_at: datetime.datetime | None
    decided_at: datetime.datetime | None
    submissions: int
    return_reasons: dict
    registration_id: int | None

    @staticmethod
    def resolve_node_name(obj):
        return obj.node.name

    @staticmethod
    def resolve_office(obj):
        return str(obj.office)


class RegistrationApplicationDetailOut(RegistrationApplicationOut):
    checklist: list[str]
    missing: list[str]
    materials: list[MaterialOut]
    version: str = Field("", description=editing.VERSION_HELP + " Send it back as an If-Match header.")

    @staticmethod
    def resolve_version(obj):
        return selectors.application_version(obj)

    @staticmethod
    def resolve_checklist(obj):
        return selectors.checklist(obj)

    @staticmethod
    def resolve_missing(obj):
        return selectors.missing_items(obj) if obj.is_open else []

    @staticmethod
    def resolve_materials(obj):
        return [m for m in obj.materials.all() if m.replaced_at is None]


class FormIn(PatchSchema):
    __nullable__ = frozenset({"founded_on", "elected_on", "term_years", "changed_on"})

    name: str | None = Field(None, max_length=limit_of(Application, "name"))
    address: str | None = Field(None, max_length=limit_of(Application, "address"))
    founded_on: datetime.date | None = None
    elected_on: datetime.date | None = None
    term_years: int | None = Field(None, ge=3, le=5)
    approving_body: str | None = Field(None, max_length=limit_of(Application, "approving_body"))
    approval_doc_no: str | None = Field(None, max_length=limit_of(Application, "approval_doc_no"))
    worker_count: Count | None = Field(None, ge=0)
    member_count: Count | None = Field(None, ge=0)
    full_time_cadres: Count | None = Field(None, ge=0)
    chair_name: str | None = Field(None, max_length=limit_of(Application, "chair_name"))
    legal_rep_name: str | None = Field(None, max_length=limit_of(Application, "legal_rep_name"))
    legal_rep_id_number: str | None = Field(None, max_length=ID_NUMBER_TEXT)
    funding_source: str | None = Field(None, max_length=limit_of(Application, "funding_source"))
    last_year_balance: Money | None = None
    dues_income: Money | None = None
    retained_funds: Money | None = None
    other_income: Money | None = None
    fixed_funds: Money | None = None
    working_funds: Money | None = None
    premises_m2: Annotated[Decimal, Field(ge=0, max_digits=10, decimal_places=2)] | None = None
    changed_on: datetime.date | None = None
    reason: str | None = Field(None, max_length=limit_of(Application, "reason"))
    loss_notice: str | None = Field(None, max_length=limit_of(Application, "loss_notice"))


class RegistrationApplicationIn(FormIn):
    node_id: Id
    kind: Kind


class RegistrationReviewIn(InputSchema):
    approve: bool
    credit_code: str = Field("", max_length=limits.CREDIT_CODE_TEXT)
    reasons: dict[str, str] = {}


class RegistrationOut(FormOut):
    id: int
    node_id: int
    office: str
    status: str
    credit_code: str
    version: int
    registered_on: datetime.date
    valid_from: datetime.date
    valid_until: datetime.date
    cancelled_on: datetime.date | None

    @staticmethod
    def resolve_office(obj):
        return str(obj.office)


class CertificateOut(Schema):
    id: int
    serial: str
    version: int
    issued_at: datetime.datetime
    valid_until: datetime.date
    status: str
    verify_url: str


class RegistrationDetailOut(RegistrationOut):
    certificates: list[CertificateOut]
    history: list[dict]

    @staticmethod
    def resolve_certificates(obj):
        return obj.certificates_out

    @staticmethod
    def resolve_history(obj):
        return obj.history_out


class RegistrationFiguresOut(Schema):
    node_id: int
    grassroots_unions: int
    registered: int
    registration_rate: Decimal | None
    pending: int
    due_for_renewal: int
    cancelled: int


class VerifyOut(Schema):
    signed: bool
    intact: bool
    trusted: bool
    whole_file: bool
    ok: bool
    problem: str
    signer: str
    certificate: str | None
    status: str | None
    union_name: str | None
    credit_code: str | None


class OfficeOut(Schema):
    node_id: int
    node_name: str
    issuer_name: str
    waiting: int
    registered: int

    @staticmethod
    def resolve_node_name(obj):
        return obj.node.name


class OfficeFlagOut(Schema):
    node_id: int
    is_registration_office: bool


class OfficeIn(InputSchema):
    node_id: Id


def _fields(payload: FormIn) -> dict:
    data = payload.dict(exclude_unset=True, exclude={"node_id", "kind"})
    return {k: ("" if v is None and k not in FormIn.__nullable__ else v) for k, v in data.items()}


@router.get("/registration/applications", response=list[RegistrationApplicationOut])
@paginate(Pages, page_size=50)
def list_registration_applications(request, node: Id | None = None, status: ApplicationStatus | None = None,
                                   kind: Kind | None = None):
    """Applications in the caller's subtree (``node`` narrows to one union's subtree)."""
    scope_node = orgs.access_node(node) if node is not None else None
    return selectors.application_list(status=status or "", kind=kind or "", node=scope_node).select_related(
        "office")


@router.post("/registration/applications", response={201: RegistrationApplicationDetailOut})
def create_registration_application(request, payload: RegistrationApplicationIn):
    node = orgs.access_node(payload.node_id)
    fields = _fields(payload)
    if payload.kind not in FORM_KINDS:
        fields = {k: v for k, v in fields.items() if k in ("changed_on", "reason", "loss_notice")}
    application = applications.create_application(node=node, kind=payload.kind, actor=request.user, **fields)
    return Status(201, selectors.access_application(application.pk))


@router.get("/registration/applications/{application_id}", response=RegistrationApplicationDetailOut)
def get_registration_application(request, application_id: Id):
    return selectors.access_application(application_id)


@router.patch("/registration/applications/{application_id}", response=RegistrationApplicationDetailOut)
def update_registration_application(request, application_id: Id, payload: FormIn):
    application = selectors.access_application(application_id)
    applications.update_application(application=application, actor=request.user,
                                    expected_version=editing.expected_from(request), **_fields(payload))
    return selectors.access_application(application_id)


@router.post("/registration/applications/{application_id}/materials", response={201: MaterialOut})
def upload_registration_material(request, application_id: Id, item: Form[str], file: File[UploadedFile]):
    application = selectors.access_application(application_id)
    return Status(201, applications.upload_material(application=application, item=item, upload=file,
                                                    actor=request.user))


@router.post("/registration/applications/{application_id}/submit", response=RegistrationApplicationDetailOut)
def submit_registration_application(request, application_id: Id):
    application = selectors.access_application(application_id)
    applications.submit_application(application=application, actor=request.user)
    return selectors.access_application(application_id)


@router.post("/registration/applications/{application_id}/review", response=RegistrationApplicationDetailOut)
def review_registration_application(request, application_id: Id, payload: RegistrationReviewIn):
    """Approve (an establishment needs the credit code, starting with 81) or return with reasons per item."""
    application = selectors.access_application(application_id)
    if payload.approve:
        applications.approve_application(application=application, actor=request.user,
                                         credit_code=payload.credit_code, base_url=request.build_absolute_uri("/"))
    else:
        applications.return_application(application=application, actor=request.user, reasons=payload.reasons)
    return selectors.access_application(application_id)


@router.get("/registration/register", response=list[RegistrationOut])
@paginate(Pages, page_size=50)
def list_registrations(request, node: Id | None = None, status: RegistrationStatus | None = None,
                       q: str = "", due: bool = False):
    scope_node = orgs.access_node(node) if node is not None else None
    return selectors.register_list(status=status or "", node=scope_node, query=q, due=due)


@router.get("/registration/register/export.xlsx")
@replica_reads
def export_registrations(request, node: Id | None = None, status: RegistrationStatus | None = None,
                         q: str = "", due: bool = False):
    """The register of the caller's scope (same filters as the list) as xlsx; audited."""
    scope_node = orgs.access_node(node) if node is not None else None
    content, count = exports.register_workbook(
        selectors.register_list(status=status or "", node=scope_node, query=q, due=due), exported_by=str(request.user))
    audit("registration.register.exported", actor=request.user, obj=scope_node,
          data={"rows": count, "channel": "api", "filters": {"status": status or "", "q": q, "due": due}})
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="register.xlsx"'
    return response


def _certificate_out(request, certificate, latest_id) -> dict:
    return {"id": certificate.pk, "serial": certificate.serial, "version": certificate.version,
            "issued_at": certificate.issued_at, "valid_until": certificate.valid_until,
            "status": selectors.certificate_status(certificate, latest_id=latest_id),
            "verify_url": request.build_absolute_uri(certificates.verify_path(certificate=certificate))}


@router.get("/registration/register/{registration_id}", response=RegistrationDetailOut)
def get_registration(request, registration_id: Id):
    registration = selectors.access_registration(registration_id)
    history = selectors.registration_history(registration)
    registration.certificates_out = [_certificate_out(request, c, history["latest_certificate_id"])
                                     for c in history["certificates"]]
    registration.history_out = [{"version": v.version, "kind": v.kind, "at": v.at, "changes": v.changes}
                                for v in history["versions"]]
    return registration


@router.get("/registration/certificates/{certificate_id}/pdf")
def download_registration_certificate(request, certificate_id: Id):
    certificate = selectors.access_certificate(certificate_id)
    try:
        content = certificates.read_pdf(certificate=certificate)
    except certificates.FileMissing as exc:  # the record stands, its file is gone: 404, nothing audited
        return JsonResponse({"code": exc.code, "detail": str(exc.message)}, status=404)
    audit("registration.certificate.downloaded", actor=request.user, obj=certificate)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.serial}.pdf"'
    return response


@router.get("/registration/figures", response=RegistrationFiguresOut)
def registration_figures(request, node: Id | None = None):
    """Indicators of a subtree (default: the caller's scope when it has one root): grassroots unions,
    registered, registration rate, pending, due for renewal, cancelled."""
    if node is None:
        roots = orgs.scope_roots()
        if len(roots) != 1:
            raise Http404
        scope_node = roots[0]
    else:
        scope_node = orgs.access_node(node)
    f = selectors.figures(scope_node)
    return {"node_id": scope_node.pk, "grassroots_unions": f.unions, "registered": f.registered,
            "registration_rate": f.rate, "pending": f.pending, "due_for_renewal": f.due, "cancelled": f.cancelled}


@router.get("/registration/offices", response=list[OfficeOut])
@paginate(Pages, page_size=50)
def list_registration_offices(request):
    """The registration offices of the caller's scope (unions flagged to register their subtree)."""
    return selectors.offices_in_scope()


@router.post("/registration/offices", response={201: OfficeOut})
def designate_registration_office(request, payload: OfficeIn):
    """Make a union of the scope a registration office (an admin of the registration authority); the
    issuing authority's name is the union's own."""
    node = orgs.access_node(payload.node_id)
    offices.designate_office(node=node, actor=request.user)
    return Status(201, selectors.offices_in_scope().get(node=node))


@router.post("/registration/offices/{node_id}/withdraw", response=OfficeFlagOut)
def withdraw_registration_office(request, node_id: Id):
    """Withdraw a union's designation (refused while applications are open at it)."""
    node = orgs.access_node(node_id)
    offices.withdraw_office(node=node, actor=request.user)
    return {"node_id": node.pk, "is_registration_office": node.is_registration_office}


@router.post("/registration/verify", response=VerifyOut, auth=None)
def verify_registration_certificate(request, file: File[UploadedFile]):
    """Public: check an uploaded certificate PDF's signature and integrity, then its status."""
    check, certificate = certificates.check_uploaded_pdf(upload=file)
    return {"signed": check.signed, "intact": check.intact, "trusted": check.trusted, "whole_file": check.whole_file,
            "ok": check.ok, "problem": str(check.problem), "signer": check.signer,
            "certificate": certificate.serial if certificate else None,
            "status": selectors.certificate_status(certificate) if certificate else None,
            "union_name": certificate.registration.name if certificate else None,
            "credit_code": certificate.registration.credit_code if certificate else None}
