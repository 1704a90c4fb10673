"""The seven steps: 基层申报 → 市总审核 → 联合评议 → 立项公示 → 组织实施 → 达标验收 → 下拨补助."""

import datetime
from decimal import Decimal

import pytest
from django_scopes import scopes_disabled

from gonghui.core.errors import DomainError, NotPermitted
from gonghui.core.workdays import add_workdays
from gonghui.funds import selectors
from gonghui.funds.models import LedgerEntry, Objection, Project, ProjectState
from gonghui.funds.services import ledger, projects
from tests.funds.kit import YEAR, advance, kind, pdf, photo, project_at, setup
from tests.test_scope_proof import snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def funds(tree):
    return setup(tree)


def test_a_project_goes_through_all_seven_steps_and_its_subsidy_shows_in_the_ledger(tree, funds):
    project = project_at(tree, tree.c)
    with scopes_disabled():
        projects.add_file(project=project, actor=tree.user("b_admin"), upload=pdf())
    project = advance(tree, project, ProjectState.PAID)
    with scopes_disabled():
        assert project.subsidy_granted == Decimal("50000.00")
        assert project.appraisal_score == Decimal("84.83")
        assert project.publicity_until == add_workdays(datetime.date(2026, 3, 2), 5)
        actions = [e.action for e in project.events.order_by("at", "id")]
        assert actions[:1] == ["apply"] and "subsidy_paid" in actions
        for step in ("review", "appraisal_passed", "publicize", "approve", "complete", "accept", "request_subsidy"):
            assert step in actions
        entry = LedgerEntry.objects.get(payment__project=project)
        assert entry.amount == Decimal("50000.00") and entry.node_id == tree.b.pk
        by_category = {r.category.pk: r for r in selectors.funds_by_category(node=tree.b, year=YEAR)}
        assert by_category[funds.construction.pk].spent == Decimal("50000.00")
        assert ledger.verify_ledger().ok
        assert selectors.projects_by_step(node=tree.b) == {8: 1}


def test_the_position_is_registered_at_acceptance(tree, funds):
    project = advance(tree, project_at(tree, tree.c), ProjectState.ACCEPTED)
    assert project.position_id is not None, project.outcome
    from gonghui.positions.models import Position

    with scopes_disabled():
        position = Position.objects.get(pk=project.position_id)
    assert position.node_id == tree.c.pk and position.kind == "workers_home"


@pytest.mark.parametrize("call", [
    lambda p, t: projects.conclude_appraisal(project=p, actor=t.user("b_admin")),
    lambda p, t: projects.start_publicity(project=p, actor=t.user("b_admin")),
    lambda p, t: projects.approve_project(project=p, actor=t.user("b_admin")),
    lambda p, t: projects.accept_project(project=p, actor=t.user("b_admin"), checklist={}),
    lambda p, t: projects.request_subsidy(project=p, actor=t.user("b_admin")),
    lambda p, t: projects.complete_project(project=p, actor=t.user("b_admin")),
])
def test_skipping_a_step_is_refused_and_changes_nothing(tree, funds, call):
    project = project_at(tree, tree.c)
    before = snapshot()
    with scopes_disabled(), pytest.raises(DomainError) as err:
        call(project, tree)
    assert err.value.code == "out_of_turn"
    assert snapshot() == before


def test_acting_out_of_turn_is_refused(tree, funds):
    project = advance(tree, project_at(tree, tree.c), ProjectState.REVIEWED)
    with scopes_disabled():
        with pytest.raises(DomainError):  # reviewed twice
            projects.pass_review(project=project, actor=tree.user("b_admin"))
        with pytest.raises(NotPermitted):  # the applicant's clerk cannot review for the higher union
            projects.record_score(project=project, actor=tree.user("b_clerk"), panelist="张三", score="80")
        with pytest.raises(NotPermitted):  # a sibling township
            projects.record_score(project=project, actor=tree.user("d_admin"), panelist="张三", score="80")


@pytest.mark.parametrize("score", ["101", "-1", "abc", "NaN", "80.555"])
def test_scores_outside_the_scale_are_refused(tree, funds, score):
    project = advance(tree, project_at(tree, tree.c), ProjectState.REVIEWED)
    before = snapshot()
    with scopes_disabled(), pytest.raises(DomainError):
        projects.record_score(project=project, actor=tree.user("b_admin"), panelist="张三", score=score)
    assert snapshot() == before


