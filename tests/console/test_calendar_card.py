"""The console says when deadlines are counted Monday to Friday because the calendar lacks a year."""

import datetime

import pytest

from gonghui.console.calendar_card import unknown_years
from gonghui.core.workdays import schedule_known

from .kit import cadre

pytestmark = pytest.mark.django_db

# The first year the installed chinesecalendar has no schedule for (2027 with chinesecalendar 1.11).
UNKNOWN = next(year for year in range(2025, 2100) if not schedule_known(year))


def test_the_next_year_counts_from_december_and_the_current_year_always():
    assert unknown_years(datetime.date(UNKNOWN - 1, 11, 30)) == []
    assert unknown_years(datetime.date(UNKNOWN - 1, 12, 1)) == [UNKNOWN]
    assert unknown_years(datetime.date(UNKNOWN, 3, 1)) == [UNKNOWN]


def _home(tree):
    return cadre(tree, "b_admin").get("/console/").content.decode()


def test_the_card_shows_on_the_console_home_when_a_year_is_unknown(tree, clock):
    clock.move_to(datetime.datetime(UNKNOWN - 1, 12, 15, 10, 0))
    page = _home(tree)
    assert 'id="calendar-card"' in page and str(UNKNOWN) in page and "周一至周五" in page
    clock.move_to(datetime.datetime(UNKNOWN - 1, 6, 15, 10, 0))
    assert 'id="calendar-card"' not in _home(tree)
