"""API of the union tree and the employer ledger (mounted under /api/v1/)."""

import datetime
from decimal import Decimal
from typing import Annotated

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from gonghui.accounts.models import User
from gonghui.core import editing
from gonghui.core.ids import normalize_credit_code
from gonghui.core.limits import SEARCH_TERM, VERSION_TOKEN, limit_of
from gonghui.core.schemas import Count, Id, InputSchema, Pages, PatchSchema, checked
from gonghui.core.text import clean_name

from . import selectors, services
from .models import Node, NodeKind, Sector

# Checked in the schema as well as in the service, so that a bad name, credit code and count in one
# request are all reported at once, each against its field.
Name = Annotated[str, checked(clean_name)]
ShortName = Annotated[str, checked(lambda v: clean_name(v, max_length=limit_of(Node, "short_name")) if v.strip() else "")]
CreditCode = Annotated[str, checked(normalize_credit_code)]
OptionalCreditCode = Annotated[str, checked(lambda v: normalize_credit_code(v) if v.strip() else "")]

router = Router(tags=["orgs"])


class NodeOut(Schema):
    id: int
    code: str
    name: str
    short_name: str
    kind: str
    status: str
    depth: int
    parent_id: int | None = None
    region_code: str
    region_name: str
    address: str
    credit_code: str
    established_on: datetime.date | None
    chair_name: str
    is_legal_person: bool
    worker_count: int
    member_count: int
    version: str = Field("", description=editing.VERSION_HELP)

    @staticmethod
    def resolve_parent_id(obj):
        return getattr(obj, "parent_pk", None)

    @staticmethod
    def resolve_version(obj):
        return selectors.node_version(obj)


class RollupOut(Schema):
    nodes: int
    grassroots_unions: int
    employers: int
    unionized_employers: int
    employees: int
    members: int
    workers: int
    unionization_rate: Decimal | None
    membership_rate: Decimal | None
    to_organize: int


class NodeDetailOut(NodeOut):
    rollup: RollupOut


class NodeIn(InputSchema):
    parent_id: Id
    name: Name
    kind: NodeKind
    short_name: ShortName = ""
    region_code: str = ""
    region_name: str = ""
    address: str = ""
    credit_code: OptionalCreditCode = ""
    established_on: datetime.date | None = None
    chair_name: str = ""
    worker_count: Count = Field(0, ge=0)
    member_count: Count = Field(0, ge=0)


class NodePatch(PatchSchema):
    __nullable__ = frozenset({"established_on"})

    name: Name | None = None
    short_name: ShortName | None = None
    region_code: str | None = None
    region_name: str | None = None
    address: str | None = None
    credit_code: OptionalCreditCode | None = None
    established_on: datetime.date | None = None
    chair_name: str | None = None
    worker_count: Count | None = Field(None, ge=0)
    member_count: Count | None = Field(None, ge=0)
    version: str | None = Field(None, max_length=VERSION_TOKEN, description=editing.VERSION_HELP)


class NodeMoveIn(InputSchema):
    parent_id: Id


class EmployerOut(Schema):
    id: int
    name: str
    credit_code: str
    sector: str
    employee_count: int
    address: str
    node_id: int
    union_id: int | None
    unionized: bool
    notes: str
    version: str = Field("", description=editing.VERSION_HELP)

    @staticmethod
    def resolve_version(obj):
        return editing.version_of(obj)


class EmployerIn(InputSchema):
    node_id: Id
    name: Name
    credit_code: CreditCode
    sector: Sector
    employee_count: Count = Field(ge=0)
    address: str = ""
    union_id: Id | None = None
    notes: str = ""


class EmployerPatch(PatchSchema):
    __nullable__ = frozenset({"union_id", "follow_up_by_id"})

    name: Name | None = None
    credit_code: CreditCode | None = None
    sector: Sector | None = None
    employee_count: Count | None = Field(None, ge=0)
    address: str | None = None
    union_id: Id | None = None
    notes: str | None = None
    follow_up_by_id: Id | None = None
    version: str | None = Field(None, max_length=VERSION_TOKEN, description=editing.VERSION_HELP)


def _check_choice(field: str, value: str, choices) -> None:
    """An unknown filter value is a mistake to report, not a filter that silently matches nothing."""
    if value and value not in choices.values:
        raise ValidationError({field: [_("Select a valid choice. %(value)s is not one of the available choices.")
                                       % {"value": value[:50]}]})


