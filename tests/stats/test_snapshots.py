"""Large subtrees read snapshots; they give the same numbers as the live count."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django_scopes import scopes_disabled

from gonghui.core.indicators import parse_period
from gonghui.stats import dashboard as dash
from gonghui.stats import services
from gonghui.stats.snapshots import default_days

TODAY = datetime.date(2026, 11, 23)
DAY = datetime.date(2026, 11, 22)


def board(tree, node, spec):
    with scopes_disabled():
        return dash.build(tree.user("a_admin"), node, parse_period(spec, today=TODAY), today=TODAY)


@pytest.mark.parametrize("spec", ["2025", "2026", "2025Q2", "2025-03", "2025-01-01~2025-06-30"])
def test_snapshot_dashboard_equals_the_live_one(known, settings, spec):
    live = board(known, known.a, spec)
    assert not live.snapshot
    with scopes_disabled():
        services.refresh_snapshots(days=default_days(DAY))
    settings.GONGHUI_STATS_LIVE_LIMIT = 0
    snap = board(known, known.a, spec)
    assert snap.snapshot
    expected = live if spec != "2026" else board_live_until(known, DAY)
    assert snap.values == expected.values
    assert snap.previous_values == expected.previous_values
    assert [(c.pk if c else None, v) for c, _cells, v in snap.children] == \
           [(c.pk if c else None, v) for c, _cells, v in expected.children]
    assert [(bd.key, rows) for bd, rows in snap.breakdowns] == [(bd.key, rows) for bd, rows in expected.breakdowns]
    assert snap.trend == expected.trend


def board_live_until(tree, day):
    """This year as of the snapshot day, counted live."""
    with scopes_disabled():
        return dash.build(tree.user("a_admin"), tree.a, parse_period("2026", today=TODAY), today=day)


def test_without_a_snapshot_for_the_period_the_count_is_live(known, settings):
    with scopes_disabled():
        services.refresh_snapshots(days=default_days(DAY))
    settings.GONGHUI_STATS_LIVE_LIMIT = 0
    assert not board(known, known.a, "2019").snapshot  # 2018-12-31 is not kept


def test_small_subtrees_are_counted_live_even_with_snapshots(known):
    with scopes_disabled():
        services.refresh_snapshots(days=default_days(DAY))
    assert not board(known, known.a, "2025").snapshot


def test_refresh_and_check_commands(known):
    out = StringIO()
    call_command("stats_refresh", "--day", "2025-12-31", "--day", "2024-12-31", "--no-progress", stdout=out)
    assert "snapshot rows" in out.getvalue()
    out = StringIO()
    call_command("stats_check", stdout=out)
    assert "snapshots match" in out.getvalue()


def test_custom_figures_are_read_from_the_snapshot_and_older_rows_count_them_live(known, settings):
    """Staff targets (custom indicators) are held in the snapshot: a large dashboard does not query
    their tables; rows written before they were held lack the marker and count them live."""
    from gonghui.orgs.models import StaffTarget
    from gonghui.stats.models import Snapshot
    from gonghui.stats.snapshots import COMPUTED

    with scopes_disabled():
        services.refresh_snapshots(days=default_days(DAY))
        StaffTarget.objects.all().delete()  # only the snapshot still knows them
    settings.GONGHUI_STATS_LIVE_LIMIT = 0
    snap = board(known, known.a, "2025")
    assert snap.snapshot
    assert (snap.values["orgs.staff_targets"], snap.values["orgs.staff_targets_met"]) == (2, 1)
    assert snap.values["orgs.staff_target_rate"] == 50
    by_child = {c.pk: v["orgs.staff_targets"] for c, _cells, v in
                board_ranked(known, "orgs.staff_targets").children if c is not None}
    assert by_child == {known.b.pk: 1, known.d.pk: 1}
    with scopes_disabled():
        for row in Snapshot.objects.all():
            row.values.pop(COMPUTED)
            row.save(update_fields=["values"])
    older = board(known, known.a, "2025")
    assert older.snapshot and older.values["orgs.staff_targets"] == 0  # counted live: no targets left


def board_ranked(tree, rank):
    with scopes_disabled():
        return dash.build(tree.user("a_admin"), tree.a, parse_period("2025", today=TODAY), rank=rank, today=TODAY)