def test_appraisal_needs_a_panel_and_below_the_pass_mark_stops_the_project(tree, funds):
    project = advance(tree, project_at(tree, tree.c), ProjectState.REVIEWED)
    reviewer = tree.user("b_admin")
    with scopes_disabled():
        projects.record_score(project=project, actor=reviewer, panelist="张三", score="60")
        with pytest.raises(DomainError) as err:
            projects.conclude_appraisal(project=project, actor=reviewer)
        assert err.value.code == "panel_too_small"
        with pytest.raises(DomainError):
            projects.record_score(project=project, actor=reviewer, panelist="张三", score="70")
        projects.record_score(project=project, actor=reviewer, panelist="李四", score="65")
        projects.record_score(project=project, actor=reviewer, panelist="王五", score="70")
        project = projects.conclude_appraisal(project=project, actor=reviewer)
    assert project.state == ProjectState.REJECTED and project.appraisal_score == Decimal("65.00")


def test_an_objection_after_the_period_is_refused(tree, funds):
    project = advance(tree, project_at(tree, tree.c), ProjectState.PUBLICITY)
    start = project.publicity_from
    last_day = project.publicity_until
    reviewer = tree.user("b_admin")
    with scopes_disabled():
        objection = projects.file_objection(project=project, actor=reviewer, raised_by="群众来信", text="选址不合理",
                                            on=last_day)
        before = snapshot()
        with pytest.raises(DomainError) as err:
            projects.file_objection(project=project, actor=reviewer, raised_by="群众来信", text="迟到的异议",
                                    on=last_day + datetime.timedelta(days=1))
        assert err.value.code == "objection_late"
        assert snapshot() == before
        with pytest.raises(DomainError) as err:  # open objection blocks approval, even after the period
            projects.approve_project(project=project, actor=reviewer, on=last_day + datetime.timedelta(days=1))
        assert err.value.code == "objections_open"
        projects.answer_objection(objection=objection, actor=reviewer, upheld=False, answer="经核实，选址符合规划。")
        with pytest.raises(DomainError) as err:  # still inside the period
            projects.approve_project(project=project, actor=reviewer, on=last_day)
        assert err.value.code == "publicity_running"
        project = projects.approve_project(project=project, actor=reviewer, on=last_day + datetime.timedelta(days=1))
    assert project.state == ProjectState.IMPLEMENTING and start < last_day


def test_publicity_counts_working_days_over_a_holiday(tree, funds):
    project = advance(tree, project_at(tree, tree.c), ProjectState.APPRAISED)
    with scopes_disabled():
        project = projects.start_publicity(project=project, actor=tree.user("b_admin"), on=datetime.date(2025, 9, 30))
    # National Day 2025: 1–8 October off, 11 October a make-up working Saturday.
    assert project.publicity_until == datetime.date(2025, 10, 14)


def test_an_upheld_objection_stops_the_project(tree, funds):
    project = advance(tree, project_at(tree, tree.c), ProjectState.PUBLICITY)
    with scopes_disabled():
        objection = projects.file_objection(project=project, actor=tree.user("b_admin"), raised_by="职工代表",
                                            text="场地已被挪作他用", on=project.publicity_from)
        projects.answer_objection(objection=objection, actor=tree.user("b_admin"), upheld=True, answer="情况属实，不予立项。")
        assert Project.objects.get(pk=project.pk).state == ProjectState.REJECTED
        assert Objection.objects.get(pk=objection.pk).status == "upheld"


def test_acceptance_with_an_item_missing_sends_the_works_back(tree, funds):
    project = advance(tree, project_at(tree, tree.c), ProjectState.COMPLETED)
    items = list(kind().standard)
    with scopes_disabled():
        project = projects.accept_project(project=project, actor=tree.user("b_admin"),
                                  checklist={item: item != "有规章制度" for item in items})
    assert project.state == ProjectState.IMPLEMENTING and project.position_id is None


def test_completion_needs_a_full_report_with_a_photo(tree, funds):
    project = advance(tree, project_at(tree, tree.c), ProjectState.IMPLEMENTING)
    actor = tree.user("b_admin")
    with scopes_disabled():
        projects.report_progress(project=project, actor=actor, percent=60, text="主体完工", spent="50000")
        with pytest.raises(DomainError):
            projects.report_progress(project=project, actor=actor, percent=40, text="倒退", spent="0")
        with pytest.raises(DomainError) as err:
            projects.complete_project(project=project, actor=actor)
        assert err.value.code == "not_finished"
        projects.report_progress(project=project, actor=actor, percent=100, text="全部完工", spent="118000")
        with pytest.raises(DomainError) as err:
            projects.complete_project(project=project, actor=actor)
        assert err.value.code == "no_photos"
        projects.report_progress(project=project, actor=actor, percent=100, text="补充照片", photos=[photo()])
        assert projects.complete_project(project=project, actor=actor).state == ProjectState.COMPLETED


