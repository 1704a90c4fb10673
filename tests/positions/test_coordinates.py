"""Coordinates: WGS-84 ↔ GCJ-02 ↔ BD-09 against published reference pairs, inverses within 1 m over
China, haversine and bearings, and typed points refused when outside China or swapped."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from gonghui.positions import coordinates as c

# (WGS-84 lat, lng) → (GCJ-02 lat, lng): the test vectors of googollee/eviltransform (Shanghai,
# Shenzhen, Beijing) and of the R package's test suite (Beijing, Tiananmen).
GCJ_PAIRS = [
    ((31.1774276, 121.5272106), (31.17530398364597, 121.531541859215)),
    ((22.543847, 113.912316), (22.540796131694766, 113.9171764808363)),
    ((39.911954, 116.377817), (39.91334545536069, 116.38404722455657)),
    ((39.90734, 116.39089), (39.90874107, 116.39713094)),
]
# GCJ-02 → BD-09, Beijing railway station as documented by the R package (5 decimals, ~1 m).
BD_PAIRS = [((39.90245, 116.42703), (39.90851, 116.43351))]


def metres(a, b) -> float:
    return c.haversine_m(a[0], a[1], b[0], b[1])


@pytest.mark.parametrize("wgs, gcj", GCJ_PAIRS)
def test_wgs84_to_gcj02_matches_the_reference_pairs(wgs, gcj):
    assert metres(c.wgs84_to_gcj02(*wgs), gcj) < 0.01


@pytest.mark.parametrize("wgs, gcj", GCJ_PAIRS)
def test_gcj02_to_wgs84_inverts_within_a_centimetre(wgs, gcj):
    assert metres(c.gcj02_to_wgs84(*gcj), wgs) < 0.01


@pytest.mark.parametrize("gcj, bd", BD_PAIRS)
def test_bd09_reference_pair_both_ways(gcj, bd):
    assert metres(c.gcj02_to_bd09(*gcj), bd) < 1.5
    assert metres(c.bd09_to_gcj02(*bd), gcj) < 1.5


def test_the_naive_inverse_is_off_by_metres_which_is_why_we_iterate():
    wgs, gcj = GCJ_PAIRS[0]
    g_lat, g_lng = c.wgs84_to_gcj02(*gcj)  # the usual "subtract the offset once" trick
    naive = (2 * gcj[0] - g_lat, 2 * gcj[1] - g_lng)
    assert metres(naive, wgs) > 0.05
    assert metres(c.gcj02_to_wgs84(*gcj), wgs) < 0.01


china = st.tuples(st.floats(min_value=18.0, max_value=53.5), st.floats(min_value=73.6, max_value=134.9))


@settings(max_examples=300, deadline=None)
@given(china)
def test_gcj02_forward_then_inverse_within_a_metre_over_china(point):
    assert metres(c.gcj02_to_wgs84(*c.wgs84_to_gcj02(*point)), point) < 1.0


@settings(max_examples=300, deadline=None)
@given(china)
def test_bd09_forward_then_inverse_within_a_metre_over_china(point):
    assert metres(c.bd09_to_wgs84(*c.wgs84_to_bd09(*point)), point) < 1.0


def test_outside_china_gcj02_is_wgs84():
    assert c.wgs84_to_gcj02(48.8584, 2.2945) == (48.8584, 2.2945)


def test_haversine_and_bearing():
    # One degree of latitude is ~111.2 km; due east is 90°.
    assert abs(c.haversine_m(30.0, 120.0, 31.0, 120.0) - 111_195) < 50
    assert abs(c.bearing_deg(30.0, 120.0, 30.0, 120.01) - 90) < 0.1
    assert c.compass(c.bearing_deg(30.0, 120.0, 30.003, 120.003)) == "东北"
    assert c.format_distance(347) == "350 m" and c.format_distance(2345) == "2.3 km"


def test_clean_point_converts_gcj02_and_bd09_to_wgs84():
    wgs, gcj = GCJ_PAIRS[0]
    lat, lng = c.clean_point(gcj[0], gcj[1], c.GCJ02)
    assert metres((float(lat), float(lng)), wgs) < 0.2  # six decimals: ~0.1 m
    bd = c.wgs84_to_bd09(*wgs)
    lat, lng = c.clean_point(bd[0], bd[1], c.BD09)
    assert metres((float(lat), float(lng)), wgs) < 0.2


def test_swapped_latitude_and_longitude_are_detected_and_explained():
    with pytest.raises(ValidationError) as exc:
        c.clean_point("119.9433", "30.8712")
    assert exc.value.code == "coordinates_swapped"
    assert "填反" in exc.value.messages[0] and "30.8712" in exc.value.messages[0]


@pytest.mark.parametrize("lat, lng", [(48.8584, 2.2945), (0, 0), (-33.86, 151.2), (91, 120)])
def test_points_outside_china_are_refused(lat, lng):
    with pytest.raises(ValidationError) as exc:
        c.clean_point(lat, lng)
    assert exc.value.code == "coordinates_outside_china"


@pytest.mark.parametrize("lat, lng", [("abc", "120"), ("", ""), ("nan", "120"), ("30", "inf"), (None, 120)])
def test_non_numbers_are_refused(lat, lng):
    with pytest.raises(ValidationError):
        c.clean_point(lat, lng)


def test_markers_are_shifted_for_gcj02_tiles_only(settings):
    point = (30.6281, 119.7842)
    settings.GONGHUI_MAP_TILE_SYSTEM = "wgs84"
    assert c.for_tiles(*point) == point
    settings.GONGHUI_MAP_TILE_SYSTEM = "gcj02"
    assert c.for_tiles(*point) == c.wgs84_to_gcj02(*point)
    assert 300 < metres(c.for_tiles(*point), point) < 700  # the familiar few hundred metres
