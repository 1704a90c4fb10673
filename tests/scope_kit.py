"""The shared vocabulary of the scope proof (tests/test_scope_proof.py).

Each module registers its own URLs in ``tests/<module>/scope_routes.py``: a ``ROUTES`` dict of URL
name → kind or ``Route``, and optionally ``SIBLING_SEEDS``, targets that create data in township D
for the leak check of listing pages. The targets here build common objects under a node.
"""

import datetime
import itertools
from collections.abc import Callable
from dataclasses import dataclass

from gonghui.accounts.models import Worker
from gonghui.core.crypto import blind_index
from gonghui.orgs import services as orgs
from gonghui.orgs.models import Node, NodeKind
from tests.factories import credit_code, make_employer, resident_id

PUBLIC, SIGNED_IN, WORKER, CADRE_ANY, NODE_SCOPED = "public", "signed-in", "worker", "cadre-any", "node-scoped"
KINDS = {PUBLIC, SIGNED_IN, WORKER, CADRE_ANY, NODE_SCOPED}
API_PREFIX = "/api/v1/"
_seq = itertools.count(500)


# --- objects under a node: each returns the pk of a fresh object below ``node`` --------------------

def _node(tree, node: Node) -> int:
    return node.pk


def _child(tree, node: Node) -> int:
    child = orgs.create_node(parent=Node.objects.get(pk=node.pk), actor=None, name=f"{node.name}第{next(_seq)}分会",
                             kind=NodeKind.BRANCH)
    return child.pk


def _employer(tree, node: Node) -> int:
    return make_employer(node, name=f"{node.name[:3]}测试{next(_seq)}有限公司").pk


def _member(tree, node: Node):
    from gonghui.members.services import roster

    return roster.create_member(node=Node.objects.get(pk=node.pk), actor=tree.user("a_admin"), name="王建国",
                                id_number=resident_id("19880512", next(_seq) % 1000), phone="13912345678",
                                employment_form="contract", joined_on=datetime.date(2024, 3, 1))


def _member_pk(tree, node: Node) -> int:
    return _member(tree, node).pk


def _ended_member_pk(tree, node: Node) -> int:
    from gonghui.members.services import roster

    member = _member(tree, node)
    roster.end_membership(member=member, actor=tree.user("a_admin"), on=datetime.date(2025, 1, 2),
                          reason="调离本单位")
    return member.pk


def _application(tree, node: Node) -> int:
    from gonghui.members.services import joining

    phone = f"139{next(_seq):08d}"
    worker = Worker.objects.create(phone=phone, phone_hash=blind_index(phone, purpose="phone"))
    link = joining.prepare_link(node=Node.objects.get(pk=node.pk), actor=tree.user("a_admin"))
    return joining.submit_application(link=link, worker=worker, name="李春梅",
                                      id_number=resident_id("19900101", next(_seq) % 1000),
                                      employment_form="contract", employer_name="青山物流有限公司", consent=True).pk


def _prospect(tree, node: Node) -> int:
    from gonghui.members.services import joining

    return joining.record_prospect(node=Node.objects.get(pk=node.pk), phone=f"137{next(_seq):08d}",
                                   service="驿站", consent_channel="station", consent=True).pk


def _transfer(tree, node: Node) -> int:
    """Inside: C → B (both ends in B's subtree). Outside: D → A, A → D (neither end in it)."""
    from gonghui.members.services import transfer

    to_node = {tree.c.pk: tree.b, tree.a.pk: tree.d}.get(node.pk, tree.a)
    return transfer.request_transfer(member=_member(tree, node), to_node=to_node, actor=tree.user("a_admin")).pk


def _staged_import(tree, node: Node) -> str:
    """A roster upload staged by the node's own admin (b_admin for C, a_admin for A, d_admin for D)."""
    from gonghui.members.services import importing

    actor = tree.user({tree.c.pk: "b_admin", tree.a.pk: "a_admin"}.get(node.pk, "d_admin"))
    data = f"姓名,身份证号,手机号码,入会日期\n周立新,{resident_id('19850607', next(_seq) % 1000)},13812345678,2024-03-01\n"
    staged = importing.stage_import(data=data.encode(), filename="roster.csv", node=Node.objects.get(pk=node.pk),
                                    actor=actor)
    return staged.token


def _roster_upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = f"姓名,身份证号,入会日期\n周立新,{resident_id('19850607', next(_seq) % 1000)},2024-03-01\n"
    return SimpleUploadedFile("roster.csv", data.encode(), content_type="text/csv")


# --- form data and JSON payloads, pointing at ``node`` ----------------------------------------------

def _node_form(tree, node):
    return {"name": f"新建{next(_seq)}工会", "kind": NodeKind.ENTERPRISE, "worker_count": 10, "member_count": 5}


def _employer_form(tree, node):
    return {"node": node.pk, "name": f"新建{next(_seq)}有限公司", "credit_code": credit_code(), "sector": "manufacturing",
            "employee_count": 30}


def _member_form(tree, node):
    return {"node": node.pk, "name": "赵小明", "id_number": resident_id("19920304", next(_seq) % 1000),
            "ethnicity": "汉族", "employment_form": "contract", "member_type": "full", "joined_on": "2024-05-06"}


@dataclass(frozen=True)
class Route:
    kind: str
    target: Callable | None = None   # (tree, node) -> pk of an object under node
    param: str = "pk"                # the path kwarg, or "?node" for a query parameter
    data: Callable | None = None     # (tree, node) -> form data / JSON payload for the unsafe method
    get: bool = True                 # False: the URL answers POST only
    query: dict | None = None        # extra query for the leak check of cadre-any pages
    pk_field: str = ""               # the payload field that carries the target's pk
    above: bool = False              # objects of the unions above the cadre are shown by design (read-only)
    # A business rule refuses the township cadre even inside its subtree (e.g. only the registration
    # authority designates offices; who may is tested in the module): inside, 403/404 and no change.
    refused_inside: bool = False


def scoped(target, param="pk", data=None, get=True, pk_field="", above=False, refused_inside=False) -> Route:
    return Route(NODE_SCOPED, target=target, param=param, data=data, get=get, pk_field=pk_field, above=above,
                 refused_inside=refused_inside)


