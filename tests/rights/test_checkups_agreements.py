"""Legal check-ups (劳动用工法律体检) and collective agreements (工资集体协商 / 集体合同)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_scopes import scopes_disabled

from gonghui.accounts.permissions import subtree_for
from gonghui.core.errors import NotPermitted
from gonghui.core.scoping import tree_scope
from gonghui.rights import selectors
from gonghui.rights.models import Finding
from gonghui.rights.selectors import checklist_items
from gonghui.rights.services import checkups

from .conftest import snapshot

pytestmark = pytest.mark.django_db


def _answers(**risks):
    findings = {item.code: {"result": "ok"} for item in list(checklist_items())}
    findings.update(risks)
    return findings


def test_the_checklist_covers_the_usual_legal_risks(db):
    codes = {item.code for item in list(checklist_items())}
    assert {"contracts", "wages_on_time", "overtime_pay", "social_insurance", "working_hours",
            "female_workers"} <= codes


def test_a_visit_with_a_risk_then_its_rectification(people):
    today = timezone.localdate()
    due = today + datetime.timedelta(days=30)
    with scopes_disabled():
        checkup = checkups.record_checkup(
            employer=people.employer_c, actor=people.user("b_clerk"), visited_on=today, inspectors="县总工会法律服务团 张律师",
            findings=_answers(social_insurance={"result": "risk", "note": "12人未参保", "rectify_by": due.isoformat()}))
        finding = checkup.findings.get(result=Finding.Result.RISK)
        assert finding.rectify_by == due
    with tree_scope(subtree_for(people.user("b_admin"))):
        figures = selectors.checkup_figures(people.b)
        assert figures == {"visits": 1, "employers": 1, "risks": 1, "rectified": 0, "rectification_overdue": 0}
    with scopes_disabled():
        checkups.record_rectification(finding=finding, actor=people.user("b_clerk"), rectified_on=today,
                                      follow_up="已为12人补缴社保")
    with tree_scope(subtree_for(people.user("b_admin"))):
        assert selectors.checkup_figures(people.b)["rectified"] == 1
        assert [c.pk for c in selectors.checkup_list(employer=people.employer_c)] == [checkup.pk]


def test_a_visit_must_answer_every_item_and_date_each_risk(people):
    before = snapshot()
    answers = _answers(overtime_pay={"result": "risk"})
    answers.pop("contracts")
    with scopes_disabled(), pytest.raises(ValidationError) as exc:
        checkups.record_checkup(employer=people.employer_c, actor=people.user("b_clerk"),
                                visited_on=timezone.localdate(), inspectors="法律服务团", findings=answers)
    assert {"item_contracts", "item_overtime_pay"} <= set(exc.value.message_dict)
    assert snapshot() == before


def test_a_visit_in_the_future_or_by_a_viewer_is_refused(people):
    before = snapshot()
    with scopes_disabled():
        with pytest.raises(ValidationError):
            checkups.record_checkup(employer=people.employer_c, actor=people.user("b_clerk"),
                                    visited_on=timezone.localdate() + datetime.timedelta(days=2), inspectors="法律服务团",
                                    findings=_answers())
        with pytest.raises(NotPermitted):
            checkups.record_checkup(employer=people.employer_c, actor=people.user("b_viewer"),
                                    visited_on=timezone.localdate(), inspectors="法律服务团", findings=_answers())
    assert snapshot() == before


def test_agreements_and_coverage_rates(people):
    with scopes_disabled():
        agreement = checkups.register_agreement(
            node=people.c, employer=people.employer_c, actor=people.user("b_admin"), kind="wage",
            signed_on=datetime.date(2025, 3, 31), term_months=36, wage_growth="6.5", workers_covered=148,
            has_congress=True, has_open_affairs=False)
        assert agreement.expires_on == datetime.date(2028, 3, 31)
        assert agreement.wage_growth == Decimal("6.5")
    with tree_scope(subtree_for(people.user("b_admin"))):
        coverage = selectors.agreement_coverage(people.b)
    assert coverage["unionized"] == 1 and coverage["covered"] == 1 and coverage["coverage_rate"] == Decimal("100.0")
    assert coverage["congress_rate"] == Decimal("100.0") and coverage["open_affairs_rate"] == Decimal("0.0")
    assert coverage["workers_covered"] == 148


@pytest.mark.parametrize("field, value", [("term_months", 6), ("term_months", "abc"), ("wage_growth", "-3"),
                                          ("wage_growth", "NaN"), ("wage_growth", "5.555"), ("workers_covered", 0),
                                          ("signed_on", "2025-02-30"), ("kind", "bribe")])
def test_a_bad_agreement_is_refused_and_nothing_changes(people, field, value):
    fields = {"kind": "collective", "signed_on": "2025-01-10", "term_months": 24, "wage_growth": "5",
              "workers_covered": 80}
    fields[field] = value
    before = snapshot()
    with scopes_disabled(), pytest.raises(ValidationError) as exc:
        checkups.register_agreement(node=people.c, employer=people.employer_c, actor=people.user("b_admin"), **fields)
    assert field in exc.value.message_dict
    assert snapshot() == before


def test_an_agreement_for_an_employer_outside_the_union_is_refused(people):
    with scopes_disabled(), pytest.raises(ValidationError):
        checkups.register_agreement(node=people.d, employer=people.employer_c, actor=people.user("a_admin"),
                                    kind="collective", signed_on="2025-01-10", term_months=24, workers_covered=80)
