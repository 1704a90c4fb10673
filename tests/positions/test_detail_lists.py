"""A position's page lists every assessment and every change of host union, a page at a time, instead
of stopping at the latest ten and twenty; the page says how many there are in all."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from gonghui.positions.models import Assessment, AssessmentResult, PositionMove
from tests.positions.factories import make_position


@pytest.fixture
def station(tree):
    with scopes_disabled():
        station = make_position(tree.c, tree=tree, name="精密机械职工之家", kind="workers_home")
        Assessment.objects.bulk_create([
            Assessment(position=station, assessed_on=datetime.date(2020, 1, 1) + datetime.timedelta(days=n),
                       result=AssessmentResult.PASSED, assessor=f"评估组{n:02d}") for n in range(14)])
        PositionMove.objects.bulk_create([
            PositionMove(position=station, from_node=tree.c, to_node=tree.b, reason=f"第{n:02d}次划转")
            for n in range(26)])
    return station


def test_the_assessments_and_moves_page_past_ten_and_twenty(tree, station, client):
    client.force_login(tree.user("b_admin"))
    url = reverse("positions:detail", args=[station.pk])
    with CaptureQueriesContext(connection) as first_queries:
        first = client.get(url).content.decode()
    assert 'data-total="14"' in first and "apage=2" in first and "2020-01-14" in first and "2020-01-04" not in first
    assert 'data-total="26"' in first and "mpage=2" in first and "第25次划转" in first and "第05次划转" not in first
    with CaptureQueriesContext(connection) as last_queries:
        last = client.get(url, {"apage": 2, "mpage": 2}).content.decode()
    assert "2020-01-01" in last and "2020-01-04" in last and "2020-01-14" not in last  # past the old cap of 10
    assert "第00次划转" in last and "第05次划转" in last and "第25次划转" not in last  # past the old cap of 20
    assert len(last_queries) == len(first_queries)  # 4 rows or 10, 6 or 20: no query per row


def test_an_area_code_longer_than_a_code_is_refused_not_cut_to_a_real_one(tree, client, station):
    """``area`` is a union's code: one character too many used to be cut off, finding the union whose
    code it then was; it is refused naming the limit (API) or finds no area (selector)."""
    from gonghui.core.limits import limit_of
    from gonghui.orgs.models import Node
    from gonghui.positions import selectors

    limit = limit_of(Node, "code")
    longer = tree.c.code + "9" * (limit + 1 - len(tree.c.code))
    refused = client.get("/api/v1/stations/nearby", {"area": longer})
    assert refused.status_code == 422 and "area" in str(refused.json()) and str(limit) in str(refused.json())
    with scopes_disabled():
        assert selectors.area_point(longer) is None


def test_a_bookrooms_page_on_the_phone_says_how_many_titles_it_does_not_list(tree, client):
    from gonghui.positions.models import Book
    from gonghui.positions.selectors import PUBLIC_CATALOGUE_ROWS

    with scopes_disabled():
        bookroom = make_position(tree.c, tree=tree, kind="bookroom", name="精密机械职工书屋")
        Book.objects.bulk_create([Book(position=bookroom, isbn=f"978{n:010d}", title=f"书{n:03d}")
                                  for n in range(PUBLIC_CATALOGUE_ROWS + 5)])
    url = reverse("worker:station_books", args=[bookroom.pk])
    page = client.get(url).content.decode()
    assert f'data-shown="{PUBLIC_CATALOGUE_ROWS}" data-total="{PUBLIC_CATALOGUE_ROWS + 5}"' in page
    assert "书000" in page and "书204" not in page
    found = client.get(url, {"q": "书204"}).content.decode()  # the search finds a title past the list
    assert "书204" in found and "data-total" not in found


def test_the_public_catalogue_api_pages_through_every_title(tree, client):
    from gonghui.positions.models import Book

    with scopes_disabled():
        bookroom = make_position(tree.c, tree=tree, kind="bookroom", name="精密机械职工书屋")
        Book.objects.bulk_create([Book(position=bookroom, isbn=f"978{n:010d}", title=f"书{n:03d}") for n in range(230)])
    url = f"/api/v1/stations/{bookroom.pk}/books"
    first = client.get(url).json()
    assert first["count"] == 230 and first["items"][0]["title"] == "书000"
    last = client.get(url, {"page": 5}).json()  # titles 201–230, past the old cap of 200
    assert [b["title"] for b in last["items"]][-1] == "书229" and len(last["items"]) == 30
    assert client.get(url, {"q": "书229"}).json()["count"] == 1
    assert client.get(url, {"q": "书" * 61}).status_code == 422  # a term past BOOK_SEARCH is refused, not cut


def test_the_move_page_says_when_more_unions_match_than_it_lists(tree, client, station, monkeypatch):
    from gonghui.positions import selectors

    client.force_login(tree.user("a_admin"))
    url = reverse("positions:move", args=[station.pk])
    both = client.get(url, {"q": "镇"}).content.decode()  # 城关镇 and 河口镇: all listed
    assert "城关镇" in both and "河口镇" in both and 'id="more-targets"' not in both
    monkeypatch.setattr(selectors, "MOVE_TARGETS", 1)  # as if thousands matched
    one = client.get(url, {"q": "镇"}).content.decode()
    assert one.count('name="to_node"') == 1 and 'id="more-targets"' in one
