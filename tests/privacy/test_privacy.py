"""Personal-information rights: the notice and its versions, the worker's own data, correction,
withdrawal, phone change, deletion with its refusals and retention exceptions, the expiry job."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from gonghui.accounts.models import PhoneCode, Worker
from gonghui.accounts.sms import MemorySmsBackend
from gonghui.aid.models import Application
from gonghui.aid.models import Status as AidStatus
from gonghui.core.models import AuditEntry
from gonghui.core.workdays import add_workdays
from gonghui.members.models import Member
from gonghui.privacy import services
from gonghui.privacy.models import Consent, PrivacyRequest
from gonghui.rights.models import Case
from tests.console.kit import cadre

from .conftest import PHONE, make_aid, make_claim, make_member, make_worker, phone_client

pytestmark = pytest.mark.django_db


def _audit(action):
    return list(AuditEntry.objects.filter(action=action))


# --- the notice ----------------------------------------------------------------------------------------

def test_first_sign_in_shows_the_notice_and_consent_is_recorded_with_version_and_time(tree, gate):
    worker = make_worker()
    client = phone_client(worker)
    response = client.get("/w/me/")
    assert response.status_code == 302 and response["Location"].startswith("/w/privacy/notice/?next=")
    page = client.get(response["Location"])
    assert page.status_code == 200 and "2026-12" in page.content.decode()
    assert client.post("/w/privacy/notice/", {"next": "/w/me/"})["Location"] == "/w/me/"
    consent = Consent.objects.get(worker=worker)
    assert consent.version == "2026-12" and consent.accepted_at and consent.withdrawn_at is None
    assert client.get("/w/me/").status_code == 200
    (entry,) = _audit("privacy.consent.given")
    assert PHONE not in str(entry.data) and entry.data["version"] == "2026-12"


def test_a_version_bump_asks_everyone_again_and_keeps_the_earlier_consent(tree, gate):
    worker = make_worker()
    services.accept_notice(actor=worker)
    client = phone_client(worker)
    assert client.get("/w/me/").status_code == 200
    gate.GONGHUI_PRIVACY_NOTICE_VERSION = "2027-03"
    response = client.get("/w/me/")
    assert response.status_code == 302 and "/w/privacy/notice/" in response["Location"]
    assert "The notice has changed" in client.get("/w/privacy/notice/").content.decode() or \
        "已更新" in client.get("/w/privacy/notice/").content.decode()
    client.post("/w/privacy/notice/")
    assert sorted(Consent.objects.filter(worker=worker).values_list("version", flat=True)) == ["2026-12", "2027-03"]
    assert client.get("/w/me/").status_code == 200


def test_privacy_pages_stay_open_without_consent_and_withdrawal_is_kept(tree, gate):
    worker = make_worker()
    services.accept_notice(actor=worker)
    client = phone_client(worker)
    assert client.post("/w/privacy/withdraw/").status_code == 302
    consent = Consent.objects.get(worker=worker)
    assert consent.withdrawn_at is not None
    assert client.get("/w/privacy/").status_code == 200
    assert client.get("/w/me/").status_code == 302  # the services wait for consent again
    response = client.post("/w/privacy/withdraw/", follow=True)
    assert Consent.objects.count() == 1 and response.status_code == 200


# --- my data -------------------------------------------------------------------------------------------

def test_the_worker_downloads_everything_held_about_them_and_the_export_is_audited(tree):
    worker = make_worker()
    member = make_member(tree)
    case = make_claim(tree, worker)
    make_aid(tree, worker, status=AidStatus.PAID)
    other = make_worker("13800001111")
    make_claim(tree, other)
    response = phone_client(worker).post("/w/privacy/download/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    book = load_workbook(io.BytesIO(response.content))
    text = " ".join(str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value)
    assert member.card_number in text and case.tracking_code in text and "王建国" in text and PHONE in text
    assert "13800001111" not in text and len(book.worksheets) >= 10
    assert "手机号码" in text or "mobile" in text
    (entry,) = _audit("privacy.data.exported")
    assert PHONE not in str(entry.data) and "王建国" not in str(entry.data) and entry.data["rows"] > 0
    assert phone_client(worker).get("/w/privacy/download/").status_code == 405


# --- correction ----------------------------------------------------------------------------------------

def test_a_correction_goes_to_a_cadre_of_the_union_with_the_15_working_day_deadline(people):
    worker = make_worker()
    make_member(people)
    client = phone_client(worker)
    assert client.post("/w/privacy/correct/", {"details": "出生日期应为1988年5月21日"}).status_code == 302
    request = PrivacyRequest.objects.with_scopes_disabled().get()
    assert request.node == people.c and request.due_on == add_workdays(timezone.localdate(), 15)
    listing = cadre(people, "b_reviewer").get("/privacy/requests/").content.decode()
    assert f"/privacy/requests/{request.pk}/" in listing and request.due_on.isoformat() in listing
    assert f"/privacy/requests/{request.pk}/" not in cadre(people, "d_admin").get("/privacy/requests/").content.decode()
    assert cadre(people, "d_admin").get(f"/privacy/requests/{request.pk}/").status_code == 404
    detail = cadre(people, "b_reviewer").get(f"/privacy/requests/{request.pk}/").content.decode()
    assert "1988年5月21日" in detail
    viewed = _audit("privacy.request.viewed")
    assert viewed and "1988" not in str(viewed[0].data)
    cadre(people, "b_reviewer").post(f"/privacy/requests/{request.pk}/decide/", {"decision": "approve",
                                                                                 "note": "已更正"})
    request.refresh_from_db()
    assert request.status == "done" and request.decided_by == people.user("b_reviewer")


def test_a_viewer_neither_sees_nor_decides_and_a_refusal_needs_a_reason(people):
    worker = make_worker()
    make_member(people)
    request = services.request_correction(actor=worker, details="姓名写错了")
    assert cadre(people, "b_viewer").get(f"/privacy/requests/{request.pk}/").status_code == 404
    assert cadre(people, "b_viewer").get("/privacy/requests/").status_code == 403
    assert cadre(people, "b_viewer").post(f"/privacy/requests/{request.pk}/decide/",
                                          {"decision": "approve"}).status_code == 404
    request.refresh_from_db()
    assert request.status == "pending"
    cadre(people, "b_admin").post(f"/privacy/requests/{request.pk}/decide/", {"decision": "reject", "note": ""})
    request.refresh_from_db()
    assert request.status == "pending"


def test_an_overlong_correction_is_refused_with_the_limit_named(tree):
    worker = make_worker()
    response = phone_client(worker).post("/w/privacy/correct/", {"details": "错" * 1001})
    assert response.status_code == 200 and "1000" in response.content.decode()
    assert not PrivacyRequest.objects.with_scopes_disabled().exists()


# --- phone change --------------------------------------------------------------------------------------

def _codes():
    return {phone: code for phone, code in MemorySmsBackend.outbox}


def test_a_phone_change_needs_a_code_from_both_numbers_and_moves_the_roster_row(tree):
    MemorySmsBackend.outbox.clear()
    worker = make_worker()
    member = make_member(tree)
    case = make_claim(tree, worker)
    client = phone_client(worker)
    with TestCase.captureOnCommitCallbacks(execute=True):  # codes go out through the outbox after commit
        client.post("/w/privacy/phone/", {"new_phone": "13700002222"})
    codes = _codes()
    assert set(codes) == {PHONE, "13700002222"}
    wrong = client.post("/w/privacy/phone/", {"step": "codes", "old_code": codes[PHONE], "new_code": "000000"})
    assert wrong.status_code == 200
    worker.refresh_from_db()
    assert worker.phone == PHONE
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post("/w/privacy/phone/", {"new_phone": "13700002222"})
    codes = _codes()
    response = client.post("/w/privacy/phone/", {"step": "codes", "old_code": codes[PHONE],
                                                  "new_code": codes["13700002222"]})
    assert response.status_code == 302
    worker.refresh_from_db()
    with scopes_disabled():
        member.refresh_from_db()
        case.refresh_from_db()
    assert worker.phone == member.phone == case.claimant_phone == "13700002222"
    assert worker.phone_hash == member.phone_hash
    (entry,) = _audit("privacy.phone.changed")
    assert "13700002222" not in str(entry.data) and PHONE not in str(entry.data)


def test_a_phone_change_to_another_workers_number_is_refused_and_nothing_is_sent(tree):
    MemorySmsBackend.outbox.clear()
    worker = make_worker()
    make_worker("13700002222")
    response = phone_client(worker).post("/w/privacy/phone/", {"new_phone": "137 0000 2222"})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert MemorySmsBackend.outbox == [] and not PhoneCode.objects.exists()
    worker.refresh_from_db()
    assert worker.phone == PHONE


# --- deletion ------------------------------------------------------------------------------------------

def test_deletion_is_refused_while_a_claim_is_open_naming_it(tree):
    worker = make_worker()
    case = make_claim(tree, worker)
    client = phone_client(worker)
    page = client.get("/w/privacy/delete/").content.decode()
    assert case.tracking_code in page
    response = client.post("/w/privacy/delete/")
    assert response.status_code == 200 and case.tracking_code in response.content.decode()
    assert not PrivacyRequest.objects.with_scopes_disabled().exists()


def test_deletion_is_refused_while_approved_aid_is_unpaid_naming_it(tree):
    worker = make_worker()
    app = make_aid(tree, worker, status=AidStatus.APPROVED)
    with pytest.raises(services.DomainError) as refused:
        services.request_deletion(actor=worker)
    assert refused.value.code == "unpaid_aid" and app.programme.name in refused.value.message
    assert not PrivacyRequest.objects.with_scopes_disabled().exists()


def test_an_approved_deletion_anonymises_and_keeps_paid_aid_until_its_retention_ends(people):
    worker = make_worker()
    case = make_claim(people, worker, close=True)
    paid = make_aid(people, worker, status=AidStatus.PAID)
    refused = make_aid(people, worker, status=AidStatus.REJECTED)
    client = phone_client(worker)
    page = client.get("/w/privacy/delete/").content.decode()
    keep_until = datetime.date(timezone.localtime(paid.submitted_at).year + 30, 12, 31).isoformat()
    assert keep_until in page
    assert client.post("/w/privacy/delete/").status_code == 302
    request = PrivacyRequest.objects.with_scopes_disabled().get()
    assert request.kind == "deletion" and request.node == people.b  # the union of the latest claim
    assert keep_until in cadre(people, "b_reviewer").get(f"/privacy/requests/{request.pk}/").content.decode()
    cadre(people, "b_reviewer").post(f"/privacy/requests/{request.pk}/decide/", {"decision": "approve"})
    request.refresh_from_db()
    assert request.status == "done" and request.result["claims"] == 1 and request.result["aid_kept"] == 1
    with scopes_disabled():
        case.refresh_from_db()
        paid.refresh_from_db()
        refused.refresh_from_db()
    worker.refresh_from_db()
    assert case.claimant_name == services.ANON and case.claimant_phone == "" and case.worker is None
    assert refused.name == services.ANON and refused.id_number == services.ANON
    assert paid.name == "王建国" and paid.id_number != services.ANON  # kept as finance law requires
    assert worker.phone == "" and worker.phone_hash.startswith("anon-")
    entries = _audit("privacy.request.decided")
    assert entries and "王建国" not in str(entries[0].data) and PHONE not in str(entries[0].data)
    # the anonymised account is signed out
    response = client.get("/w/privacy/")
    assert response.status_code == 302
    # and the same number signs in as a new person
    assert not Worker.objects.filter(phone_hash=worker.phone_hash).exclude(pk=worker.pk).exists()


# --- the retention schedule and the daily job ----------------------------------------------------------

def test_privacy_expire_anonymises_what_has_expired_and_reports(tree, settings):
    settings.GONGHUI_PRIVACY_RETENTION = ["aid_paid=2"]
    worker = make_worker()
    old_case = make_claim(tree, worker, close=True)
    new_case = make_claim(tree, make_worker("13800001111"), close=True)
    old_paid = make_aid(tree, worker, status=AidStatus.PAID)
    with scopes_disabled():
        Case.objects.filter(pk=old_case.pk).update(stage_since=datetime.date(2019, 5, 1))
        Application.objects.filter(pk=old_paid.pk).update(decided_at=timezone.make_aware(
            datetime.datetime(2020, 6, 1, 10, 0)))
    out = io.StringIO()
    call_command("privacy_expire", stdout=out)
    report = out.getvalue()
    assert "claim_closed" in report and "aid_paid" in report and "2 record(s) anonymised." in report
    with scopes_disabled():
        old_case.refresh_from_db()
        new_case.refresh_from_db()
        old_paid.refresh_from_db()
    assert old_case.claimant_name == services.ANON and new_case.claimant_name == "王建国"
    assert old_paid.name == services.ANON
    (entry,) = _audit("privacy.expired")
    assert entry.data["claim_closed"] == 1 and entry.data["aid_paid"] == 1
    out = io.StringIO()
    call_command("privacy_expire", stdout=out)
    assert "0 record(s) anonymised." in out.getvalue()


def test_a_bad_retention_setting_is_named(tree, settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.GONGHUI_PRIVACY_RETENTION = ["claims=3"]
    with pytest.raises(ImproperlyConfigured, match="claims=3"):
        services.expire_personal_data()


def test_memberships_stay_while_active(tree):
    worker = make_worker()
    member = make_member(tree)
    page = phone_client(worker).get("/w/privacy/delete/").content.decode()
    assert tree.c.name in page
    services.anonymise_worker(worker=worker)
    with scopes_disabled():
        assert Member.objects.get(pk=member.pk).name == "王建国"
