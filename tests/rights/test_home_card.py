"""The console home's rights card: overdue cases in the cadre's subtree, linked to the filtered list."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone
from django_scopes import scopes_disabled

from gonghui.accounts.models import Role
from gonghui.rights.models import Case, Stage
from tests.factories import make_user

from .conftest import hotline_case

pytestmark = pytest.mark.django_db


def _late(case, days=3, **fields):
    with scopes_disabled():
        Case.objects.filter(pk=case.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=days), **fields)
    return case


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_home_counts_overdue_cases_of_the_subtree_only_and_links_to_exactly_them(people):
    late_c = _late(hotline_case(people))                                   # in B's subtree (C)
    _late(hotline_case(people, node=people.d))                              # sibling township D
    on_time = hotline_case(people)
    visit_due = _late(hotline_case(people), stage=Stage.CLOSED)             # closed, follow-up visit late
    client = _client(people.user("b_admin"))
    response = client.get("/console/")
    assert response.status_code == 200
    card = response.context["cards"][0]
    assert card["overdue"] == 2 and card["open"] == 2
    page = response.content.decode()
    assert 'id="rights-overdue"' in page and "本辖区超期案件2件" in page
    listing = client.get(card["overdue_url"])
    codes = {c.tracking_code for c, _name, _late in listing.context["rows"]}
    assert codes == {late_c.tracking_code, visit_due.tracking_code}
    assert on_time.tracking_code not in codes


def test_no_overdue_case_shows_none_overdue(people):
    hotline_case(people)
    page = _client(people.user("b_admin")).get("/console/").content.decode()
    assert 'id="rights-card"' in page and 'id="rights-overdue"' not in page and "无超期案件" in page


def test_a_mediator_counts_only_the_cases_they_are_invited_to(people):
    from gonghui.rights.services import cases

    invited, other = _late(hotline_case(people)), _late(hotline_case(people))
    with scopes_disabled():
        cases.invite_mediator(case=invited, actor=people.user("a_admin"), mediator=people.user("b_mediator"),
                     partner="lawyer")
    response = _client(people.user("b_mediator")).get("/console/")
    card = response.context["cards"][0]
    assert card["overdue"] == 1 and card["invited_only"]
    assert other.tracking_code not in response.content.decode()


def test_viewers_get_no_rights_card(people):
    with scopes_disabled():
        viewer = make_user("b_viewer2", node=people.b, roles=[Role.VIEWER])
    _late(hotline_case(people))
    response = _client(viewer).get("/console/")
    assert response.status_code == 200 and 'id="rights-card"' not in response.content.decode()


def test_the_card_costs_one_query_whatever_the_number_of_cases(people, django_assert_max_num_queries):
    from django.test import RequestFactory

    from gonghui.accounts.permissions import subtree_for
    from gonghui.core.scoping import tree_scope
    from gonghui.rights.home import overdue_card

    for _ in range(5):
        _late(hotline_case(people))
    request = RequestFactory().get("/console/")
    request.user = people.user("b_admin")
    with tree_scope(subtree_for(request.user)):
        overdue_card(request)  # warms the role cache
        with django_assert_max_num_queries(1):
            card = overdue_card(request)
    assert card["overdue"] == 5
