"""List endpoints: paginated, scoped to the token's subtree, and a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from gonghui.orgs import services as orgs
from gonghui.orgs.models import Node, NodeKind
from tests.factories import make_employer

from .helpers import api_as


def _add_rows(tree, n: int) -> None:
    """n child unions and n employers (half unionized) under C."""
    with scopes_disabled():
        c = Node.objects.get(pk=tree.c.pk)
        for i in range(n):
            orgs.create_node(parent=Node.objects.get(pk=c.pk), actor=None, name=f"第{i}车间分会", kind=NodeKind.BRANCH)
            make_employer(c, name=f"青山配套{i}有限公司", union=c if i % 2 else None)


LISTS = [
    "/nodes",
    "/nodes?q=车间",
    "/nodes?parent={c}",
    "/employers",
    "/employers?node={c}&unionized=false",
    "/nodes/{c}/to-organize",
]


@pytest.mark.parametrize("path", LISTS)
def test_list_query_count_does_not_grow_with_rows(tree, path):
    client = api_as(tree, "b_admin")
    url = path.format(c=tree.c.pk)
    client.get(url.split("?")[0] if "{c}" not in path else url)  # first use of the token is stamped

    def count(rows_before_call):
        _add_rows(tree, rows_before_call)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries), response.json()["count"]

    few, few_count = count(3)
    many, many_count = count(27)  # 30 in all
    assert many_count > few_count
    assert many == few, f"{url}: {few} queries for few rows, {many} for many"


def test_lists_are_paginated(tree):
    _add_rows(tree, 60)
    client = api_as(tree, "b_admin")
    first = client.get("/employers").json()
    assert first["count"] == 60 and len(first["items"]) == 50
    second = client.get("/employers", page=2).json()
    assert len(second["items"]) == 10
    assert not {e["id"] for e in first["items"]} & {e["id"] for e in second["items"]}
    beyond = client.get("/employers", page=9)
    assert beyond.status_code == 200 and beyond.json()["items"] == []
    for bad in ("0", "-1", "x"):
        assert client.get("/employers", page=bad).status_code == 422


def test_a_token_of_b_lists_only_bs_subtree(tree):
    with scopes_disabled():
        inside = make_employer(tree.c, name="城关机械有限公司")
        outside = make_employer(tree.d, name="河口渔业有限公司")
    client = api_as(tree, "b_admin")
    nodes = client.get("/nodes").json()
    assert {n["id"] for n in nodes["items"]} == {tree.b.pk, tree.c.pk} and nodes["count"] == 2
    employers = client.get("/employers").json()
    assert [e["id"] for e in employers["items"]] == [inside.pk]
    assert client.get("/nodes", q="河口").json()["items"] == []
    assert client.get("/employers", q=outside.credit_code).json()["items"] == []
    assert client.get("/nodes", parent=tree.d.pk).status_code == 404
    assert client.get("/employers", node=tree.d.pk).status_code == 404
    assert client.get("/nodes", parent=tree.a.pk).status_code == 404


def test_the_parent_outside_the_scope_is_not_disclosed(tree):
    nodes = {n["id"]: n for n in api_as(tree, "b_admin").get("/nodes").json()["items"]}
    assert nodes[tree.b.pk]["parent_id"] is None  # A is outside B's scope
    assert nodes[tree.c.pk]["parent_id"] == tree.b.pk


def test_the_county_lists_everything(tree):
    with scopes_disabled():
        make_employer(tree.c)
        make_employer(tree.d)
    client = api_as(tree, "a_admin")
    assert client.get("/nodes").json()["count"] == 4
    assert client.get("/employers").json()["count"] == 2
    children = client.get("/nodes", parent=tree.a.pk).json()["items"]
    assert {n["id"] for n in children} == {tree.b.pk, tree.d.pk}


def test_node_detail_rolls_up_the_subtree(tree):
    with scopes_disabled():
        make_employer(tree.c, employees=100, union=tree.c)
        make_employer(tree.c, employees=40)
    rollup = api_as(tree, "b_admin").get(f"/nodes/{tree.b.pk}").json()["rollup"]
    assert rollup["employers"] == 2 and rollup["unionized_employers"] == 1 and rollup["to_organize"] == 1
    assert rollup["unionization_rate"] == "50.0"


def test_unknown_filter_values_are_reported_not_silently_empty(tree):
    client = api_as(tree, "b_admin", language="zh-hans")
    for path, field in (("/nodes?kind=bogus", "kind"), ("/employers?sector=bogus", "sector")):
        response = client.get(path)
        assert response.status_code == 422, path
        assert "bogus" in response.json()["errors"][field][0]
    assert client.get("/nodes?kind=enterprise").json()["count"] == 1
