import datetime

from gonghui.core.workdays import add_workdays, is_workday, workdays_between

D = datetime.date


def test_national_day_holidays_are_not_working_days():
    assert not is_workday(D(2026, 10, 1))
    assert not is_workday(D(2026, 10, 7))


def test_make_up_saturday_is_a_working_day():
    # 2026: Saturday 10 October is a make-up workday for National Day; Sunday 11 October is not.
    assert is_workday(D(2026, 10, 10))
    assert not is_workday(D(2026, 10, 11))


def test_fifteen_working_days_across_national_day():
    # Submitted Wednesday 30 September 2026. Holiday 1-7 October; Saturday 10 October is worked.
    # Counting by hand: 8, 9, 10, 12-16, 19-23, 26, 27 October -> the 15th working day is 27 October
    # (a weekends-only count would give 21 October).
    assert add_workdays(D(2026, 9, 30), 15) == D(2026, 10, 27)
    assert workdays_between(D(2026, 9, 30), D(2026, 10, 27)) == 15


def test_year_without_schedule_falls_back_to_weekdays():
    assert is_workday(D(2031, 1, 6))  # a Monday
    assert not is_workday(D(2031, 1, 4))  # a Saturday


def test_workdays_between_is_antisymmetric():
    a, b = D(2026, 1, 1), D(2026, 3, 1)
    assert workdays_between(a, b) == -workdays_between(b, a)
