"""The demo loader of positions on a small tree: stations written, visits and assessments added,
and a second run adds nothing (the whole demo county runs in tests/test_demo.py)."""

from decimal import Decimal

import pytest
from django_scopes import scopes_disabled

from gonghui.accounts.models import User
from gonghui.positions import demo
from gonghui.positions.models import Assessment, Book, Position, Visit


@pytest.fixture
def county(tree):
    with scopes_disabled():
        User.objects.create_superuser("county_admin", password="x-Very-Long-Pass-1")
        tree.c.latitude, tree.c.longitude = Decimal("30.6300"), Decimal("119.7880")
        tree.c.save(update_fields=["latitude", "longitude"])
    return tree


def test_demo_positions_are_loaded_once(county):
    demo.load()
    with scopes_disabled():
        first = (Position.objects.count(), Visit.objects.count(), Assessment.objects.count(), Book.objects.count())
        assert first[0] >= 10 and first[1] > 100 and first[2] >= 1
        assert Position.objects.filter(name="青山县职工文化宫", kind="cultural_palace").exists()
        assert Position.objects.filter(node=county.d, kind="rest_station").count() == 3
    demo.load()
    with scopes_disabled():
        assert (Position.objects.count(), Visit.objects.count(), Assessment.objects.count(),
                Book.objects.count()) == first
        assert first[3] == len(demo.BOOKS)  # the bookroom of 河口镇
