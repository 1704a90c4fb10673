"""Figures of positions as statistics reads them: positions by type, worker's homes by demonstration
level, visits (服务人次) by period and month, members and prospects among them; and the API's figures."""

import datetime

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from gonghui.core import indicators as registry
from gonghui.core.indicators import Period
from gonghui.orgs.models import Node
from gonghui.positions.models import Visit
from gonghui.stats import selectors as stats
from tests.positions.factories import make_position


@pytest.fixture
def figures(tree):
    with scopes_disabled():
        make_position(tree.c, tree=tree, kind="workers_home", level="county")
        make_position(tree.c, tree=tree, kind="small_workers_home")
        make_position(tree.b, tree=tree, kind="workers_home", level="city")
        make_position(tree.b, tree=tree, kind="workers_home", level="city", status="closed")  # not in service
        station = make_position(tree.b, tree=tree, kind="rest_station")
        make_position(tree.d, tree=tree, kind="workers_home", level="national")  # another township
        for month, day, kind in ((1, 5, "member"), (1, 20, "prospect"), (3, 2, "member"), (3, 3, "member")):
            at = timezone.make_aware(datetime.datetime(2026, month, day, 10))
            Visit.objects.create(position=station, person_key=f"p{month}{day}", kind=kind, hour=at, at=at)
    return tree


def test_breakdowns_by_type_and_by_level(figures):
    with scopes_disabled():
        node = Node.objects.get(pk=figures.b.pk)
        rows = {bd.key: {value: n for value, _label, n in found}
                for bd, found in stats.breakdowns(node, Period(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31), "year"))}
    assert rows["positions.by_kind"] == {"workers_home": 2, "small_workers_home": 1, "rest_station": 1}
    assert rows["positions.homes_by_level"] == {"county": 1, "city": 1, "": 1}


def test_visits_by_period_and_who(figures):
    with scopes_disabled():
        node = Node.objects.get(pk=figures.b.pk)
        quarter = stats.evaluate_node(node, Period(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31), "quarter"))
        january = stats.evaluate_node(node, Period(datetime.date(2026, 1, 1), datetime.date(2026, 1, 31), "month"))
        homes = stats.evaluate_node(node, Period(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31), "year"))
    assert (quarter["positions.visits"], quarter["positions.visits_members"], quarter["positions.visits_prospects"]) \
        == (4, 3, 1)
    assert (january["positions.visits"], january["positions.visits_members"]) == (2, 1)
    assert (homes["positions.homes"], homes["positions.homes_demonstration"]) == (3, 2)


def test_visits_month_by_month_in_the_trend(figures):
    with scopes_disabled():
        node = Node.objects.get(pk=figures.b.pk)
        months, series = stats.trend(node, Period(datetime.date(2026, 1, 1), datetime.date(2026, 6, 30), "range"),
                                     [registry.get("positions.visits")])
    assert [m.start.month for m in months] == [1, 2, 3, 4, 5, 6] and series["positions.visits"] == [2, 0, 2, 0, 0, 0]


def test_api_figures(figures, client):
    from gonghui.accounts.services import create_api_token

    with scopes_disabled():
        _t, key = create_api_token(user=figures.user("b_admin"), name="t")
    data = client.get("/api/v1/positions/indicators", {"node": figures.b.pk, "year": 2026},
                      HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert data["homes_by_level"] == {"none": 1, "county": 1, "city": 1, "province": 0, "national": 0}
    assert [m["visits"] for m in data["visits_by_month"]][:3] == [2, 0, 2]
