"""An activity's waiting list and its ratings page instead of stopping at 200 and 100 rows: the row
past the old cap is on a later page, the page says how many there are in all, and a page costs the
same queries whatever its length."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from gonghui.accounts.models import Worker
from gonghui.activities.models import Booking, BookingState, Rating
from gonghui.core.crypto import blind_index

from .conftest import make_activity
from .test_views import cadre


def _workers(n, prefix):
    with scopes_disabled():
        return Worker.objects.bulk_create([
            Worker(phone=f"{prefix}{i:08d}", phone_hash=blind_index(f"{prefix}{i:08d}", purpose="phone"))
            for i in range(n)])


def _html(response):
    assert response.status_code == 200
    return response.content.decode()


def test_the_waiting_list_pages_past_two_hundred_and_says_how_many_wait(tree):
    activity = make_activity(tree)
    with scopes_disabled():
        Booking.objects.bulk_create([
            Booking(activity=activity, worker=w, name="候补", state=BookingState.WAITING, queue_key=i)
            for i, w in enumerate(_workers(230, "137"))])
    client = cadre(tree)
    url = reverse("activities:detail", args=[activity.pk])
    with CaptureQueriesContext(connection) as first_queries:
        first = _html(client.get(url))
    assert 'data-total="230"' in first and "wpage=2" in first
    assert "<td>100</td>" in first and "<td>101</td>" not in first
    with CaptureQueriesContext(connection) as last_queries:
        last = _html(client.get(url, {"wpage": 3}))
    assert "<td>201</td>" in last and "<td>230</td>" in last  # past the old cap of 200
    assert "<td>100</td>" not in last
    assert len(last_queries) == len(first_queries)  # 30 rows or 100: no query per row


def test_the_ratings_page_past_one_hundred_and_keep_the_waiting_lists_page(tree):
    activity = make_activity(tree, capacity=200)
    with scopes_disabled():
        bookings = Booking.objects.bulk_create([
            Booking(activity=activity, worker=w, name="学员", state=BookingState.BOOKED)
            for w in _workers(120, "138")])
        Rating.objects.bulk_create([Rating(activity=activity, booking=b, worker_id=b.worker_id, score=5,
                                           comment=f"评价{i:03d}") for i, b in enumerate(bookings)])
    client = cadre(tree)
    url = reverse("activities:detail", args=[activity.pk])
    with CaptureQueriesContext(connection) as first_queries:
        first = _html(client.get(url))
    assert 'data-total="120"' in first and "rpage=2" in first
    with CaptureQueriesContext(connection) as last_queries:
        last = _html(client.get(url, {"rpage": 3, "wpage": 1}))
    # The newest first: the oldest rating, past the old cap of 100, is on the last page.
    assert "评价000" in last and "评价119" not in last
    assert "wpage=1" in last  # the other list's page stays in the links
    assert len(last_queries) == len(first_queries)


def _pages_past(client, url, total, first_row, past_row, key="page"):
    """The first page shows ``first_row`` and not ``past_row``; the last page shows ``past_row`` (beyond
    the old cap); both say the total and cost the same queries."""
    with CaptureQueriesContext(connection) as first_queries:
        first = _html(client.get(url))
    assert f'data-total="{total}"' in first and f"{key}=2" in first
    assert first_row in first and past_row not in first
    last_page = -(-total // 50)
    with CaptureQueriesContext(connection) as last_queries:
        last = _html(client.get(url, {key: last_page}))
    assert past_row in last and first_row not in last
    assert len(last_queries) == len(first_queries)


def test_terms_commendation_lists_and_a_teams_services_page_past_their_old_caps(tree):
    from gonghui.activities.models import Commendation, TeamService, Term, VolunteerTeam

    with scopes_disabled():
        Term.objects.bulk_create([Term(node=tree.c, name=f"学期{n:03d}") for n in range(210)])
        Commendation.objects.bulk_create([Commendation(node=tree.c, year=2024, title=f"表彰{n:03d}", basis="依据")
                                          for n in range(205)])
        team = VolunteerTeam.objects.create(node=tree.c, name="红马甲志愿服务队")
        TeamService.objects.bulk_create([TeamService(team=team, title=f"服务{n:03d}", on=datetime.date(2020, 1, 1)
                                                     + datetime.timedelta(days=n)) for n in range(105)])
    client = cadre(tree, "a_admin")
    # terms and services newest first, a year's lists in the order made: the row past the old cap of
    # 200 (terms, lists) and 100 (services) is on the last page
    _pages_past(client, reverse("activities:terms"), 210, "学期209", "学期000")
    _pages_past(client, reverse("activities:commendations"), 205, "表彰000", "表彰204")
    _pages_past(client, reverse("activities:team", args=[team.pk]), 105, "服务104", "服务000", key="spage")


def test_a_commendation_lists_team_select_says_how_many_and_finds_the_team_past_the_first_rows(tree):
    from gonghui.activities.models import Commendation, VolunteerTeam

    with scopes_disabled():
        VolunteerTeam.objects.bulk_create([VolunteerTeam(node=tree.c, name=f"服务队{n:03d}") for n in range(230)])
        commendation = Commendation.objects.create(node=tree.a, year=2024, title="年度表彰", basis="依据")
    client = cadre(tree, "a_admin")
    url = reverse("activities:commendation", args=[commendation.pk])
    page = _html(client.get(url))
    assert 'data-shown="200" data-total="230"' in page  # "showing 200 of 230" beside the select
    assert "服务队000" in page and "服务队229" not in page  # the select holds the first 200, no more
    found = _html(client.get(url, {"tq": "服务队229"}))
    assert '>服务队229 (' in found and 'data-total="1"' in found


def test_a_name_search_for_a_volunteer_says_when_more_members_match_than_it_lists(tree):
    from gonghui.activities.models import VolunteerTeam
    from gonghui.activities.views.volunteers import CANDIDATE_ROWS

    from .test_volunteers import member

    with scopes_disabled():
        team = VolunteerTeam.objects.create(node=tree.b, name="城关镇志愿服务队")
        for n in range(CANDIDATE_ROWS + 1):
            member(tree, tree.c, f"欧阳{chr(0x4e00 + n)}")
        member(tree, tree.c, "司马光")
        member(tree, tree.c, "司马迁")
    client = cadre(tree)
    url = reverse("activities:volunteer_add", args=[team.pk])
    many = _html(client.post(url, {"q": "欧阳", "honour": "volunteer"}))
    assert many.count('name="member"') == CANDIDATE_ROWS and 'id="more-candidates"' in many
    few = _html(client.post(url, {"q": "司马", "honour": "volunteer"}))
    assert few.count('name="member"') == 2 and 'id="more-candidates"' not in few


def test_my_activities_on_the_phone_says_it_lists_only_the_latest_sign_ups(tree):
    from gonghui.activities.selectors import WORKER_BOOKINGS

    from .test_views import worker_client

    activity = make_activity(tree)
    worker = _workers(1, "139")[0]
    with scopes_disabled():
        Booking.objects.bulk_create([Booking(activity=activity, worker=worker, name="张伟", state=BookingState.CANCELLED)
                                     for _ in range(WORKER_BOOKINGS - 1)])
    client = worker_client(worker)
    assert 'id="latest-only"' not in _html(client.get(reverse("worker:my_courses")))
    with scopes_disabled():
        Booking.objects.create(activity=activity, worker=worker, name="张伟", state=BookingState.CANCELLED)
    assert 'id="latest-only"' in _html(client.get(reverse("worker:my_courses")))


def test_my_volunteering_on_the_phone_says_it_lists_only_the_latest_services(tree, monkeypatch):
    from gonghui.activities import selectors
    from gonghui.activities.models import ServiceHours, TeamService, Volunteer, VolunteerTeam
    from gonghui.members.models import Member

    from .conftest import make_member_worker
    from .test_views import worker_client

    worker = make_member_worker(tree, tree.c, 777)
    with scopes_disabled():
        member = Member.objects.get(phone_tail=worker.phone[-4:])
        team = VolunteerTeam.objects.create(node=tree.c, name="红马甲志愿服务队")
        volunteer = Volunteer.objects.create(team=team, member=member, joined_on=datetime.date(2024, 1, 1))
        for n in range(2):
            service = TeamService.objects.create(team=team, title=f"服务{n}", on=datetime.date(2024, 3, 1 + n))
            ServiceHours.objects.create(service=service, volunteer=volunteer, hours=2)
    client = worker_client(worker)
    monkeypatch.setattr(selectors, "WORKER_HOURS", 3)
    page = _html(client.get(reverse("worker:volunteers")))
    assert "服务0" in page and 'id="latest-only"' not in page
    monkeypatch.setattr(selectors, "WORKER_HOURS", 2)  # the list is full: there may be older services
    assert 'id="latest-only"' in _html(client.get(reverse("worker:volunteers")))
