"""Award indicators read from statistics: a call names a registered figure (core.indicators) and the
value earning the top mark; scoring starts by reading it for each nominee's subtree and year."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from gonghui.core.errors import DomainError
from gonghui.funds import readings
from gonghui.funds.models import AwardCall, Nomination
from gonghui.funds.services import awards
from gonghui.orgs.models import Node
from tests.funds.kit import YEAR, setup
from tests.test_scope_proof import snapshot

pytestmark = pytest.mark.django_db

INDICATORS = [{"name": "组织建设", "max": 40}, {"name": "服务职工", "max": 30},
              {"name": "职工覆盖", "max": 30, "indicator": "orgs.workers", "target": "300"}]


@pytest.fixture
def funds(tree):
    return setup(tree)


def _call(tree, funds, indicators=INDICATORS, quota=1):
    return awards.create_call(node=tree.a, actor=tree.user("a_admin"), year=YEAR, title="示范乡镇工会评选",
                              category=funds.award, indicators=indicators,
                              quotas=[{"name": "示范乡镇（街道）工会", "quota": quota, "reward": "50000"}])


def _nominated(tree, call):
    admin = tree.user("a_admin")
    quota = call.quotas.get()
    return {n.pk: awards.nominate_for_award(quota=quota, node=Node.objects.get(pk=n.pk), actor=admin, statement="组织健全")
            for n in (tree.b, tree.d)}


def test_a_read_indicator_is_filled_for_each_nominee_and_added_to_every_score(tree, funds, unscoped):
    admin = tree.user("a_admin")
    call = _call(tree, funds)
    assert call.indicators[2] == {"name": "职工覆盖", "max": 30, "indicator": "orgs.workers", "target": "300"}
    nominees = _nominated(tree, call)
    awards.close_nominations(call=call, actor=admin)
    b, d = (Nomination.objects.get(pk=nominees[n.pk].pk) for n in (tree.b, tree.d))
    # township B's subtree declares 150 workers (enterprise C), D none: 150/300 of 30 marks, and 0
    assert b.readings["职工覆盖"]["value"] == "150" and b.readings["职工覆盖"]["mark"] == "15.0"
    assert d.readings["职工覆盖"]["value"] == "0" and d.readings["职工覆盖"]["mark"] == "0.0"
    score = awards.score_nomination(nomination=b, actor=admin, scorer="评委甲", marks={"组织建设": "36", "服务职工": "25"})
    assert score.total == Decimal("76.0") and score.marks["职工覆盖"] == "15.0"
    awards.score_nomination(nomination=d, actor=admin, scorer="评委甲", marks={"组织建设": "38", "服务职工": "28"})
    awards.rank_nominations(call=call, actor=admin, on=datetime.date(2026, 6, 1))
    ranked = {n.node_id: n for n in Nomination.objects.filter(quota__call=call)}
    assert ranked[tree.b.pk].rank == 1 and ranked[tree.b.pk].total == Decimal("76.00")
    assert ranked[tree.d.pk].total == Decimal("66.00")


def test_the_reading_agrees_with_the_dashboard(tree, funds, unscoped):
    from gonghui.stats.selectors import evaluate

    period = readings.year_period(YEAR)
    for key in ("orgs.workers", "orgs.unions", "orgs.grassroots", "orgs.unionization_rate", "funds.allocated"):
        expected = evaluate(tree.b.path, period)[key]
        assert readings.value(key, tree.b, period) == expected, key
    assert readings.value("funds.allocated", tree.a, period) == Decimal("1200000.00")  # 3 × 2 × 200,000 handed down
    assert readings.mark(Decimal("450"), Decimal("300"), 30) == Decimal("30.0")  # capped at the top mark
    assert readings.mark(None, Decimal("80"), 20) == Decimal("0.0")  # a rate with nothing to divide by


@pytest.mark.parametrize("row, code", [
    ({"name": "覆盖", "max": 30, "indicator": "no.such.figure", "target": "10"}, "indicator_unknown"),
    ({"name": "覆盖", "max": 30, "indicator": "orgs.workers", "target": "0"}, "target_invalid"),
    ({"name": "覆盖", "max": 30, "indicator": "orgs.workers", "target": "-5"}, "target_invalid"),
    ({"name": "覆盖", "max": 30, "indicator": "orgs.workers", "target": "abc"}, "target_invalid"),
    ({"name": "覆盖", "max": 30, "indicator": "orgs.workers", "target": "1.005"}, "target_invalid"),
    ({"name": "覆盖", "max": 30, "indicator": "orgs.unionization_rate", "target": "120"}, "target_invalid"),
])
def test_bad_read_indicators_are_refused_and_nothing_is_created(tree, funds, unscoped, row, code):
    before = snapshot()
    with pytest.raises(DomainError) as refused:
        _call(tree, funds, indicators=[{"name": "组织建设", "max": 70}, row])
    assert refused.value.code == code and refused.value.message
    assert snapshot() == before and not AwardCall.objects.exists()


def test_scorers_cannot_mark_a_read_indicator(tree, funds, unscoped):
    admin = tree.user("a_admin")
    call = _call(tree, funds)
    nomination = _nominated(tree, call)[tree.b.pk]
    awards.close_nominations(call=call, actor=admin)
    before = snapshot()
    with pytest.raises(DomainError) as refused:
        awards.score_nomination(nomination=nomination, actor=admin, scorer="评委甲",
                     marks={"组织建设": "36", "服务职工": "25", "职工覆盖": "30"})
    assert refused.value.code == "indicator_read"
    with pytest.raises(DomainError) as refused:
        awards.score_nomination(nomination=nomination, actor=admin, scorer="评委甲", marks={"组织建设": "36"})
    assert refused.value.code == "marks_incomplete"
    assert snapshot() == before


def test_a_call_read_entirely_from_statistics_ranks_without_scorers(tree, funds, unscoped):
    admin = tree.user("a_admin")
    call = _call(tree, funds, indicators=[
        {"name": "职工覆盖", "max": 60, "indicator": "orgs.workers", "target": "100"},
        {"name": "工会组织", "max": 40, "indicator": "orgs.unions", "target": "2"}])
    _nominated(tree, call)
    awards.close_nominations(call=call, actor=admin)
    awards.rank_nominations(call=call, actor=admin, on=datetime.date(2026, 6, 1))
    ranked = {n.node_id: n for n in Nomination.objects.filter(quota__call=call)}
    # B: 60 (150 ≥ 100 workers) + 40 (2 unions: B and C); D: 0 + 20 (itself)
    assert ranked[tree.b.pk].total == Decimal("100.00") and ranked[tree.b.pk].rank == 1
    assert ranked[tree.d.pk].total == Decimal("20.00")


def test_console_and_api_show_the_readings(tree, funds):
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from .test_views import _api

    admin = tree.user("a_admin")
    client = Client()
    client.force_login(admin)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.create(user=admin, name="t", confirmed=True).persistent_id
    session.save()
    response = client.post(f"/funds/awards/?node={tree.a.pk}", {
        "title": "示范评选", "year": YEAR, "category": funds.award.pk,
        "indicators": "组织建设：70\n职工覆盖：30：orgs.workers：300", "quotas": "示范乡镇：1：50000"})
    assert response.status_code == 302, response.content.decode()[:500]
    with scopes_disabled():
        call = AwardCall.objects.get()
        assert call.indicators[1]["indicator"] == "orgs.workers"
        _nominated(tree, call)
        awards.close_nominations(call=call, actor=admin)
    page = client.get(f"/funds/awards/{call.pk}/").content.decode()
    assert 'data-reading="职工覆盖"' in page and "150 → 15.0" in page
    assert 'name="mark_1"' not in page and 'name="mark_0"' in page  # the sheet asks only for marked ones
    items = Client().get(f"/api/v1/funds/awards/{call.pk}/nominations", headers=_api(tree, "a_admin")).json()
    assert {i["node_id"]: i["readings"]["职工覆盖"]["mark"] for i in items} == {tree.b.pk: "15.0", tree.d.pk: "0.0"}
    response = Client().post("/api/v1/funds/awards", {
        "node_id": tree.a.pk, "year": YEAR, "title": "接口评选", "category_id": funds.award.pk,
        "indicators": [{"name": "组织建设", "max": 70}, {"name": "覆盖", "max": 30, "indicator": "orgs.workers",
                                                        "target": 300}],
        "quotas": [{"name": "示范", "quota": 1, "reward": "100"}]}, content_type="application/json",
        headers=_api(tree, "a_admin"))
    assert response.status_code == 201, response.content
    assert response.json()["indicators"][1] == {"name": "覆盖", "max": 30, "indicator": "orgs.workers", "target": "300"}
