"""Who may make a union a registration office, whose name a certificate carries, and whose key signs it
(issue 16, finding 2: a township admin issued signed certificates in the county's name)."""

import hashlib

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from gonghui.core.errors import DomainError, NotPermitted
from gonghui.core.models import AuditEntry
from gonghui.core.uploads import store
from gonghui.orgs.models import Node
from gonghui.registration import pdf, selectors, signing
from gonghui.registration.models import Certificate, Registration, RegistrationOffice
from gonghui.registration.services import applications, certificates, offices
from tests.factories import make_user

from .conftest import filed, union_code
from .test_offices import _client

pytestmark = pytest.mark.django_db


def _flag(node) -> bool:
    return Node.objects.get(pk=node.pk).is_registration_office


def test_a_township_admin_cannot_designate_an_office_below_it(tree, office):
    """The finding: b_admin, admin over the enterprise's parent, made it an office. Only the registration
    authority (the county here, the top of the tree by default) designates."""
    before = AuditEntry.objects.count()
    with scopes_disabled(), pytest.raises(NotPermitted):
        offices.designate_office(node=tree.c, actor=tree.user("b_admin"))
    response = _client(tree.user("b_admin")).post(f"/registration/offices/designate/?node={tree.c.pk}")
    assert response.status_code == 403
    assert not _flag(tree.c) and AuditEntry.objects.count() == before
    with scopes_disabled():
        assert not RegistrationOffice.objects.filter(node=tree.c).exists()
    # the page offers b_admin nothing to designate
    assert "designate" not in _client(tree.user("b_admin")).get("/registration/offices/").content.decode()


def test_the_county_admin_designates_and_the_issuer_is_the_unions_own_name(tree, office, unscoped):
    admin = tree.user("a_admin")
    registered = offices.designate_office(node=tree.b, actor=admin)
    assert registered.issuer_name == "城关镇总工会"
    client = _client(admin)
    client.post(f"/registration/offices/designate/?node={tree.d.pk}", {"issuer_name": "青山县总工会"})
    assert _flag(tree.d)
    assert RegistrationOffice.objects.get(node=tree.d).issuer_name == "河口镇总工会"  # the typed name is ignored
    offices.withdraw_office(node=Node.objects.get(pk=tree.b.pk), actor=admin)
    response = Client().post("/api/v1/registration/offices", {"node_id": tree.b.pk, "issuer_name": "青山县总工会"},
                             content_type="application/json", headers=_api_headers(admin))
    assert response.status_code == 422 and not _flag(tree.b)  # a name is not an input any more
    response = Client().post("/api/v1/registration/offices", {"node_id": tree.b.pk},
                             content_type="application/json", headers=_api_headers(admin))
    assert response.status_code == 201 and response.json()["issuer_name"] == "城关镇总工会"


def _api_headers(user):
    from .test_api import _headers

    return _headers(user)


def test_only_a_configured_authority_of_county_level_or_above_designates(tree, unscoped, settings):
    """GONGHUI_REGISTRATION_AUTHORITIES names the authorities by node code; a township named there is
    not one (the law gives registration to federations at county level or above)."""
    def may_designate(user, node):
        return selectors.may_designate(user, node, known=offices.find_authorities())

    settings.GONGHUI_REGISTRATION_AUTHORITIES = [tree.b.code]
    assert not may_designate(tree.user("b_admin"), tree.c)
    assert not may_designate(tree.user("a_admin"), tree.c)  # no authority over C at all
    settings.GONGHUI_REGISTRATION_AUTHORITIES = [tree.b.code, tree.a.code]
    assert may_designate(tree.user("a_admin"), tree.c) and may_designate(tree.user("a_admin"), tree.d)
    assert not may_designate(tree.user("b_admin"), tree.c)
    assert not may_designate(tree.user("b_clerk"), tree.c)


def test_an_office_without_its_own_key_cannot_issue_even_when_the_county_has_one(tree, office, reviewer,
                                                                                 unscoped, office_key):
    admin = tree.user("a_admin")
    offices.designate_office(node=tree.b, actor=admin)
    b_reviewer = make_user("b_reviewer", node=tree.b, roles=["reviewer"])
    assert (office_key / f"{tree.a.code}.key.pem").exists()
    application = applications.approve_application(application=filed(tree), actor=b_reviewer,
                                                   credit_code=union_code())
    registration = application.registration
    assert registration.office.node_id == tree.b.pk
    assert not registration.certificates.exists()  # approval stands, the certificate waits
    with pytest.raises(DomainError) as refused:
        certificates.issue_certificate(registration=registration, actor=b_reviewer)
    assert refused.value.code == "no_signing_key" and tree.b.code in refused.value.message
    assert not registration.certificates.exists()
    assert not selectors.can_issue(registration.office)
    # with its own key it issues, signed by that key, in its own name
    signing.create_dev_keys(name=tree.b.code, common_name="城关镇总工会（测试）")
    certificate = certificates.issue_certificate(registration=registration, actor=b_reviewer)
    check = signing.check_pdf(certificates.read_pdf(certificate=certificate))
    assert check.ok and "城关镇总工会" in check.signer


def test_a_certificate_signed_with_another_offices_key_does_not_verify(tree, office, unscoped):
    """What the old fallback produced: office B's certificate signed with the county's key. The file is
    intact and signed by a trusted key, but not by its office's: verification refuses it."""
    admin = tree.user("a_admin")
    offices.designate_office(node=tree.b, actor=admin)
    b_reviewer = make_user("b_reviewer", node=tree.b, roles=["reviewer"])
    application = applications.approve_application(application=filed(tree), actor=b_reviewer,
                                                   credit_code=union_code())
    registration = Registration.objects.select_related("office__node").get(pk=application.registration.pk)
    unsigned = pdf.render(registration=registration, serial="2026001", issued_on=registration.valid_from,
                          issuer="城关镇总工会", verify_url="https://gh.example.cn/v/x/")
    forged = signing.sign_pdf(unsigned, office_code=tree.a.code, signer_name="城关镇总工会", reason="test",
                              location="青山县")
    Certificate.objects.create(registration=registration, serial="2026001", version=registration.version,
                               reason="establish", issued_at=registration.updated_at, valid_until=registration.valid_until,
                               stored_name=store(forged, folder="registration/certificates", extension="pdf"),
                               sha256=hashlib.sha256(forged).hexdigest())
    assert signing.check_pdf(forged).ok  # a trusted platform key …
    from django.core.files.uploadedfile import SimpleUploadedFile

    result, found = certificates.check_uploaded_pdf(upload=SimpleUploadedFile("c.pdf", forged, "application/pdf"))
    assert found is not None and found.serial == "2026001"
    assert not result.ok and "城关镇总工会" in result.problem  # … but not the office's own
