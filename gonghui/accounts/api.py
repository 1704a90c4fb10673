"""API of cadre accounts (mounted under /api/v1/): who holds which role in an admin's subtree, new
cadres, roles granted and revoked, deactivation, password and authenticator resets by single-use
links, one's own password. The same rules and scoping as the console pages (``services``)."""

import datetime

from django.contrib.auth import update_session_auth_hash
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from ninja import Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from gonghui.core.errors import NotPermitted
from gonghui.core.masking import mask_phone
from gonghui.core.schemas import InputSchema

from . import selectors, services
from .models import Role, RoleAssignment, User
from .permissions import roles_of

router = Router(tags=["accounts"])


class RoleHolderOut(Schema):
    id: int
    user_id: int
    username: str
    name: str
    active: bool
    node_id: int
    node_name: str
    role: Role
    granted_at: datetime.datetime

    @staticmethod
    def resolve_username(obj: RoleAssignment):
        return obj.user.username

    @staticmethod
    def resolve_name(obj: RoleAssignment):
        return obj.user.display_name

    @staticmethod
    def resolve_active(obj: RoleAssignment):
        return obj.user.is_active

    @staticmethod
    def resolve_node_name(obj: RoleAssignment):
        return obj.node.name


class RoleOut(Schema):
    id: int
    node_id: int
    node_name: str
    role: Role


class CadreOut(Schema):
    id: int
    username: str
    name: str
    phone: str  # masked
    active: bool
    roles: list[RoleOut]

    @staticmethod
    def from_user(user: User) -> "CadreOut":
        return CadreOut(id=user.pk, username=user.username, name=user.display_name, phone=mask_phone(user.phone),
                        active=user.is_active, roles=[_role(a) for a in selectors.roles_of_cadre(user)])


def _role(assignment: RoleAssignment) -> RoleOut:
    return RoleOut(id=assignment.pk, node_id=assignment.node_id, node_name=assignment.node.name, role=assignment.role)


class LinkOut(Schema):
    cadre: CadreOut
    link: str
    expires_in_hours: int


class CadreIn(InputSchema):
    username: str
    name: str
    phone: str = ""
    node_id: int
    role: Role


class GrantIn(InputSchema):
    node_id: int
    role: Role


class ActiveIn(InputSchema):
    active: bool


class PasswordIn(InputSchema):
    old_password: str
    new_password: str


def _require_admin(request) -> None:
    if not selectors.is_admin(request.user):
        raise NotPermitted("accounts.user.list")


def _node(request, node_id):
    node = selectors.find_admin_node(request.user, node_id)
    if node is None:
        raise Http404
    return node


def _link(request, user: User, key: str) -> LinkOut:
    from django.conf import settings

    return LinkOut(cadre=CadreOut.from_user(user), link=request.build_absolute_uri(reverse("accounts:link", args=[key])),
                   expires_in_hours=settings.GONGHUI_ACCOUNT_LINK_HOURS)


@router.get("/accounts/roles", response=list[RoleHolderOut])
@paginate(PageNumberPagination, page_size=50)
def list_role_holders(request, node: int | None = None, role: Role | None = None, active: bool | None = None):
    """Who holds which role in the caller's admin subtree (admins only)."""
    _require_admin(request)
    return selectors.role_holders(actor=request.user, node=_node(request, node) if node is not None else None,
                                  role=role or "", active=active)


@router.post("/accounts/cadres", response={201: LinkOut})
def create_cadre(request, payload: CadreIn):
    """A new cadre with a first role; answers a single-use link to set the password (and enrol an
    authenticator when the role needs one), shown only in this answer."""
    _require_admin(request)
    user, key = services.add_cadre(username=payload.username, display_name=payload.name, phone=payload.phone,
                                   node=_node(request, payload.node_id), role=payload.role, actor=request.user)
    return Status(201, _link(request, user, key))


@router.get("/accounts/cadres/{user_id}", response=CadreOut)
def get_cadre(request, user_id: int):
    _require_admin(request)
    return CadreOut.from_user(selectors.access_cadre(request.user, user_id))


@router.post("/accounts/cadres/{user_id}/roles", response={201: RoleOut})
def grant_role(request, user_id: int, payload: GrantIn):
    _require_admin(request)
    user = selectors.access_cadre(request.user, user_id)
    assignment = services.grant_role(user=user, node=_node(request, payload.node_id), role=payload.role,
                                     actor=request.user)
    return Status(201, _role(RoleAssignment.objects.select_related("node").get(pk=assignment.pk)))


@router.post("/accounts/roles/{assignment_id}/revoke", response=RoleOut)
def revoke_role(request, assignment_id: int):
    """Answers the role as it was, now revoked."""
    _require_admin(request)
    assignment = selectors.access_assignment(request.user, assignment_id)
    services.revoke_role(assignment=assignment, actor=request.user)
    return _role(assignment)


@router.post("/accounts/cadres/{user_id}/active", response=CadreOut)
def set_cadre_active(request, user_id: int, payload: ActiveIn):
    _require_admin(request)
    user = services.set_active(user=selectors.access_cadre(request.user, user_id), active=payload.active,
                               actor=request.user)
    return CadreOut.from_user(user)


@router.post("/accounts/cadres/{user_id}/password-reset", response=LinkOut)
def reset_cadre_password(request, user_id: int):
    """The old password stops at once; the answer carries the single-use link to set a new one."""
    _require_admin(request)
    user = selectors.access_cadre(request.user, user_id)
    return _link(request, user, services.reset_password(user=user, actor=request.user))


@router.post("/accounts/cadres/{user_id}/totp-reset", response=LinkOut)
def reset_cadre_totp(request, user_id: int):
    """The account's authenticators are removed; the answer carries the single-use enrolment link."""
    _require_admin(request)
    user = selectors.access_cadre(request.user, user_id)
    return _link(request, user, services.reset_totp(user=user, actor=request.user))


@router.post("/accounts/me/password", response={204: None})
def change_my_password(request, payload: PasswordIn):
    """One's own password (a cadre with a role, as on the console); the current one is needed."""
    if not (request.user.is_superuser or roles_of(request.user)):
        raise NotPermitted("accounts.password.change")
    try:
        services.change_own_password(user=request.user, old_password=payload.old_password,
                                     new_password=payload.new_password)
    except ValidationError as exc:
        raise ValidationError({"new_password": exc.messages}) from exc
    if not getattr(request, "api_token_auth", False):
        update_session_auth_hash(request, request.user)  # this session stays signed in; others end
    return Status(204, None)
