"""Registration offices: a county admin designates which unions register the legal persons below them
(who else may not, and whose name and key a certificate carries: test_authority.py)."""

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scopes_disabled

from gonghui.core.errors import DomainError, NotPermitted
from gonghui.core.models import AuditEntry
from gonghui.orgs import services as orgs
from gonghui.orgs.models import Node, NodeEvent
from gonghui.registration.models import RegistrationOffice
from gonghui.registration.services import applications, offices

from .conftest import filed
from .test_api import _headers

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    """Signed in, with the second factor done (county admins need one)."""
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def _flag(node) -> bool:
    return Node.objects.get(pk=node.pk).is_registration_office


def test_county_admin_designates_a_township_and_its_unions_file_there(tree, office):
    client = _client(tree.user("a_admin"))
    page = client.get("/registration/offices/")
    assert page.status_code == 200 and "城关镇总工会" in page.content.decode()  # a candidate
    response = client.post(f"/registration/offices/designate/?node={tree.b.pk}")
    assert response.status_code == 302
    assert _flag(tree.b)
    with scopes_disabled():
        assert RegistrationOffice.objects.get(node=tree.b).issuer_name == "城关镇总工会"
        assert AuditEntry.objects.filter(action="registration.office.designated", object_id=str(
            RegistrationOffice.objects.get(node=tree.b).pk)).exists()
        assert NodeEvent.objects.filter(node=tree.b, data__changes__is_registration_office=[False, True]).exists()
        # the nearest office above the enterprise is now the township, not the county
        application = filed(tree)
        assert application.office.node_id == tree.b.pk
    page = client.get("/registration/offices/").content.decode()
    assert "城关镇总工会" in page and "青山县总工会" in page


def test_a_union_cannot_make_itself_an_office_and_nothing_changes(tree, office):
    client = _client(tree.user("b_admin"))
    before = AuditEntry.objects.count()
    response = client.post(f"/registration/offices/designate/?node={tree.b.pk}")
    assert response.status_code == 403
    assert not _flag(tree.b) and AuditEntry.objects.count() == before
    with scopes_disabled():
        assert not RegistrationOffice.objects.filter(node=tree.b).exists()
        with pytest.raises(NotPermitted):
            offices.designate_office(node=tree.b, actor=tree.user("b_clerk"))
    assert "城关镇总工会" not in client.get("/registration/offices/").content.decode().split("<form")[-1]


def test_withdrawal_waits_for_open_applications_then_applications_go_higher(tree, office, reviewer, unscoped):
    admin = tree.user("a_admin")
    offices.designate_office(node=tree.b, actor=admin)
    application = filed(tree)
    assert application.office.node_id == tree.b.pk
    with pytest.raises(DomainError) as refused:
        offices.withdraw_office(node=Node.objects.get(pk=tree.b.pk), actor=admin)
    assert refused.value.code == "office_busy" and "1" in refused.value.message
    assert _flag(tree.b)
    applications.withdraw_application(application=application, actor=tree.user("b_admin"))
    offices.withdraw_office(node=Node.objects.get(pk=tree.b.pk), actor=admin)
    assert not _flag(tree.b)
    assert RegistrationOffice.objects.filter(node=tree.b).exists()  # kept: the application names it
    assert AuditEntry.objects.filter(action="registration.office.withdrawn").count() == 1
    assert filed(tree).office.node_id == tree.a.pk


def test_an_inactive_union_or_one_not_an_office_is_refused(tree, office, unscoped):
    admin = tree.user("a_admin")
    orgs.dissolve_node(node=Node.objects.get(pk=tree.d.pk), actor=admin, reason="撤并")
    with pytest.raises(DomainError) as refused:
        offices.designate_office(node=Node.objects.get(pk=tree.d.pk), actor=admin)
    assert refused.value.code == "node_inactive"
    assert not _flag(tree.d) and not RegistrationOffice.objects.filter(node=tree.d).exists()
    with pytest.raises(DomainError) as refused:
        offices.withdraw_office(node=Node.objects.get(pk=tree.b.pk), actor=admin)
    assert refused.value.code == "not_an_office"


def test_the_flag_set_in_the_tree_is_what_routes_applications(tree, unscoped):
    """A union flagged in the tree without an office record gets one, named after it."""
    Node.objects.filter(pk=tree.a.pk).update(is_registration_office=True)
    application = filed(tree)
    assert application.office.node_id == tree.a.pk and application.office.issuer_name == "青山县总工会"


def test_api_lists_designates_and_withdraws(tree, office):
    client, headers = Client(), _headers(tree.user("a_admin"))
    response = client.post("/api/v1/registration/offices", {"node_id": tree.d.pk},
                           content_type="application/json", headers=headers)
    assert response.status_code == 201, response.content
    assert response.json()["issuer_name"] == "河口镇总工会" and _flag(tree.d)
    items = client.get("/api/v1/registration/offices", headers=headers).json()["items"]
    assert {i["node_name"] for i in items} == {"青山县总工会", "河口镇总工会"}
    response = client.post(f"/api/v1/registration/offices/{tree.d.pk}/withdraw", {}, content_type="application/json",
                           headers=headers)
    assert response.status_code == 200 and response.json()["is_registration_office"] is False and not _flag(tree.d)
    response = client.post(f"/api/v1/registration/offices/{tree.d.pk}/withdraw", {},
                           content_type="application/json", headers=headers)
    assert response.status_code == 400 and "不是" in response.json()["detail"]
    # a township admin may not designate its own union
    response = client.post("/api/v1/registration/offices", {"node_id": tree.b.pk},
                           content_type="application/json", headers=_headers(tree.user("b_admin")))
    assert response.status_code == 403 and not _flag(tree.b)


@pytest.mark.parametrize("extra", [1, 6])
def test_the_offices_page_has_a_flat_query_count(tree, office, extra, django_assert_max_num_queries):
    with scopes_disabled():
        for i in range(extra):
            node = orgs.create_node(parent=Node.objects.get(pk=tree.a.pk), actor=None, name=f"测试{i}镇总工会",
                                    kind="township_union")
            offices.designate_office(node=node, actor=None)
    client = _client(tree.user("a_admin"))
    client.get("/registration/offices/")
    with django_assert_max_num_queries(12):
        assert client.get("/registration/offices/").status_code == 200
