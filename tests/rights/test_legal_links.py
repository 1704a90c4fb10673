"""Legal micro-classes (activities) and legal-aid stations (positions) linked from the rights pages,
not duplicated: the worker's claims page and the console's case list show them and link to the
course pages and the station finder filtered to legal-aid stations."""

import datetime
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import Client
from django.utils import timezone
from django_scopes import scopes_disabled

from gonghui.orgs.models import Node
from tests.activities.conftest import make_activity
from tests.positions.factories import make_position

from .conftest import hotline_case, make_worker
from .test_worker_pages import phone_client

pytestmark = pytest.mark.django_db

B_AT, D_AT = (30.871200, 119.943300), (30.700000, 119.700000)


@pytest.fixture
def legal(people):
    with scopes_disabled():
        Node.objects.filter(pk=people.a.pk).update(latitude=30.80, longitude=119.85)
        Node.objects.filter(pk=people.b.pk).update(latitude=B_AT[0], longitude=B_AT[1])
        Node.objects.filter(pk=people.d.pk).update(latitude=D_AT[0], longitude=D_AT[1])
        people.b.refresh_from_db()
        people.station_b = make_position(people.b, tree=people, name="城关镇法律援助工作站", kind="legal_aid",
                                         lat=B_AT[0] + 0.001, lng=B_AT[1])
        people.station_d = make_position(people.d, tree=people, name="河口镇法律援助工作站", kind="legal_aid",
                                         lat=D_AT[0] + 0.001, lng=D_AT[1])
        people.rest_b = make_position(people.b, tree=people, name="城关镇户外劳动者驿站", kind="rest_station",
                                      lat=B_AT[0] + 0.0005, lng=B_AT[1])
    people.class_c = make_activity(people, people.c, title="劳动合同法律微课堂", kind="legal_class")
    people.class_d = make_activity(people, people.d, title="河口镇欠薪维权微课堂", kind="legal_class")
    people.dance = make_activity(people, people.c, title="职工舞蹈班", kind="course")
    people.past = make_activity(people, people.c, title="去年的法律微课堂", kind="legal_class", publish=False)
    return people


def _signed_in_worker(tree):
    worker = make_worker()
    hotline_case(tree, node=tree.c, claimant_phone=worker.phone)
    return worker


def test_the_workers_claims_page_shows_legal_classes_and_the_nearest_legal_aid(legal):
    client = phone_client(_signed_in_worker(legal))
    response = client.get("/w/claims/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "劳动合同法律微课堂" in page and f"/w/courses/{legal.class_c.pk}/" in page
    assert "职工舞蹈班" not in page and "去年的法律微课堂" not in page
    stations = [hit.position.name for hit in response.context["legal_stations"]]
    assert stations[0] == "城关镇法律援助工作站" and "城关镇户外劳动者驿站" not in stations
    finder = urlparse(response.context["legal_finder_url"])
    query = parse_qs(finder.query)
    assert finder.path == "/w/stations/" and query["kind"] == ["legal_aid"] and query["area"] == [legal.b.code]
    found = client.get(response.context["legal_finder_url"]).content.decode()
    assert "城关镇法律援助工作站" in found and "城关镇户外劳动者驿站" not in found


def test_a_worker_without_claims_gets_the_county_and_a_working_page(legal):
    client = phone_client(make_worker("13700009999"))
    response = client.get("/w/claims/")
    assert response.status_code == 200 and response.context["legal_area"].pk == legal.a.pk
    assert "劳动合同法律微课堂" in response.content.decode()


def _cadre(tree, username="b_admin") -> Client:
    client = Client()
    client.force_login(tree.user(username))
    return client


def test_the_console_case_list_shows_the_subtrees_classes_and_stations_only(legal):
    response = _cadre(legal).get("/rights/")
    page = response.content.decode()
    assert 'id="legal-services"' in page
    assert "劳动合同法律微课堂" in page and f"/activities/{legal.class_c.pk}/" in page
    assert "河口镇欠薪维权微课堂" not in page and "职工舞蹈班" not in page and "去年的法律微课堂" not in page
    assert "城关镇法律援助工作站" in page and "河口镇法律援助工作站" not in page and "城关镇户外劳动者驿站" not in page
    assert "kind=legal_aid" in page and f"area={legal.b.code}" in page
    assert "/activities/?kind=legal_class" in page and "/positions/?kind=legal_aid" in page


def test_a_class_already_held_is_not_upcoming(legal):
    from gonghui.activities.models import Activity

    with scopes_disabled():
        Activity.objects.filter(pk=legal.class_c.pk).update(
            starts_at=timezone.now() - datetime.timedelta(days=1), ends_at=timezone.now() - datetime.timedelta(hours=22))
    assert "劳动合同法律微课堂" not in _cadre(legal).get("/rights/").content.decode()


def test_the_links_cost_a_fixed_number_of_queries(legal, django_assert_max_num_queries):
    client = _cadre(legal)
    client.get("/rights/")
    with django_assert_max_num_queries(40) as first:
        client.get("/rights/")
    for n in range(4):
        make_activity(legal, legal.c, title=f"法律微课堂第{n}讲", kind="legal_class")
        with scopes_disabled():
            make_position(legal.b, tree=legal, name=f"法律援助点{n}", kind="legal_aid", lat=B_AT[0] + 0.002 * n,
                          lng=B_AT[1])
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get("/rights/")
