"""Handing a position to another union: console page (search, choose, reason), API, history kept and
audited; only within the cadre's scope and with the keeping role at both ends; bad input changes nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scopes_disabled

from gonghui.accounts.services import create_api_token
from gonghui.core.errors import DomainError, NotPermitted
from gonghui.core.models import AuditEntry
from gonghui.orgs.models import Node
from gonghui.positions.models import Position, PositionMove
from gonghui.positions.services import positions as services
from tests.positions.factories import make_position


@pytest.fixture
def station(tree):
    with scopes_disabled():
        return make_position(tree.c, tree=tree, name="精密机械职工之家", kind="workers_home")


def test_move_keeps_history_and_audits(tree, station):
    with scopes_disabled():
        services.move_position(position=station, to_node=tree.d, actor=tree.user("a_admin"), reason="县总工会决定划转")
        station.refresh_from_db()
        move = PositionMove.objects.get()
        assert station.node_id == tree.d.pk
        assert (move.from_node_id, move.to_node_id, move.reason, move.moved_by) == (
            tree.c.pk, tree.d.pk, "县总工会决定划转", tree.user("a_admin"))
        entry = AuditEntry.objects.filter(action="positions.position.moved").get()
        assert entry.data == {"from": tree.c.pk, "to": tree.d.pk, "reason": "县总工会决定划转"}


@pytest.mark.parametrize("actor, to, reason, error", [
    ("b_admin", "d", "划转", NotPermitted),        # d is outside b's subtree
    ("b_viewer", "b", "划转", NotPermitted),       # a viewer keeps no position
    ("a_admin", "c", "划转", ValidationError),     # already there
    ("a_admin", "d", "  ", ValidationError),       # no reason
    ("a_admin", "d", "<b>x</b>", ValidationError),
])
def test_bad_moves_change_nothing(tree, station, actor, to, reason, error):
    with scopes_disabled(), pytest.raises(error):
        services.move_position(position=station, to_node=getattr(tree, to), actor=tree.user(actor), reason=reason)
    with scopes_disabled():
        assert Position.objects.get(pk=station.pk).node_id == tree.c.pk and not PositionMove.objects.exists()


def test_inactive_union_refused(tree, station):
    with scopes_disabled():
        Node.objects.filter(pk=tree.d.pk).update(status="dissolved")
        with pytest.raises(DomainError):
            services.move_position(position=station, to_node=Node.objects.get(pk=tree.d.pk),
                                   actor=tree.user("a_admin"), reason="划转")
        assert not PositionMove.objects.exists()


def test_console_page_search_choose_move(tree, station, client):
    client.force_login(tree.user("b_admin"))
    url = reverse("positions:move", args=[station.pk])
    found = client.get(url, {"q": "城关"}).content.decode()
    assert f'value="{tree.b.pk}"' in found and "城关镇总工会" in found
    assert "河口镇" not in client.get(url, {"q": "镇"}).content.decode()  # outside b's scope
    refused = client.post(url, {"q": "城关", "to_node": tree.b.pk, "reason": ""})
    assert refused.status_code == 200 and "请填写变更原因" in refused.content.decode()
    outside = client.post(url, {"q": "河口", "to_node": tree.d.pk, "reason": "划转"})
    assert "请从列表中选择新的依托工会" in outside.content.decode()
    with scopes_disabled():
        assert Position.objects.get(pk=station.pk).node_id == tree.c.pk
    moved = client.post(url, {"q": "城关", "to_node": tree.b.pk, "reason": "企业工会撤并，由镇总工会接管"})
    assert moved.status_code == 302
    detail = client.get(reverse("positions:detail", args=[station.pk])).content.decode()
    assert "依托工会变更记录" in detail and "企业工会撤并，由镇总工会接管" in detail
    with scopes_disabled():
        assert Position.objects.get(pk=station.pk).node_id == tree.b.pk


def test_viewer_gets_no_move_page(tree, station, client):
    client.force_login(tree.user("b_viewer"))
    assert client.get(reverse("positions:move", args=[station.pk])).status_code == 403


def test_api_move(tree, station, client):
    with scopes_disabled():
        _token, key = create_api_token(user=tree.user("a_admin"), name="t")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    response = client.post(f"/api/v1/positions/{station.pk}/move", {"to_node_id": tree.d.pk, "reason": "划转"},
                           content_type="application/json")
    assert response.status_code == 200 and response.json()["node_id"] == tree.d.pk
    again = client.post(f"/api/v1/positions/{station.pk}/move", {"to_node_id": tree.d.pk, "reason": "划转"},
                        content_type="application/json")
    assert again.status_code == 422 and "已由" in str(again.json())
