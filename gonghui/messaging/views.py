"""Pages: the worker's inbox (/w/inbox/) and the county's outbox for staff (/messaging/outbox/)."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from gonghui.accounts.decorators import cadre_required, worker_required
from gonghui.core.errors import DomainError
from gonghui.core.masking import mask_phone

from . import selectors, services
from .models import Message, State


@worker_required
def inbox(request):
    page = Paginator(selectors.inbox(request.worker), 30).get_page(request.GET.get("page"))
    unread = selectors.unread_count(request.worker)
    return render(request, "messaging/inbox.html", {"page": page, "unread": unread})


@worker_required
@require_POST
def inbox_read(request):
    """Mark one message (``id``) or all of them read."""
    ids = request.POST.getlist("id") or None
    services.mark_read(worker=request.worker, message_ids=[int(i) for i in ids if i.isdigit()] if ids else None)
    return redirect("inbox:list")


@cadre_required
def outbox(request):
    if not selectors.can_see_outbox(request.user):
        raise PermissionDenied("messaging.view_outbox")
    state = request.GET.get("state", State.PARKED)
    state = state if state in State.values or state == "" else State.PARKED
    page = Paginator(selectors.outbox_rows(state=state), 50).get_page(request.GET.get("page"))
    rows = [{"m": m, "phone": mask_phone(m.phone)} for m in page]
    return render(request, "messaging/outbox.html", {"page": page, "rows": rows, "state": state,
                                                      "states": State.choices, "figures": selectors.figures()})


@cadre_required
@require_POST
def requeue(request, pk: int):
    message = get_object_or_404(Message, pk=pk)
    try:
        services.requeue(actor=request.user, message=message)
    except DomainError:
        pass  # already queued again by someone else: the list shows its state
    return redirect(reverse("messaging:outbox") + "?state=parked")
