"""Console pages: the personal-information requests of the cadre's unions, with their deadlines,
and the review of one request."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gonghui.accounts.decorators import cadre_required
from gonghui.accounts.permissions import allowed, roles_allowed, roles_of
from gonghui.core.audit import audit
from gonghui.core.errors import DomainError, NotPermitted
from gonghui.core.workdays import workdays_between

from . import selectors, services
from .models import RequestKind, RequestStatus


@cadre_required
def request_list(request):
    if not request.user.is_superuser and not roles_of(request.user) & roles_allowed("privacy.request.view"):
        raise NotPermitted("privacy.request.list")
    show = request.GET.get("show", "pending")
    qs = (selectors.pending_requests(request.user) if show == "pending"
          else selectors.visible_requests(request.user).select_related("node").order_by("-submitted_at"))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for r in page:
        r.workdays_left = workdays_between(today, r.due_on) if r.status == RequestStatus.PENDING else None
    return render(request, "privacy/requests.html", {"page": page, "show": show, "today": today})


@cadre_required
def request_detail(request, pk):
    item = selectors.access_request(request.user, pk)
    audit("privacy.request.viewed", actor=request.user, obj=item, node=item.node)
    context = {"item": item, "can_decide": allowed(request.user, "privacy.request.decide", node=item.node)
               and item.status == RequestStatus.PENDING}
    if item.kind == RequestKind.DELETION and item.status == RequestStatus.PENDING:
        context["blockers"] = selectors.deletion_blockers(item.worker)
        context["kept"] = selectors.retained_after_deletion(item.worker)
    return render(request, "privacy/request.html", context)


@cadre_required
@require_POST
def request_decide(request, pk):
    item = selectors.access_request(request.user, pk)
    try:
        services.decide_request(actor=request.user, request=item, approve=request.POST.get("decision") == "approve",
                                note=request.POST.get("note", ""))
        messages.success(request, _("The request is answered."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("privacy:request", pk=item.pk)
