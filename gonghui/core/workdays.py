"""Working days in mainland China: statutory holidays and make-up workdays (调休), not weekends only.

The calendar comes from ``chinesecalendar``, which carries each year's State Council schedule.
A year it does not know yet (the schedule is published each November for the next year) falls
back to Monday-Friday, and the fallback is logged so that an outdated package is noticed.
"""

import datetime
import logging
from functools import lru_cache

import chinese_calendar
from django.utils.translation import gettext

log = logging.getLogger(__name__)


@lru_cache(maxsize=64)
def schedule_known(year: int) -> bool:
    """Whether the installed calendar carries that year's holiday schedule. The first time a year
    is found missing, the fallback is logged (once per year, not once per date)."""
    try:
        chinese_calendar.is_workday(datetime.date(year, 1, 1))
    except NotImplementedError:
        log.warning(gettext("No holiday schedule for %(year)s: working days counted Monday to Friday "
                            "(upgrade chinesecalendar)."), {"year": year})
        return False
    return True


@lru_cache(maxsize=4096)
def is_workday(day: datetime.date) -> bool:
    if not schedule_known(day.year):
        return day.weekday() < 5
    return chinese_calendar.is_workday(day)


def add_workdays(start: datetime.date, days: int) -> datetime.date:
    """The date ``days`` working days after ``start`` (``start`` itself not counted)."""
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    remaining = days
    while remaining:
        day += datetime.timedelta(days=1)
        if is_workday(day):
            remaining -= 1
    return day


def workdays_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after ``start`` up to and including ``end`` (negative when end is earlier)."""
    if end < start:
        return -workdays_between(end, start)
    count = 0
    day = start
    while day < end:
        day += datetime.timedelta(days=1)
        count += is_workday(day)
    return count
