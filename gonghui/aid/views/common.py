"""Helpers shared by the console pages of aid."""

from django.utils import timezone

from gonghui.accounts.permissions import roles_allowed, roles_of, scope_for
from gonghui.core.errors import NotPermitted


def require_any(request, code: str) -> None:
    """The page lists personal data: only cadres allowed the declared action ``code`` somewhere."""
    if not (request.user.is_superuser or roles_of(request.user) & roles_allowed(code)):
        raise NotPermitted(code)


def within(request, code: str = "aid.application.list"):
    """The subtree where the user may do ``code`` (a declared action)."""
    return scope_for(request.user, code)


def year_of(request) -> int:
    try:
        year = int(request.GET.get("year") or 0)
    except ValueError:
        year = 0
    return year if 2000 <= year <= 2100 else timezone.localdate().year
