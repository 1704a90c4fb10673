"""Counts roll up the tree correctly, in a fixed number of queries whatever the subtree's size."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from gonghui.orgs import selectors, services
from gonghui.orgs.models import Node, NodeKind
from tests.factories import make_employer

from .helpers import acting, fresh


@pytest.fixture
def declared_members(monkeypatch):
    """Roll-ups from each node's declared member figure (what orgs does without the members app)."""
    monkeypatch.setattr(selectors, "_member_counter", None)


@pytest.fixture
def ledger(tree, declared_members):
    with scopes_disabled():
        make_employer(tree.c, union=tree.c, employees=150)
        make_employer(tree.b, employees=40)
        make_employer(tree.d, employees=10)
        make_employer(tree.d, employees=30)
    Node.objects.filter(pk=tree.d.pk).update(member_count=5, worker_count=45)
    return tree


def test_rollup_of_the_whole_county(ledger):
    with acting(ledger.user("a_admin")):
        r = selectors.node_rollup(fresh(ledger.a))
        assert selectors.scope_rollup() == r
    assert (r.nodes, r.grassroots_unions) == (4, 1)
    assert (r.employers, r.unionized_employers, r.to_organize) == (4, 1, 3)
    assert (r.employees, r.employees_unionized) == (230, 150)
    assert (r.members, r.workers) == (125, 195)
    assert r.unionization_rate == Decimal("25.0")
    assert r.membership_rate == Decimal("64.1")


def test_child_rollups_split_the_county_by_township(ledger):
    with acting(ledger.user("a_admin")):
        rows = {child.name: r for child, r in selectors.child_rollups(fresh(ledger.a))}
    assert set(rows) == {"城关镇总工会", "河口镇总工会"}
    b, d = rows["城关镇总工会"], rows["河口镇总工会"]
    assert (b.nodes, b.employers, b.unionized_employers, b.members, b.workers) == (2, 2, 1, 120, 150)
    assert (d.nodes, d.employers, d.unionized_employers, d.members, d.workers) == (1, 2, 0, 5, 45)
    assert b.unionization_rate == Decimal("50.0") and d.unionization_rate == Decimal("0.0")


def test_a_township_cadre_sees_only_its_own_figures(ledger):
    with acting(ledger.user("b_admin")):
        r = selectors.scope_rollup()
    assert (r.nodes, r.employers, r.members) == (2, 2, 120)


def test_merged_and_dissolved_unions_drop_out_of_the_counts(ledger):
    with acting(ledger.user("a_admin")) as user:
        services.merge_nodes(source=fresh(ledger.d), target=fresh(ledger.b), actor=user)
        r = selectors.node_rollup(fresh(ledger.a))
        assert (r.nodes, r.members, r.workers, r.employers) == (3, 125, 195, 4)
        services.dissolve_node(node=fresh(ledger.c), actor=user, reason="注销")
        r = selectors.node_rollup(fresh(ledger.a))
    assert (r.nodes, r.grassroots_unions, r.unionized_employers, r.members) == (2, 0, 0, 5)


def test_members_come_from_the_registered_counter_when_there_is_one(ledger, monkeypatch):
    calls = []

    def counter(prefix, *, exclude_path=None, width=None):
        calls.append((prefix, exclude_path, width))
        return 7 if width is None else {ledger.b.path: 3, ledger.d.path: 4}

    monkeypatch.setattr(selectors, "_member_counter", counter)
    with acting(ledger.user("a_admin")):
        assert selectors.node_rollup(fresh(ledger.a)).members == 7
        rows = {child.pk: r.members for child, r in selectors.child_rollups(fresh(ledger.a))}
    assert rows == {ledger.b.pk: 3, ledger.d.pk: 4}


def test_kind_breakdown_counts_active_unions_by_type(tree):
    with acting(tree.user("a_admin")):
        kinds = {kind: n for kind, _label, n in selectors.kind_breakdown(fresh(tree.a))}
    assert kinds == {NodeKind.COUNTY: 1, NodeKind.TOWNSHIP_UNION: 2, NodeKind.ENTERPRISE: 1}


def test_rates_are_none_when_there_is_nothing_to_divide_by(tree, declared_members):
    with acting(tree.user("a_admin")):
        r = selectors.node_rollup(fresh(tree.d))
    assert r.unionization_rate is None and r.membership_rate is None


def _grow(parent: Node, count: int) -> None:
    """``count`` enterprise unions under ``parent``, half of them with a branch, each with employers."""
    with scopes_disabled():
        for i in range(count):
            child = services.create_node(parent=fresh(parent), actor=None, name=f"企业{i}工会",
                                         kind=NodeKind.ENTERPRISE, member_count=10, worker_count=12)
            if i % 2:
                services.create_node(parent=fresh(child), actor=None, name=f"企业{i}分会", kind=NodeKind.BRANCH)
            make_employer(fresh(child), union=child)
            make_employer(fresh(child))


def _queries(func, *args) -> int:
    with CaptureQueriesContext(connection) as ctx:
        func(*args)
    return len(ctx.captured_queries)


def test_rollups_take_the_same_number_of_queries_for_3_or_30_nodes(tree):
    _grow(tree.b, 3)
    _grow(tree.d, 30)
    with acting(tree.user("a_admin")):
        small, large = fresh(tree.b), fresh(tree.d)
        assert _queries(selectors.node_rollup, small) == _queries(selectors.node_rollup, large) <= 3
        assert _queries(selectors.child_rollups, small) == _queries(selectors.child_rollups, large) <= 4
        r, children = selectors.node_rollup(large), selectors.child_rollups(large)
    assert r.employers == 60 and r.unionized_employers == 30
    assert r.nodes == 1 + 30 + 15
    assert len(children) == 30
    assert sum(c.employers for _child, c in children) == 60
    assert sorted(c.nodes for _child, c in children) == [1] * 15 + [2] * 15
