"""The console's main navigation: one entry per module, shown once the module's URL exists."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# (URL name, label). A module lights its entry up by registering the named console URL.
MAIN_NAV = [
    ("console:home", _("Home")),
    ("orgs:tree", _("Organization tree")),
    ("orgs:ledger", _("Employer ledger")),
    ("members:list", _("Members")),
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


def _resolved() -> list[tuple[str, str]]:
    items = []
    for name, label in MAIN_NAV:
        try:
            items.append((reverse(name), label))
        except NoReverseMatch:
            continue
    return items


def main_nav(request) -> dict:
    if not getattr(request, "user", None) or not request.user.is_authenticated or request.path.startswith("/w/"):
        return {}
    return {"main_nav": _resolved()}
