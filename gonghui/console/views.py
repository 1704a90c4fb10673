from django.shortcuts import redirect, render

from gonghui.accounts.decorators import cadre_required
from gonghui.accounts.models import RoleAssignment
from gonghui.accounts.permissions import roles_of, subtree_for
from gonghui.members import selectors as members
from gonghui.members.services.joining import REVIEWERS
from gonghui.orgs import selectors as orgs


@cadre_required
def home(request):
    roots = orgs.scope_roots()
    roles = RoleAssignment.objects.filter(user=request.user).select_related("node").order_by("node__path")
    return render(request, "console/home.html", {
        "roots": [(root, orgs.node_rollup(root)) for root in roots],
        "roles": roles,
        "queue": members.review_queue_summary(within=subtree_for(request.user, REVIEWERS))
        if request.user.is_superuser or roles_of(request.user) & REVIEWERS else None,
    })


def index(request):
    return redirect("console:home")
