from django.shortcuts import redirect, render

from gonghui.accounts.decorators import cadre_required
from gonghui.accounts.permissions import open_to_mediators, roles_allowed, roles_of, scope_for
from gonghui.accounts.selectors import roles_of_cadre
from gonghui.members import selectors as members
from gonghui.orgs import selectors as orgs
from gonghui.stats.views import dashboard_context

from .home_cards import home_cards

# Viewers and admins land on the statistics dashboard (console.dashboard.view); other roles on their
# work queues.


@cadre_required
@open_to_mediators  # a mediator lands here: only the card of their invited cases shows
def home(request):
    roles = roles_of_cadre(request.user)
    context = {
        "roles": roles,
        "queue": members.review_queue_summary(within=scope_for(request.user, "members.application.view"))
        if request.user.is_superuser or roles_of(request.user) & roles_allowed("members.application.view") else None,
        "cards": home_cards(request),
    }
    if (request.user.is_superuser or roles_of(request.user) & roles_allowed("console.dashboard.view")) and orgs.scope_roots():
        context.update(dashboard_context(request))
    else:
        context["roots"] = [(root, orgs.node_rollup(root)) for root in orgs.scope_roots()]
    return render(request, "console/home.html", context)


def index(request):
    return redirect("console:home")