def test_bad_applications_are_refused_and_change_nothing(tree, funds):
    actor = tree.user("b_admin")
    existing = project_at(tree, tree.c)
    before = snapshot()
    base = dict(node=tree.c, actor=actor, kind=kind(), title="职工之家", year=YEAR, category=funds.construction,
                address="人民路8号", description="改造", budget_total="100000", subsidy_requested="50000",
                reviewer_node=tree.b)
    with scopes_disabled():
        for bad in ({"subsidy_requested": "-1"}, {"budget_total": "1.001"}, {"subsidy_requested": "150000"},
                    {"kind": kind("station_new"), "subsidy_requested": "40000"}, {"reviewer_node": tree.d},
                    {"kind": kind("station_upgrade"), "subsidy_requested": "1000"}, {"title": "<b>x</b>"},
                    {"year": 2031}):
            with pytest.raises(DomainError):
                projects.apply_for_project(**(base | bad))
        with pytest.raises(DomainError):
            projects.add_file(project=existing, actor=actor, upload=_fake_pdf())
    assert snapshot() == before


def _fake_pdf():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("plan.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf")


def test_a_rejected_subsidy_payment_returns_the_project_to_accepted(tree, funds):
    project = advance(tree, project_at(tree, tree.c), ProjectState.SUBSIDY_PENDING)
    with scopes_disabled():
        payment = project.payments.get()
        ledger.reject_payment(payment=payment, actor=tree.user("b_fin"), reason="发票不全")
        assert Project.objects.get(pk=project.pk).state == ProjectState.ACCEPTED
        assert not LedgerEntry.objects.exists()


def _accepted_by(tree, project, actor):
    """Take ``project`` to completion, then accept it as ``actor``."""
    project = advance(tree, project, ProjectState.COMPLETED)
    with scopes_disabled():
        return projects.accept_project(project=project, actor=actor, checklist={i: True for i in project.kind.standard},
                               notes="四有齐全")


def test_a_reviewer_only_cadre_accepting_registers_the_position_for_the_project(tree, funds):
    """The acceptance's permission is what counts: the position is written by the system for the
    project, although the reviewer may not create positions in the positions module."""
    from gonghui.core.models import AuditEntry
    from gonghui.positions.models import Position
    from gonghui.positions.services import positions as position_services

    reviewer = tree.user("b_reviewer")
    with scopes_disabled():
        with pytest.raises(NotPermitted):  # no positions permission of their own
            position_services.create_position(node=tree.c, actor=reviewer, name="自建驿站", kind="rest_station",
                                              address="人民路1号", lat="30.6", lng="119.7")
    project = _accepted_by(tree, project_at(tree, tree.c), reviewer)
    assert project.state == ProjectState.ACCEPTED and project.position_id is not None, project.outcome
    with scopes_disabled():
        position = Position.objects.get(pk=project.position_id)
        assert position.node_id == tree.c.pk and position.kind == "workers_home" and position.area_sqm == 180
        entry = AuditEntry.objects.get(action="positions.position.created", object_id=str(position.pk))
        assert "b_reviewer" in entry.actor_label
        assert entry.data["by"] == "funds.project" and entry.data["project"] == project.pk
        assert project.events.filter(action="position").exists()


def test_a_reviewer_only_acceptance_upgrades_the_named_position(tree, funds):
    from gonghui.positions.models import Position
    from gonghui.positions.services import positions as position_services

    with scopes_disabled():
        position = position_services.create_position(
            node=tree.c, actor=tree.user("b_admin"), name="青山精密职工之家", kind="workers_home",
            address="青山县城关镇人民路8号", lat="30.628", lng="119.784", description="旧活动室")
        project = projects.apply_for_project(node=tree.c, actor=tree.user("b_admin"), kind=kind("workers_home_upgrade"),
                                 title="职工之家提档升级", year=YEAR, category=funds.construction,
                                 address="青山县城关镇人民路8号", area_sqm=260, description="扩建阅览室、增设母婴室。",
                                 budget_total="80000", subsidy_requested="40000", reviewer_node=tree.b,
                                 position_id=position.pk)
    project = _accepted_by(tree, project, tree.user("b_reviewer"))
    assert project.position_id == position.pk
    with scopes_disabled():
        position = Position.objects.get(pk=position.pk)
    assert position.area_sqm == 260 and position.description == "扩建阅览室、增设母婴室。"
    assert "升级" in project.outcome or "upgraded" in project.outcome


def test_an_acceptance_that_cannot_register_the_position_says_so_and_stands(tree, funds):
    from gonghui.orgs import services as orgs
    from gonghui.orgs.models import Node

    project = advance(tree, project_at(tree, tree.c), ProjectState.COMPLETED)
    with scopes_disabled():
        orgs.dissolve_node(node=Node.objects.get(pk=tree.c.pk), actor=tree.user("b_admin"), reason="企业注销")
        project = projects.accept_project(project=Project.objects.get(pk=project.pk), actor=tree.user("b_reviewer"),
                                  checklist={i: True for i in project.kind.standard})
        assert project.state == ProjectState.ACCEPTED and project.position_id is None
        assert project.outcome and project.events.filter(action="position_pending").exists()
