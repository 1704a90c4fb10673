"""Deadlines past the holiday schedule the calendar package knows: counted Monday to Friday, logged,
and said beside the date on the console, the worker's page and the API."""

import datetime
import logging

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from gonghui.accounts.services import create_api_token
from gonghui.core import workdays
from gonghui.core.workdays import schedule_known
from gonghui.rights.deadlines import deadline_note, weekday_only_years
from gonghui.rights.models import Case

from .conftest import hotline_case, make_worker
from .test_worker_pages import phone_client

pytestmark = pytest.mark.django_db

# The first year the installed chinesecalendar has no schedule for (2027 with chinesecalendar 1.11).
UNKNOWN = next(year for year in range(2025, 2100) if not schedule_known(year))


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    workdays.is_workday.cache_clear()
    yield
    workdays.is_workday.cache_clear()


def test_the_package_knows_this_year_and_not_the_unknown_one():
    assert schedule_known(UNKNOWN - 1) and not schedule_known(UNKNOWN)
    assert weekday_only_years(datetime.date(UNKNOWN - 1, 12, 1), datetime.date(UNKNOWN, 1, 10)) == [UNKNOWN]
    assert weekday_only_years(datetime.date(UNKNOWN - 1, 3, 1), datetime.date(UNKNOWN - 1, 4, 1)) == []


def test_beyond_the_schedule_working_days_are_monday_to_friday_and_a_warning_is_logged(caplog):
    start = datetime.date(UNKNOWN - 1, 12, 31)
    workdays.schedule_known.cache_clear()  # the fallback is logged the first time a year is met
    workdays.is_workday.cache_clear()
    with caplog.at_level(logging.WARNING, logger="gonghui.core.workdays"):
        due = workdays.add_workdays(start, 5)
    expected, day, left = start, start, 5
    while left:
        day += datetime.timedelta(days=1)
        if day.year < UNKNOWN:
            left -= workdays.is_workday(day)
        elif day.weekday() < 5:  # New Year's Day and all: weekdays only, no holiday known
            left -= 1
        expected = day
    assert due == expected and due.year == UNKNOWN
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING and str(UNKNOWN) in r.getMessage()]
    assert len(warnings) == 1 and "周一至周五" in warnings[0].getMessage()  # once per year, not per date
    # 1 January is a weekday holiday every year, but without the schedule it counts as a working day
    jan1 = datetime.date(UNKNOWN, 1, 1)
    assert workdays.is_workday(jan1) == (jan1.weekday() < 5)


def _case_due_in_the_unknown_year(tree, worker=None):
    case = hotline_case(tree, **({"claimant_phone": worker.phone} if worker else {}))
    since = datetime.date(UNKNOWN - 1, 12, 28)
    with scopes_disabled():
        Case.objects.filter(pk=case.pk).update(stage_since=since, due_on=workdays.add_workdays(since, 5))
        case.refresh_from_db()
    return case


def test_the_note_shows_beside_the_deadline_on_the_console_the_phone_and_the_api(people, clock):
    worker = make_worker()
    case = _case_due_in_the_unknown_year(people, worker)
    # A case opened in the spring of a year the calendar knows: its deadline stays in that year,
    # whatever today's date is (from 25 December on, a case opened today is due in the next year).
    clock.move_to(datetime.datetime(UNKNOWN - 1, 4, 14, 10, 0))
    plain = hotline_case(people)
    note = deadline_note(case)
    assert str(UNKNOWN) in note and deadline_note(plain) == ""
    client = Client()
    client.force_login(people.user("b_admin"))
    page = client.get(f"/rights/cases/{case.pk}/").content.decode()
    assert 'id="deadline-note"' in page and f"{UNKNOWN}年按周一至周五计算" in page
    assert 'id="deadline-note"' not in client.get(f"/rights/cases/{plain.pk}/").content.decode()
    phone = phone_client(worker).get(f"/w/claims/{case.pk}/").content.decode()
    assert f"{UNKNOWN}年按周一至周五计算" in phone and "下一环节办理时限" in phone
    with scopes_disabled():
        _token, key = create_api_token(user=people.user("b_admin"), name="t")
    api = Client(headers={"Authorization": f"Bearer {key}"})
    assert str(UNKNOWN) in api.get(f"/api/v1/rights/cases/{case.pk}").json()["deadline_note"]
    assert api.get(f"/api/v1/rights/cases/{plain.pk}").json()["deadline_note"] == ""


def test_a_case_without_a_deadline_has_no_note(people):
    case = hotline_case(people)
    case.due_on = None
    assert deadline_note(case) == ""
