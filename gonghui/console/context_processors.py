"""The console's main navigation: one entry per module, shown once the module's URL exists and
only to cadres whose roles may open it (a link that would answer 403 is not shown)."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from gonghui.accounts.permissions import roles_of
from gonghui.members.services.roster import READERS as MEMBER_READERS

# (URL name, label[, roles that may open it]). A module lights its entry up by registering the
# named console URL; without roles every cadre may open the page (it shows what is in their scope).
MAIN_NAV = [
    ("console:home", _("Home")),
    ("orgs:tree", _("Organization tree")),
    ("orgs:ledger", _("Employer ledger")),
    ("members:list", _("Members"), MEMBER_READERS),
    ("members:applications", _("Join applications")),
    ("members:transfers", _("Transfers")),
    ("members:prospects", _("Prospects")),
    ("positions:list", _("Service positions")),
    ("activities:list", _("Activities")),
    ("rights:cases", _("Rights cases")),
    ("aid:programmes", _("Assistance")),
    ("registration:applications", _("Registration")),
    ("funds:home", _("Funds and projects")),
    ("stats:dashboard", _("Statistics")),
]


def _resolved(user) -> list[tuple[str, str]]:
    held = roles_of(user)
    items = []
    for name, label, *roles in MAIN_NAV:
        if roles and not user.is_superuser and not held & set(roles[0]):
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
