"""Menu links shown only to cadres who may open them: ``{% if user|may:"aid.wish.list" %}`` is true
when one of the user's roles is allowed the declared action somewhere (superusers: always), the
same test the list pages make before answering 403."""

from django import template

from gonghui.accounts.permissions import roles_allowed, roles_of

register = template.Library()


@register.filter
def may(user, code: str) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser or roles_of(user) & roles_allowed(code))


@register.filter
def holds(user, roles: str) -> bool:
    """``{% if user|holds:"admin,clerk,reviewer" %}``: the user holds one of these roles somewhere."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser or roles_of(user) & {r.strip() for r in roles.split(",")})
