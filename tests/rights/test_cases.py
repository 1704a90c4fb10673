"""Case handling: declared moves, who may fire them, deadlines, joint mediation, what mediators see."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone
from django_scopes import scopes_disabled

from gonghui.accounts.permissions import subtree_for
from gonghui.core.errors import DomainError, NotPermitted
from gonghui.core.scoping import tree_scope
from gonghui.rights import selectors
from gonghui.rights.models import Case, CaseEvent, Stage
from gonghui.rights.services import cases
from gonghui.rights.workflow import MOVES, STAGE_WORKDAYS

from .conftest import PDF, hotline_case, snapshot

pytestmark = pytest.mark.django_db


def as_user(user):
    return tree_scope(subtree_for(user))


def advance(case, actor, *names, **kw):
    with scopes_disabled():
        for name in names:
            extra = {"handler": actor} if name == "assign" else {}
            cases.move_case(case=case, name=name, actor=actor, **extra, **kw)
    return case


def test_the_whole_road_from_claim_to_follow_up_visit(people):
    case = hotline_case(people)
    admin, labour = people.user("b_admin"), people.user("labour")
    advance(case, admin, "accept", "assign", "investigate", "mediate")
    with scopes_disabled():
        cases.invite_mediator(case=case, actor=admin, mediator=labour, partner="labour_bureau")
        cases.record_session(case=case, actor=labour, held_on=timezone.localdate(), place="城关镇劳动争议调解室",
                             participants="县人社局 周调解员；城关镇总工会 陈主席；企业代表", result="agreement")
        cases.record_agreement(case=case, actor=labour, signed_on=timezone.localdate(),
                               terms="企业于11月30日前一次性支付拖欠工资18600元。", amount="18600",
                               document=SimpleUploadedFile("调解协议书.pdf", PDF))
        cases.move_case(case=case, name="close", actor=labour, outcome="调解成功，工资已足额支付。")
        assert case.amount_recovered == Decimal("18600.00") and case.mediated
        cases.move_case(case=case, name="visit", actor=admin, satisfaction="satisfied", note="电话回访，职工满意")
        case.refresh_from_db()
        assert case.stage == Stage.VISITED and case.satisfaction == "satisfied" and case.due_on is None
        steps = list(case.events.filter(kind=CaseEvent.Kind.STEP).values_list("to_stage", flat=True))
        assert steps == ["submitted", "accepted", "assigned", "investigating", "mediating", "closed", "visited"]
        assert case.events.filter(kind__in=["invitation", "session", "agreement"]).count() == 3
    with as_user(admin):
        figures = selectors.rights_figures(admin, node=people.b)
    assert figures.amount_recovered == Decimal("18600.00") and figures.mediated == 1
    assert figures.mediation_success_rate == Decimal("100.0") and figures.satisfaction_rate == Decimal("100.0")


def test_a_move_from_the_wrong_stage_changes_nothing(people):
    case = hotline_case(people)
    before = snapshot()
    with scopes_disabled(), pytest.raises(DomainError) as exc:
        cases.move_case(case=case, name="close", actor=people.user("b_admin"), outcome="结案")
    assert exc.value.code == "move_not_allowed"
    assert snapshot() == before


@pytest.mark.parametrize("username", ["b_viewer", "d_admin", "b_mediator", "labour", "nobody"])
def test_a_move_by_someone_not_declared_for_it_changes_nothing(people, username):
    case = hotline_case(people)
    before = snapshot()
    with scopes_disabled(), pytest.raises(NotPermitted):
        cases.move_case(case=case, name="accept", actor=people.user(username))
    assert snapshot() == before


def test_decline_needs_a_reason_the_worker_reads(people):
    case = hotline_case(people)
    with scopes_disabled():
        with pytest.raises(ValidationError):
            cases.move_case(case=case, name="decline", actor=people.user("b_clerk"), reason="  ")
        assert Case.objects.get(pk=case.pk).stage == Stage.SUBMITTED
        cases.move_case(case=case, name="decline", actor=people.user("b_clerk"), reason="不属于劳动争议，建议向法院起诉")
        assert Case.objects.get(pk=case.pk).decline_reason.startswith("不属于")


def test_a_mediator_closes_only_a_mediation_and_only_when_invited(people):
    case = hotline_case(people)
    admin, labour = people.user("b_admin"), people.user("labour")
    advance(case, admin, "accept", "assign", "investigate")
    with scopes_disabled():
        with pytest.raises(NotPermitted):  # not invited
            cases.record_session(case=case, actor=labour, held_on=timezone.localdate(), place="调解室",
                                 participants="双方", result="failed")
        cases.invite_mediator(case=case, actor=admin, mediator=labour, partner="labour_bureau")
        with pytest.raises(NotPermitted):  # invited, but the union decides a referral or closing outside mediation
            cases.move_case(case=case, name="close", actor=labour, outcome="结案")
        with pytest.raises(NotPermitted):
            cases.move_case(case=case, name="arbitration", actor=labour)
        cases.move_case(case=case, name="mediate", actor=labour)
        cases.move_case(case=case, name="close", actor=labour, outcome="调解不成，告知申请仲裁", amount_recovered="0")


def test_only_mediator_accounts_over_the_union_can_be_invited(people):
    case = hotline_case(people)
    with scopes_disabled():
        for who in ("b_clerk", "nobody"):
            with pytest.raises(ValidationError):
                cases.invite_mediator(case=case, actor=people.user("b_admin"), mediator=people.user(who), partner="court")
        with pytest.raises(NotPermitted):
            cases.invite_mediator(case=case, actor=people.user("b_viewer"), mediator=people.user("labour"), partner="court")


def test_a_mediator_only_account_sees_invited_cases_not_the_subtree(people):
    invited, other = hotline_case(people), hotline_case(people)
    b_mediator = people.user("b_mediator")
    with scopes_disabled():
        cases.invite_mediator(case=invited, actor=people.user("b_admin"), mediator=b_mediator, partner="lawyer")
    with as_user(b_mediator):
        assert [c.pk for c in selectors.case_list(b_mediator)] == [invited.pk]
        assert selectors.access_case(b_mediator, invited.pk) == invited
        with pytest.raises(Http404):
            selectors.access_case(b_mediator, other.pk)
        assert selectors.rights_figures(b_mediator).claims == 1
    with as_user(people.user("b_admin")):
        assert {c.pk for c in selectors.case_list(people.user("b_admin"))} == {invited.pk, other.pk}


def test_an_uninvited_mediator_loses_the_case(people):
    case = hotline_case(people)
    labour = people.user("labour")
    with scopes_disabled():
        invitation = cases.invite_mediator(case=case, actor=people.user("b_admin"), mediator=labour, partner="court")
        cases.revoke_invitation(invitation=invitation, actor=people.user("b_admin"))
    with as_user(labour), pytest.raises(Http404):
        selectors.access_case(labour, case.pk)


def test_a_bad_agreement_amount_records_nothing(people):
    case = hotline_case(people)
    admin = people.user("b_admin")
    advance(case, admin, "accept", "assign", "investigate", "mediate")
    for amount in ("-100", "NaN", "12.345", "abc", ""):
        before = snapshot()
        with scopes_disabled(), pytest.raises(ValidationError) as exc:
            cases.record_agreement(case=case, actor=admin, signed_on=timezone.localdate(), terms="支付工资", amount=amount)
        assert "amount" in exc.value.message_dict
        assert snapshot() == before


def test_a_session_in_the_future_is_refused(people):
    case = hotline_case(people)
    admin = people.user("b_admin")
    advance(case, admin, "accept", "assign", "investigate", "mediate")
    with scopes_disabled(), pytest.raises(ValidationError) as exc:
        cases.record_session(case=case, actor=admin, held_on=timezone.localdate() + datetime.timedelta(days=3),
                             place="调解室", participants="双方", result="agreement")
    assert "held_on" in exc.value.message_dict


def test_extension_needs_a_reason_and_moves_the_deadline(people):
    case = hotline_case(people)
    admin = people.user("b_admin")
    with scopes_disabled():
        with pytest.raises(ValidationError):
            cases.extend_deadline(case=case, actor=admin, workdays=5, reason="")
        with pytest.raises(ValidationError):
            cases.extend_deadline(case=case, actor=admin, workdays=99, reason="材料不全")
        old = case.due_on
        cases.extend_deadline(case=case, actor=admin, workdays=5, reason="等待企业提供工资台账")
        assert case.due_on > old
        assert case.events.filter(kind="extension", visible_to_claimant=False).exists()


def test_overdue_cases_are_flagged(people, monkeypatch):
    case = hotline_case(people)
    admin = people.user("b_admin")
    with as_user(admin):
        assert not selectors.is_overdue(case)
        later = case.due_on + datetime.timedelta(days=1)
        assert selectors.is_overdue(case, later)
        monkeypatch.setattr(timezone, "localdate", lambda *a: later)
        assert [c.pk for c in selectors.case_list(admin, overdue=True)] == [case.pk]
        assert selectors.rights_figures(admin).overdue == 1


def test_stage_deadline_counts_chinese_working_days():
    # Wed 30 Sep 2026 + 15 working days (mediation): Oct 1-7 off, Sat Oct 10 worked → Tue 27 Oct.
    assert cases._due(Stage.MEDIATING, datetime.date(2026, 9, 30)) == datetime.date(2026, 10, 27)
    # Fri 26 Sep 2025 + 5: Sun 28 Sep (make-up) counts, Oct 1-8 off → Fri 10 Oct; +6 → the make-up Sat 11 Oct.
    assert cases._due(Stage.SUBMITTED, datetime.date(2025, 9, 26)) == datetime.date(2025, 10, 10)
    assert STAGE_WORKDAYS[Stage.SUBMITTED] == 5


def test_every_move_is_declared_once_with_known_stages():
    for move in MOVES.values():
        assert move.target in Stage.values and move.sources <= set(Stage.values)
