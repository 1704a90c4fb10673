"""Opening hours: typed ranges checked, open/closed worked out in Asia/Shanghai with public holidays."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from gonghui.positions import hours

WEEKDAYS = {str(d): [["08:00", "12:00"], ["14:00", "18:00"]] for d in range(5)}


def at(text: str) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.fromisoformat(text))


def state(text, week=WEEKDAYS, **kw):
    kw.setdefault("open_24h", False)
    kw.setdefault("closed_on_holidays", True)
    return hours.open_state(week=week, at=at(text), **kw)


def test_parse_one_line_schedule_as_imports_bring_it():
    week, all_day = hours.parse_schedule_text("周一至周五 08:00-12:00，14:00-18:00；周六、周日 09:00-17:00")
    assert not all_day
    assert week["0"] == [["08:00", "12:00"], ["14:00", "18:00"]] and week["6"] == [["09:00", "17:00"]]
    assert hours.parse_schedule_text("24小时") == ({str(i): [] for i in range(7)}, True)
    assert hours.parse_schedule_text("每天 07:00-21:00")[0]["3"] == [["07:00", "21:00"]]
    assert hours.parse_schedule_text("Mon-Fri 08:00-17:30")[0]["4"] == [["08:00", "17:30"]]


def test_ranges_may_end_at_midnight():
    assert hours.parse_ranges("18:00-24:00") == [["18:00", "24:00"]]


@pytest.mark.parametrize("text, code", [
    ("18:00-08:00", "hours_end_before_start"),
    ("09:00-09:00", "hours_end_before_start"),
    ("08:00-12:00, 11:00-14:00", "hours_overlap"),
    ("8点-12点", "hours_bad_time"),
    ("08:00", "hours_bad_range"),
    ("25:00-26:00", "hours_bad_time"),
    ("08:61-09:00", "hours_bad_time"),
])
def test_bad_ranges_are_refused_with_a_reason(text, code):
    with pytest.raises(ValidationError) as exc:
        hours.parse_ranges(text, day_label="星期一")
    assert exc.value.code == code


def test_a_day_given_twice_is_refused():
    with pytest.raises(ValidationError):
        hours.parse_schedule_text("周一至周五 08:00-18:00；周五 09:00-12:00")


def test_open_until_and_closed_opens_at():
    # 2026-11-23 is a Monday.
    translation.activate("en")
    assert state("2026-11-23 10:00").label == "open until 12:00"
    assert state("2026-11-23 12:30").label == "closed, opens 14:00"
    assert state("2026-11-23 07:00").label == "closed, opens 08:00"
    assert state("2026-11-23 19:00").label == "closed, opens tomorrow 08:00"
    friday_evening = state("2026-11-27 19:00")
    assert not friday_evening.is_open and friday_evening.opens_weekday == 0 and friday_evening.opens_day == 3


def test_labels_are_in_chinese_by_default():
    assert state("2026-11-23 10:00").label == "营业至 12:00"
    assert state("2026-11-23 12:30").label == "休息中，14:00 开放"


def test_closed_on_public_holidays_but_open_on_make_up_workdays_as_scheduled():
    # 2026-10-01 (Thursday) is National Day.
    assert not state("2026-10-01 10:00").is_open
    assert state("2026-10-01 10:00", closed_on_holidays=False).is_open
    assert hours.is_public_holiday(datetime.date(2026, 10, 1))
    assert not hours.is_public_holiday(datetime.date(2026, 11, 21))  # an ordinary Saturday


def test_open_24_hours():
    s = state("2026-11-23 03:00", week={}, open_24h=True, closed_on_holidays=False)
    assert s.is_open and s.all_day and s.label == "24小时开放"
    holiday = state("2026-10-01 03:00", week={}, open_24h=True, closed_on_holidays=True)
    assert not holiday.is_open


def test_not_in_service_is_closed():
    assert not hours.open_state(week=WEEKDAYS, open_24h=True, closed_on_holidays=False, in_service=False).is_open
