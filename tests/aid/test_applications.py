"""Applications, two-level review, budget, ledger and publicity: the rules of issue 7 as specifications."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from gonghui.aid.models import Application, Budget, Disbursement, Status
from gonghui.aid.services import applications as apps
from gonghui.aid.services import ledger, programmes
from gonghui.core.errors import DomainError, NotPermitted

from .conftest import make_member, make_programme, snapshot

pytestmark = pytest.mark.usefixtures("unscoped")


def file(tree, programme, member, amount="800", actor="b_clerk"):
    return apps.create_application(programme=programme, member=member, actor=tree.user(actor),
                                   reason="家中老人重病", amount=amount)


@pytest.mark.parametrize("amount", ["-100", "0", "0.00", "NaN", "nan", "1e309", "Infinity", "12.345", "abc", "",
                                    "99999999999"])
def test_bad_amounts_are_refused_and_nothing_changes(people, amount):
    programme = make_programme(people)
    member = make_member(people)
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        file(people, programme, member, amount=amount)
    assert "amount" in exc.value.message_dict
    assert snapshot() == before


def test_amounts_are_exact_decimals():
    from gonghui.aid.money import parse_amount

    assert parse_amount("1,200.5") == Decimal("1200.50")
    with pytest.raises(ValidationError) as exc:  # a float has lost its exact value before it arrives
        parse_amount(0.1)
    assert exc.value.code == "amount_float"
    assert parse_amount("￥300元".replace("￥", "¥")) == Decimal("300.00")


def test_second_application_same_programme_and_period_shows_the_conflict(people):
    programme = make_programme(people)
    member = make_member(people)
    file(people, programme, member)
    before = snapshot()
    with pytest.raises(DomainError) as exc:
        file(people, programme, member, actor="b_admin")
    assert exc.value.code == "already_applied" and "待审核" in exc.value.message
    assert snapshot() == before
    # Another period of the same kind is another programme: accepted.
    summer = make_programme(people, period="2099-b")
    assert file(people, summer, member).status == Status.SUBMITTED


def test_rejected_application_may_be_filed_again(people):
    programme = make_programme(people)
    member = make_member(people)
    first = file(people, programme, member)
    apps.reject_application(application=first, actor=people.user("b_reviewer"), note="材料不全")
    assert file(people, programme, member).status == Status.SUBMITTED


def test_the_clerk_who_entered_it_cannot_review_it(people):
    programme = make_programme(people)
    application = file(people, programme, make_member(people), actor="b_admin")
    with pytest.raises(DomainError) as exc:
        apps.approve_application(application=application, actor=people.user("b_admin"))
    assert exc.value.code == "own_entry"
    assert Application.objects.get().status == Status.SUBMITTED


def test_viewer_and_clerk_cannot_approve(people):
    application = file(people, make_programme(people), make_member(people))
    for user in ("b_viewer", "d_admin"):
        with pytest.raises(NotPermitted):
            apps.approve_application(application=application, actor=people.user(user))


def test_two_level_review_needs_the_organizing_union_and_another_person(people):
    programme = make_programme(people, levels=2)
    application = file(people, programme, make_member(people))
    with pytest.raises(DomainError) as exc:
        apps.approve_application(application=application, actor=people.user("a_admin"))
    assert exc.value.code == "needs_first_level"
    apps.pass_first_review(application=application, actor=people.user("b_reviewer"))
    with pytest.raises(NotPermitted):  # B's reviewer is below the county that runs the programme
        apps.approve_application(application=application, actor=people.user("b_reviewer"))
    approved = apps.approve_application(application=application, actor=people.user("a_reviewer"), amount="500")
    assert approved.status == Status.APPROVED and approved.amount_approved == Decimal("500.00")


def test_approval_beyond_the_budget_is_refused(people):
    programme = make_programme(people, budget="1000")
    first = file(people, programme, make_member(people, seq=1), amount="800")
    second = file(people, programme, make_member(people, seq=2, phone="13900000002"), amount="300")
    apps.approve_application(application=first, actor=people.user("b_reviewer"))
    before = snapshot()
    with pytest.raises(DomainError) as exc:
        apps.approve_application(application=second, actor=people.user("b_reviewer"))
    assert exc.value.code == "over_budget" and "200" in exc.value.message
    assert snapshot() == before
    # A lower amount fits.
    assert apps.approve_application(application=second, actor=people.user("b_reviewer"), amount="200").amount_approved == 200
    assert Budget.objects.get().committed == Decimal("1000.00")


def test_township_budget_is_used_before_the_county_one(people):
    programme = make_programme(people, budget="10000")
    before = snapshot()
    with pytest.raises(NotPermitted):  # a township does not grant itself a share of the county's money
        programmes.set_budget(programme=programme, node=people.b, amount="500", actor=people.user("b_admin"))
    assert snapshot() == before
    programmes.set_budget(programme=programme, node=people.b, amount="500", actor=people.user("a_admin"))
    application = file(people, programme, make_member(people), amount="600")
    with pytest.raises(DomainError) as exc:
        apps.approve_application(application=application, actor=people.user("b_reviewer"))
    assert exc.value.code == "over_budget"


def test_pay_and_reverse_make_an_append_only_ledger(people):
    programme = make_programme(people)
    application = file(people, programme, make_member(people))
    apps.approve_application(application=application, actor=people.user("b_reviewer"))
    payment = apps.pay_application(application=application, actor=people.user("a_finance"), method="bank")
    assert payment.amount == Decimal("800.00") and Application.objects.get().status == Status.PAID
    reversal = apps.reverse_disbursement(application=application, actor=people.user("a_finance"), reason="银行退票")
    assert reversal.amount == Decimal("-800.00") and reversal.reverses_id == payment.pk
    assert Application.objects.get().status == Status.APPROVED
    apps.pay_application(application=application, actor=people.user("a_finance"), method="cash")
    assert [r.entry_no for r in Disbursement.objects.order_by("seq")] == [1, 2, 3]
    with pytest.raises(ValueError):
        payment.amount = Decimal("1")
        payment.save()
    with pytest.raises(ValueError):
        payment.delete()
    assert ledger.verify_ledger().ok and ledger.verify_ledger().checked == 3


def test_audit_verify_detects_a_changed_ledger_row(people, capsys):
    programme = make_programme(people)
    application = file(people, programme, make_member(people))
    apps.approve_application(application=application, actor=people.user("b_reviewer"))
    apps.pay_application(application=application, actor=people.user("a_finance"))
    call_command("audit_verify")
    assert "aid.disbursements" in capsys.readouterr().out
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor, pytest.raises(Exception, match="append-only"):
            with __import__("django.db", fromlist=["transaction"]).transaction.atomic():
                cursor.execute("UPDATE aid_disbursement SET amount = 1")
        return
    Disbursement.objects.filter(pk__gt=0).update(amount=Decimal("8000"))  # behind the model's back
    problems = ledger.verify_ledger().problems
    assert problems and "changed" in problems[0]
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("audit_verify")


def test_publicity_never_shows_a_full_name_or_id(people):
    programme = make_programme(people)
    member = make_member(people, name="欧阳建国")
    application = file(people, programme, member)
    apps.approve_application(application=application, actor=people.user("b_reviewer"))
    publicity = apps.publish_publicity(programme=programme, node=people.a, actor=people.user("a_admin"))
    assert publicity.objection_until > publicity.published_on
    from django.test import Client

    from tests.test_scope_proof import _cadre_client

    for client in (_cadre_client(people, "a_admin"), Client()):
        response = client.get(f"/aid/publicity/{publicity.pk}/")
        text = response.content.decode()
        if client.__class__ is Client and response.status_code == 302:
            continue
        assert response.status_code == 200
        assert "欧***" in text and "欧阳建国" not in text
        assert member.id_number not in text and member.id_number[-4:] not in text


def test_withdrawn_by_clerk_frees_the_slot(people):
    programme = make_programme(people)
    member = make_member(people)
    application = file(people, programme, member)
    apps.withdraw_application(application=application, actor=people.user("b_clerk"))
    assert file(people, programme, member).status == Status.SUBMITTED


def test_closed_programme_takes_no_application(people):
    programme = make_programme(people)
    programmes.close_programme(programme=programme, actor=people.user("a_admin"))
    with pytest.raises(DomainError):
        file(people, programme, make_member(people))


def test_scholarship_needs_student_school_year_and_level(people):
    programme = make_programme(people, kind="autumn_scholarship", standard_amount="5000")
    member = make_member(people)
    with pytest.raises(ValidationError) as exc:
        apps.create_application(programme=programme, member=member, actor=people.user("b_clerk"), reason="考上大学",
                                scholarship={"student": "", "school": "", "admission_year": 1990, "level": "x"})
    assert set(exc.value.message_dict) >= {"student", "school", "admission_year", "level"}
    application = apps.create_application(
        programme=programme, member=member, actor=people.user("b_clerk"), reason="考上大学",
        scholarship={"student": "王小雨", "school": "浙江大学", "admission_year": programme.year,
                     "level": "undergraduate"})
    assert application.amount_requested == Decimal("5000.00") and application.scholarship.school == "浙江大学"
    assert timezone.localdate().year == programme.year
