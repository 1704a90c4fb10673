"""Demonstration awards: a call with quotas, nominations, scores by indicator, ranking, publicity,
award, and rewards paid through the ledger."""

import datetime
from decimal import Decimal

import pytest
from django_scopes import scopes_disabled

from gonghui.core.errors import DomainError, NotPermitted
from gonghui.funds import selectors
from gonghui.funds.models import AwardCallState, LedgerEntry, Nomination, NominationStatus
from gonghui.funds.services import awards, ledger
from gonghui.orgs import services as orgs
from gonghui.orgs.models import Node, NodeKind
from tests.funds.kit import YEAR, setup
from tests.test_scope_proof import snapshot

pytestmark = pytest.mark.django_db

INDICATORS = [{"name": "组织建设", "max": 40}, {"name": "服务职工", "max": 60}]


@pytest.fixture
def funds(tree):
    return setup(tree)


def _call(tree, funds, quota=1):
    return awards.create_call(node=tree.a, actor=tree.user("a_admin"), year=YEAR, title="2026年度示范乡镇工会评选",
                              category=funds.award, indicators=INDICATORS,
                              quotas=[{"name": "示范乡镇（街道）工会", "quota": quota, "reward": "50000"}])


def test_an_award_cycle_ranks_nominees_and_pays_rewards(tree, funds):
    admin = tree.user("a_admin")
    with scopes_disabled():
        e = orgs.create_node(parent=Node.objects.get(pk=tree.a.pk), actor=None, name="白石镇总工会",
                             kind=NodeKind.TOWNSHIP_UNION)
        call = _call(tree, funds, quota=2)
        quota = call.quotas.get()
        nominees = {}
        for node in (tree.b, tree.d, e):
            nominees[node.pk] = awards.nominate_for_award(quota=quota, node=Node.objects.get(pk=node.pk), actor=admin,
                                                statement="组织健全，服务有力")
        awards.close_nominations(call=call, actor=admin)
        marks = {tree.b.pk: ("38", "55"), tree.d.pk: ("30", "50"), e.pk: ("35", "56.5")}
        for pk, (a, b) in marks.items():
            for scorer in ("评委甲", "评委乙"):
                awards.score_nomination(nomination=nominees[pk], actor=admin, scorer=scorer, marks={"组织建设": a, "服务职工": b})
        call = awards.rank_nominations(call=call, actor=admin, on=datetime.date(2026, 6, 1))
        ranked = {n.node_id: n for n in Nomination.objects.filter(quota=quota)}
        assert [ranked[pk].rank for pk in (tree.b.pk, e.pk, tree.d.pk)] == [1, 2, 3]
        assert ranked[tree.b.pk].total == Decimal("93.00")
        assert ranked[tree.d.pk].status == NominationStatus.NOT_SELECTED
        with pytest.raises(DomainError):  # still in publicity
            awards.grant_awards(call=call, actor=admin, on=call.publicity_until)
        awards.grant_awards(call=call, actor=admin)
        payments = awards.pay_rewards(call=call, actor=admin)
        assert len(payments) == 2 and awards.pay_rewards(call=call, actor=admin) == []
        for payment in payments:
            ledger.approve_payment(payment=payment, actor=tree.user("a_fin"))
        assert LedgerEntry.objects.filter(payment__nomination__quota=quota).count() == 2
        spent = {r.category.pk: r.spent for r in selectors.funds_by_category(node=tree.a, year=YEAR)}
        assert spent[funds.award.pk] == Decimal("100000.00")
        assert call.__class__.objects.get(pk=call.pk).state == AwardCallState.AWARDED


@pytest.mark.parametrize("marks", [{"组织建设": "41", "服务职工": "50"}, {"组织建设": "-1", "服务职工": "50"},
                                   {"组织建设": "30"}, {"组织建设": "30", "服务职工": "50", "其他": "1"},
                                   {"组织建设": "abc", "服务职工": "50"}])
def test_marks_outside_the_scale_are_refused(tree, funds, marks):
    admin = tree.user("a_admin")
    with scopes_disabled():
        call = _call(tree, funds)
        nomination = awards.nominate_for_award(quota=call.quotas.get(), node=tree.b, actor=admin, statement="事迹")
        awards.close_nominations(call=call, actor=admin)
        before = snapshot()
        with pytest.raises(DomainError):
            awards.score_nomination(nomination=nomination, actor=admin, scorer="评委甲", marks=marks)
    assert snapshot() == before


def test_calls_refuse_bad_set_ups_and_steps_out_of_turn(tree, funds):
    admin = tree.user("a_admin")
    with scopes_disabled():
        with pytest.raises(DomainError):
            awards.create_call(node=tree.a, actor=admin, year=YEAR, title="评选", category=funds.award,
                               indicators=[{"name": "甲", "max": 50}], quotas=[{"name": "示范", "quota": 1,
                                                                             "reward": "100"}])
        with pytest.raises(DomainError):
            awards.create_call(node=tree.a, actor=admin, year=YEAR, title="评选", category=funds.award,
                               indicators=INDICATORS, quotas=[{"name": "示范", "quota": 1, "reward": "-100"}])
        call = _call(tree, funds)
        with pytest.raises(DomainError):
            awards.rank_nominations(call=call, actor=admin)
        with pytest.raises(DomainError):  # the organizer itself cannot be nominated
            awards.nominate_for_award(quota=call.quotas.get(), node=tree.a, actor=admin, statement="自荐")
        with pytest.raises(NotPermitted):  # a township clerk cannot nominate a sibling township
            awards.nominate_for_award(quota=call.quotas.get(), node=tree.d, actor=tree.user("b_clerk"), statement="推荐")
        awards.nominate_for_award(quota=call.quotas.get(), node=tree.b, actor=tree.user("b_clerk"), statement="自荐事迹")
        with pytest.raises(DomainError):
            awards.nominate_for_award(quota=call.quotas.get(), node=tree.b, actor=admin, statement="重复")
