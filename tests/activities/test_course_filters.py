"""The course list on the phone: filters by type, place, date and seats left, 20 a page; bad input said."""

import datetime

import pytest
from django.db.models import F
from django.test import Client
from django.utils import timezone
from django_scopes import scopes_disabled

from gonghui.activities.models import Activity

from .conftest import make_activity

pytestmark = pytest.mark.django_db


def _titles(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_filters_by_type_place_date_and_seats(tree):
    make_activity(tree, title="插花课", kind="course", venue_text="城关镇职工之家")
    make_activity(tree, title="法律微课堂", kind="legal_class", venue_text="河口镇文化站")
    full = make_activity(tree, title="满员的瑜伽课", kind="course", venue_text="城关镇职工之家")
    with scopes_disabled():
        Activity.objects.filter(pk=full.pk).update(taken=full.capacity)
        later = make_activity(tree, title="下月的合唱课", kind="course", venue_text="城关镇职工之家")
        shift = datetime.timedelta(days=40)
        Activity.objects.filter(pk=later.pk).update(starts_at=F("starts_at") + shift, ends_at=F("ends_at") + shift)
    client = Client()
    page = _titles(client.get("/w/courses/", {"kind": "legal_class"}))
    assert "法律微课堂" in page and "插花课" not in page
    page = _titles(client.get("/w/courses/", {"place": "河口"}))
    assert "法律微课堂" in page and "插花课" not in page
    page = _titles(client.get("/w/courses/", {"seats": "1", "kind": "course"}))
    assert "插花课" in page and "满员的瑜伽课" not in page
    cut = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    page = _titles(client.get("/w/courses/", {"date": cut}))
    assert "下月的合唱课" in page and "插花课" not in page


def test_bad_filters_are_said_and_the_list_stays(tree):
    make_activity(tree, title="插花课", kind="course")
    page = _titles(Client().get("/w/courses/", {"date": "明天", "place": "镇" * 41, "kind": "nonsense"}))
    assert "插花课" in page and page.count('class="errorlist"') == 3 and "40" in page


def test_the_list_comes_in_pages_of_20(tree):
    for i in range(23):
        make_activity(tree, title=f"第{i:02d}期培训班", kind="course")
    first = _titles(Client().get("/w/courses/"))
    assert first.count('class="w-card c-item"') == 20 and "1 / 2" in first
    second = _titles(Client().get("/w/courses/", {"page": 2}))
    assert second.count('class="w-card c-item"') == 3
