"""Who may do what where: a role held at a node covers that node's whole subtree."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from gonghui.core import permissions as declared
from gonghui.core.errors import DomainError, NotPermitted
from gonghui.core.lookups import Subtree

from .models import Role, RoleAssignment

# The roles that reach a subtree: every role but the mediator's. An outside mediator (court,
# labour bureau, lawyer) reads the rights cases they are invited to or assigned and nothing else,
# so the default of every role check and of the request's row scope leaves the role out; the
# rights module asks for it by name. A mediator-only account is refused by every console page and
# API endpoint that is not marked ``open_to_mediators`` (console) or outside the rights cases (API).
ALL_ROLES = frozenset(Role.values) - {Role.MEDIATOR}


def _assignments(user) -> list[tuple[str, str, str]]:
    """(role, node path, node kind) of the user's roles, cached on the user object for the request."""
    cached = getattr(user, "_role_cache", None)
    if cached is None:
        cached = list(RoleAssignment.objects.filter(user=user).values_list("role", "node__path", "node__kind"))
        user._role_cache = cached
    return cached


def subtree_for(user, roles=ALL_ROLES) -> Subtree | None:
    """The scope of ``user`` for ``roles``; None means the whole tree (superusers only)."""
    if not getattr(user, "is_authenticated", False):
        return Subtree([])
    if user.is_superuser:
        return None
    return Subtree([path for role, path, _kind in _assignments(user) if role in roles])


def has_role(user, node, roles=ALL_ROLES) -> bool:
    """True when the user holds one of ``roles`` at ``node`` or at one of its ancestors."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return any(role in roles and node.path.startswith(path) for role, path, _kind in _assignments(user))


def require_role(user, node, roles, permission: str) -> None:
    if not has_role(user, node, roles):
        raise NotPermitted(permission)


def roles_of(user) -> set[str]:
    return {role for role, _path, _kind in _assignments(user)}


def requires_totp(user) -> bool:
    """A second factor for every role that may see or export unmasked personal data (admins and
    clerks, GONGHUI_TOTP_REQUIRED_ROLES, at every level) and for admins at county level and above."""
    if getattr(user, "is_superuser", False):
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    roles, kinds = set(settings.GONGHUI_TOTP_REQUIRED_ROLES), set(settings.GONGHUI_TOTP_REQUIRED_KINDS)
    return any(role in roles or (role == Role.ADMIN and kind in kinds) for role, _path, kind in _assignments(user))


def is_mediator_only(user) -> bool:
    """The account's only roles are mediator roles: it may reach its cases and its own account."""
    if not getattr(user, "is_authenticated", False) or user.is_superuser:
        return False
    roles = roles_of(user)
    return bool(roles) and not roles & ALL_ROLES


def open_to_mediators(view):
    """Marks a console view that a mediator-only account may open (it shows their cases only)."""
    view.open_to_mediators = True
    return view


# --- actions declared as data (gonghui/core/permissions.py) --------------------------------------

declared.declare_roles({Role.ADMIN: Role.ADMIN.label, Role.CLERK: Role.CLERK.label,
                        Role.REVIEWER: Role.REVIEWER.label, Role.FINANCE: Role.FINANCE.label,
                        Role.VIEWER: Role.VIEWER.label, Role.MEDIATOR: Role.MEDIATOR.label})


def allowed(user, code: str, *, node, done_by: dict | None = None) -> bool:
    """Whether ``user`` may do the declared action ``code`` on an object at ``node`` (for the
    relation the action declares, the service passes the node it names: the object's union, the
    programme's owner ...). ``done_by`` maps excluded action codes to who did them on this object."""
    act = declared.action(code)
    if not getattr(user, "is_authenticated", False) or node is None:
        return False
    if not user.is_superuser and not declared.decide(act, [(r, p) for r, p, _k in _assignments(user)], node.path):
        return False
    return declared.conflict(act, user.pk, done_by) is None


def require(user, code: str, *, node, done_by: dict | None = None) -> None:
    """Refuse with NotPermitted(code) when the roles covering ``node`` do not allow the action, then
    with the declared exclusion's DomainError when the same person did an excluded action."""
    act = declared.action(code)
    if not getattr(user, "is_authenticated", False) or node is None or not (
            user.is_superuser or declared.decide(act, [(r, p) for r, p, _k in _assignments(user)], node.path)):
        raise NotPermitted(code)
    rule = declared.conflict(act, user.pk, done_by)
    if rule is not None:
        raise DomainError(rule.code, str(rule.message))


def scope_for(user, *codes: str) -> Subtree | None:
    """The subtree where ``user`` may do any of ``codes`` (for lists); None for superusers."""
    return subtree_for(user, declared.roles_for(*codes))


def roles_allowed(*codes: str) -> frozenset[str]:
    return declared.roles_for(*codes)


def forget(user) -> None:
    if hasattr(user, "_role_cache"):
        del user._role_cache


# --- the accounts module's actions ---------------------------------------------------------------

declared.declare("accounts.user.create", _("Add a cadre account with a role"), [Role.ADMIN])
declared.declare("accounts.role.grant", _("Grant a role at a union"), [Role.ADMIN])
declared.declare("accounts.role.revoke", _("Revoke a role"), [Role.ADMIN])
for _code, _label in (("update", _("Edit a cadre's name and phone")), ("deactivate", _("Deactivate a cadre")),
                      ("reactivate", _("Reactivate a cadre")), ("reset_password", _("Reset a cadre's password")),
                      ("reset_totp", _("Reset a cadre's second factor")),
                      ("manage", _("See the account management buttons"))):
    declared.declare(f"accounts.user.{_code}", _label, [Role.ADMIN],
                     note="An admin over every union where the cadre holds a role; never one's own account.")
