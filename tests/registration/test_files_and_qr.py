"""Printed QR codes keep verifying when the session secret changes (issue 17, finding 4), and a file
missing from storage is a clear 404 that audits nothing as done (issue 17, finding 8)."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_scopes import scopes_disabled

from gonghui.accounts.models import Role
from gonghui.core.errors import DomainError
from gonghui.core.models import AuditEntry
from gonghui.registration import selectors
from gonghui.registration.services import applications, certificates
from tests.factories import make_user

from .conftest import filed, registered
from .test_api import _headers
from .test_offices import _client

pytestmark = pytest.mark.django_db

FORGED = "不是登记机关签发"


def test_the_qr_code_survives_a_new_session_secret(tree, office, reviewer, unscoped, settings):
    certificate = registered(tree, reviewer).registration.certificates.get()
    path = certificates.verify_path(certificate=certificate)
    settings.SECRET_KEY = "a-rotated-session-secret-0123456789abcdefghijklmnopqrstuvwxyz"
    assert certificates.read_token(token=path.rstrip("/").rsplit("/", 1)[-1]) == certificate
    page = Client().get(path).content.decode()
    assert FORGED not in page and certificate.registration.credit_code in page


def test_the_qr_code_is_signed_with_its_own_key_and_older_keys_still_verify(tree, office, reviewer, unscoped,
                                                                           settings):
    certificate = registered(tree, reviewer).registration.certificates.get()
    token = certificates.make_token(certificate=certificate)
    settings.GONGHUI_QR_SIGNING_KEY = "a-new-qr-key-0123456789abcdefghijklmnopqrstuvwxyz"
    with pytest.raises(DomainError) as forged:  # a code no configured key made
        certificates.read_token(token=token)
    assert forged.value.code == "forged_token"
    settings.GONGHUI_QR_SIGNING_KEY_FALLBACKS = ["test-only-qr-signing-key-0123456789abcdefghijklmnop"]
    assert certificates.read_token(token=token) == certificate


def _lose(stored_name: str) -> None:
    default_storage.delete(stored_name)


def test_a_missing_certificate_file_is_a_clear_404_and_nothing_is_audited(tree, office, unscoped):
    reviewer = make_user("county_reviewer", node=tree.a, roles=[Role.REVIEWER])
    certificate = registered(tree, reviewer).registration.certificates.get()
    _lose(certificate.stored_name)
    before = AuditEntry.objects.filter(action="registration.certificate.downloaded").count()
    response = _client(reviewer).get(f"/registration/certificates/{certificate.pk}.pdf")
    assert response.status_code == 404
    page = response.content.decode()
    assert certificate.serial in page, page  # says which file is missing
    response = Client().get(f"/api/v1/registration/certificates/{certificate.pk}/pdf", headers=_headers(reviewer))
    assert response.status_code == 404 and response.json()["code"] == "file_missing"
    assert AuditEntry.objects.filter(action="registration.certificate.downloaded").count() == before


def test_a_missing_material_file_is_a_clear_404_and_nothing_is_audited(tree, office, unscoped):
    application = filed(tree)
    material = application.materials.first()
    _lose(material.stored_name)
    reviewer = make_user("county_reviewer", node=tree.a, roles=[Role.REVIEWER])
    before = AuditEntry.objects.filter(action="registration.material.viewed").count()
    response = _client(reviewer).get(f"/registration/materials/{material.pk}/")
    assert response.status_code == 404 and "registration/file_missing.html" in [t.name for t in response.templates]
    assert AuditEntry.objects.filter(action="registration.material.viewed").count() == before


def test_a_present_file_is_still_served_and_audited(tree, office, unscoped):
    application = filed(tree)
    applications.upload_material(application=application, item="other",
                                 upload=SimpleUploadedFile("x.pdf", b"%PDF-1.4\n%%EOF\n"),
                                 actor=tree.user("b_admin")) if "other" in selectors.checklist(application) else None
    material = application.materials.first()
    reviewer = make_user("county_reviewer", node=tree.a, roles=[Role.REVIEWER])
    response = _client(reviewer).get(f"/registration/materials/{material.pk}/")
    assert response.status_code == 200
    with scopes_disabled():
        assert AuditEntry.objects.filter(action="registration.material.viewed").count() == 1
