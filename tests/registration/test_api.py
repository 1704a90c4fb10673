"""The registration API: the same flow, masks, errors and query counts as the console."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_scopes import scopes_disabled

from gonghui.accounts.models import Role
from gonghui.accounts.services import create_api_token
from gonghui.registration.models import Registration
from gonghui.registration.services import applications, certificates
from tests.factories import make_user

from .conftest import FORM, filed, pdf_upload, union_code

pytestmark = pytest.mark.django_db


def _headers(user) -> dict:
    with scopes_disabled():
        _token, key = create_api_token(user=user, name="test")
    return {"Authorization": f"Bearer {key}"}


def test_file_upload_submit_review_and_read_the_register(tree, office):
    client = Client()
    admin = _headers(tree.user("b_admin"))
    response = client.post("/api/v1/registration/applications", {"node_id": tree.c.pk, "kind": "establish", **FORM},
                           content_type="application/json", headers=admin)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["legal_rep_id_number_masked"].startswith("330521****") and "legal_rep_id_number" not in body
    pk = body["id"]
    for item in body["missing"]:
        response = client.post(f"/api/v1/registration/applications/{pk}/materials",
                               {"item": item, "file": pdf_upload(f"{item}.pdf")}, headers=admin)
        assert response.status_code == 201, response.content
    response = client.post(f"/api/v1/registration/applications/{pk}/submit", headers=admin)
    assert response.json()["status"] == "submitted"

    reviewer = _headers(make_user("rev", node=tree.a, roles=[Role.REVIEWER]))
    response = client.post(f"/api/v1/registration/applications/{pk}/review",
                           {"approve": True, "credit_code": "81330521MA2B3C4D5E"},
                           content_type="application/json", headers=reviewer)
    assert response.status_code == 422 and "credit_code" in response.json()["errors"]
    code = union_code()
    response = client.post(f"/api/v1/registration/applications/{pk}/review", {"approve": True, "credit_code": code},
                           content_type="application/json", headers=reviewer)
    assert response.status_code == 200 and response.json()["status"] == "approved"
    registration_id = response.json()["registration_id"]
    detail = client.get(f"/api/v1/registration/register/{registration_id}", headers=admin).json()
    assert detail["credit_code"] == code and detail["certificates"][0]["status"] == "valid"
    assert "/registration/v/" in detail["certificates"][0]["verify_url"]
    figures = client.get(f"/api/v1/registration/figures?node={tree.b.pk}", headers=admin).json()
    assert figures["registered"] == 1 and figures["grassroots_unions"] == 1
    assert figures["registration_rate"] == "100.0"
    pdf = client.get(f"/api/v1/registration/certificates/{detail['certificates'][0]['id']}/pdf", headers=admin)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_unknown_fields_and_bad_values_get_422_and_change_nothing(tree, office):
    client = Client()
    admin = _headers(tree.user("b_admin"))
    for payload in ({"node_id": tree.c.pk, "kind": "establish", "status": "approved"},
                    {"node_id": tree.c.pk, "kind": "establish", "fixed_funds": "-1"},
                    {"node_id": tree.c.pk, "kind": "establish", "term_years": 9},
                    {"node_id": tree.c.pk, "kind": "transfer"}):
        response = client.post("/api/v1/registration/applications", payload, content_type="application/json",
                               headers=admin)
        assert response.status_code == 422, payload
    with scopes_disabled():
        from gonghui.registration.models import Application

        assert not Application.objects.exists()


def test_own_application_review_is_400_with_the_reason(tree, office):
    application = filed(tree, actor=tree.user("a_admin"))
    client = Client()
    response = client.post(f"/api/v1/registration/applications/{application.pk}/review",
                           {"approve": True, "credit_code": union_code()}, content_type="application/json",
                           headers=_headers(tree.user("a_admin")))
    assert response.status_code == 400 and response.json()["code"] == "own_application"
    with scopes_disabled():
        assert not Registration.objects.exists()


def test_public_verify_endpoint(tree, office, reviewer):
    with scopes_disabled():
        application = applications.approve_application(application=filed(tree), actor=reviewer,
                                                       credit_code=union_code())
        data = certificates.read_pdf(certificate=application.registration.certificates.get())
    client = Client()
    body = client.post("/api/v1/registration/verify", {"file": SimpleUploadedFile("c.pdf", data)}).json()
    assert body["ok"] and body["status"] == "valid" and body["union_name"] == "青山精密机械有限公司工会"
    broken = data[:-200] + bytes([data[-200] ^ 1]) + data[-199:]
    body = client.post("/api/v1/registration/verify", {"file": SimpleUploadedFile("c.pdf", broken)}).json()
    assert not body["ok"] and body["certificate"] is None


@pytest.mark.parametrize("rows", [2, 8])
def test_api_lists_have_a_flat_query_count(tree, office, reviewer, django_assert_max_num_queries, rows, settings,
                                           tmp_path):
    settings.GONGHUI_REGISTRATION_KEY_DIR = tmp_path
    from gonghui.orgs import services as orgs

    with scopes_disabled():
        for i in range(rows):
            node = orgs.create_node(parent=tree.b, actor=None, name=f"测试{i}公司工会", kind="enterprise")
            application = filed(tree, node=node, name=f"测试{i}公司工会")
            if i % 2:
                applications.approve_application(application=application, actor=reviewer, credit_code=union_code())
    client, headers = Client(), _headers(tree.user("b_admin"))
    client.get("/api/v1/registration/applications", headers=headers)
    with django_assert_max_num_queries(10):
        assert len(client.get("/api/v1/registration/applications", headers=headers).json()["items"]) == rows
    with django_assert_max_num_queries(10):
        assert len(client.get("/api/v1/registration/register", headers=headers).json()["items"]) == rows // 2
