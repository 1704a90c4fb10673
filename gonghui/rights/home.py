"""The rights card of the console home (listed in ``console.home_cards.HOME_CARDS``).

Overdue cases the cadre can act on — their subtree's, or for a mediator the cases they are
invited to — with a link to the case list filtered to exactly those cases. Roles that see
figures only (viewers, finance) get no card: the dashboard's ``rights.overdue`` indicator is
theirs.
"""

from urllib.parse import urlencode

from django.urls import reverse

from gonghui.accounts.permissions import roles_allowed, roles_of

from . import selectors


def overdue_card(request) -> dict | None:
    user = request.user
    if not (user.is_superuser or roles_of(user) & roles_allowed("rights.case.read", "rights.case.mediate")):
        return None
    summary = selectors.home_summary(user)
    # stage=all: a closed case still waiting for its follow-up visit is overdue too.
    return {"template": "rights/_home_card.html", "overdue": summary["overdue"], "open": summary["open"],
            "overdue_url": f"{reverse('rights:cases')}?{urlencode({'stage': 'all', 'overdue': 'on'})}",
            "open_url": reverse("rights:cases"),
            "invited_only": not user.is_superuser and not roles_of(user) & roles_allowed("rights.case.read")}
