"""Console page of the registration offices: which unions register the legal persons of their subtree."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gonghui.accounts.decorators import cadre_required
from gonghui.core.errors import DomainError
from gonghui.orgs import selectors as orgs

from .. import selectors
from ..services import offices


@cadre_required
def office_list(request):
    known = offices.find_authorities()
    candidates = [n for n in selectors.office_candidates() if selectors.may_designate(request.user, n, known=known)]
    rows = [(o, selectors.may_designate(request.user, o.node, known=known)) for o in selectors.offices_in_scope()]
    return render(request, "registration/offices.html", {"offices": rows, "candidates": candidates})


@require_POST
@cadre_required
def office_designate(request):
    node = orgs.access_node(request.GET.get("node") or request.POST.get("node"))
    try:
        offices.designate_office(node=node, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(union)s now registers the legal persons of its subtree.") % {"union": node.name})
    return redirect("registration:offices")


@require_POST
@cadre_required
def office_withdraw(request, pk):
    node = orgs.access_node(pk)
    try:
        offices.withdraw_office(node=node, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(union)s no longer registers legal persons.") % {"union": node.name})
    return redirect("registration:offices")


urlpatterns = [
    path("offices/", office_list, name="offices"),
    path("offices/designate/", office_designate, name="office_designate"),
    path("offices/<int:pk>/withdraw/", office_withdraw, name="office_withdraw"),
]
