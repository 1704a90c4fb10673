"""API of the union tree and the employer ledger (mounted under /api/v1/)."""

import datetime
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from gonghui.accounts.models import User

from . import selectors, services
from .models import NodeKind, Sector

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

    @staticmethod
    def resolve_parent_id(obj):
        return getattr(obj, "parent_pk", None)


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


class NodeIn(Schema):
    parent_id: int
    name: str = Field(max_length=100)
    kind: NodeKind
    short_name: str = ""
    region_code: str = ""
    region_name: str = ""
    address: str = ""
    credit_code: str = ""
    established_on: datetime.date | None = None
    chair_name: str = ""
    worker_count: int = Field(0, ge=0)
    member_count: int = Field(0, ge=0)


class NodePatch(Schema):
    name: str | None = Field(None, max_length=100)
    short_name: str | None = None
    region_code: str | None = None
    region_name: str | None = None
    address: str | None = None
    credit_code: str | None = None
    established_on: datetime.date | None = None
    chair_name: str | None = None
    worker_count: int | None = Field(None, ge=0)
    member_count: int | None = Field(None, ge=0)


class MoveIn(Schema):
    parent_id: int


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


class EmployerIn(Schema):
    node_id: int
    name: str = Field(max_length=100)
    credit_code: str
    sector: Sector
    employee_count: int = Field(ge=0)
    address: str = ""
    union_id: int | None = None
    notes: str = ""


class EmployerPatch(Schema):
    name: str | None = Field(None, max_length=100)
    credit_code: str | None = None
    sector: Sector | None = None
    employee_count: int | None = Field(None, ge=0)
    address: str | None = None
    union_id: int | None = None
    notes: str | None = None
    follow_up_by_id: int | None = None


def _fresh(node):
    """Re-read one node with its parent id annotated."""
    return selectors.with_parent_id(selectors.node_list().filter(pk=node.pk)).get()


@router.get("/nodes", response=list[NodeOut])
@paginate(PageNumberPagination, page_size=50)
def list_nodes(request, q: str = "", parent: int | None = None, kind: str = ""):
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
def get_node(request, node_id: int):
    node = _fresh(selectors.access_node(node_id))
    node.rollup = selectors.node_rollup(node)
    return node


@router.post("/nodes", response={201: NodeOut})
def create_node(request, payload: NodeIn):
    parent = selectors.access_node(payload.parent_id)
    data = payload.dict(exclude={"parent_id"})
    node = services.create_node(parent=parent, actor=request.user, **data)
    return 201, _fresh(node)


@router.patch("/nodes/{node_id}", response=NodeOut)
def update_node(request, node_id: int, payload: NodePatch):
    node = selectors.access_node(node_id)
    node = services.update_node(node=node, actor=request.user, **payload.dict(exclude_unset=True))
    return _fresh(node)


@router.post("/nodes/{node_id}/move", response=NodeOut)
def move_node(request, node_id: int, payload: MoveIn):
    node = selectors.access_node(node_id)
    new_parent = selectors.access_node(payload.parent_id)
    node = services.move_node(node=node, new_parent=new_parent, actor=request.user)
    return _fresh(node)


@router.get("/nodes/{node_id}/to-organize", response=list[EmployerOut])
@paginate(PageNumberPagination, page_size=50)
def to_organize(request, node_id: int):
    return selectors.employers_to_organize(selectors.access_node(node_id))


@router.get("/employers", response=list[EmployerOut])
@paginate(PageNumberPagination, page_size=50)
def list_employers(request, node: int | None = None, q: str = "", unionized: bool | None = None, sector: str = ""):
    scope_node = selectors.access_node(node) if node is not None else None
    return selectors.employer_list(node=scope_node, query=q, unionized=unionized, sector=sector)


@router.get("/employers/{employer_id}", response=EmployerOut)
def get_employer(request, employer_id: int):
    return selectors.access_employer(employer_id)


@router.post("/employers", response={201: EmployerOut})
def create_employer(request, payload: EmployerIn):
    node = selectors.access_node(payload.node_id)
    data = payload.dict(exclude={"node_id", "union_id"})
    if payload.union_id is not None:
        data["union"] = selectors.access_node(payload.union_id)
    return 201, services.create_employer(node=node, actor=request.user, **data)


@router.patch("/employers/{employer_id}", response=EmployerOut)
def update_employer(request, employer_id: int, payload: EmployerPatch):
    employer = selectors.access_employer(employer_id)
    data = payload.dict(exclude_unset=True, exclude={"union_id", "follow_up_by_id"})
    fields_set = payload.model_fields_set
    if "union_id" in fields_set:
        data["union"] = selectors.access_node(payload.union_id) if payload.union_id is not None else None
    if "follow_up_by_id" in fields_set:
        data["follow_up_by"] = (get_object_or_404(User, pk=payload.follow_up_by_id)
                                if payload.follow_up_by_id is not None else None)
    return services.update_employer(employer=employer, actor=request.user, **data)
