"""The three certificates (结业证书, 工会法人资格证书, 荣誉证书) are drawn in one shared frame
(``core.pdf``): the same border, title type, QR block, seal ring and font; a missing font is the
same error for all three."""

import datetime
from decimal import Decimal
from types import SimpleNamespace as NS

import pytest

from gonghui.activities import completion
from gonghui.contests import pdf as contest_pdf
from gonghui.core import pdf as certificate_pdf
from gonghui.core.errors import DomainError
from gonghui.registration import pdf as registration_pdf

pytestmark = pytest.mark.skipif(not certificate_pdf.font_available(), reason="the Chinese font is not installed")


def _completion(monkeypatch):
    monkeypatch.setattr(completion, "progress", lambda b: completion.Progress(7, 8, 6))
    monkeypatch.setattr(completion, "hours", lambda a: Decimal("16.0"))
    monkeypatch.setattr(completion, "completed_on", lambda b: datetime.date(2026, 5, 20))
    activity = NS(node=NS(name="城关镇总工会"), title="职业技能提升班", starts_at=datetime.datetime(2026, 4, 1, 9),
                  ends_at=datetime.datetime(2026, 5, 20, 17))
    booking = NS(activity=activity, activity_id=12, pk=345, name="赵小燕")
    return completion.render(booking=booking, verify_url="https://gh.example.cn/v/abc")


def _registration(monkeypatch):
    r = NS(name="城关镇美团配送站工会委员会", credit_code="81330100MC1234567X", legal_rep_name="王建国",
           address="城关镇人民路88号", funding_source="会费", fixed_funds=Decimal("12000"), working_funds=Decimal("35000.5"),
           premises_m2=Decimal("60"), founded_on=None, valid_from=datetime.date(2026, 1, 1),
           valid_until=datetime.date(2030, 12, 31))
    return registration_pdf.render(registration=r, serial="GH2026-000123", issued_on=datetime.date(2026, 1, 5),
                                   issuer="某县总工会", verify_url="https://gh.example.cn/r/xyz")


def _contest(monkeypatch):
    contest = NS(node=NS(name="某县总工会"), year=2026, name="职工职业技能大赛", trade="电工")
    entry = NS(participation=NS(employer=NS(name="某县供电公司")), name="李志强", round=NS(contest=contest, stage="county"))
    return contest_pdf.render(NS(entry=entry, serial="RY2026-0042", tier="first", rank=1, total=Decimal("96.5"),
                                 title="", awarded_at=datetime.date(2026, 10, 8)))


CERTIFICATES = {"completion": (_completion, False, True), "registration": (_registration, False, True),
                "contest": (_contest, True, False)}


@pytest.mark.parametrize("name", CERTIFICATES)
def test_each_certificate_is_drawn_in_the_shared_frame(name, monkeypatch):
    render, landscape, with_qr = CERTIFICATES[name]
    drawn = []
    for part in ("page", "heading", "qr_code", "seal"):
        original = getattr(certificate_pdf, part)
        monkeypatch.setattr(certificate_pdf, part,
                            lambda *a, _part=part, _original=original, **kw: drawn.append((_part, kw)) or _original(*a, **kw))
    data = render(monkeypatch)
    assert data.startswith(b"%PDF-") and b"/Creator (gonghui)" in data
    parts = [part for part, _kw in drawn]
    assert parts[:2] == ["page", "heading"]
    assert drawn[0][1].get("landscape", False) is landscape
    assert ("qr_code" in parts, "seal" in parts) == (with_qr, with_qr)


@pytest.mark.parametrize("name", CERTIFICATES)
def test_a_missing_font_is_the_same_error_for_every_certificate(name, monkeypatch, settings, tmp_path):
    settings.GONGHUI_CERT_FONT = str(tmp_path / "no-such-font.ttc")
    with pytest.raises(DomainError) as exc:
        CERTIFICATES[name][0](monkeypatch)
    assert exc.value.code == "no_font" and "fonts-wqy-microhei" in str(exc.value)
