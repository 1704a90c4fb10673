"""The worker's privacy pages (/w/privacy/): the notice, my data and my rights."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gonghui.accounts.decorators import worker_required
from gonghui.core.context import client_ip
from gonghui.core.errors import DomainError
from gonghui.core.xlsx import XLSX_CONTENT_TYPE

from . import retention, selectors, services

PHONE_SESSION_KEY = "privacy_new_phone"


@worker_required
def notice(request):
    next_url = request.GET.get("next") or request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
        next_url = ""
    if request.method == "POST":
        services.accept_notice(actor=request.worker)
        return redirect(next_url or "worker:me")
    return render(request, "privacy/w/notice.html", {
        "next": next_url, "consent": selectors.current_consent(request.worker),
        "version": settings.GONGHUI_PRIVACY_NOTICE_VERSION,
        "earlier": selectors.consents_of(request.worker)[:1], "schedule": _schedule_rows()})


def _schedule_rows():
    years = retention.schedule()
    return [{"what": what, "why": why, "years": years[key]} for key, (what, why) in retention.RECORD_TYPES.items()]


@worker_required
def home(request):
    worker = request.worker
    return render(request, "privacy/w/home.html", {
        "consent": selectors.current_consent(worker), "requests": selectors.requests_of_worker(worker)})


@worker_required
@require_POST
def download(request):
    data = services.export_own_data(actor=request.worker)
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    name = f"my-data-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@worker_required
@require_POST
def withdraw(request):
    try:
        services.withdraw_consent(actor=request.worker)
        messages.success(request, _("Your consent is withdrawn. The union's services need it; you can give it "
                                    "again at any time."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("privacy_w:home")


@worker_required
def correct(request):
    error, details = "", ""
    if request.method == "POST":
        details = request.POST.get("details", "")
        try:
            services.request_correction(actor=request.worker, details=details)
            messages.success(request, _("Your request is sent to your union, which answers within 15 working days."))
            return redirect("privacy_w:home")
        except DomainError as exc:
            error = exc.message
    return render(request, "privacy/w/correct.html", {"error": error, "details": details,
                                                      "limit": services.DETAILS_LIMIT})


@worker_required
def delete(request):
    worker = request.worker
    blockers = selectors.deletion_blockers(worker)
    error = ""
    if request.method == "POST":
        try:
            services.request_deletion(actor=worker)
            messages.success(request, _("Your request is sent to your union, which answers within 15 working days."))
            return redirect("privacy_w:home")
        except DomainError as exc:
            error = exc.message
    return render(request, "privacy/w/delete.html", {
        "blockers": blockers, "kept": selectors.retained_after_deletion(worker), "error": error,
        "schedule": _schedule_rows()})


@worker_required
@require_POST
def withdraw_request(request, pk):
    try:
        services.withdraw_request(actor=request.worker, request=selectors.request_of_worker(request.worker, pk))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("privacy_w:home")


@worker_required
def phone(request):
    """Step 1: the new number (codes sent to both numbers); step 2: both codes."""
    new_phone = request.session.get(PHONE_SESSION_KEY, "")
    step = "codes" if new_phone and request.POST.get("step") == "codes" else "number"
    error, field = "", ""
    if request.method == "POST":
        try:
            if step == "number":
                new_phone = services.start_phone_change(actor=request.worker, new_phone=request.POST.get("new_phone", ""),
                                                        ip=client_ip(request.META))
                request.session[PHONE_SESSION_KEY] = new_phone
                step = "codes"
            else:
                services.confirm_phone_change(actor=request.worker, new_phone=new_phone,
                                              old_code=request.POST.get("old_code", ""),
                                              new_code=request.POST.get("new_code", ""))
                request.session.pop(PHONE_SESSION_KEY, None)
                messages.success(request, _("Your mobile number is changed."))
                return redirect("privacy_w:home")
        except DomainError as exc:
            error, field = exc.message, exc.field or ""
    return render(request, "privacy/w/phone.html", {"step": step, "error": error, "field": field,
                                                    "new_phone": new_phone})
