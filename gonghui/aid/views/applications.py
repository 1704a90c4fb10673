"""Console pages: application lists, filing for a member or household, review, payment, the ledger."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from gonghui.accounts.decorators import cadre_required
from gonghui.accounts.permissions import allowed, require
from gonghui.core.audit import audit
from gonghui.core.dbrouting import replica_reads
from gonghui.core.errors import DomainError
from gonghui.core.forms import apply_errors
from gonghui.core.ids import parse_resident_id
from gonghui.core.masking import mask_name, mask_resident_id
from gonghui.core.scoping import scopes_disabled
from gonghui.core.uploads import file_response
from gonghui.core.xlsx import XLSX_CONTENT_TYPE, build_workbook
from gonghui.members import selectors as members
from gonghui.members.selectors import id_hash
from gonghui.orgs import selectors as orgs

from .. import selectors
from .. import workflow as wf
from ..forms import ApplicationForm, DecisionForm
from ..idempotency import form_token, submit_once
from ..models import HardshipFile, Programme, ProgrammeKind, Status
from ..services import applications as services
from .common import require_any, within, year_of


@cadre_required
def application_list(request):
    require_any(request, "aid.application.list")
    status = request.GET.get("status", "")
    status = status if status in Status.values else ""
    programme = selectors.access_programme(request.GET["programme"]) if request.GET.get("programme") else None
    qs = selectors.application_list(programme=programme, status=status, within=within(request))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "aid/applications.html", {
        "page": page, "status": status, "statuses": Status.choices, "programme": programme,
        "rows": [(a, mask_name(a.name)) for a in page],
    })


def _covering_programmes(node) -> list[Programme]:
    """Open programmes run by the node or a union above it (their names are not personal data)."""
    paths = [node.path[:i] for i in range(node.steplen, len(node.path) + 1, node.steplen)]
    with scopes_disabled():
        return list(Programme.objects.filter(node__path__in=paths, is_open=True)
                    .exclude(kind__in=(ProgrammeKind.MICRO_WISH, ProgrammeKind.MEDICAL)).order_by("-year", "kind"))


def _person(node, id_number: str):
    """The active member or registered household with this ID number, inside the node's subtree."""
    found = members.member_list(query=id_number.strip(), node=node).first()
    if found is not None:
        return {"member": found}
    try:
        person_hash = id_hash(parse_resident_id(id_number).number)
    except ValidationError:
        raise ValidationError({"id_number": [_("Enter a valid resident ID number.")]}) from None
    household = HardshipFile.objects.filter(person_hash=person_hash, status="active",
                                            node__path__startswith=node.path).first()
    if household is not None:
        return {"hardship": household}
    raise ValidationError({"id_number": [_("No active member or registered household with this ID number in "
                                           "this union.")]})


@cadre_required
def application_create(request):
    node = orgs.access_node(request.GET.get("node") or request.POST.get("node"))
    require(request.user, "aid.application.create", node=node)
    options = _covering_programmes(node)
    chosen = next((p for p in options if str(p.pk) == (request.POST.get("programme") or request.GET.get("programme"))),
                  options[0] if options else None)
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and chosen is not None:
        data = form.cleaned_data

        def file() -> str:
            person = _person(node, data["id_number"])
            application = services.create_application(
                programme=chosen, actor=request.user, reason=data["reason"], amount=data["amount"] or None,
                scholarship={k: data[k] for k in ("student", "school", "admission_year", "level")}
                if chosen.kind == ProgrammeKind.AUTUMN_SCHOLARSHIP else None, **person)
            return reverse("aid:application", kwargs={"pk": application.pk})

        try:
            address, replayed = submit_once(request, operation="aid.application.create", do=file)
        except (DomainError, ValidationError) as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("This form was already submitted; the application was filed once.")
                             if replayed else _("Application filed; a reviewer decides it next."))
            return redirect(address)
    return render(request, "aid/application_form.html", {"form": form, "node": node, "options": options,
                                                         "chosen": chosen, "form_token": form_token(request)})


RAISE = "raise_amount"  # above the programme's standard: a reviewer of its organizing union, with the reason

