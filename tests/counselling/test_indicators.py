"""Counselling's figures in the statistics registry are counts only — sessions held, people, hours,
hotline calls, mental-health lectures and their participants — equal to the counselling page's
counts, by the union of the counselling room, and never who or what."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
from django_scopes import scopes_disabled

from gonghui.core.indicators import Period, all_indicators
from gonghui.counselling import selectors, services
from gonghui.orgs.models import Node
from gonghui.stats import selectors as stats
from tests.activities.conftest import book as book_seat
from tests.activities.conftest import make_activity, make_worker
from tests.counselling.kit import counsellor, worker

pytestmark = pytest.mark.django_db
BJ = zoneinfo.ZoneInfo("Asia/Shanghai")
YEAR = Period(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31), "year")
KEYS = ("counselling.sessions", "counselling.people", "counselling.hours", "counselling.calls",
        "counselling.lectures", "counselling.lecture_people")


def test_the_figures_are_counts_equal_to_the_counselling_page(tree, clock):
    clock.move_to("2026-05-20T10:00")
    lecture = make_activity(tree, tree.c, kind="counselling", title="职工心理健康讲座：走出焦虑", capacity=30)
    for _i in range(2):
        book_seat(lecture, make_worker())
    clock.move_to("2026-05-28T10:00")
    c, other_room = counsellor(tree), counsellor(tree, tree.d)
    someone = worker()
    with scopes_disabled():
        for day, who, c_ in ((1, someone, c), (3, someone, c), (8, worker(), other_room)):
            hour = 9 if day != 3 else 14
            s = services.book_session(worker=who, counsellor=c_, starts_at=datetime.datetime(2026, 6, day, hour, 0, tzinfo=BJ),
                              topic="家庭矛盾")
            services.write_note(session=s, actor=c_.user, note="保密内容")
        services.book_session(worker=worker(), counsellor=c, starts_at=datetime.datetime(2026, 6, 15, 9, 0, tzinfo=BJ))
        services.record_call(actor=c.user, counsellor=c, called_at=datetime.datetime(2026, 5, 27, 20, 0, tzinfo=BJ),
                             minutes=30, category="work")
    clock.move_to("2026-06-30T10:00")
    with scopes_disabled():
        county = stats.evaluate_node(Node.objects.get(pk=tree.a.pk), YEAR)
        township = stats.evaluate_node(Node.objects.get(pk=tree.b.pk), YEAR)
        page = selectors.counts(start=YEAR.start, end=YEAR.end, node=tree.a)
    assert {k: county[k] for k in KEYS} == {
        "counselling.sessions": 3, "counselling.people": 2, "counselling.hours": Decimal("2.5"),
        "counselling.calls": 1, "counselling.lectures": 1, "counselling.lecture_people": 2}
    assert (page["sessions"], page["people"], page["hours"], page["calls"]) == (3, 2, 2.5, 1)
    assert (township["counselling.sessions"], township["counselling.hours"]) == (2, Decimal("1.7"))
    assert township["counselling.lectures"] == (1 if tree.c.path.startswith(tree.b.path) else 0)


def test_every_figure_is_a_count_in_the_registry_with_the_others():
    found = {ind.key: ind for ind in all_indicators()}
    keys = set(found)
    assert set(KEYS) <= keys
    assert {"modelworkers.people", "modelworkers.visited", "modelworkers.helped", "modelworkers.allowance_paid",
            "contests.held", "contests.entries", "contests.participation_above", "contests.participation_small",
            "contests.winners"} <= keys
    assert all(found[k].kind == "count" for k in KEYS)
