"""Account reads: who holds which role in an admin's subtree, and the accounts an admin may open."""

from django.db.models import QuerySet
from django.http import Http404

from .models import ApiToken, Role, RoleAssignment, User, Worker
from .permissions import allowed, roles_of, subtree_for


def is_admin(user) -> bool:
    return bool(getattr(user, "is_superuser", False)) or Role.ADMIN in roles_of(user)


def may_manage(actor, user: User) -> bool:
    """For pages: may ``actor`` deactivate or reset ``user``? (an admin over every node where
    ``user`` holds a role, and not ``user``: the services' own check, without raising)"""
    if actor is None:
        return True
    if actor.pk == user.pk:
        return False
    nodes = [a.node for a in RoleAssignment.objects.filter(user=user).select_related("node")]
    if not nodes:
        return bool(actor.is_superuser)
    return all(allowed(actor, "accounts.user.manage", node=node) for node in nodes)


def holds_role_at_kind(user, *, roles, node_kinds) -> bool:
    """Whether ``user`` holds one of ``roles`` at a union of one of ``node_kinds`` (e.g. an admin of
    a county federation), whatever the union."""
    return RoleAssignment.objects.filter(user=user, role__in=list(roles), node__kind__in=list(node_kinds)).exists()


def _admin_assignments(actor) -> QuerySet[RoleAssignment]:
    """Role assignments at nodes where ``actor`` is an admin (at the node or above)."""
    subtree = subtree_for(actor, {Role.ADMIN})
    qs = RoleAssignment.objects.all()
    if subtree is not None:
        qs = qs.filter(node__path__within=subtree) if subtree.paths else qs.none()
    return qs


def role_holders(*, actor, node=None, role: str = "", active: bool | None = None) -> QuerySet[RoleAssignment]:
    """Who holds which role in the actor's admin subtree (below ``node`` when given)."""
    qs = _admin_assignments(actor).select_related("user", "node")
    if node is not None:
        qs = qs.filter(node__path__startswith=node.path)
    if role:
        qs = qs.filter(role=role)
    if active is not None:
        qs = qs.filter(user__is_active=active)
    return qs.order_by("node__path", "user__username", "role")


def access_cadre(actor, pk) -> User:
    """An account holding a role in the actor's admin subtree; the same 404 for missing and outside."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    if getattr(actor, "is_superuser", False):
        user = User.objects.filter(pk=pk).first()
    else:
        user = User.objects.filter(pk=pk, roles__in=_admin_assignments(actor)).distinct().first()
    if user is None:
        raise Http404
    return user


def access_assignment(actor, pk) -> RoleAssignment:
    try:
        return _admin_assignments(actor).select_related("user", "node").get(pk=int(pk))
    except (TypeError, ValueError, RoleAssignment.DoesNotExist):
        raise Http404 from None


def active_user(username: str) -> User | None:
    """The active account of that user name (a judge, mediator or command's --user typed by name)."""
    return User.objects.filter(username=(username or "").strip(), is_active=True).first()


def user_by_pk(pk) -> User | None:
    return User.objects.filter(pk=pk).first()


def active_holders_at(paths, roles) -> list[User]:
    """Active accounts holding one of ``roles`` at a union of one of ``paths`` (e.g. the case's union
    and those above it), by user name."""
    ids = RoleAssignment.objects.filter(node__path__in=list(paths), role__in=list(roles)).values_list("user_id", flat=True)
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("username"))


def roles_of_cadre(user: User) -> QuerySet[RoleAssignment]:
    return user.roles.select_related("node").order_by("node__path", "role")


def admin_nodes(actor):
    """Nodes where the actor may grant roles (their admin subtree), for choosing in forms."""
    node_model = RoleAssignment._meta.get_field("node").related_model
    subtree = subtree_for(actor, {Role.ADMIN})
    qs = node_model.objects.all()
    if subtree is not None:
        qs = qs.filter(path__within=subtree) if subtree.paths else qs.none()
    return qs.order_by("path")


def find_admin_node(actor, value):
    """A node of the actor's admin subtree by id or code, or None."""
    value = str(value or "").strip()
    if not value:
        return None
    nodes = admin_nodes(actor)
    return (nodes.filter(pk=int(value)).first() if value.isdigit() else None) or nodes.filter(code=value).first()


def access_cadre_or_none(actor, pk) -> User | None:
    try:
        return access_cadre(actor, pk)
    except Http404:
        return None


def tokens_of(user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def worker_pk_by_phone_hash(phone_hash: str) -> QuerySet:
    """The worker signed in with that phone (one at most: the keyed hash is unique), as a one-row
    ``values("pk")`` query another app can use as a subquery."""
    return Worker.objects.filter(phone_hash=phone_hash).values("pk")[:1]
