"""Bad input: each is refused with a clear message and changes nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from django_scopes import scopes_disabled

from gonghui.core.errors import DomainError, NotPermitted
from gonghui.registration import selectors
from gonghui.registration.models import Application, Material, Registration
from gonghui.registration.services import applications, certificates
from gonghui.registration.workflow import ApplicationStatus
from tests.test_scope_proof import snapshot

from .conftest import FORM, filed, pdf_upload, union_code

pytestmark = pytest.mark.django_db


def _unchanged(before):
    after = snapshot()
    assert [k for k in before if before[k] != after.get(k)] == []


@pytest.mark.parametrize("code, message", [
    ("81330521MA2B3C4D5E", "校验位"),     # bad checksum
    ("91330521MA2B3C4D5R", ""),                    # valid shape, not a union code (checksum differs too)
    ("8133052", "18"),
    ("", ""),
])
def test_credit_code_with_bad_checksum_or_not_a_union_code_is_refused(tree, office, reviewer, unscoped, code,
                                                                      message):
    application = filed(tree)
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        applications.approve_application(application=application, actor=reviewer, credit_code=code)
    assert "credit_code" in exc.value.message_dict
    assert message in " ".join(exc.value.message_dict["credit_code"])
    _unchanged(before)


def test_a_non_union_credit_code_with_a_good_checksum_is_refused(tree, office, reviewer, unscoped):
    from tests.factories import credit_code

    application = filed(tree)
    with pytest.raises(ValidationError) as exc:
        applications.approve_application(application=application, actor=reviewer, credit_code=credit_code())
    assert "81" in exc.value.message_dict["credit_code"][0]


def test_missing_materials_block_submission(tree, office, unscoped):
    admin = tree.user("b_admin")
    application = applications.create_application(node=tree.c, kind="establish", actor=admin, **FORM)
    applications.upload_material(application=application, item="application_form", upload=pdf_upload(), actor=admin)
    before = snapshot()
    with pytest.raises(DomainError) as exc:
        applications.submit_application(application=application, actor=admin)
    assert exc.value.code == "missing_materials"
    assert "Proof of the address" in exc.value.message or "住所" in exc.value.message
    _unchanged(before)
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.DRAFT


@pytest.mark.parametrize("name, content", [
    ("approval.pdf", b"MZ\x90\x00 this is an exe"),            # an executable renamed .pdf
    ("scan.jpg", b"%PDF-1.4 truncated with no end"),          # a PDF cut short, named .jpg
    ("photo.png", b"\x89PNG\r\n\x1a\nnot really a png"),      # PNG magic, broken body
    ("empty.pdf", b""),
])
def test_an_upload_that_is_not_what_it_claims_is_refused(tree, office, unscoped, name, content):
    admin = tree.user("b_admin")
    application = applications.create_application(node=tree.c, kind="establish", actor=admin, **FORM)
    before = snapshot()
    with pytest.raises(DomainError) as exc:
        applications.upload_material(application=application, item="chair_identity",
                                     upload=SimpleUploadedFile(name, content), actor=admin)
    assert exc.value.code in ("file_type", "bad_file", "empty_file")
    _unchanged(before)


def test_an_oversized_upload_is_refused(tree, office, unscoped, settings):
    settings.GONGHUI_REGISTRATION_UPLOAD_MAX_BYTES = 1024 * 1024
    admin = tree.user("b_admin")
    application = applications.create_application(node=tree.c, kind="establish", actor=admin, **FORM)
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10) + b"\n%%EOF")
    with pytest.raises(DomainError) as exc:
        applications.upload_material(application=application, item="chair_identity", upload=big, actor=admin)
    assert exc.value.code == "file_too_large"
    assert not Material.objects.exists()


def test_approving_ones_own_application_is_refused(tree, office, unscoped):
    a_admin = tree.user("a_admin")  # an admin of the county office who also filed for the union
    application = filed(tree, actor=a_admin)
    before = snapshot()
    with pytest.raises(DomainError) as exc:
        applications.approve_application(application=application, actor=a_admin, credit_code=union_code())
    assert exc.value.code == "own_application"
    with pytest.raises(DomainError):
        applications.return_application(application=application, actor=a_admin, reasons={"form": "x"})
    _unchanged(before)


def test_the_applicants_side_cannot_review_and_a_sibling_cannot_file(tree, office, unscoped):
    application = filed(tree)
    with pytest.raises(NotPermitted):  # b_admin is above C but is not the office (the county is)
        applications.approve_application(application=application, actor=tree.user("b_clerk"),
                                         credit_code=union_code())
    with pytest.raises(NotPermitted):
        applications.approve_application(application=application, actor=tree.user("d_admin"),
                                         credit_code=union_code())
    with pytest.raises(NotPermitted):
        applications.create_application(node=tree.c, kind="establish", actor=tree.user("d_admin"))


def test_a_change_to_a_cancelled_union_is_refused(tree, office, reviewer, unscoped):
    applications.approve_application(application=filed(tree), actor=reviewer, credit_code=union_code())
    applications.approve_application(application=filed(tree, kind="cancel", reason="企业注销"), actor=reviewer)
    before = snapshot()
    for kind in ("change", "renew", "reissue", "cancel"):
        with pytest.raises(DomainError) as exc:
            applications.create_application(node=tree.c, kind=kind, actor=tree.user("b_admin"))
        assert exc.value.code == "registration_cancelled"
    with pytest.raises(DomainError) as exc:
        applications.create_application(node=tree.c, kind="establish", actor=tree.user("b_admin"))
    assert exc.value.code == "already_registered"
    _unchanged(before)
    assert Registration.objects.get(node=tree.c).is_cancelled


def test_a_change_pending_when_the_union_is_cancelled_cannot_be_approved(tree, office, reviewer, unscoped):
    applications.approve_application(application=filed(tree), actor=reviewer, credit_code=union_code())
    change = applications.create_application(node=tree.c, kind="change", actor=tree.user("b_admin"),
                                             address="新地址1号", changed_on=timezone.localdate())
    # the cancellation comes from elsewhere while the change is a draft: simulate the register
    Registration.objects.filter(node=tree.c).update(status="cancelled", cancelled_on=timezone.localdate())
    with pytest.raises(DomainError) as exc:
        applications.upload_material(application=change, item="application_form", upload=pdf_upload(),
                                     actor=tree.user("b_admin"))
        applications.submit_application(application=change, actor=tree.user("b_admin"))
    assert exc.value.code in ("registration_cancelled", "missing_materials")


@pytest.mark.parametrize("fields, field", [
    ({"term_years": 7}, "term_years"),
    ({"legal_rep_id_number": "330521197503120000"}, "legal_rep_id_number"),
    ({"founded_on": "2999-01-01"}, "founded_on"),
    ({"fixed_funds": "-5"}, "fixed_funds"),
    ({"working_funds": "abc"}, "working_funds"),
    ({"premises_m2": "1.234"}, "premises_m2"),
    ({"name": "<script>alert(1)</script>工会"}, "name"),
])
def test_bad_form_values_are_refused_by_field(tree, office, unscoped, fields, field):
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        applications.create_application(node=tree.c, kind="establish", actor=tree.user("b_admin"), **fields)
    assert field in exc.value.message_dict
    _unchanged(before)


def test_incomplete_or_inconsistent_form_blocks_submission(tree, office, unscoped):
    admin = tree.user("b_admin")
    application = applications.create_application(
        node=tree.c, kind="establish", actor=admin, **{**FORM, "member_count": 500, "legal_rep_name": ""})
    for item in selectors.checklist(application):
        applications.upload_material(application=application, item=item, upload=pdf_upload(), actor=admin)
    with pytest.raises(ValidationError) as exc:
        applications.submit_application(application=application, actor=admin)
    assert {"member_count", "legal_rep_name"} <= set(exc.value.message_dict)


def test_a_late_change_is_accepted_but_marked_late(tree, office, reviewer, unscoped):
    applications.approve_application(application=filed(tree), actor=reviewer, credit_code=union_code())
    change = filed(tree, kind="change", chair_name="王海峰",
                   changed_on=timezone.localdate() - datetime.timedelta(days=45))
    assert change.filed_late
    on_time = Application.objects.get(pk=change.pk)
    assert on_time.status == ApplicationStatus.SUBMITTED


def test_second_open_application_is_refused(tree, office, unscoped):
    applications.create_application(node=tree.c, kind="establish", actor=tree.user("b_admin"))
    with pytest.raises(DomainError) as exc:
        applications.create_application(node=tree.c, kind="establish", actor=tree.user("b_admin"))
    assert exc.value.code == "open_application"
    assert Application.objects.count() == 1


def test_return_needs_a_reason_for_a_real_item(tree, office, reviewer, unscoped):
    application = filed(tree)
    before = snapshot()
    with pytest.raises(DomainError):
        applications.return_application(application=application, actor=reviewer, reasons={})
    with pytest.raises(DomainError):
        applications.return_application(application=application, actor=reviewer, reasons={"no_such_item": "x"})
    _unchanged(before)


def test_a_union_without_an_office_above_cannot_file(tree, unscoped):
    with pytest.raises(DomainError) as exc:
        applications.create_application(node=tree.c, kind="establish", actor=tree.user("b_admin"))
    assert exc.value.code == "no_office"


def test_forged_and_expired_qr_tokens_are_refused(tree, office, reviewer, unscoped):
    application = applications.approve_application(application=filed(tree), actor=reviewer, credit_code=union_code())
    certificate = application.registration.certificates.get()
    good = certificates.make_token(certificate=certificate)
    forged = good[:-3] + ("AAA" if not good.endswith("AAA") else "BBB")
    client = Client()
    response = client.get(f"/registration/v/{forged}/")
    assert response.status_code == 200 and "青山精密" not in response.content.decode()
    with pytest.raises(DomainError) as exc:
        certificates.read_token(token=forged)
    assert exc.value.code == "forged_token"
    expired = certificates.make_token(certificate=certificate, expires=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(DomainError) as exc:
        certificates.read_token(token=expired)
    assert exc.value.code == "expired_token"
    page = client.get(f"/registration/v/{expired}/").content.decode()
    assert "青山精密" not in page
    # a token signed for another purpose (a member card's salt) is not a certificate token
    from django.core import signing

    other = signing.dumps({"c": certificate.pk, "x": "2099-01-01"}, salt="gonghui.members.card")
    with pytest.raises(DomainError):
        certificates.read_token(token=other)
    with scopes_disabled():
        assert certificates.read_token(token=good) == certificate


def test_a_credit_code_of_another_union_in_the_tree_is_refused(tree, office, reviewer, unscoped):
    from gonghui.orgs.models import Node

    code = union_code()
    Node.objects.filter(pk=tree.d.pk).update(credit_code=code)
    application = filed(tree)
    with pytest.raises(ValidationError) as exc:
        applications.approve_application(application=application, actor=reviewer, credit_code=code)
    assert "credit_code" in exc.value.message_dict
    assert not Registration.objects.exists()
