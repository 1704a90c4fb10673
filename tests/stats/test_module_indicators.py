"""The figures positions and activities declare, computed on records made here (counted by hand)."""

import datetime

from django.utils import timezone
from django_scopes import scopes_disabled

from gonghui.activities.services import signup
from gonghui.core import indicators
from gonghui.core.indicators import Period
from gonghui.positions.models import PositionKind
from gonghui.positions.services import positions as position_services
from gonghui.positions.services import visits
from gonghui.stats import selectors
from tests.activities.conftest import book, make_activity, make_member_worker, make_worker
from tests.positions.factories import make_position


def _figures(node, period):
    with scopes_disabled():
        return selectors.evaluate_node(node, period)


def test_positions_in_service_and_visits(tree):
    today = timezone.localdate()
    with scopes_disabled():
        home = make_position(tree.c, tree=tree, name="精密机械职工之家", kind=PositionKind.WORKERS_HOME)
        station = make_position(tree.b, tree=tree, name="城关环卫驿站", kind=PositionKind.REST_STATION)
        make_position(tree.d, tree=tree, name="河口镇渡口驿站", kind=PositionKind.REST_STATION)
        closed = make_position(tree.b, tree=tree, name="老街驿站", kind=PositionKind.REST_STATION)
        position_services.update_position(position=closed, actor=tree.user("a_admin"), status="closed")
        member = make_member_worker(tree, tree.c, 41)
        stranger = make_worker()
        now = timezone.now()
        visits.visit_by_worker(position=home, worker=member, at=now)
        visits.visit_by_worker(position=home, worker=member, at=now)  # same hour: counted once
        visits.visit_by_worker(position=station, worker=stranger, at=now)
        visits.visit_by_worker(position=station, worker=member, at=now - datetime.timedelta(days=400))
    year = Period(datetime.date(today.year, 1, 1), today, "range")
    b = _figures(tree.b, year)
    assert b["positions.open"] == 2          # home (in C) and the open station; not the closed one, not D's
    assert b["positions.homes"] == 1
    assert b["positions.stations"] == 1
    assert b["positions.visits"] == 2          # twice in one hour counts once; last year's is outside
    assert b["positions.visits_prospects"] == 1
    assert _figures(tree.a, year)["positions.open"] == 3
    assert "positions.open" in {i.key for i in indicators.all_indicators()}


def test_activities_held_seats_and_participant_times(tree):
    with scopes_disabled():
        course = make_activity(tree, node=tree.c, capacity=5)
        make_activity(tree, node=tree.c, title="草稿班", publish=False)
        make_activity(tree, node=tree.d, title="河口插花班")
        bookings = [book(course, make_worker()) for _ in range(3)]
        session = course.sessions.get()
        for booking in bookings[:2]:
            signup.check_in(session=session, token=signup.issue_ticket_token(booking=booking), actor=tree.user("b_admin"))
    start = course.starts_at.astimezone(timezone.get_current_timezone()).date()
    period = Period(timezone.localdate(), start + datetime.timedelta(days=1), "range")
    b = _figures(tree.b, period)
    assert b["activities.held"] == 1         # not the draft, not D's
    assert b["activities.seats"] == 3
    assert b["activities.participant_times"] == 2
    assert _figures(tree.a, period)["activities.held"] == 2
