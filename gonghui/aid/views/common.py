"""Helpers shared by the console pages of aid."""

from django.utils import timezone

from gonghui.accounts.permissions import roles_of, subtree_for
from gonghui.core.errors import NotPermitted

from .. import workflow as wf

READERS = wf.OFFICERS | {"finance"}


def require_any(request, roles, permission: str) -> None:
    """The page lists personal data: only cadres holding one of ``roles`` somewhere."""
    if not (request.user.is_superuser or roles_of(request.user) & set(roles)):
        raise NotPermitted(permission)


def within(request, roles=READERS):
    return subtree_for(request.user, roles)


def year_of(request) -> int:
    try:
        year = int(request.GET.get("year") or 0)
    except ValueError:
        year = 0
    return year if 2000 <= year <= 2100 else timezone.localdate().year
