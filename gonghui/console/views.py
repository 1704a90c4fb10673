from django.shortcuts import redirect, render

from gonghui.accounts.decorators import cadre_required
from gonghui.accounts.models import RoleAssignment
from gonghui.orgs import selectors as orgs


@cadre_required
def home(request):
    roots = orgs.scope_roots()
    roles = RoleAssignment.objects.filter(user=request.user).select_related("node").order_by("node__path")
    return render(request, "console/home.html", {
        "roots": [(root, orgs.node_rollup(root)) for root in roots],
        "roles": roles,
    })


def index(request):
    return redirect("console:home")
