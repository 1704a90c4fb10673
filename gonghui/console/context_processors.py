"""The console's main navigation: one entry per module, shown once the module's URL exists and
only to cadres whose roles may open it (a link that would answer 403 is not shown)."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from gonghui.accounts.models import Role
from gonghui.accounts.permissions import roles_allowed, roles_of

# Every role that works over a subtree. An outside mediator (court, labour bureau, lawyer) is not
# one of them: a mediator-only account reaches the rights cases it is invited to and nothing else.
CADRES = frozenset(Role.values) - {Role.MEDIATOR}
EVERYONE = frozenset(Role.values)

# (URL name, label, roles that may open it, or the declared action code whose roles may). A module lights its entry up by registering the
# named console URL; the entry shows to a cadre holding one of the roles (superusers: all).
MAIN_NAV = [
    ("console:home", _("Home"), EVERYONE),
    ("orgs:tree", _("Organization tree"), CADRES),
    ("orgs:ledger", _("Employer ledger"), CADRES),
    ("members:list", _("Members"), "members.member.list"),
    ("members:applications", _("Join applications"), CADRES),
    ("members:transfers", _("Transfers"), CADRES),
    ("members:prospects", _("Prospects"), CADRES),
    ("positions:list", _("Service positions"), CADRES),
    ("activities:list", _("Activities"), CADRES),
    ("rights:cases", _("Rights cases"), EVERYONE),
    ("aid:programmes", _("Assistance"), CADRES),
    ("registration:applications", _("Registration"), CADRES),
    ("funds:home", _("Funds and projects"), CADRES),
    ("contests:list", _("Skills contests"), CADRES),
    ("modelworkers:list", _("Model workers and craftsmen"), CADRES),
    ("counselling:home", _("Counselling"), CADRES),
    ("privacy:requests", _("Personal-information requests"), "privacy.request.view"),
    ("stats:dashboard", _("Statistics"), CADRES),
    ("console:audit", _("Audit log"), "console.audit.view"),
    ("messaging:notices", _("Notices and news"), "messaging.notice.send"),
    ("messaging:outbox", _("Message outbox"), lambda user: _county_admin(user)),
]


def _county_admin(user) -> bool:
    """An administrator at the top of the tree (the county's whole outbox is theirs)."""
    from gonghui.accounts.permissions import has_role
    from gonghui.orgs.models import Node

    return any(has_role(user, root, {Role.ADMIN}) for root in Node.objects.get_root_nodes())


def _resolved(user) -> list[tuple[str, str]]:
    held = roles_of(user)
    items = []
    for name, label, roles in MAIN_NAV:
        if callable(roles):  # a rule no role set expresses
            if not user.is_superuser and not roles(user):
                continue
            roles = EVERYONE
        if isinstance(roles, str):
            roles = roles_allowed(roles)
        if not user.is_superuser and not held & roles:
            continue
        try:
            items.append((reverse(name), label))
        except NoReverseMatch:
            continue
    return items


def main_nav(request) -> dict:
    if not getattr(request, "user", None) or not request.user.is_authenticated or request.path.startswith("/w/"):
        return {}
    return {"main_nav": _resolved(request.user)}
