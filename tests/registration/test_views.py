"""Console pages (both sides), the public pages, and their query counts."""

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from gonghui.accounts.models import Role
from gonghui.core.models import AuditEntry
from gonghui.registration import selectors
from gonghui.registration.models import Application, Registration
from gonghui.registration.services import applications, certificates
from gonghui.registration.workflow import ApplicationStatus
from tests.factories import make_user

from .conftest import FORM, filed, pdf_upload, union_code

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_union_files_uploads_and_submits_in_the_console(tree, office):
    client = _client(tree.user("b_admin"))
    page = client.get(f"/registration/applications/new/?node={tree.c.pk}")
    assert page.status_code == 200
    response = client.post(f"/registration/applications/new/?node={tree.c.pk}", {"kind": "establish"})
    assert response.status_code == 302
    with scopes_disabled():
        application = Application.objects.get()
    url = f"/registration/applications/{application.pk}/"
    form = {k: v for k, v in FORM.items()}
    response = client.post(url + "edit/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    with scopes_disabled():
        for item in selectors.checklist(Application.objects.get()):
            response = client.post(url + "upload/", {"item": item, "file": pdf_upload(f"{item}.pdf")})
            assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "李国栋" in page and "330521********0355"[:6] in page
    assert FORM["legal_rep_id_number"] not in page  # masked
    client.post(url, {"action": "submit"})
    with scopes_disabled():
        assert Application.objects.get().status == ApplicationStatus.SUBMITTED


def test_the_office_approves_in_the_console_and_downloads_the_certificate(tree, office):
    application = filed(tree)
    reviewer = make_user("county_reviewer", node=tree.a, roles=[Role.REVIEWER])
    client = _client(reviewer)
    page = client.get(f"/registration/applications/{application.pk}/").content.decode()
    assert 'value="approve"' in page
    code = union_code()
    response = client.post(f"/registration/applications/{application.pk}/", {"action": "approve",
                                                                              "credit_code": code})
    assert response.status_code == 302
    with scopes_disabled():
        registration = Registration.objects.get()
        certificate = registration.certificates.get()
    assert registration.credit_code == code
    page = client.get(f"/registration/register/{registration.pk}/").content.decode()
    assert code in page and certificate.serial in page
    pdf = client.get(f"/registration/certificates/{certificate.pk}.pdf")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    with scopes_disabled():
        assert AuditEntry.objects.filter(action="registration.certificate.downloaded").exists()


def test_a_bad_credit_code_in_the_console_shows_the_message_and_changes_nothing(tree, office):
    application = filed(tree)
    reviewer = make_user("county_reviewer", node=tree.a, roles=[Role.REVIEWER])
    client = _client(reviewer)
    response = client.post(f"/registration/applications/{application.pk}/",
                           {"action": "approve", "credit_code": "81330521MA2B3C4D5E"}, follow=True)
    assert "校验位" in response.content.decode()
    with scopes_disabled():
        assert not Registration.objects.exists()
        assert Application.objects.get().status == ApplicationStatus.SUBMITTED


def test_the_filer_sees_no_review_buttons_on_their_own_application(tree, office):
    application = filed(tree, actor=tree.user("a_admin"))
    page = _client(tree.user("a_admin")).get(f"/registration/applications/{application.pk}/").content.decode()
    assert 'value="approve"' not in page


def test_material_view_is_audited_and_closed_to_viewers(tree, office):
    application = filed(tree)
    with scopes_disabled():
        material = application.materials.first()
    response = _client(tree.user("b_admin")).get(f"/registration/materials/{material.pk}/")
    assert response.status_code == 200
    assert _client(tree.user("b_viewer")).get(f"/registration/materials/{material.pk}/").status_code == 403
    with scopes_disabled():
        assert AuditEntry.objects.filter(action="registration.material.viewed").count() == 1


def test_public_upload_check_says_genuine_or_tampered(tree, office, reviewer):
    with scopes_disabled():
        application = applications.approve_application(application=filed(tree), actor=reviewer,
                                                       credit_code=union_code())
        data = certificates.read_pdf(certificate=application.registration.certificates.get())
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = Client()
    page = client.post("/registration/verify/", {"file": SimpleUploadedFile("c.pdf", data)}).content.decode()
    assert 'data-check="ok"' in page and 'data-status="valid"' in page
    position = data.index(b"/Title") + 8
    tampered = data[:position] + bytes([data[position] ^ 1]) + data[position + 1:]
    page = client.post("/registration/verify/", {"file": SimpleUploadedFile("c.pdf", tampered)}).content.decode()
    assert 'data-check="failed"' in page and "青山精密" not in page
    page = client.post("/registration/verify/", {"file": SimpleUploadedFile("c.pdf", b"GIF89a...")}).content.decode()
    assert "PDF" in page


@pytest.mark.parametrize("rows", [2, 8])
def test_list_pages_have_a_flat_query_count(tree, office, reviewer, django_assert_max_num_queries, rows, settings,
                                            tmp_path):
    settings.GONGHUI_REGISTRATION_KEY_DIR = tmp_path  # no certificates: faster, same queries
    from gonghui.orgs import services as orgs

    with scopes_disabled():
        for i in range(rows):
            node = orgs.create_node(parent=tree.b, actor=None, name=f"测试{i}公司工会", kind="enterprise")
            application = filed(tree, node=node, name=f"测试{i}公司工会")
            if i % 2:
                applications.approve_application(application=application, actor=reviewer, credit_code=union_code())
    client = _client(tree.user("b_admin"))
    client.get("/registration/applications/")
    with django_assert_max_num_queries(14):
        assert client.get("/registration/applications/").status_code == 200
    with django_assert_max_num_queries(18):
        assert client.get("/registration/register/").status_code == 200
