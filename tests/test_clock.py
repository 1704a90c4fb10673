"""The test clock: moves every way the code reads the time, in Beijing time, and ticks on."""

import datetime

from django.utils import timezone

from gonghui.core import workdays


def test_the_clock_moves_timezone_now_and_today(clock):
    moment = clock.move_to("2027-01-04T07:30")  # Beijing; still 3 January in UTC
    assert timezone.localdate() == datetime.date(2027, 1, 4) == clock.today()
    assert timezone.now().astimezone(datetime.UTC).date() == datetime.date(2027, 1, 3)
    assert abs((timezone.now() - moment).total_seconds()) < 60


def test_a_date_moves_to_ten_in_the_morning(clock):
    clock.move_to(datetime.date(2026, 2, 14))  # a make-up working Saturday before the Spring Festival
    assert timezone.localtime().hour == 10
    assert workdays.is_workday(clock.today())
