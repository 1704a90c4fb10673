"""Console pages of transfers (转会): request from a member's page, approve on each side."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gonghui.accounts.decorators import cadre_required
from gonghui.accounts.permissions import allowed
from gonghui.core.errors import DomainError
from gonghui.core.forms import apply_errors
from gonghui.orgs import selectors as orgs

from .. import selectors
from ..forms import ReasonForm, TransferForm
from ..models import TransferStatus
from ..services import transfer as services


@cadre_required
def transfer_list(request):
    status = request.GET.get("status", TransferStatus.PENDING)
    if status not in TransferStatus.values and status != "":
        status = TransferStatus.PENDING
    page = Paginator(selectors.transfer_list(status=status), 50).get_page(request.GET.get("page"))
    return render(request, "members/transfers.html", {"page": page, "status": status,
                                                      "statuses": TransferStatus.choices})


@cadre_required
def transfer_request(request, pk):
    member = selectors.access_member(pk)
    form = TransferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        to_node = orgs.destination_by_code(form.cleaned_data["to_node"])
        if to_node is None:
            form.add_error("to_node", _("No active union has this code."))
        else:
            try:
                transfer = services.request_transfer(
                    member=member, to_node=to_node, actor=request.user, reason=form.cleaned_data["reason"],
                    to_employer_name=form.cleaned_data["to_employer_name"])
            except (DomainError, ValidationError) as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Transfer requested; both unions must approve it."))
                return redirect("members:transfer", pk=transfer.pk)
    return render(request, "members/transfer_request.html", {"form": form, "member": member})


@cadre_required
def transfer_detail(request, pk):
    transfer = selectors.access_transfer(pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST":
        side = request.POST.get("side")
        if side not in ("out", "in"):
            form.add_error(None, _("Choose which union you act for."))
        else:
            try:
                if request.POST.get("decision") == "approve":
                    services.approve_transfer(transfer=transfer, actor=request.user, side=side)
                    messages.success(request, _("Approved."))
                elif form.is_valid():
                    services.reject_transfer(transfer=transfer, actor=request.user, side=side,
                                             reason=form.cleaned_data["reason"])
                    messages.success(request, _("Rejected."))
            except (DomainError, ValidationError) as exc:
                apply_errors(form, exc)
            else:
                if not form.errors:
                    return redirect("members:transfer", pk=transfer.pk)
    pending = transfer.status == TransferStatus.PENDING
    return render(request, "members/transfer.html", {
        "t": transfer, "form": form,
        "can_cancel": pending and (transfer.requested_by_id == request.user.pk
                                   or allowed(request.user, "members.transfer.cancel", node=transfer.from_node)),
        "can_out": pending and not transfer.out_approved_at and allowed(request.user, "members.transfer.approve_out",
                                                                         node=transfer.from_node),
        "can_in": pending and not transfer.in_approved_at and allowed(request.user, "members.transfer.approve_in",
                                                                       node=transfer.to_node),
    })


@cadre_required
@require_POST
def transfer_cancel(request, pk):
    """Withdraw a pending transfer (whoever requested it, or the outgoing union's administrator)."""
    transfer = selectors.access_transfer(pk)
    try:
        services.cancel_transfer(transfer=transfer, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Transfer cancelled."))
    return redirect("members:transfer", pk=transfer.pk)


urlpatterns = [
    path("transfers/", transfer_list, name="transfers"),
    path("transfers/<int:pk>/cancel/", transfer_cancel, name="transfer_cancel"),
    path("transfers/<int:pk>/", transfer_detail, name="transfer"),
    path("<int:pk>/transfer/", transfer_request, name="transfer_request"),
]
