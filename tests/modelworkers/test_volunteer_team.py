"""The model-worker and craftsman volunteer team is an activities volunteer team marked as such; the
register shows which registered people are in it now (through their member record)."""

import datetime

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from gonghui.activities.models import VolunteerTeam
from gonghui.activities.services import volunteers
from gonghui.modelworkers import selectors, services
from tests.scope_kit import _member

pytestmark = pytest.mark.django_db


def test_the_register_shows_who_is_in_the_model_worker_team(tree):
    with scopes_disabled():
        admin = tree.user("b_admin")
        zhu = services.register_person(node=tree.b, actor=admin, name="朱美娟", level="city", title="湖州市劳动模范",
                                       year=2021)
        qian = services.register_person(node=tree.b, actor=admin, name="钱志华", level="county", title="青山县工匠",
                                        year=2023, kind="craftsman")
        sun = services.register_person(node=tree.b, actor=admin, name="孙德明", level="county",
                                       title="青山县劳动模范", year=2018)  # no member record
        m_zhu, m_qian = _member(tree, tree.b), _member(tree, tree.c)
        services.link_member(person=zhu, actor=admin, member=m_zhu)
        services.link_member(person=qian, actor=admin, member=m_qian)
        team = volunteers.create_team(node=tree.b, actor=admin, name="城关镇劳模工匠志愿服务队", leader=m_zhu,
                                      founded_on=datetime.date(2024, 5, 1), model_workers=True)
        plain = volunteers.create_team(node=tree.b, actor=admin, name="城关镇青年志愿队")
        volunteers.add_volunteer(team=plain, actor=admin, member=m_qian)  # not the model-worker team
        assert VolunteerTeam.objects.get(pk=team.pk).model_workers and not plain.model_workers
        zhu.refresh_from_db()
        qian.refresh_from_db()
        assert selectors.team_memberships([zhu, qian, sun]) == {zhu.pk: ["城关镇劳模工匠志愿服务队"]}
    client = Client()
    client.force_login(tree.user("b_admin"))
    page = client.get("/modelworkers/").content.decode()
    assert "城关镇劳模工匠志愿服务队" in page and "城关镇青年志愿队" not in page
    assert "城关镇劳模工匠志愿服务队" in client.get(f"/modelworkers/{zhu.pk}/").content.decode()


def test_the_console_marks_a_new_team_as_the_model_worker_team(tree):
    client = Client()
    client.force_login(tree.user("b_admin"))
    response = client.post(f"/activities/volunteers/new/?node={tree.b.pk}",
                           {"name": "城关镇劳模工匠志愿服务队", "model_workers": "on"})
    assert response.status_code == 302, response.content.decode()[:1500]
    with scopes_disabled():
        assert VolunteerTeam.objects.get(name="城关镇劳模工匠志愿服务队").model_workers
