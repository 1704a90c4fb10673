"""The course list on the phone and the workers' API reach every open course, a page at a time: the
filters run in the database, so nothing past the 200 soonest is silently out of reach."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from gonghui.activities import course_filters
from gonghui.activities.models import Activity

from .conftest import make_activity

pytestmark = pytest.mark.django_db

CARD = 'class="w-card c-item"'


def _courses(tree, n: int) -> list[Activity]:
    """``n`` open courses, the i-th opening for sign-up i minutes after the first (so in that order);
    the last one a legal micro-class in 河口镇."""
    first = make_activity(tree, title="第000期培训班")
    rows = []
    with scopes_disabled():
        for i in range(1, n):
            row = Activity.objects.get(pk=first.pk)
            row.pk = None
            row.title = f"第{i:03d}期培训班"
            row.signup_opens_at = first.signup_opens_at + datetime.timedelta(minutes=i)
            if i == n - 1:
                row.kind, row.venue_text = "legal_class", "河口镇文化站"
            rows.append(row)
        Activity.objects.bulk_create(rows)
    return [first, *rows]


def test_the_phone_pages_through_more_than_200_courses_at_a_flat_cost(tree, monkeypatch):
    monkeypatch.setattr(course_filters, "PER_PAGE", 50)
    _courses(tree, 230)
    client = Client()
    with CaptureQueriesContext(connection) as first:
        page = client.get("/w/courses/").content.decode()
    assert page.count(CARD) == 50 and "第000期培训班" in page and "1 / 5" in page
    with CaptureQueriesContext(connection) as last:
        page = client.get("/w/courses/", {"page": 5}).content.decode()
    assert page.count(CARD) == 30 and "第229期培训班" in page and "第199期培训班" not in page
    assert len(last) == len(first), [q["sql"][:120] for q in last.captured_queries]


def test_filters_find_a_course_past_the_first_200(tree):
    _courses(tree, 230)
    client = Client()
    for params in ({"kind": "legal_class"}, {"place": "河口"}):
        page = client.get("/w/courses/", params).content.decode()
        assert page.count(CARD) == 1 and "第229期培训班" in page, params


def test_the_query_count_does_not_grow_with_the_courses(tree, monkeypatch):
    monkeypatch.setattr(course_filters, "PER_PAGE", 50)
    _courses(tree, 3)
    client = Client()
    with CaptureQueriesContext(connection) as few:
        assert client.get("/w/courses/").content.decode().count(CARD) == 3
    with scopes_disabled():
        Activity.objects.all().delete()
    _courses(tree, 230)
    with CaptureQueriesContext(connection) as many:
        assert client.get("/w/courses/").content.decode().count(CARD) == 50
    assert len(many) == len(few)


def test_the_api_pages_through_every_open_course(tree):
    _courses(tree, 230)
    client = Client()
    body = client.get("/api/v1/w/courses", {"page_size": 100, "page": 3}).json()
    assert body["count"] == 230 and len(body["items"]) == 30
    assert body["items"][-1]["title"] == "第229期培训班"
    with CaptureQueriesContext(connection) as one_page:
        client.get("/api/v1/w/courses", {"page_size": 100, "page": 1})
    with CaptureQueriesContext(connection) as other:
        client.get("/api/v1/w/courses", {"page_size": 100, "page": 2})
    assert len(one_page) == len(other)