ACTIONS = {
    wf.FIRST_PASS: lambda a, u, d: services.pass_first_review(application=a, actor=u, note=d["note"]),
    wf.APPROVE: lambda a, u, d: services.approve_application(application=a, actor=u, amount=d["amount"] or None, note=d["note"]),
    wf.REJECT: lambda a, u, d: services.reject_application(application=a, actor=u, note=d["note"]),
    wf.WITHDRAW: lambda a, u, d: services.withdraw_application(application=a, actor=u),
    wf.PAY: lambda a, u, d: services.pay_application(application=a, actor=u, method=d["method"] or "bank", paid_on=d["paid_on"],
                                         note=d["note"]),
    wf.REVERSE: lambda a, u, d: services.reverse_disbursement(application=a, actor=u, reason=d["note"]),
    RAISE: lambda a, u, d: services.raise_amount(application=a, actor=u, amount=d["amount"], reason=d["note"]),
}


@cadre_required
def application_detail(request, pk):
    """The application with its review actions; claim details for aid officers only (audited)."""
    application = selectors.access_application(pk)
    require(request.user, "aid.application.view", node=application.node)
    form = DecisionForm(request.POST or None)
    if request.method == "POST":
        action = request.POST.get("action")
        if form.is_valid() and action in ACTIONS:
            try:
                ACTIONS[action](application, request.user, form.cleaned_data)
            except (DomainError, ValidationError) as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("aid:application", pk=application.pk)
        elif action not in ACTIONS:
            form.add_error(None, _("Choose an action."))
    officer = allowed(request.user, "aid.claim.view", node=application.node)
    claim = selectors.claim_of(application)
    if claim is not None and officer:
        audit("aid.claim.viewed", actor=request.user, obj=application)
    return render(request, "aid/application.html", {
        "a": application, "form": form, "masked_id": mask_resident_id(application.id_number),
        "name": application.name if officer else mask_name(application.name),
        "claim": claim if officer else None, "steps": selectors.payout_steps(claim) if claim is not None else [],
        "bills": selectors.bills_of(claim) if claim is not None and officer else [],
        "documents": selectors.documents_of(claim) if claim is not None and officer else [],
        "scholarship": getattr(application, "scholarship", None) if application.programme.kind ==
        ProgrammeKind.AUTUMN_SCHOLARSHIP else None,
        "actions": [a for a in wf.actions_from(application.status)
                    if not (a == wf.FIRST_PASS and application.programme.review_levels == 1)]
        + ([RAISE] if selectors.may_raise(request.user, application) else []),
        "ledger": list(selectors.ledger_list().filter(application=application).order_by("seq")),
    })


@cadre_required
def claim_document(request, pk):
    """A photo or PDF of a claim's bills: aid officers of the subtree only; each opening audited."""
    document = selectors.access_claim_document(pk)
    application = document.claim.application
    require(request.user, "aid.claim.view", node=application.node)
    audit("aid.claim.document_viewed", actor=request.user, obj=application, data={"document": document.pk})
    return file_response(document.stored_name, content_type=document.content_type)


@cadre_required
def ledger(request):
    require_any(request, "aid.ledger.list")
    year = year_of(request)
    qs = selectors.ledger_list(year=year, within=within(request, "aid.ledger.list"))
    page = Paginator(qs, 100).get_page(request.GET.get("page"))
    return render(request, "aid/ledger.html", {
        "page": page, "year": year, "rows": [(d, mask_name(d.application.name)) for d in page],
        "total": selectors.year_figures(year=year, within=within(request, "aid.ledger.list"))["paid"],
    })


@cadre_required
@replica_reads
def ledger_export(request):
    """The year's ledger as xlsx (masked names); the export is audited."""
    require_any(request, "aid.ledger.export")
    year = year_of(request)
    qs = selectors.ledger_list(year=year, within=within(request, "aid.ledger.export")).order_by("seq")
    rows = [(d.seq, d.programme.name, d.node.name, mask_name(d.application.name), d.get_kind_display(), d.amount,
             d.get_method_display(), d.paid_on, d.note, d.mac[:16]) for d in qs.iterator(chunk_size=2000)]
    audit("aid.ledger.exported", actor=request.user, data={"year": year, "rows": len(rows)})
    content = build_workbook(title=f"{year}年帮扶资金发放台账", exported_by=str(request.user), rows=rows, headers=[
        "序号", "项目", "所属工会", "姓名", "类别", "金额（元）", "发放方式", "发放日期", "备注", "校验码"])
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="aid-ledger-{year}.xlsx"'
    return response


urlpatterns = [
    path("applications/", application_list, name="applications"),
    path("applications/new/", application_create, name="application_create"),
    path("applications/<int:pk>/", application_detail, name="application"),
    path("claims/documents/<int:pk>/", claim_document, name="claim_document"),
    path("ledger/", ledger, name="ledger"),
    path("ledger/export/", ledger_export, name="ledger_export"),
]
