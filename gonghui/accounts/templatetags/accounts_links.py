"""``{% account_links %}``: the console home's links to the cadre account pages (admins) and to
one's own password change (everyone)."""

from django import template

from ..models import Role
from ..permissions import roles_of
from ..selectors import is_admin

register = template.Library()


@register.inclusion_tag("accounts/_home_links.html", takes_context=True)
def account_links(context):
    user = context["request"].user
    roles = roles_of(user)
    return {"is_admin": is_admin(user), "mediator_only": bool(roles) and roles <= {Role.MEDIATOR}}
