"""The finder: nearest open stations with the chosen amenities, exact against a brute-force scan;
the worker page without JavaScript, by location or by township; the public API; flat query counts."""

import datetime
import random

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from gonghui.positions import selectors
from gonghui.positions.models import Position
from tests.positions.factories import CENTRE, make_position

MONDAY_10 = timezone.make_aware(datetime.datetime(2026, 11, 23, 10, 0))
SUNDAY_10 = timezone.make_aware(datetime.datetime(2026, 11, 29, 10, 0))


@pytest.fixture
def stations(tree):
    """Thirty stations scattered around the centre, with mixed hours and amenities."""
    rng = random.Random(4)
    codes = ["hot_water", "charging", "phone_charging", "toilet", "microwave", "seats"]
    with scopes_disabled():
        for i in range(30):
            weekend = i % 3 == 0
            make_position(tree.c if i % 2 else tree.d, tree=tree, name=f"驿站{i:02d}",
                          lat=CENTRE[0] + rng.uniform(-0.05, 0.05), lng=CENTRE[1] + rng.uniform(-0.05, 0.05),
                          hours={str(d): "08:00-18:00" for d in range(7 if weekend else 5)},
                          amenities=rng.sample(codes, 3), open_24h=(i == 7))
    return tree


def test_nearest_matches_a_brute_force_scan(stations):
    with scopes_disabled():
        for amenities in ([], ["hot_water"], ["charging", "toilet"]):
            for when in (MONDAY_10, SUNDAY_10):
                hits = selectors.nearest(lat=CENTRE[0], lng=CENTRE[1], amenities=amenities, limit=5, at=when)
                brute = selectors.nearest_brute_force(lat=CENTRE[0], lng=CENTRE[1], amenities=amenities, limit=5,
                                                      at=when)
                assert [h.pk for h in hits] == [pk for _d, pk in brute]
                for hit in hits:
                    assert set(amenities) <= set(hit.position.amenities) and hit.state.is_open


def test_closed_stations_are_left_out_unless_asked(stations):
    with scopes_disabled():
        sunday = selectors.nearest(lat=CENTRE[0], lng=CENTRE[1], limit=30, at=SUNDAY_10)
        everything = selectors.nearest(lat=CENTRE[0], lng=CENTRE[1], limit=30, at=SUNDAY_10, open_now=False)
    assert len(sunday) == 11  # the ten open at weekends and the 24-hour one
    assert len(everything) == 30
    assert [h.distance_m for h in everything] == sorted(h.distance_m for h in everything)


def test_suspended_stations_are_never_found(stations):
    with scopes_disabled():
        Position.objects.update(status="suspended")
        assert selectors.nearest(lat=CENTRE[0], lng=CENTRE[1], open_now=False, at=MONDAY_10) == []


def test_finder_page_lists_nearest_open_with_distance_direction_and_hours(stations, client, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: MONDAY_10)
    response = client.get(reverse("worker:stations"), {"lat": CENTRE[0], "lng": CENTRE[1],
                                                       "amenity": ["hot_water"]})
    body = response.content.decode()
    assert response.status_code == 200
    with scopes_disabled():
        expected = selectors.nearest(lat=CENTRE[0], lng=CENTRE[1], amenities=["hot_water"], limit=10, at=MONDAY_10)
    positions = [body.index(h.position.name + "<") for h in expected]
    assert positions == sorted(positions)  # nearest first
    assert "营业至 18:00" in body and " m<" in body or " km<" in body
    assert any(word in body for word in ("东北", "西南", "东南", "西北", "北 ", "南 ", "东 ", "西 "))
    assert 'id="st-map"' in body  # the map box (filled by the script when it runs)


def test_finder_refuses_a_location_outside_china(db, client):
    body = client.get(reverse("worker:stations"), {"lat": "48.85", "lng": "2.29"}).content.decode()
    assert "不在我国境内" in body


def test_public_api_same_search_compact_answer(stations, client, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: MONDAY_10)
    response = client.get("/api/v1/stations/nearby", {"lat": CENTRE[0], "lng": CENTRE[1], "amenity": "hot_water",
                                                      "limit": 5})
    assert response.status_code == 200
    items = response.json()["items"]
    with scopes_disabled():
        brute = selectors.nearest_brute_force(lat=CENTRE[0], lng=CENTRE[1], amenities=["hot_water"], limit=5,
                                              at=MONDAY_10)
    assert [i["id"] for i in items] == [pk for _d, pk in brute]
    assert items[0]["open"] and items[0]["state"] == "营业至 18:00" and items[0]["direction"]
    assert len(response.content) < 3000


def test_public_api_explains_bad_input(db, client):
    swapped = client.get("/api/v1/stations/nearby", {"lat": "119.94", "lng": "30.87"})
    assert swapped.status_code == 422 and "填反" in str(swapped.json())
    unknown = client.get("/api/v1/stations/nearby", {"lat": CENTRE[0], "lng": CENTRE[1], "amenity": "spa"})
    assert unknown.status_code == 422 and "不在服务设施目录中" in str(unknown.json())


def test_finder_query_count_is_flat(tree, client, django_assert_max_num_queries):
    with scopes_disabled():
        for i in range(5):
            make_position(tree.c, tree=tree, lat=CENTRE[0] + i * 0.001, lng=CENTRE[1])
    with django_assert_max_num_queries(12):
        client.get(reverse("worker:stations"), {"lat": CENTRE[0], "lng": CENTRE[1], "all": "1"})
    with scopes_disabled():
        for i in range(40):
            make_position(tree.c, tree=tree, lat=CENTRE[0] + i * 0.0005, lng=CENTRE[1] + 0.001)
    with django_assert_max_num_queries(12):
        client.get(reverse("worker:stations"), {"lat": CENTRE[0], "lng": CENTRE[1], "all": "1"})
