"""Lost updates on the union tree and the employer ledger (issue 17, finding 1): two editors open the
same record, the first saves, the second's save is refused ("stale", 409 in the API) with nothing
changed; an edit from a stale copy never reverts a dissolution made meanwhile."""

import re

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from gonghui.core import editing
from gonghui.orgs import selectors, services
from gonghui.orgs.models import Employer, Node, NodeStatus
from tests.factories import make_employer

from .helpers import acting, fresh, snapshot

pytestmark = pytest.mark.django_db


def test_two_editors_of_a_union_the_second_is_refused(tree):
    with scopes_disabled():
        version = selectors.node_version(fresh(tree.c))
    with acting(tree.user("a_admin")) as user:
        services.update_node(node=fresh(tree.c), actor=user, expected_version=version, chair_name="张三")
    before = snapshot()
    with acting(tree.user("a_admin")) as user, pytest.raises(editing.StaleEdit) as refused:
        services.update_node(node=fresh(tree.c), actor=user, expected_version=version, chair_name="李四")
    assert refused.value.code == "stale"
    assert snapshot() == before
    with scopes_disabled():
        assert fresh(tree.c).chair_name == "张三"


def test_a_child_added_meanwhile_is_no_conflict(tree):
    with scopes_disabled():
        version = selectors.node_version(fresh(tree.b))
    with acting(tree.user("a_admin")) as user:
        services.create_node(parent=fresh(tree.b), actor=user, name="青山第二机械厂工会", kind="enterprise")
        node = services.update_node(node=fresh(tree.b), actor=user, expected_version=version, chair_name="王五")
    assert node.chair_name == "王五"


def test_an_edit_from_a_stale_copy_keeps_the_dissolution(tree):
    with scopes_disabled():
        stale = fresh(tree.c)
    with acting(tree.user("a_admin")) as user:
        services.dissolve_node(node=fresh(tree.c), actor=user, reason="企业注销")
        services.update_node(node=stale, actor=user, chair_name="赵六")
    with scopes_disabled():
        row = fresh(tree.c)
    assert row.status == NodeStatus.DISSOLVED and row.chair_name == "赵六"


def test_two_editors_of_an_employer_the_second_is_refused(tree):
    with scopes_disabled():
        employer = make_employer(tree.b, employees=10)
        version = editing.version_of(Employer.objects.get(pk=employer.pk))
    with acting(tree.user("b_clerk")) as user:
        services.update_employer(employer=Employer.objects.get(pk=employer.pk), actor=user,
                                 expected_version=version, employee_count=20)
    before = snapshot()
    with acting(tree.user("b_clerk")) as user, pytest.raises(editing.StaleEdit):
        services.update_employer(employer=Employer.objects.get(pk=employer.pk), actor=user,
                                 expected_version=version, employee_count=30)
    assert snapshot() == before


def test_an_employer_edit_from_a_stale_copy_writes_only_its_field(tree):
    with scopes_disabled():
        employer = make_employer(tree.b, employees=10)
        stale = Employer.objects.get(pk=employer.pk)
    with acting(tree.user("b_clerk")) as user:
        services.update_employer(employer=Employer.objects.get(pk=employer.pk), actor=user, notes="已走访")
        services.update_employer(employer=stale, actor=user, employee_count=40)
    with scopes_disabled():
        row = Employer.objects.get(pk=employer.pk)
    assert row.notes == "已走访" and row.employee_count == 40


def test_the_employer_edit_page_refuses_a_form_opened_before_another_save(client, tree):
    with scopes_disabled():
        employer = make_employer(tree.b, employees=10)
    client.force_login(tree.user("b_clerk"))
    url = reverse("orgs:employer_edit", args=[employer.pk])
    page = client.get(url).content.decode()
    version = re.search(r'name="version" value="([0-9a-f]+)"', page).group(1)
    with acting(tree.user("b_clerk")) as user:
        services.update_employer(employer=Employer.objects.get(pk=employer.pk), actor=user, employee_count=11)
    data = {"name": employer.name, "credit_code": employer.credit_code, "sector": employer.sector,
            "employee_count": "99", "address": "", "notes": "", "version": version}
    response = client.post(url, data)
    assert response.status_code == 200
    assert str(editing.StaleEdit().message) in response.content.decode()
    with scopes_disabled():
        assert Employer.objects.get(pk=employer.pk).employee_count == 11
    data["version"] = editing.version_of(Employer.objects.with_scopes_disabled().get(pk=employer.pk))
    assert client.post(url, data).status_code == 302


def test_the_api_answers_409_to_a_stale_patch_and_takes_if_match(client, tree):
    client.force_login(tree.user("a_admin"))
    read = client.get(f"/api/v1/nodes/{tree.c.pk}").json()
    assert read["version"]
    first = client.patch(f"/api/v1/nodes/{tree.c.pk}", {"chair_name": "张三", "version": read["version"]},
                         content_type="application/json")
    assert first.status_code == 200
    stale = client.patch(f"/api/v1/nodes/{tree.c.pk}", {"chair_name": "李四"}, content_type="application/json",
                         headers={"If-Match": f'"{read["version"]}"'})
    assert stale.status_code == 409 and stale.json()["code"] == "stale"
    with scopes_disabled():
        assert Node.objects.get(pk=tree.c.pk).chair_name == "张三"
    again = client.patch(f"/api/v1/nodes/{tree.c.pk}", {"chair_name": "李四"}, content_type="application/json",
                         headers={"If-Match": first.json()["version"]})
    assert again.status_code == 200 and again.json()["chair_name"] == "李四"
