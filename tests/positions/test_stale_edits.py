"""Lost updates on positions (issue 17, finding 1): two editors open the same position, the first
saves, the second's save is refused with nothing changed; an edit from a stale copy keeps a move
to another union made meanwhile."""

import re

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from gonghui.core import editing
from gonghui.positions.models import Position
from gonghui.positions.services import positions as services

from .factories import make_position

pytestmark = pytest.mark.django_db


def _row(pk):
    return Position.objects.with_scopes_disabled().get(pk=pk) if hasattr(Position.objects, "with_scopes_disabled") \
        else Position.objects.get(pk=pk)


def test_two_editors_the_second_is_refused_with_nothing_changed(tree):
    with scopes_disabled():
        position = make_position(tree.b, tree=tree)
        version = editing.version_of(_row(position.pk))
        services.update_position(position=_row(position.pk), actor=tree.user("b_clerk"), expected_version=version,
                                 contact_name="王站长")
        with pytest.raises(editing.StaleEdit):
            services.update_position(position=_row(position.pk), actor=tree.user("b_clerk"),
                                     expected_version=version, contact_name="李站长", description="改")
        row = _row(position.pk)
    assert row.contact_name == "王站长" and row.description == ""


def test_an_edit_from_a_stale_copy_keeps_the_move(tree):
    with scopes_disabled():
        position = make_position(tree.b, tree=tree)
        stale = _row(position.pk)
        services.move_position(position=_row(position.pk), to_node=tree.d, actor=tree.user("a_admin"),
                               reason="乡镇合并后移交")
        services.update_position(position=stale, actor=tree.user("a_admin"), contact_name="赵站长")
        row = _row(position.pk)
    assert row.node_id == tree.d.pk and row.contact_name == "赵站长"


def test_the_edit_page_and_the_api_refuse_a_stale_copy(client, tree):
    with scopes_disabled():
        position = make_position(tree.b, tree=tree)
    client.force_login(tree.user("b_clerk"))
    page = client.get(reverse("positions:edit", args=[position.pk])).content.decode()
    assert re.search(r'name="version" value="[0-9a-f]{32}"', page)
    read = client.get(f"/api/v1/positions/{position.pk}").json()
    ok = client.patch(f"/api/v1/positions/{position.pk}", {"contact_name": "王站长", "version": read["version"]},
                      content_type="application/json")
    assert ok.status_code == 200, ok.content
    stale = client.patch(f"/api/v1/positions/{position.pk}", {"contact_name": "李站长", "version": read["version"]},
                         content_type="application/json")
    assert stale.status_code == 409 and stale.json()["code"] == "stale"
    with scopes_disabled():
        assert _row(position.pk).contact_name == "王站长"
