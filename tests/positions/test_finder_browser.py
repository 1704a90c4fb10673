"""End-to-end on a phone-sized screen with a fixed location: the finder lists the nearest open
stations with the chosen amenity, in order, with and without map tiles (positions, issue 4)."""

import math

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from tests.e2e.test_console_browser import CHROMIUM, SCREENSHOTS, browser_page  # noqa: F401 - fixture
from tests.factories import make_tree
from tests.positions.factories import make_position

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed here; .ci/run installs it"),
]
HERE = (30.628100, 119.784200)


def offset(north_m: float, east_m: float) -> tuple[float, float]:
    return (HERE[0] + north_m / 111_320, HERE[1] + east_m / (111_320 * math.cos(math.radians(HERE[0]))))


def stations():
    """Near to far: a suspended one, one without hot water, the nearest right one, one closed today,
    the second right one. Round-the-clock hours keep the test independent of the hour it runs."""
    not_today = str((timezone.localdate().weekday() + 3) % 7)
    with scopes_disabled():
        tree = make_tree()
        spots = [("停用驿站", offset(40, 0), {"status": "suspended", "open_24h": True}),
                 ("无热水驿站", offset(80, 80), {"open_24h": True, "amenities": ["toilet"]}),
                 ("人民路驿站", offset(200, 150), {"open_24h": True}),
                 ("今日休息驿站", offset(-300, 0), {"hours": {not_today: "08:00-18:00"}}),
                 ("文昌路驿站", offset(-600, -500), {"open_24h": True})]
        for name, (lat, lng), extra in spots:
            extra.setdefault("amenities", ["hot_water", "toilet"])
            extra.setdefault("hours", {})
            make_position(tree.c, tree=tree, name=name, lat=lat, lng=lng, **extra)


def open_finder(any_page, live_server, name: str):
    browser = any_page.context.browser
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844},
                                  geolocation={"latitude": HERE[0], "longitude": HERE[1]},
                                  permissions=["geolocation"])
    page = context.new_page()
    page.goto(f"{live_server.url}/w/stations/?amenity=hot_water")
    page.wait_for_selector(".st-hit")  # the script located the phone and reloaded with the point
    page.wait_for_selector(".st-marker")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=True)
    return page


@pytest.mark.django_db(transaction=True)
def test_finder_lists_nearest_open_stations_with_the_amenity(live_server, browser_page, settings):  # noqa: F811 - the fixture
    stations()
    settings.GONGHUI_MAP_TILE_URL = ""
    page = open_finder(browser_page, live_server, "finder-no-tiles.png")
    names = page.locator(".st-hit b").all_inner_texts()
    assert names == ["人民路驿站", "文昌路驿站"]
    first = page.locator(".st-hit").first.inner_text()
    assert "东北 250 m" in first and "24小时开放" in first
    assert page.locator(".st-marker").count() == 2 and page.locator(".leaflet-tile").count() == 0
    assert f"lat={HERE[0]:.6f}" in page.url

    tile = f"{live_server.url}/static/vendor/leaflet/images/layers.png?z={{z}}&x={{x}}&y={{y}}"
    settings.GONGHUI_MAP_TILE_URL = tile
    with_tiles = open_finder(browser_page, live_server, "finder-tiles.png")
    assert with_tiles.locator(".st-hit b").all_inner_texts() == names
    with_tiles.wait_for_selector("img.leaflet-tile-loaded")
    assert with_tiles.locator(".st-marker").count() == 2


@pytest.mark.django_db(transaction=True)
def test_finder_without_location_offers_townships(live_server, browser_page):  # noqa: F811
    """Location refused: pick a township from the list (centred on its stations), or type a name and
    follow the suggestion; no coordinates were ever recorded for the unions."""
    with scopes_disabled():
        tree = make_tree()
        make_position(tree.c, tree=tree, name="人民路驿站", lat=offset(200, 150)[0], lng=offset(200, 150)[1],
                      open_24h=True, hours={}, amenities=["hot_water"])
        make_position(tree.d, tree=tree, name="河口驿站", lat=offset(9000, 9000)[0], lng=offset(9000, 9000)[1],
                      open_24h=True, hours={}, amenities=["hot_water"])
    context = browser_page.context.browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()  # no geolocation permission: the prompt is refused
    page.goto(f"{live_server.url}/w/stations/")
    page.select_option("#f-area", label="城关镇")
    page.click("button.w-btn:not(#locate)")
    page.wait_for_selector(".st-hit")
    assert page.locator(".st-hit b").all_inner_texts()[0] == "人民路驿站"

    page.goto(f"{live_server.url}/w/stations/")
    page.fill("#f-place", "河口")
    page.click("button.w-btn:not(#locate)")
    page.wait_for_selector(".st-hit")
    assert page.locator(".st-hit b").all_inner_texts()[0] == "河口驿站"
    assert "按与河口镇中心的距离" in page.inner_text("#locate-status")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "finder-typed-place.png"), full_page=True)
