"""Done when: a union files an establishment with its materials, the office approves, the signed
certificate verifies, its QR leads to the verification page, and a later cancellation shows there."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone
from django_scopes import scopes_disabled

from gonghui.core.audit import verify_chain
from gonghui.registration import selectors, signing
from gonghui.registration.models import (
    ApplicationEvent,
    Registration,
    RegistrationStatus,
    RegistrationVersion,
)
from gonghui.registration.services import applications, certificates
from gonghui.registration.workflow import ApplicationStatus

from .conftest import filed, union_code

pytestmark = pytest.mark.django_db


def test_establish_approve_certificate_verifies_and_cancellation_shows(tree, office, reviewer, unscoped):
    application = filed(tree)
    assert application.status == ApplicationStatus.SUBMITTED and application.office == office
    code = union_code()
    application = applications.approve_application(application=application, actor=reviewer, credit_code=code,
                                                   base_url="https://gh.example.cn")
    registration = Registration.objects.get(node=tree.c)
    assert registration.credit_code == code and registration.status == RegistrationStatus.REGISTERED
    assert registration.legal_rep_name == "李国栋" and str(registration.fixed_funds) == "50000.00"
    tree.c.refresh_from_db()
    assert tree.c.is_legal_person and tree.c.credit_code == code  # the tree follows the register
    certificate = registration.certificates.get()
    data = certificates.read_pdf(certificate=certificate)
    assert data.startswith(b"%PDF")

    check = signing.check_pdf(data)
    assert check.ok, check.problem
    assert "青山县总工会" in check.signer

    # the QR points to the verification page (the URL is in the page's QR image; we rebuild it)
    url = certificates.verify_path(certificate=certificate)
    page = Client().get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "青山精密机械有限公司工会" in text and code in text and "valid" in text
    assert "350312" not in text  # the legal representative's ID number is never public

    # cancellation: the same QR now says cancelled
    cancel = filed(tree, kind="cancel", reason="企业破产，工会撤销")
    applications.approve_application(application=cancel, actor=reviewer)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED and registration.version == 2
    tree.c.refresh_from_db()
    assert not tree.c.is_legal_person
    page = Client().get(url)
    assert page.status_code == 200 and "cancelled" in page.content.decode()
    assert selectors.certificate_status(certificate) == selectors.CANCELLED
    assert verify_chain().ok


def test_a_one_byte_change_fails_verification(tree, office, reviewer, unscoped):
    application = applications.approve_application(application=filed(tree), actor=reviewer, credit_code=union_code())
    data = certificates.read_pdf(certificate=application.registration.certificates.get())
    # a byte of the signed content (the union's name is in the first part of the file)
    position = data.index(b"/Title")
    tampered = data[:position + 8] + bytes([data[position + 8] ^ 0x01]) + data[position + 9:]
    check = signing.check_pdf(tampered)
    assert not check.ok and not check.intact
    # a byte of the signature value itself
    sig = re.search(rb"/Contents <([0-9a-fA-F]+)>", data)
    middle = sig.start(1) + 400
    flipped = data[:middle] + (b"0" if data[middle:middle + 1] != b"0" else b"1") + data[middle + 1:]
    assert not signing.check_pdf(flipped).ok
    # appended bytes after the signature
    assert not signing.check_pdf(data + b"\n% added\n").ok


def test_returned_application_is_corrected_and_resubmitted_with_history(tree, office, reviewer, unscoped):
    application = filed(tree)
    applications.return_application(application=application, actor=reviewer,
                                    reasons={"address_proof": "租赁合同已过期", "form": "批准文号有误"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.RETURNED
    assert application.return_reasons == {"address_proof": "租赁合同已过期", "form": "批准文号有误"}
    from .conftest import pdf_upload

    admin = tree.user("b_admin")
    applications.update_application(application=application, actor=admin, approval_doc_no="城工发〔2015〕21号")
    applications.upload_material(application=application, item="address_proof", upload=pdf_upload("new.pdf"),
                                 actor=admin)
    applications.submit_application(application=application, actor=admin)
    application.refresh_from_db()
    assert application.submissions == 2 and application.return_reasons == {}
    assert application.materials.filter(item="address_proof").count() == 2  # the old upload is kept
    actions = list(application.events.values_list("action", flat=True))
    assert actions.count(ApplicationEvent.Action.SUBMITTED) == 2 and ApplicationEvent.Action.RETURNED in actions
    applications.approve_application(application=application, actor=reviewer, credit_code=union_code())
    assert Registration.objects.get(node=tree.c).approval_doc_no == "城工发〔2015〕21号"


def test_change_updates_register_keeps_history_and_supersedes_certificate(tree, office, reviewer, unscoped):

    first = applications.approve_application(application=filed(tree), actor=reviewer, credit_code=union_code())
    old_certificate = first.registration.certificates.get()
    change = filed(tree, kind="change", address="青山县城关镇工业路99号", changed_on=timezone.localdate())
    assert "address_proof" in selectors.checklist(change)
    applications.approve_application(application=change, actor=reviewer)
    registration = Registration.objects.get(node=tree.c)
    assert registration.address == "青山县城关镇工业路99号" and registration.version == 2
    history = RegistrationVersion.objects.filter(registration=registration).order_by("version")
    assert history[1].changes["address"] == ["青山县城关镇工业路18号", "青山县城关镇工业路99号"]
    assert selectors.certificate_status(old_certificate) == selectors.SUPERSEDED
    new = registration.certificates.order_by("-id").first()
    assert selectors.certificate_status(new) == selectors.VALID


def test_reissue_supersedes_the_lost_certificate(tree, office, reviewer, unscoped):
    first = applications.approve_application(application=filed(tree), actor=reviewer, credit_code=union_code())
    lost = first.registration.certificates.get()
    reissue = filed(tree, kind="reissue", loss_notice="2026年11月10日《青山日报》第4版遗失声明")
    applications.approve_application(application=reissue, actor=reviewer)
    assert selectors.certificate_status(lost) == selectors.SUPERSEDED
    assert Registration.objects.get(node=tree.c).certificates.count() == 2


def test_renewal_follows_the_new_committee_term(tree, office, reviewer, unscoped):
    import datetime

    first = applications.approve_application(application=filed(tree), actor=reviewer, credit_code=union_code())
    elected = timezone.localdate() - datetime.timedelta(days=3)
    renew = filed(tree, kind="renew", elected_on=elected.isoformat(), term_years=3)
    applications.approve_application(application=renew, actor=reviewer)
    registration = Registration.objects.get(pk=first.registration.pk)
    assert registration.valid_until == elected.replace(year=elected.year + 3) - datetime.timedelta(days=1)
    assert registration.valid_from == timezone.localdate()


def test_without_a_signing_key_approval_stands_and_the_certificate_waits(tree, office, reviewer, unscoped, settings,
                                                                          tmp_path):
    settings.GONGHUI_REGISTRATION_KEY_DIR = tmp_path / "none"
    application = applications.approve_application(application=filed(tree), actor=reviewer, credit_code=union_code())
    assert application.status == ApplicationStatus.APPROVED
    assert not application.registration.certificates.exists()
    from gonghui.core.errors import DomainError

    with pytest.raises(DomainError) as exc:
        certificates.issue_certificate(registration=application.registration, actor=reviewer)
    assert exc.value.code == "no_signing_key" and "registration-keys" in exc.value.message


def test_missing_font_is_a_clear_refusal(tree, office, reviewer, unscoped, settings):
    settings.GONGHUI_CERT_FONT = "/nonexistent/font.ttc"
    application = applications.approve_application(application=filed(tree), actor=reviewer, credit_code=union_code())
    from gonghui.core.errors import DomainError

    with pytest.raises(DomainError) as exc:
        certificates.issue_certificate(registration=application.registration, actor=reviewer)
    assert exc.value.code == "no_font" and "fonts-wqy-microhei" in exc.value.message
    with scopes_disabled():
        assert not application.registration.certificates.exists()


def test_a_paper_registration_is_imported_with_the_same_rules(tree, office, reviewer, unscoped):
    from django.core.exceptions import ValidationError

    from gonghui.registration.services import register

    from .conftest import FORM

    with pytest.raises(ValidationError):
        register.import_record(node=tree.c, credit_code="81330521MA2B3C4D5E", registered_on=datetime.date(2024, 1, 5),
                               actor=reviewer, **FORM)
    with pytest.raises(Exception):  # noqa: B017 - a viewer of D is not the office
        register.import_record(node=tree.c, credit_code=union_code(), registered_on=datetime.date(2024, 1, 5),
                               actor=tree.user("d_admin"), **FORM)
    assert not Registration.objects.exists()
    registration = register.import_record(node=tree.c, credit_code=union_code(),
                                          registered_on=datetime.date(2024, 1, 5), actor=reviewer, **FORM)
    assert registration.version == 1 and registration.versions.get().changes == {"imported": [None, "2024-01-05"]}
    tree.c.refresh_from_db()
    assert tree.c.is_legal_person and tree.c.credit_code == registration.credit_code


def _page_status(url) -> str:
    page = Client().get(url)
    assert page.status_code == 200
    return re.search(r'data-status="(\w+)"', page.content.decode()).group(1)


def _upload_status(data: bytes) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return Client().post("/api/v1/registration/verify", {"file": SimpleUploadedFile("c.pdf", data)}).json()


def test_a_change_and_then_a_cancellation_invalidate_the_old_certificate_on_every_check(tree, office, reviewer,
                                                                                      unscoped):
    """The old certificate's QR page and the upload check say superseded after a change, and both
    certificates say cancelled once the union is cancelled; the signatures themselves stay intact."""
    first = applications.approve_application(application=filed(tree), actor=reviewer, credit_code=union_code())
    old = first.registration.certificates.get()
    old_pdf, old_url = certificates.read_pdf(certificate=old), certificates.verify_path(certificate=old)
    assert _page_status(old_url) == "valid" and _upload_status(old_pdf)["status"] == "valid"

    change = filed(tree, kind="change", address="青山县城关镇工业路99号", changed_on=timezone.localdate())
    applications.approve_application(application=change, actor=reviewer)
    new = first.registration.certificates.order_by("-id").first()
    assert new.pk != old.pk
    assert _page_status(old_url) == "superseded"
    check = _upload_status(old_pdf)
    assert check["ok"] and check["status"] == "superseded" and check["certificate"] == old.serial
    assert _page_status(certificates.verify_path(certificate=new)) == "valid"

    cancel = filed(tree, kind="cancel", reason="企业破产，工会撤销")
    applications.approve_application(application=cancel, actor=reviewer)
    for certificate in (old, new):
        assert _page_status(certificates.verify_path(certificate=certificate)) == "cancelled"
        check = _upload_status(certificates.read_pdf(certificate=certificate))
        assert check["ok"] and check["status"] == "cancelled"
