"""A county's programme seen by township cadres: they see it and apply within their share."""

from decimal import Decimal

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from gonghui.aid.models import Application
from gonghui.aid.services import applications as apps
from gonghui.aid.services import programmes
from tests.test_scope_proof import _cadre_client, _token_headers

from .conftest import make_member, make_programme, snapshot


@pytest.fixture
def county(people):
    """A county programme with a township share for B, an application in B's enterprise C and one in D."""
    programme = make_programme(people, budget="10000")
    with scopes_disabled():
        programmes.set_budget(programme=programme, node=people.b, amount="3000", actor=people.user("a_admin"))
        ours = apps.create_application(programme=programme, member=make_member(people), actor=people.user("b_clerk"),
                                       reason="家中老人重病", amount="800")
        apps.approve_application(application=ours, actor=people.user("b_reviewer"))
        apps.pay_application(application=ours, actor=people.user("a_finance"))
        theirs = apps.create_application(programme=programme, actor=people.user("a_admin"), reason="河口困难",
                                         member=make_member(people, node=people.d, seq=321, name="河口人",
                                                            phone="13900000321"), amount="500")
    return programme, ours, theirs


def test_township_cadres_see_the_county_programme_with_their_share_only(people, county):
    programme, ours, theirs = county
    page = _cadre_client(people, "b_clerk").get(f"/aid/programmes/{programme.pk}/")
    text = page.content.decode()
    assert page.status_code == 200 and 'id="programme-share"' in text and 'id="apply-here"' in text
    assert "3,000.00" in text and "10,000.00" not in text.split('id="programme-share"')[0].split("<h2>")[-1]
    assert "河口" not in text
    listing = _cadre_client(people, "b_clerk").get("/aid/").content.decode()
    assert programme.name in listing
    api = Client().get(f"/api/v1/aid/programmes/{programme.pk}", headers=_token_headers(people, "b_admin")).json()
    assert Decimal(api["budget"]) == 3000 and Decimal(api["paid"]) == 800  # B's share, not the county's 10,000
    county_view = Client().get(f"/api/v1/aid/programmes/{programme.pk}", headers=_token_headers(people, "a_admin"))
    assert Decimal(county_view.json()["budget"]) == 10000  # B's 3,000 is carved out of it, counted once


def test_a_township_cadre_applies_into_the_county_programme_from_its_page(people, county):
    programme, _ours, _theirs = county
    member = make_member(people, seq=400, name="李春梅", phone="13900000400")
    client = _cadre_client(people, "b_clerk")
    response = client.post(f"/aid/applications/new/?node={people.c.pk}&programme={programme.pk}", {
        "programme": programme.pk, "id_number": member.id_number, "reason": "子女上学困难", "amount": "600"})
    assert response.status_code == 302
    with scopes_disabled():
        assert Application.objects.filter(programme=programme, member=member).exists()


def test_a_sibling_townships_programme_stays_hidden(people):
    with scopes_disabled():
        other = make_programme(people, node=people.d, period="d")
    client, headers = _cadre_client(people, "b_admin"), _token_headers(people, "b_admin")
    before = snapshot()
    assert client.get(f"/aid/programmes/{other.pk}/").status_code == 404
    assert Client().get(f"/api/v1/aid/programmes/{other.pk}", headers=headers).status_code == 404
    assert snapshot() == before


def test_the_share_says_how_many_of_the_cadres_unions_it_does_not_name(people, county, monkeypatch):
    from gonghui.aid.views import programmes as page_module

    programme, _ours, _theirs = county
    url = f"/aid/programmes/{programme.pk}/"
    assert 'id="draws-more"' not in _cadre_client(people, "b_clerk").get(url).content.decode()  # one union, named
    monkeypatch.setattr(page_module, "DRAWS_SHOWN", 0)  # as if the cadre kept more unions than the page names
    text = _cadre_client(people, "b_clerk").get(url).content.decode()
    assert 'id="draws-more"' in text and "3,000.00" in text  # the budgets table above still lists B's budget
