"""A hardship file's history and a programme's publicity lists page instead of stopping at fifty
events and twenty lists."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gonghui.aid.models import HardshipEvent, Publicity

from .conftest import make_programme
from .test_hardship_and_wishes import register

pytestmark = pytest.mark.usefixtures("unscoped")


def test_a_hardship_files_history_pages_past_fifty_events(client, people):
    file = register(people)
    before = HardshipEvent.objects.filter(file=file).count()
    HardshipEvent.objects.bulk_create([HardshipEvent(file=file, action=HardshipEvent.objects.filter(file=file)
                                                     .values_list("action", flat=True).first(), note=f"第{n}次")
                                       for n in range(60)])
    client.force_login(people.user("b_clerk"))
    first = client.get(reverse("aid:hardship", args=[file.pk]))
    assert first.status_code == 200
    assert len(first.context["events"]) == 50 and first.context["events"].paginator.count == 60 + before
    assert "epage=2" in first.content.decode()
    second = client.get(reverse("aid:hardship", args=[file.pk]), {"epage": 2})
    assert len(second.context["events"]) == 10 + before


def test_a_programmes_publicity_lists_page_past_twenty(client, people):
    programme = make_programme(people)
    start = datetime.date(2024, 1, 1)
    Publicity.objects.bulk_create([Publicity(programme=programme, node=people.a,
                                             published_on=start + datetime.timedelta(days=n),
                                             objection_until=start + datetime.timedelta(days=n + 7))
                                   for n in range(25)])
    client.force_login(people.user("a_admin"))
    url = reverse("aid:programme", args=[programme.pk])
    with CaptureQueriesContext(connection) as first_queries:
        first = client.get(url)
    html = first.content.decode()
    assert first.status_code == 200 and 'data-total="25"' in html and "ppage=2" in html
    assert "2024-01-25" in html and "2024-01-05" not in html  # the newest twenty
    with CaptureQueriesContext(connection) as second_queries:
        second = client.get(url, {"ppage": 2}).content.decode()
    assert "2024-01-01" in second and "2024-01-05" in second and "2024-01-25" not in second
    assert len(second_queries) == len(first_queries)  # five lists or twenty: no query per list
