"""A station's "navigate" buttons open Amap, Baidu and Tencent Maps at the point in each app's own
coordinate system (converted from the stored WGS-84); the map attribution has no Leaflet prefix."""

import re
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from gonghui.positions.coordinates import bd09_to_wgs84, gcj02_to_wgs84, wgs84_to_bd09, wgs84_to_gcj02
from gonghui.positions.navigation import navigation_links

from .factories import make_position

LAT, LNG = 30.871200, 119.943300  # the demo county's centre, in WGS-84


def test_each_app_gets_the_point_in_its_own_system():
    links = dict(navigation_links(lat=LAT, lng=LNG, name="城关驿站", address="人民路1号"))
    g_lat, g_lng = wgs84_to_gcj02(LAT, LNG)
    b_lat, b_lng = wgs84_to_bd09(LAT, LNG)
    amap = parse_qs(urlsplit(links["高德地图"]).query)
    assert amap["position"] == [f"{g_lng:.6f},{g_lat:.6f}"] and amap["coordinate"] == ["gaode"]
    baidu = parse_qs(urlsplit(links["百度地图"]).query)
    assert baidu["location"] == [f"{b_lat:.6f},{b_lng:.6f}"] and baidu["coord_type"] == ["bd09ll"]
    tencent = unquote(urlsplit(links["腾讯地图"]).query)
    assert f"coord:{g_lat:.6f},{g_lng:.6f}" in tencent and "城关驿站" in tencent
    # the shift is real (hundreds of metres in China) and the conversions invert to the stored point
    assert abs(g_lng - LNG) > 0.003 and abs(b_lat - g_lat) > 0.003
    assert gcj02_to_wgs84(g_lat, g_lng) == pytest.approx((LAT, LNG), abs=1e-6)
    assert bd09_to_wgs84(b_lat, b_lng) == pytest.approx((LAT, LNG), abs=1e-6)


@pytest.mark.django_db
def test_the_station_page_has_the_navigate_buttons(tree):
    with scopes_disabled():
        position = make_position(tree.c, tree=tree, lat=LAT, lng=LNG)
    html = Client().get(f"/w/stations/{position.pk}/").content.decode()
    assert 'id="navigate"' in html
    assert html.count("uri.amap.com") == 1 and "api.map.baidu.com" in html and "apis.map.qq.com" in html


def test_the_map_attribution_shows_the_tile_provider_alone():
    root = Path(__file__).resolve().parents[2] / "gonghui"
    for path in (root / "static/gonghui/positions-finder.js", root / "positions/templates/positions/map.html"):
        text = path.read_text()
        assert re.search(r"attributionControl\.setPrefix\(false\)", text), path
