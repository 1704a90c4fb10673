"""Running a contest: entries through the union, judges' sheets, results with ties, awards, titles."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gonghui.contests import scoring, selectors
from gonghui.contests.models import Award, Entry, Participation, Score
from gonghui.contests.pdf import render
from gonghui.contests.services import awards, entries, judging, setup
from gonghui.core.errors import DomainError
from gonghui.modelworkers.models import Honour, ModelWorker
from tests.contests.kit import contest, enterprise, judge, round_with_entries, score

pytestmark = pytest.mark.django_db


@pytest.fixture
def c(tree, unscoped):
    return contest(tree)


def test_weights_must_add_up_to_100(tree, unscoped):
    with pytest.raises(ValidationError) as exc:
        setup.create_contest(node=tree.a, actor=tree.user("a_admin"), name="竞赛", trade="焊工", level="county",
                             year=2026, theory_weight="40", practical_weight="70")
    assert "practical_weight" in exc.value.message_dict


def test_a_float_weight_is_refused(tree, unscoped):
    with pytest.raises(ValidationError):
        setup.create_contest(node=tree.a, actor=tree.user("a_admin"), name="竞赛", trade="焊工", level="county",
                             year=2026, theory_weight=30.0, practical_weight=70)


def test_a_township_clerk_cannot_create_a_county_contest(tree, unscoped):
    with pytest.raises(PermissionDenied):
        setup.create_contest(node=tree.a, actor=tree.user("b_admin"), name="竞赛", trade="焊工", level="county",
                             year=2026, theory_weight="30", practical_weight="70")


def test_an_enterprise_entered_twice_in_one_round_is_refused(tree, c):
    r, _ = round_with_entries(tree, c, ["王强"])
    employer = Participation.objects.get(round=r).employer
    with pytest.raises(DomainError) as exc:
        entries.enter_enterprise(round_=r, actor=tree.user("b_admin"), employer=employer)
    assert exc.value.code == "entered_twice"
    assert Participation.objects.filter(round=r).count() == 1


def test_an_enterprise_without_a_union_cannot_enter(tree, c):
    from tests.factories import make_employer

    r = setup.add_round(contest=c, actor=tree.user("a_admin"), stage="county", held_on=__import__("datetime").date(2026, 5, 1))
    with pytest.raises(DomainError) as exc:
        entries.enter_enterprise(round_=r, actor=tree.user("b_admin"), employer=make_employer(tree.b))
    assert exc.value.code == "no_union"


def test_a_sibling_township_cannot_enter_our_enterprise(tree, c):
    r = setup.add_round(contest=c, actor=tree.user("a_admin"), stage="county", held_on=__import__("datetime").date(2026, 5, 1))
    employer = enterprise(tree, name="白石机械有限公司")
    with pytest.raises(PermissionDenied):
        entries.enter_enterprise(round_=r, actor=tree.user("d_admin"), employer=employer)
    assert not Participation.objects.exists()


def test_a_judge_scores_only_the_entries_assigned_to_them(tree, c):
    r, (e1, e2) = round_with_entries(tree, c, ["王强", "李明"])
    j1, j2 = judge("judge1"), judge("judge2")
    judging.assign_judge(entry=e1, actor=tree.user("a_admin"), judge=j1)
    judging.assign_judge(entry=e2, actor=tree.user("a_admin"), judge=j2)
    setup.start_scoring(round_=r, actor=tree.user("a_admin"))
    assert [s.entry_id for s in selectors.sheets_of_judge(j1)] == [e1.pk]
    with pytest.raises(DomainError) as exc:
        score(e2, j1, {"理论笔试": "90"}, submit=False)
    assert exc.value.code == "not_assigned"
    assert not Score.objects.exists()


def test_scores_are_locked_once_submitted(tree, c):
    r, (e1,) = round_with_entries(tree, c, ["王强"])
    j1 = judge("judge1")
    judging.assign_judge(entry=e1, actor=tree.user("a_admin"), judge=j1)
    setup.start_scoring(round_=r, actor=tree.user("a_admin"))
    score(e1, j1, {"理论笔试": "90", "工件精度": "50", "安全文明操作": "35"})
    with pytest.raises(DomainError) as exc:
        score(e1, j1, {"理论笔试": "99"}, submit=False)
    assert exc.value.code == "submitted"
    assert Score.objects.get(item__name="理论笔试").value == Decimal("90")


@pytest.mark.parametrize("value", ["100.01", "-1", "abc", "1e400", "50.001"])
def test_a_score_outside_the_items_range_is_refused_and_nothing_is_saved(tree, c, value):
    r, (e1,) = round_with_entries(tree, c, ["王强"])
    j1 = judge("judge1")
    judging.assign_judge(entry=e1, actor=tree.user("a_admin"), judge=j1)
    setup.start_scoring(round_=r, actor=tree.user("a_admin"))
    with pytest.raises(DomainError) as exc:
        score(e1, j1, {"工件精度": "50", "理论笔试": value}, submit=False)
    assert exc.value.code == "out_of_range"
    assert not Score.objects.exists()


def test_a_sheet_cannot_be_submitted_incomplete(tree, c):
    r, (e1,) = round_with_entries(tree, c, ["王强"])
    j1 = judge("judge1")
    judging.assign_judge(entry=e1, actor=tree.user("a_admin"), judge=j1)
    setup.start_scoring(round_=r, actor=tree.user("a_admin"))
    with pytest.raises(DomainError) as exc:
        score(e1, j1, {"理论笔试": "90"})
    assert exc.value.code == "incomplete"


def test_entries_close_when_scoring_starts(tree, c):
    r, (e1,) = round_with_entries(tree, c, ["王强"])
    setup.start_scoring(round_=r, actor=tree.user("a_admin"))
    with pytest.raises(DomainError):
        entries.enter_worker(participation=e1.participation, actor=tree.user("b_admin"), name="赵六")
    assert Entry.objects.count() == 1


def test_highest_and_lowest_are_dropped_where_the_rules_say_so():
    values = [Decimal("60"), Decimal("80"), Decimal("82"), Decimal("99")]
    assert scoring.item_score(values, drop_extremes=True) == Decimal("81")
    assert scoring.item_score(values, drop_extremes=False) == Decimal("80.25")
    assert scoring.item_score(values[:2], drop_extremes=True) == Decimal("70")  # fewer than three: all count


def test_ties_share_a_rank_and_the_next_rank_is_skipped():
    d = Decimal
    results = [scoring.Result(1, d(80), d(90), d(87)), scoring.Result(2, d(70), d(90), d(87)),
               scoring.Result(3, d(90), d(85), d(87)), scoring.Result(4, d(50), d(50), d(50))]
    ranked = scoring.rank(results)
    assert [(r.entry_id, r.rank) for r in ranked] == [(1, 1), (2, 1), (3, 3), (4, 4)]
    assert scoring.tier_for(1, first=1, second=1, third=1) == "first"
    assert scoring.tier_for(3, first=1, second=1, third=1) == "third"


def _run_final(tree, c, marks):
    r, es = round_with_entries(tree, c, list(marks))
    judges = [judge(f"judge{i}") for i in range(3)]
    for e in es:
        for j in judges:
            judging.assign_judge(entry=e, actor=tree.user("a_admin"), judge=j)
    setup.start_scoring(round_=r, actor=tree.user("a_admin"))
    for e, sheets in zip(es, marks.values(), strict=True):
        for j, values in zip(judges, sheets, strict=True):
            score(e, j, dict(zip(["理论笔试", "工件精度", "安全文明操作"], values, strict=True)))
    return r, es


def test_publishing_the_final_ranks_awards_and_enters_the_title_in_the_register(tree, c):
    marks = {"王强": [("90", "55", "38")] * 3, "李明": [("80", "50", "30")] * 3, "赵六": [("80", "50", "30")] * 3,
             "孙七": [("60", "40", "20")] * 3}
    r, es = _run_final(tree, c, marks)
    given = awards.award_round(round_=r, actor=tree.user("a_admin"), first=1, second=1, third=1)
    by_name = {a.entry.name: a for a in given}
    # 王强: 30% of 90 + 70% of 93 = 92.10; 李明 and 赵六 tie on 80 + 80 → both second; 孙七 ranks 4th, no prize.
    assert by_name["王强"].total == Decimal("92.10") and by_name["王强"].tier == "first"
    assert (by_name["李明"].rank, by_name["赵六"].rank) == (2, 2)
    assert by_name["李明"].tier == by_name["赵六"].tier == "second"
    assert "孙七" not in by_name
    person = ModelWorker.objects.get(name="王强")
    assert person.level == "county" and person.honours.get().title == "青山县技术能手"
    assert Honour.objects.count() == 1
    pdf = render(by_name["王强"])
    assert pdf.startswith(b"%PDF")


def test_a_round_with_sheets_pending_is_not_published(tree, c):
    r, (e1,) = round_with_entries(tree, c, ["王强"])
    judging.assign_judge(entry=e1, actor=tree.user("a_admin"), judge=judge("judge1"))
    setup.start_scoring(round_=r, actor=tree.user("a_admin"))
    with pytest.raises(DomainError) as exc:
        awards.award_round(round_=r, actor=tree.user("a_admin"))
    assert exc.value.code == "sheets_pending"
    assert not Award.objects.exists()


def test_qualifiers_go_on_to_the_next_round(tree, c):
    import datetime

    setup.add_round(contest=c, actor=tree.user("a_admin"), stage="county", held_on=datetime.date(2026, 6, 1))
    r, es = round_with_entries(tree, c, ["王强", "李明"], stage="township", advance=1)
    j = judge("judge1")
    for e in es:
        judging.assign_judge(entry=e, actor=tree.user("a_admin"), judge=j)
    setup.start_scoring(round_=r, actor=tree.user("a_admin"))
    score(es[0], j, {"理论笔试": "90", "工件精度": "55", "安全文明操作": "38"})
    score(es[1], j, {"理论笔试": "70", "工件精度": "45", "安全文明操作": "30"})
    awards.award_round(round_=r, actor=tree.user("a_admin"), first=1, second=0, third=0)
    final = selectors.next_round(r)
    assert [e.name for e in Entry.objects.filter(round=final)] == ["王强"]
    assert not ModelWorker.objects.exists()  # a title is given in the final only


def test_drop_extremes_changes_the_result(tree, unscoped):
    c = contest(tree, drop_extremes=True)
    marks = {"王强": [("100", "60", "40"), ("90", "50", "30"), ("10", "10", "10")]}
    r, (e,) = _run_final(tree, c, marks)
    (result,) = selectors.round_results(r)
    assert result.total == Decimal("83.00")  # the middle sheet only: 30% of 90 + 70% of 80

