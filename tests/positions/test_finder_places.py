"""The finder when the phone's location is refused: a township or community chosen from a list, or
typed (Chinese, pinyin or initials) with a list of matching places, each centred on its stations;
the same place codes in the API; nonsense refused in Chinese."""

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from gonghui.orgs import services as orgs
from gonghui.orgs.models import Node, NodeKind
from gonghui.positions import selectors
from tests.positions.factories import CENTRE, make_position


@pytest.fixture
def places(tree):
    """城关镇 (b) with two stations and a community with one; 河口镇 (d) with one far east; a community
    without stations (not offered)."""
    with scopes_disabled():
        community = orgs.create_node(parent=Node.objects.get(pk=tree.b.pk), actor=None, name="园区社区工会联合会",
                                     kind=NodeKind.VILLAGE_FEDERATION)
        orgs.create_node(parent=Node.objects.get(pk=tree.b.pk), actor=None, name="空白社区工会联合会",
                         kind=NodeKind.VILLAGE_FEDERATION)
        make_position(tree.c, tree=tree, name="城关一号驿站", lat=30.80, lng=119.90, open_24h=True, hours={})
        make_position(tree.b, tree=tree, name="城关二号驿站", lat=30.82, lng=119.92, open_24h=True, hours={})
        make_position(community, tree=tree, name="园区驿站", lat=30.81, lng=119.94, open_24h=True, hours={})
        make_position(tree.d, tree=tree, name="河口驿站", lat=30.90, lng=120.30, open_24h=True, hours={})
        make_position(tree.d, tree=tree, name="停用驿站", lat=31.50, lng=121.0, status="suspended")
    tree.community = Node.objects.get(pk=community.pk)
    return tree


def test_places_are_the_unions_with_stations_centred_on_them(places, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):  # the places, then one GROUP BY per tree depth
        areas = {a.label: a for a in selectors.finder_areas()}
    assert set(areas) == {"城关镇", "城关镇 · 园区社区", "河口镇"}
    chengguan = areas["城关镇"]
    assert chengguan.stations == 3 and chengguan.lat == pytest.approx(30.81) and chengguan.lng == pytest.approx(
        119.92)
    assert (areas["河口镇"].lat, areas["河口镇"].lng) == (pytest.approx(30.90), pytest.approx(120.30))  # suspended left out
    assert selectors.area_point(places.community.code)[:2] == (pytest.approx(30.81), pytest.approx(119.94))
    assert selectors.area_point(places.a.code) is None  # the county is not a place to pick
    assert selectors.area_point("nonsense") is None


@pytest.mark.parametrize("typed, labels", [
    ("河口镇", ["河口镇"]), ("河口", ["河口镇"]), ("园区", ["城关镇 · 园区社区"]),
    ("城关", ["城关镇", "城关镇 · 园区社区"]), ("社区", ["城关镇 · 园区社区"]), ("ＨＫＺ", ["河口镇"]),
    ("hekou", ["河口镇"]), ("上海", []), ("", []),
])
def test_typed_names_match_places(places, typed, labels):
    assert [a.label for a in selectors.match_areas(selectors.finder_areas(), typed)] == labels


def test_page_offers_the_list_and_type_ahead_without_location(places, client):
    body = client.get(reverse("worker:stations")).content.decode()
    assert f'<option value="{places.b.code}">城关镇</option>' in body
    assert '<datalist id="f-places">' in body and '<option value="城关镇 · 园区社区"></option>' in body
    assert "空白社区" not in body


def test_choosing_a_place_from_the_list(places, client):
    body = client.get(reverse("worker:stations"), {"area": places.community.code}).content.decode()
    assert "按与城关镇 · 园区社区中心的距离" in body
    assert body.index("园区驿站<") < body.index("城关二号驿站<") < body.index("河口驿站<")


def test_typing_one_place_searches_from_it(places, client):
    body = client.get(reverse("worker:stations"), {"place": "hkz", "amenity": "hot_water"}).content.decode()
    assert "按与河口镇中心的距离" in body and body.index("河口驿站<") < body.index("园区驿站<")
    assert f'<option value="{places.d.code}" selected>' in body


def test_typing_several_places_lists_them_as_links_keeping_the_search(places, client):
    body = client.get(reverse("worker:stations"), {"place": "城关", "amenity": "hot_water", "lat": "30.1",
                                                   "lng": "120.1"}).content.decode()
    assert "您指的是哪里" in body and 'class="st-hit' not in body
    assert f'href="?area={places.b.code}&amp;amenity=hot_water"' in body
    assert f'href="?area={places.community.code}&amp;amenity=hot_water"' in body


def test_typing_an_unknown_place_says_so(places, client):
    body = client.get(reverse("worker:stations"), {"place": "火星<script>"}).content.decode()
    assert "没有名为“火星&lt;script&gt;”且设有驿站的乡镇或社区" in body and "<script>\u201d" not in body
    assert 'class="st-hit' not in body
    bad = client.get(reverse("worker:stations"), {"area": "XXXX"}).content.decode()
    assert "请从列表中选择地点" in bad


def test_api_places_and_search_from_a_place_code(places, client):
    areas = client.get("/api/v1/stations/areas").json()
    assert [a["label"] for a in areas] == ["城关镇", "城关镇 · 园区社区", "河口镇"]
    assert [a["label"] for a in client.get("/api/v1/stations/areas", {"q": "园区"}).json()] == ["城关镇 · 园区社区"]
    code = next(a["code"] for a in areas if a["label"] == "河口镇")
    nearby = client.get("/api/v1/stations/nearby", {"area": code, "limit": 2}).json()["items"]
    assert [i["name"] for i in nearby] == ["河口驿站", "园区驿站"]
    unknown = client.get("/api/v1/stations/nearby", {"area": places.a.code})
    assert unknown.status_code == 400 and unknown.json()["code"] == "area_unknown" and "/stations/areas" in \
        unknown.json()["detail"]


def test_no_location_and_no_place_lists_nothing(places, client):
    assert 'class="st-hit' not in client.get(reverse("worker:stations")).content.decode()
    assert CENTRE  # the factories' centre is not a place of its own
