"""Claims: filed from the phone or by a clerk, amounts, attachments, tracking codes, the claimant's actions."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scopes_disabled

from gonghui.core.audit import verify_chain
from gonghui.core.errors import DomainError, NotPermitted
from gonghui.core.models import AuditEntry
from gonghui.core.notify import MemoryNotifier
from gonghui.rights import selectors
from gonghui.rights.models import TRACKING_ALPHABET, Attachment, Case, CaseEvent, Stage
from gonghui.rights.services import claims

from .conftest import PDF, PNG, claim_fields, hotline_case, make_worker, snapshot

pytestmark = pytest.mark.django_db


def _file(worker, files=(), **over):
    with scopes_disabled():
        return claims.file_claim(channel="phone", worker=worker, files=files, **claim_fields(**over))


def test_worker_files_a_wage_claim_without_an_id_number(people, worker, django_capture_on_commit_callbacks):
    MemoryNotifier.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        case = _file(worker, claimant_phone="")
    with scopes_disabled():
        case = Case.objects.get(pk=case.pk)
        assert case.stage == Stage.SUBMITTED and case.channel == "phone"
        assert case.claimant_phone == worker.phone and case.worker == worker
        assert case.amount_claimed == Decimal("18600.00")
        assert case.employer == people.employer_c and case.node == people.b  # matched to the ledger
        assert case.events.get().to_stage == Stage.SUBMITTED
        assert AuditEntry.objects.filter(action="rights.claim.filed", object_id=str(case.pk)).exists()
    assert len(case.tracking_code) == 12 and set(case.tracking_code) <= set(TRACKING_ALPHABET)
    assert MemoryNotifier.outbox[-1][0] == worker.phone and selectors.format_code(case.tracking_code) in \
        MemoryNotifier.outbox[-1][1]
    assert verify_chain().ok


def test_tracking_codes_are_random_not_sequential(people, worker):
    codes = [_file(make_worker(f"1390000{i:04d}")).tracking_code for i in range(4)]
    assert len(set(codes)) == 4
    assert all(a[:8] != b[:8] for a, b in zip(codes, codes[1:], strict=False))


def test_claim_for_an_unknown_employer_goes_to_the_county(people, worker):
    case = _file(worker, employer_name="某某不在台账的劳务公司")
    assert case.employer is None and case.node == people.a


def test_stored_claimant_data_is_encrypted(people, worker):
    from django.db import connection

    case = _file(worker)
    with connection.cursor() as cursor:
        cursor.execute("SELECT claimant_name, claimant_phone, facts FROM rights_case WHERE id = %s", [case.pk])
        row = cursor.fetchone()
    assert "刘大海" not in row[0] and worker.phone not in row[1] and "工资" not in row[2]


@pytest.mark.parametrize("amount, ok", [
    ("3,800元", Decimal("3800.00")), ("１２００.５", Decimal("1200.50")), (4200, Decimal("4200.00")),
    (1500.25, False), ("1500.25", Decimal("1500.25")), ("", None),
    ("-1", False), ("abc", False), ("NaN", False), ("Infinity", False), ("-inf", False), ("1.234", False),
    ("1e400", False), (float("nan"), False), (True, False), ("100000000", False),
])
def test_amounts(amount, ok):
    if ok is False:
        with pytest.raises(ValidationError):
            claims.clean_amount(value=amount)
    else:
        assert claims.clean_amount(value=amount) == ok


@pytest.mark.parametrize("amount", ["-500", "十万", "NaN", "Infinity", "99.999"])
def test_a_bad_amount_files_nothing(people, worker, amount):
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        _file(worker, amount_claimed=amount)
    assert "amount_claimed" in exc.value.message_dict
    assert snapshot() == before


def test_every_wrong_field_is_named_at_once(people, worker):
    with pytest.raises(ValidationError) as exc:
        _file(worker, category="bribery", claimant_name="<script>", facts="短", amount_claimed="-3",
              workers_involved="0")
    assert set(exc.value.message_dict) >= {"category", "claimant_name", "facts", "amount_claimed",
                                           "workers_involved"}


def test_attachments_are_checked_by_their_bytes_and_stored_under_random_names(people, worker):
    photo = SimpleUploadedFile("../../etc/工资条.png", PNG, content_type="image/png")
    pdf = SimpleUploadedFile("欠条.pdf", PDF, content_type="application/pdf")
    case = _file(worker, files=[photo, pdf])
    with scopes_disabled():
        stored = list(Attachment.objects.filter(case=case).order_by("id"))
    assert [a.title for a in stored] == ["工资条.png", "欠条.pdf"]
    assert all(a.stored_name.startswith(f"rights/{case.pk}/") and ".." not in a.stored_name for a in stored)
    assert [a.extension for a in stored] == ["png", "pdf"]


@pytest.mark.parametrize("upload, code", [
    (SimpleUploadedFile("photo.jpg", b"<html><script>alert(1)</script></html>", content_type="image/jpeg"),
     "file_type"),
    (SimpleUploadedFile("x.pdf", b"MZ\x90\x00 an exe pretending", content_type="application/pdf"), "file_type"),
    (SimpleUploadedFile("empty.png", b"", content_type="image/png"), "empty_file"),
])
def test_a_lying_attachment_files_nothing(people, worker, upload, code):
    before = snapshot()
    with pytest.raises(DomainError) as exc:
        _file(worker, files=[upload])
    assert exc.value.code == code
    assert snapshot() == before


def test_an_oversized_attachment_files_nothing(people, worker, settings):
    settings.GONGHUI_UPLOAD_MAX_BYTES = 1024
    before = snapshot()
    with pytest.raises(DomainError) as exc:
        _file(worker, files=[SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * 5000 + b"\n%%EOF\n")])
    assert exc.value.code == "file_too_large"
    assert snapshot() == before


def test_a_clerk_enters_a_hotline_claim_for_their_union_only(people):
    with scopes_disabled():
        case = claims.file_claim(channel="hotline", node=people.c, actor=people.user("b_clerk"), **claim_fields())
        assert case.node == people.c and case.worker is None
        before = snapshot()
        with pytest.raises(NotPermitted):
            claims.file_claim(channel="walk_in", node=people.d, actor=people.user("b_clerk"), **claim_fields())
        with pytest.raises(NotPermitted):
            claims.file_claim(channel="hotline", node=people.c, actor=people.user("b_viewer"), **claim_fields())
        assert snapshot() == before


def test_a_hotline_claim_shows_on_the_phone_of_the_same_number(people):
    from gonghui.rights import selectors

    case = hotline_case(people, claimant_phone="13755556666")
    assert [c.pk for c in selectors.cases_of_worker(make_worker("13755556666"))] == [case.pk]
    assert selectors.cases_of_worker(make_worker("13755557777")) == []


def test_tracking_by_code_and_enumeration_is_rate_limited(people, worker):
    case = _file(worker)
    spaced = selectors.format_code(case.tracking_code).lower()
    assert claims.find_by_code(code=spaced, ip="10.0.0.1") == case
    for _ in range(claims.TRACK_FAILURES_PER_HOUR):
        with pytest.raises(DomainError) as exc:
            claims.find_by_code(code="ABCD EFGH JKMN", ip="10.0.0.1")
        assert exc.value.code == "not_found"
    with pytest.raises(DomainError) as exc:
        claims.find_by_code(code=case.tracking_code, ip="10.0.0.1")  # even the right code, for a while
    assert exc.value.code == "rate_limited"
    assert claims.find_by_code(code=case.tracking_code, ip="10.0.0.2") == case


def test_claimant_adds_information_and_withdraws(people, worker):
    case = _file(worker)
    other = make_worker("13600001111")
    with scopes_disabled():
        claims.add_information(case=case, worker=worker, text="补充：考勤记录在车间主任处。",
                               files=[SimpleUploadedFile("考勤.png", PNG)])
        with pytest.raises(DomainError):
            claims.add_information(case=case, worker=other, text="我也来补充一下内容")
        with pytest.raises(DomainError):
            claims.withdraw_claim(case=case, worker=other)
        assert Case.objects.get(pk=case.pk).stage == Stage.SUBMITTED
        claims.withdraw_claim(case=case, worker=worker, reason="老板已经发了")
        case.refresh_from_db()
        assert case.stage == Stage.WITHDRAWN
        assert list(case.events.values_list("kind", flat=True)) == [CaseEvent.Kind.STEP, CaseEvent.Kind.INFORMATION,
                                                                     CaseEvent.Kind.STEP]
        with pytest.raises(DomainError):
            claims.add_information(case=case, worker=worker, text="撤回以后再补充的内容")


def test_a_worker_cannot_file_endlessly(people, worker):
    for _ in range(claims.CLAIMS_PER_WORKER_PER_DAY):
        _file(worker)
    with pytest.raises(DomainError) as exc:
        _file(worker)
    assert exc.value.code == "claims_rate_limited"


def test_deadline_skips_national_day_and_counts_the_make_up_saturday(people, worker, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a: datetime.date(2026, 9, 30))
    case = _file(worker)
    # 5 working days from Wed 30 Sep 2026: Oct 1-7 are the holiday, Sat 10 Oct is a make-up workday.
    assert case.due_on == datetime.date(2026, 10, 13)
