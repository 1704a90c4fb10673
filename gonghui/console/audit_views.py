"""The audit log in the console: administrators read their subtree's records, filtered, exported."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gonghui.accounts.decorators import cadre_required
from gonghui.core.audit import audit
from gonghui.core.xlsx import XLSX_CONTENT_TYPE, build_workbook

from . import audit_log

PAGE_SIZE = 50


def _filters(request):
    if not audit_log.may_read(request.user):
        raise PermissionDenied("audit.read")
    try:
        return audit_log.parse_filters(request.GET), None
    except ValidationError as error:
        return audit_log.Filters(), error.message_dict


@cadre_required
def audit_list(request):
    filters, errors = _filters(request)
    qs = audit_log.entries(request.user, filters) if errors is None else audit_log.entries(request.user, filters).none()
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "console/audit.html", {
        "rows": audit_log.decorate(list(page.object_list)), "page": page, "filters": filters, "errors": errors,
        "query": query.urlencode(), "object_types": audit_log.object_types(),
        "status": audit_log.verification_status(),
    })


@cadre_required
def audit_export(request):
    filters, errors = _filters(request)
    if errors is not None:
        return render(request, "console/audit.html", {"errors": errors, "filters": filters, "rows": [],
                                                      "object_types": audit_log.object_types()}, status=400)
    rows = audit_log.decorate(list(audit_log.entries(request.user, filters)[:audit_log.MAX_ROWS_EXPORTED]))
    # core.audit keeps only which filters were used, never what was typed into them.
    audit("audit.exported", actor=request.user, data={"filters": request.GET, "rows": len(rows)})
    content = build_workbook(
        title=_("Audit log"),
        headers=[pgettext("audit", "No."), pgettext("audit", "Time"), pgettext("audit", "Who"),
                 pgettext("audit", "Action"), pgettext("audit", "Object type"), pgettext("audit", "Object id"),
                 pgettext("audit", "Object"), pgettext("audit", "Union"), pgettext("audit", "Channel"),
                 pgettext("audit", "Address")],
        rows=[[r["entry"].seq, r["at"].strftime("%Y-%m-%d %H:%M:%S"), r["entry"].actor_label, r["entry"].action,
               r["entry"].object_type, r["entry"].object_id, r["label"], r["node"], r["channel"],
               r["entry"].ip] for r in rows],
        exported_by=str(request.user))
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="audit-{timezone.localdate():%Y%m%d}.xlsx"'
    return response


urlpatterns = [
    path("console/audit/", audit_list, name="audit"),
    path("console/audit/export/", audit_export, name="audit_export"),
]
