"""Chair performance reviews (述职评议考核) and field work (蹲点) with counts that roll up."""

import datetime
from decimal import Decimal

import pytest
from django_scopes import scopes_disabled

from gonghui.core.errors import DomainError, NotPermitted
from gonghui.funds import selectors
from gonghui.funds.models import ChairReport, Grade
from gonghui.funds.services import evaluation
from gonghui.orgs import services as orgs
from gonghui.orgs.models import Node, NodeKind
from tests.test_scope_proof import snapshot

pytestmark = pytest.mark.django_db
WEIGHTS = [{"name": "履职尽责", "weight": 40}, {"name": "组织建设", "weight": 30}, {"name": "服务职工", "weight": 30}]


def test_chairs_are_scored_ranked_and_graded(tree):
    admin = tree.user("a_admin")
    with scopes_disabled():
        round_ = evaluation.create_round(node=tree.a, actor=admin, year=2026, title="2026年度乡镇工会主席述职评议",
                                         indicators=WEIGHTS)
        b = evaluation.submit_report(round_=round_, node=tree.b, actor=tree.user("b_admin"), chair_name="陈立新",
                                     text="一年来，城关镇总工会……")
        d = evaluation.submit_report(round_=round_, node=tree.d, actor=tree.user("d_admin"), chair_name="王海",
                                     text="一年来，河口镇总工会……")
        with pytest.raises(DomainError):
            evaluation.close_round(round_=round_, actor=admin)  # not scored yet
        for reviewer, marks_b, marks_d in (("代表甲", ("95", "90", "92"), ("70", "60", "65")),
                                           ("代表乙", ("84.5", "88", "90"), ("60", "55", "50"))):
            evaluation.score_report(report=b, actor=admin, reviewer=reviewer,
                                    marks=dict(zip(("履职尽责", "组织建设", "服务职工"), marks_b, strict=True)))
            evaluation.score_report(report=d, actor=admin, reviewer=reviewer,
                                    marks=dict(zip(("履职尽责", "组织建设", "服务职工"), marks_d, strict=True)))
        evaluation.close_round(round_=round_, actor=admin)
        b, d = ChairReport.objects.get(pk=b.pk), ChairReport.objects.get(pk=d.pk)
        assert (b.rank, b.grade, b.total) == (1, Grade.GOOD, Decimal("89.90"))
        assert (d.rank, d.grade) == (2, Grade.PASS)
        with pytest.raises(DomainError):
            evaluation.score_report(report=b, actor=admin, reviewer="代表丙",
                                    marks={"履职尽责": "90", "组织建设": "90", "服务职工": "90"})
        assert selectors.grades_by_node([tree.b.pk], 2026)[tree.b.pk].grade == Grade.GOOD


@pytest.mark.parametrize("marks", [{"履职尽责": "101", "组织建设": "90", "服务职工": "90"},
                                   {"履职尽责": "-5", "组织建设": "90", "服务职工": "90"},
                                   {"履职尽责": "90", "组织建设": "90"}, {"履职尽责": "9x", "组织建设": "1", "服务职工": "1"}])
def test_review_marks_outside_the_scale_are_refused(tree, marks):
    admin = tree.user("a_admin")
    with scopes_disabled():
        round_ = evaluation.create_round(node=tree.a, actor=admin, year=2026, title="述职评议", indicators=WEIGHTS)
        report = evaluation.submit_report(round_=round_, node=tree.b, actor=admin, chair_name="陈立新", text="述职")
        before = snapshot()
        with pytest.raises(DomainError):
            evaluation.score_report(report=report, actor=admin, reviewer="代表甲", marks=marks)
    assert snapshot() == before


def test_weights_must_add_up_to_100_and_only_unions_below_report(tree):
    admin = tree.user("a_admin")
    with scopes_disabled():
        with pytest.raises(DomainError):
            evaluation.create_round(node=tree.a, actor=admin, year=2026, title="述职评议",
                                    indicators=[{"name": "履职", "weight": 50}])
        round_ = evaluation.create_round(node=tree.b, actor=tree.user("b_admin"), year=2026, title="述职评议",
                                         indicators=WEIGHTS)
        with pytest.raises(DomainError):
            evaluation.submit_report(round_=round_, node=tree.d, actor=admin, chair_name="王海", text="述职")
        with pytest.raises(NotPermitted):
            evaluation.score_report(report=evaluation.submit_report(round_=round_, node=tree.c, actor=admin,
                                                                    chair_name="周平", text="述职"),
                                    actor=tree.user("d_admin"), reviewer="代表甲",
                                    marks={"履职尽责": "90", "组织建设": "90", "服务职工": "90"})


def test_field_work_counts_roll_up_the_tree(tree, django_assert_max_num_queries):
    admin = tree.user("a_admin")
    with scopes_disabled():
        e = orgs.create_node(parent=Node.objects.get(pk=tree.b.pk), actor=None, name="城关物流园区联合工会",
                             kind=NodeKind.PARK_JOINT)
        group = evaluation.create_group(node=tree.a, actor=admin, year=2026, name="县总工会第一蹲点组", leader="李建华")
        for node, opinions in ((tree.c, 40), (e, 30), (tree.d, 66)):
            visit = evaluation.record_visit(group=group, node=node, actor=admin, on=datetime.date(2026, 3, 5),
                                            opinions=opinions)
            problem = evaluation.record_problem(visit=visit, actor=admin, text="职工子女暑期托管难")
            evaluation.take_measure(problem=problem, actor=admin, text="开办暑期托管班", difficulties_solved=12,
                                    solved=True)
            evaluation.record_problem(visit=visit, actor=admin, text="户外劳动者饮水难")
        with pytest.raises(DomainError):
            evaluation.take_measure(problem=problem, actor=admin, text="再次", solved=True)
        with pytest.raises(DomainError):
            evaluation.record_visit(group=group, node=tree.c, actor=admin, on=datetime.date(2099, 1, 1), opinions=1)
        with pytest.raises(DomainError):
            evaluation.record_visit(group=group, node=tree.c, actor=admin, on=datetime.date(2026, 1, 1), opinions=-1)
        with django_assert_max_num_queries(5):
            rows = {r.node.pk: r for r in selectors.field_counts(node=tree.a, year=2026)}
    b, d = rows[tree.b.pk], rows[tree.d.pk]
    assert (b.visits, b.opinions, b.problems, b.measures, b.solved, b.difficulties) == (2, 70, 4, 2, 2, 24)
    assert (d.opinions, d.problems, d.difficulties) == (66, 2, 12)
    total = selectors.field_total(list(rows.values()))
    assert (total.opinions, total.problems, total.measures, total.difficulties) == (136, 6, 3, 36)
