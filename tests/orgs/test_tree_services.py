"""Tree operations: create, update, move, merge, dissolve — with history, audit and refusals."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django_scopes import scopes_disabled

from gonghui.core.errors import DomainError, NotPermitted
from gonghui.orgs import services
from gonghui.orgs.models import Employer, Node, NodeEvent, NodeKind, NodeStatus, StaffKind, UnionStaff
from tests.factories import credit_code, make_employer

from .helpers import acting, audit_actions, fresh, snapshot


def _zh(exc) -> str:
    with translation.override("zh-hans"):
        return str(exc.message)


def _events(node) -> list[str]:
    with scopes_disabled():
        return list(NodeEvent.objects.filter(node=node).order_by("id").values_list("action", flat=True))


# --- create / update ---------------------------------------------------------------------------

def test_create_node_records_history_audit_and_pinyin(tree):
    with acting(tree.user("b_admin")) as user:
        node = services.create_node(parent=tree.b, actor=user, name=" 城关镇快递行业工会联合会 ",
                                    kind=NodeKind.INDUSTRY)
    node = fresh(node)
    assert node.name == "城关镇快递行业工会联合会"
    assert Node.objects.get_parent(node).pk == tree.b.pk
    assert node.pinyin_initials == "cgzkdhyghlhh"
    assert _events(node) == [NodeEvent.Action.CREATED]
    assert audit_actions()[-1] == "orgs.node.created"


def test_a_clerk_or_viewer_cannot_create_and_nothing_changes(tree):
    before = snapshot()
    for name in ("b_clerk", "b_viewer"):
        with acting(tree.user(name)) as user, pytest.raises(NotPermitted):
            services.create_node(parent=tree.b, actor=user, name="新工会", kind=NodeKind.ENTERPRISE)
    assert snapshot() == before


def test_create_with_a_bad_name_or_credit_code_changes_nothing(tree):
    before = snapshot()
    with acting(tree.user("b_admin")) as user:
        with pytest.raises(ValidationError):
            services.create_node(parent=tree.b, actor=user, name="<b>工会</b>", kind=NodeKind.ENTERPRISE)
        with pytest.raises(ValidationError):
            services.create_node(parent=tree.b, actor=user, name="工会", kind=NodeKind.ENTERPRISE,
                                 credit_code="81330521MA2ABCDE0X")
    assert snapshot() == before


def test_rename_is_recorded_as_a_rename_and_refreshes_pinyin(tree):
    with acting(tree.user("b_admin")) as user:
        services.update_node(node=fresh(tree.c), actor=user, name="青山精工工会")  # the edit form's door
    c = fresh(tree.c)
    assert c.name == "青山精工工会" and c.pinyin_initials == "qsjggh"
    assert _events(c)[-1] == NodeEvent.Action.RENAMED
    assert audit_actions()[-1] == "orgs.node.renamed"


def test_update_with_a_date_and_a_credit_code_is_recorded(tree):
    code = credit_code(authority="8", kind="1")
    with acting(tree.user("b_admin")) as user:
        services.update_node(node=fresh(tree.c), actor=user, established_on=datetime.date(2015, 5, 1),
                             credit_code=code.lower(), member_count=130)
    c = fresh(tree.c)
    assert c.established_on == datetime.date(2015, 5, 1) and c.credit_code == code and c.member_count == 130
    with scopes_disabled():
        event = NodeEvent.objects.filter(node=c).first()
    assert event.action == NodeEvent.Action.UPDATED
    assert event.data["changes"]["established_on"] == [None, "2015-05-01"]
    assert audit_actions()[-1] == "orgs.node.updated"


def test_an_update_that_changes_nothing_records_nothing(tree):
    before = snapshot()
    with acting(tree.user("b_admin")) as user:
        services.update_node(node=fresh(tree.c), actor=user, name="青山精密机械有限公司工会")
    assert snapshot() == before


# --- move --------------------------------------------------------------------------------------

def test_moving_a_subtree_moves_its_descendants_and_is_recorded(tree):
    with acting(tree.user("a_admin")) as user:
        grandchild = services.create_node(parent=fresh(tree.c), actor=user, name="一车间分工会", kind=NodeKind.BRANCH)
        services.move_node(node=fresh(tree.c), new_parent=fresh(tree.d), actor=user)
    c, d, grandchild = fresh(tree.c), fresh(tree.d), fresh(grandchild)
    assert Node.objects.get_parent(c).pk == d.pk
    assert grandchild.path.startswith(c.path) and Node.objects.get_parent(grandchild).pk == c.pk
    assert fresh(tree.b).numchild == 0 and d.numchild == 1
    assert _events(c)[-1] == NodeEvent.Action.MOVED
    assert audit_actions()[-1] == "orgs.node.moved"


@pytest.mark.parametrize("target", ["b", "c"])
def test_moving_a_node_under_itself_or_its_descendant_is_refused_and_the_tree_is_unchanged(tree, target):
    before = snapshot()
    with acting(tree.user("a_admin")) as user, pytest.raises(DomainError) as info:
        services.move_node(node=fresh(tree.b), new_parent=fresh(getattr(tree, target)), actor=user)
    assert info.value.code == "move_into_own_subtree"
    assert _zh(info.value) == "工会不能调整到自身或其下级工会之下。"
    assert snapshot() == before


def test_moving_requires_admin_rights_at_both_ends(tree):
    before = snapshot()
    with acting(tree.user("b_admin")) as user, pytest.raises(NotPermitted):
        services.move_node(node=fresh(tree.c), new_parent=fresh(tree.d), actor=user)
    with acting(tree.user("b_clerk")) as user, pytest.raises(NotPermitted):
        services.move_node(node=fresh(tree.c), new_parent=fresh(tree.b), actor=user)
    assert snapshot() == before


def test_moving_under_a_dissolved_union_is_refused(tree):
    with acting(tree.user("a_admin")) as user:
        services.dissolve_node(node=fresh(tree.d), actor=user, reason="撤销")
        before = snapshot()
        with pytest.raises(DomainError) as info:
            services.move_node(node=fresh(tree.c), new_parent=fresh(tree.d), actor=user)
    assert info.value.code == "parent_inactive"
    assert snapshot() == before


# --- merge -------------------------------------------------------------------------------------

def test_merge_moves_children_ledger_staff_and_union_links(tree):
    with scopes_disabled():
        in_b = make_employer(tree.b)
        covered_by_b = make_employer(tree.d, union=tree.b)
        in_c = make_employer(tree.c, union=tree.c)
        staff = UnionStaff.objects.create(node=tree.b, name="王五", kind=StaffKind.SOCIALIZED,
                                          started_on=datetime.date(2024, 1, 1))
    Node.objects.filter(pk=tree.b.pk).update(member_count=10, worker_count=20)
    Node.objects.filter(pk=tree.d.pk).update(member_count=5, worker_count=8)
    with acting(tree.user("a_admin")) as user:
        result = services.merge_nodes(source=fresh(tree.b), target=fresh(tree.d), actor=user)
    b, c, d = fresh(tree.b), fresh(tree.c), fresh(tree.d)
    assert result.pk == d.pk
    assert Node.objects.get_parent(c).pk == d.pk
    assert b.status == NodeStatus.MERGED and b.merged_into_id == d.pk and b.ended_on is not None
    assert b.numchild == 0
    assert (d.member_count, d.worker_count, b.member_count, b.worker_count) == (15, 28, 0, 0)
    with scopes_disabled():
        assert Employer.objects.get(pk=in_b.pk).node_id == d.pk
        assert Employer.objects.get(pk=covered_by_b.pk).union_id == d.pk
        assert Employer.objects.get(pk=in_c.pk).node_id == c.pk  # the child keeps its own ledger
        assert UnionStaff.objects.get(pk=staff.pk).node_id == d.pk
    assert _events(b)[-1] == NodeEvent.Action.MERGED
    assert _events(d)[-1] == NodeEvent.Action.ABSORBED
    assert _events(c)[-1] == NodeEvent.Action.MOVED  # the moved child's own history says so
    assert "orgs.node.merged" in audit_actions()


def test_merge_relinks_employers_the_actor_cannot_see(tree):
    # An employer in D's jurisdiction whose union is C; B's admin merges C into B.
    with scopes_disabled():
        elsewhere = make_employer(tree.d, union=tree.c)
    with acting(tree.user("b_admin")) as user:
        services.merge_nodes(source=fresh(tree.c), target=fresh(tree.b), actor=user)
    with scopes_disabled():
        assert Employer.objects.get(pk=elsewhere.pk).union_id == tree.b.pk


@pytest.mark.parametrize("source, target", [("b", "b"), ("b", "c")])
def test_merging_into_itself_or_its_subtree_is_refused(tree, source, target):
    before = snapshot()
    with acting(tree.user("a_admin")) as user, pytest.raises(DomainError) as info:
        services.merge_nodes(source=fresh(getattr(tree, source)), target=fresh(getattr(tree, target)), actor=user)
    assert info.value.code == "merge_into_own_subtree"
    assert snapshot() == before


def test_merging_into_a_union_outside_the_scope_is_refused(tree):
    before = snapshot()
    with acting(tree.user("b_admin")) as user, pytest.raises(NotPermitted):
        services.merge_nodes(source=fresh(tree.c), target=fresh(tree.d), actor=user)
    assert snapshot() == before


def test_a_merged_union_cannot_be_merged_again(tree):
    with acting(tree.user("a_admin")) as user:
        services.merge_nodes(source=fresh(tree.c), target=fresh(tree.d), actor=user)
        before = snapshot()
        with pytest.raises(DomainError) as info:
            services.merge_nodes(source=fresh(tree.c), target=fresh(tree.b), actor=user)
    assert info.value.code == "merge_inactive"
    assert snapshot() == before


# --- dissolve ----------------------------------------------------------------------------------

def test_dissolving_a_union_with_active_subordinates_is_refused(tree):
    before = snapshot()
    with acting(tree.user("a_admin")) as user, pytest.raises(DomainError) as info:
        services.dissolve_node(node=fresh(tree.b), actor=user, reason="撤并")
    assert info.value.code == "has_children"
    assert _zh(info.value) == "撤销本工会前，请先调整、合并或撤销其下级工会。"
    assert snapshot() == before


def test_dissolving_needs_a_reason(tree):
    before = snapshot()
    with acting(tree.user("b_admin")) as user, pytest.raises(DomainError) as info:
        services.dissolve_node(node=fresh(tree.c), actor=user, reason="   ")
    assert info.value.code == "reason_required" and info.value.field == "reason"
    assert snapshot() == before


def test_dissolving_unlinks_covered_employers_and_is_recorded(tree):
    with scopes_disabled():
        covered = make_employer(tree.c, union=tree.c)
        covered_elsewhere = make_employer(tree.d, union=tree.c)  # outside b_admin's scope
    with acting(tree.user("b_admin")) as user:
        services.dissolve_node(node=fresh(tree.c), actor=user, reason=" 企业破产 ")
    c = fresh(tree.c)
    assert c.status == NodeStatus.DISSOLVED and c.ended_on is not None
    with scopes_disabled():
        assert Employer.objects.get(pk=covered.pk).union_id is None
        assert Employer.objects.get(pk=covered_elsewhere.pk).union_id is None
        event = NodeEvent.objects.filter(node=c).first()
    assert event.action == NodeEvent.Action.DISSOLVED and event.data == {"reason": "企业破产"}
    assert audit_actions()[-1] == "orgs.node.dissolved"


def test_once_its_subordinates_are_dissolved_a_union_can_be_dissolved(tree):
    with acting(tree.user("b_admin")) as user:
        services.dissolve_node(node=fresh(tree.c), actor=user, reason="企业注销")
        services.dissolve_node(node=fresh(tree.b), actor=user, reason="撤并")
    assert fresh(tree.b).status == NodeStatus.DISSOLVED


def test_a_clerk_cannot_dissolve_or_merge(tree):
    before = snapshot()
    with acting(tree.user("b_clerk")) as user:
        with pytest.raises(NotPermitted):
            services.dissolve_node(node=fresh(tree.c), actor=user, reason="x")
        with pytest.raises(NotPermitted):
            services.merge_nodes(source=fresh(tree.c), target=fresh(tree.b), actor=user)
    assert snapshot() == before


def test_the_top_federation_cannot_be_moved_or_dissolved(tree):
    before = snapshot()
    with acting(tree.user("a_admin")) as user:
        with pytest.raises(DomainError) as info:
            services.dissolve_node(node=fresh(tree.a), actor=user, reason="x")
        assert info.value.code == "dissolve_root"
    assert snapshot() == before
