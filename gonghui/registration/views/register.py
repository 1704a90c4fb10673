"""Console pages of the register: registered unions, their history, certificates, statistics."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gonghui.accounts.decorators import cadre_required
from gonghui.accounts.permissions import allowed
from gonghui.core.audit import audit
from gonghui.core.dbrouting import replica_reads
from gonghui.core.errors import DomainError
from gonghui.core.masking import mask_resident_id
from gonghui.core.xlsx import XLSX_CONTENT_TYPE
from gonghui.orgs import selectors as orgs

from .. import exports, selectors
from ..models import FORM_FIELDS, Kind, RegistrationStatus
from ..services import certificates
from . import files


@cadre_required
def register_list(request):
    filters = _register_filters(request)
    status, node, due = filters["status"], filters["node"], filters["due"]
    qs = selectors.register_list(**filters)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    roots = orgs.scope_roots()
    top = node or (roots[0] if len(roots) == 1 else None)
    return render(request, "registration/register.html", {
        "page": page, "status": status, "statuses": RegistrationStatus.choices, "due": due, "node": node,
        "q": request.GET.get("q", ""), "top": top, "due_date": selectors.renewal_notice_date(),
        "figures": selectors.figures(top) if top else None,
        "children": selectors.child_figures(top) if top else [],
    })


def _register_filters(request) -> dict:
    status = request.GET.get("status", "")
    node = orgs.access_node(request.GET["node"]) if request.GET.get("node") else None
    return {"status": status if status in RegistrationStatus.values else "", "node": node,
            "query": request.GET.get("q", ""), "due": request.GET.get("due") == "1"}


@cadre_required
@replica_reads
def register_export(request):
    """The register (same filters as the page) as xlsx; audited with the filters and the row count."""
    filters = _register_filters(request)
    content, count = exports.register_workbook(selectors.register_list(**filters), exported_by=str(request.user))
    audit("registration.register.exported", actor=request.user, obj=filters["node"],
          data={"rows": count, "filters": {k: v for k, v in request.GET.items() if k in ("status", "node", "q", "due")}})
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="register-{timezone.localdate():%Y%m%d}.xlsx"'
    return response


@cadre_required
def registration_detail(request, pk):
    registration = selectors.access_registration(pk)
    history = selectors.registration_history(registration)
    rows = []
    for name in FORM_FIELDS:
        value = getattr(registration, name)
        rows.append((registration._meta.get_field(name).verbose_name,
                     mask_resident_id(value) if name == "legal_rep_id_number" else value))
    labels = {f.name: f.verbose_name for f in registration._meta.fields}
    labels["certificate"] = _("Certificate")
    labels["imported"] = _("Entered from the paper register")
    for version in history["versions"]:
        version.change_rows = [(labels.get(k, k), pair[0], pair[1]) for k, pair in version.changes.items()]
    certs = [(c, selectors.certificate_status(c, latest_id=history["latest_certificate_id"]),) for c in
             history["certificates"]]
    return render(request, "registration/registration.html", {
        "r": registration, "rows": rows, "versions": history["versions"], "certificates": certs,
        "status_labels": selectors.STATUS_LABELS,
        "can_apply": not registration.is_cancelled and allowed(request.user, "registration.application.create",
                                                              node=registration.node),
        "can_issue": not registration.is_cancelled and allowed(request.user, "registration.certificate.issue", node=registration.office.node)
        and not any(c.version == registration.version for c, _s in certs),
        "kinds": [(k, label) for k, label in Kind.choices if k != Kind.ESTABLISH],
    })


@require_POST
@cadre_required
def certificate_issue(request, pk):
    registration = selectors.access_registration(pk)
    try:
        latest = registration.versions.order_by("-version").first()
        certificates.issue_certificate(registration=registration, actor=request.user,
                                       reason=latest.kind if latest else Kind.ESTABLISH,
                                       base_url=request.build_absolute_uri("/"))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Certificate issued and signed."))
    return redirect("registration:registration", pk=registration.pk)


@cadre_required
def certificate_pdf(request, pk):
    certificate = selectors.access_certificate(pk)
    return files.serve(request, certificate.stored_name, what=selectors.certificate_label(certificate),
                       content_type="application/pdf", download_name=f"certificate-{certificate.serial}.pdf",
                       audit_served=lambda: audit("registration.certificate.downloaded", actor=request.user,
                                                  obj=certificate))


urlpatterns = [
    path("register/", register_list, name="register"),
    path("register/export.xlsx", register_export, name="register_export"),
    path("register/<int:pk>/", registration_detail, name="registration"),
    path("register/<int:pk>/issue/", certificate_issue, name="certificate_issue"),
    path("certificates/<int:pk>.pdf", certificate_pdf, name="certificate_pdf"),
]
