"""A search term longer than allowed is refused with the limit named, never cut: a cut term finds
what the person did not ask for. The API answers 422 on the field ``q``; a console page says so
above the list and shows the list as if nothing had been searched; the worker's catalogue says so
under the search box."""

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from gonghui.core.limits import SEARCH_TERM
from gonghui.positions.limits import BOOK_SEARCH
from gonghui.positions.services import bookrooms
from tests.positions.factories import make_position

TOO_LONG = "青" * (SEARCH_TERM + 1)


@pytest.mark.parametrize("path", [
    "/api/v1/nodes", "/api/v1/employers", "/api/v1/members", "/api/v1/rights/cases", "/api/v1/rights/cases.xlsx",
    "/api/v1/activities", "/api/v1/volunteer-teams", "/api/v1/positions",
])
def test_the_api_refuses_a_search_term_over_the_limit(client, tree, path):
    client.force_login(tree.user("a_admin"))
    response = client.get(path, {"q": TOO_LONG})
    assert response.status_code == 422, (path, response.status_code, response.content[:300])
    body = response.json()
    assert str(SEARCH_TERM) in body["errors"]["q"][0]
    at_limit = client.get(path, {"q": "青" * SEARCH_TERM})
    assert at_limit.status_code != 422


def test_the_union_search_page_names_the_limit_and_finds_nothing_it_was_not_asked(client, tree):
    client.force_login(tree.user("a_admin"))
    page = client.get(reverse("orgs:search"), {"q": "城关镇" + "青" * SEARCH_TERM})
    text = page.content.decode()
    assert page.status_code == 200 and str(SEARCH_TERM) in text and str(SEARCH_TERM + 3) in text
    assert "城关镇总工会</a>" not in text


@pytest.mark.parametrize("name", ["modelworkers:list", "activities:teams"])
def test_a_console_list_names_the_limit_of_its_search(client, tree, name):
    client.force_login(tree.user("a_admin"))
    page = client.get(reverse(name), {"q": TOO_LONG})
    assert page.status_code == 200
    text = page.content.decode()
    assert str(SEARCH_TERM) in text and str(SEARCH_TERM + 1) in text
    assert TOO_LONG[:SEARCH_TERM] not in text.replace(TOO_LONG, "")  # not searched for a cut term


def test_moving_a_position_refuses_a_search_term_over_the_limit(client, tree):
    with scopes_disabled():
        position = make_position(tree.c, tree=tree)
    client.force_login(tree.user("a_admin"))
    page = client.get(reverse("positions:move", args=[position.pk]), {"q": TOO_LONG})
    assert page.status_code == 200 and str(SEARCH_TERM + 1) in page.content.decode()


def test_the_workers_catalogue_refuses_a_search_over_the_limit(client, tree):
    with scopes_disabled():
        room = make_position(tree.c, tree=tree, kind="bookroom", name="精密机械职工书屋")
        bookrooms.add_book(position=room, actor=tree.user("b_clerk"), isbn="9787020025367", title="平凡的世界",
                           author="路遥", copies=2)
    long_term = "平凡" + "的" * BOOK_SEARCH
    page = client.get(reverse("worker:station_books", args=[room.pk]), {"q": long_term})
    text = page.content.decode()
    assert page.status_code == 200 and 'id="b-q-error"' in text and str(BOOK_SEARCH) in text
    assert "平凡的世界" in text  # the catalogue as if nothing had been searched, not a search for a cut term