def _follow_up_user(pk: int) -> User:
    """A cadre holding a role somewhere in the actor's scope; anyone else is "not found"."""
    visible = Node.scoped.all().values("pk")
    user = User.objects.filter(pk=pk, is_active=True, roles__node__in=visible).distinct().first()
    if user is None:
        raise Http404
    return user


def _fresh(node):
    """Re-read one node with its parent id annotated."""
    return selectors.with_parent_id(selectors.node_list().filter(pk=node.pk)).get()


@router.get("/nodes", response=list[NodeOut])
@paginate(Pages, page_size=50)
def list_nodes(request, q: str = Query("", max_length=SEARCH_TERM), parent: Id | None = None, kind: str = ""):
    _check_choice("kind", kind, NodeKind)
    if q:
        qs = selectors.search_nodes(q, limit=None)
    elif parent is not None:
        qs = selectors.children_of(selectors.access_node(parent))
    else:
        qs = selectors.node_list()
    if kind:
        qs = qs.filter(kind=kind)
    return selectors.with_parent_id(qs)


@router.get("/nodes/{node_id}", response=NodeDetailOut)
def get_node(request, node_id: Id):
    node = _fresh(selectors.access_node(node_id))
    node.rollup = selectors.node_rollup(node)
    return node


@router.post("/nodes", response={201: NodeOut})
def create_node(request, payload: NodeIn):
    parent = selectors.access_node(payload.parent_id)
    data = payload.dict(exclude={"parent_id"})
    node = services.create_node(parent=parent, actor=request.user, **data)
    return Status(201, _fresh(node))


@router.patch("/nodes/{node_id}", response=NodeOut)
def update_node(request, node_id: Id, payload: NodePatch):
    node = selectors.access_node(node_id)
    data = payload.dict(exclude_unset=True)
    version = editing.expected_from(request, data.pop("version", None))
    node = services.update_node(node=node, actor=request.user, expected_version=version, **data)
    return _fresh(node)


@router.post("/nodes/{node_id}/move", response=NodeOut)
def move_node(request, node_id: Id, payload: NodeMoveIn):
    node = selectors.access_node(node_id)
    new_parent = selectors.access_node(payload.parent_id)
    node = services.move_node(node=node, new_parent=new_parent, actor=request.user)
    return _fresh(node)


@router.get("/nodes/{node_id}/to-organize", response=list[EmployerOut])
@paginate(Pages, page_size=50)
def to_organize(request, node_id: Id):
    return selectors.employers_to_organize(selectors.access_node(node_id))


@router.get("/employers", response=list[EmployerOut])
@paginate(Pages, page_size=50)
def list_employers(request, node: Id | None = None, q: str = Query("", max_length=SEARCH_TERM), unionized: bool | None = None, sector: str = ""):
    _check_choice("sector", sector, Sector)
    scope_node = selectors.access_node(node) if node is not None else None
    return selectors.employer_list(node=scope_node, query=q, unionized=unionized, sector=sector)


@router.get("/employers/{employer_id}", response=EmployerOut)
def get_employer(request, employer_id: Id):
    return selectors.access_employer(employer_id)


@router.post("/employers", response={201: EmployerOut})
def create_employer(request, payload: EmployerIn):
    node = selectors.access_node(payload.node_id)
    data = payload.dict(exclude={"node_id", "union_id"})
    if payload.union_id is not None:
        data["union"] = selectors.access_node(payload.union_id)
    return Status(201, services.create_employer(node=node, actor=request.user, **data))


@router.patch("/employers/{employer_id}", response=EmployerOut)
def update_employer(request, employer_id: Id, payload: EmployerPatch):
    employer = selectors.access_employer(employer_id)
    data = payload.dict(exclude_unset=True, exclude={"union_id", "follow_up_by_id", "version"})
    version = editing.expected_from(request, payload.version)
    fields_set = payload.model_fields_set
    if "union_id" in fields_set:
        data["union"] = selectors.access_node(payload.union_id) if payload.union_id is not None else None
    if "follow_up_by_id" in fields_set:
        data["follow_up_by"] = (_follow_up_user(payload.follow_up_by_id)
                                if payload.follow_up_by_id is not None else None)
    return services.update_employer(employer=employer, actor=request.user, expected_version=version, **data)
