"""The console's member page at province scale: its statements do not grow with the member's life
(history, transfers, bookings, claims, aid, wishes, loans, volunteering, audit entries); the services
panel loads after the first paint from a URL of its own that keeps the page's scope and permission
and works without JavaScript; the worker's own membership page is bounded the same way."""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from gonghui.accounts.models import Worker
from gonghui.activities.models import Activity, Booking, ServiceHours, TeamService, Volunteer, VolunteerTeam
from gonghui.aid.models import Application, Programme, Wish
from gonghui.core.audit import audit
from gonghui.core.crypto import blind_index
from gonghui.members.models import JoinApplication, MemberEvent, Transfer
from gonghui.members.services import roster
from gonghui.positions.models import Book, BookCopy, Loan, Position
from gonghui.rights.models import Case
from tests.factories import resident_id
from tests.worker.conftest import signed_in

pytestmark = pytest.mark.django_db
_seq = itertools.count(200)
TODAY = datetime.date(2026, 11, 23)


def member_with_a_life(tree, n: int):
    """An active member of c with ``n`` of everything the page shows, and the worker of their phone."""
    seq = next(_seq)
    phone = f"1390000{seq:04d}"
    with scopes_disabled():
        member = roster.create_member(node=tree.c, actor=tree.user("b_clerk"), name="刘春华",
                                      id_number=resident_id("19900101", seq), phone=phone, employment_form="contract")
        worker = Worker.objects.create(phone=phone, phone_hash=blind_index(phone, purpose="phone"))
        MemberEvent.objects.bulk_create([MemberEvent(member=member, action="edited", on=TODAY, reason="核对",
                                                     actor=tree.user("b_clerk")) for _ in range(n)])
        Transfer.objects.bulk_create([Transfer(member=member, from_node=tree.c, to_node=tree.d, status="rejected",
                                               reason="工作调动") for _ in range(n)])
        programme = Programme.objects.create(node=tree.b, kind="hardship", name="送温暖", year=2026, period=f"p{seq}",
                                             starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 12, 31))
        position = Position.objects.create(node=tree.c, name="职工书屋", kind="bookroom", address="青山县", lat=30, lng=119)
        book = Book.objects.create(position=position, isbn="9787020002207", title="平凡的世界")
        start = datetime.datetime(2026, 12, 1, 9, tzinfo=datetime.UTC)
        for i in range(n):
            activity = Activity.objects.create(
                node=tree.c, kind="course", title=f"职工课程{i}", venue_text="职工之家", audience="all",
                starts_at=start, ends_at=start + datetime.timedelta(hours=2), capacity=30,
                signup_opens_at=start - datetime.timedelta(days=7), signup_closes_at=start, state="published")
            Booking.objects.create(activity=activity, worker=worker, member=member if i % 2 else None,
                                   name=member.name, state="booked")
            Case.objects.create(node=tree.c, channel="phone", category="wage_arrears", claimant_name=member.name,
                                claimant_phone_hash=worker.phone_hash, facts="工资未发", employer_name="某单位",
                                stage="accepted", stage_since=TODAY, submitted_at=start)
            Application.objects.create(programme=programme, node=tree.c, member=member, name=member.name,
                                       person_hash=f"t-{member.pk}-{i}", reason="家庭困难",
                                       amount_requested=Decimal("1000.00"), channel="counter", status="rejected")
            Wish.objects.create(node=tree.c, worker=worker, name=member.name, title="孩子的书包", kind="item")
            copy = BookCopy.objects.create(book=book, barcode=f"B{member.pk}-{i}")
            Loan.objects.create(copy=copy, member=member, lent_on=TODAY, due_on=TODAY, returned_on=TODAY)
            team = VolunteerTeam.objects.create(node=tree.c, name=f"志愿服务队{seq}-{i}")
            service = TeamService.objects.create(team=team, title="社区服务", on=TODAY)
            volunteer = Volunteer.objects.create(team=team, member=member, joined_on=TODAY)
            ServiceHours.objects.create(service=service, volunteer=volunteer, hours=Decimal("2.5"))
            audit("members.member.updated", actor=tree.user("b_clerk"), obj=member)
    return member, worker


def statements(client, url, **headers) -> tuple[int, str]:
    client.get(url, headers=headers)  # warm: cached figures (audit status, permissions) out of the count
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    assert response.status_code == 200
    return len(queries), response.content.decode()


@pytest.fixture
def admin(client, tree):
    client.force_login(tree.user("b_admin"))
    return client


def test_the_member_page_costs_the_same_for_a_long_life_as_for_a_short_one(admin, tree):
    short, _ = member_with_a_life(tree, 1)
    long, _ = member_with_a_life(tree, 30)
    page_short, html_short = statements(admin, reverse("members:detail", args=[short.pk]))
    page_long, html_long = statements(admin, reverse("members:detail", args=[long.pk]))
    assert page_long == page_short
    assert html_long.count("核对") == 30 and html_short.count("核对") == 1  # the history is on the page
    panel = reverse("members:services", args=[short.pk])
    panel_short, text_short = statements(admin, panel, X_Requested_With="fetch")
    panel_long, text_long = statements(admin, reverse("members:services", args=[long.pk]), X_Requested_With="fetch")
    assert panel_long == panel_short
    assert text_long.count("/rights/cases/") == 20 and text_short.count("/rights/cases/") == 1  # LIMIT 20
    assert text_long.count("/activities/volunteers/") == 30 and text_long.count("平凡的世界") == 20


def test_the_page_paints_without_the_services_panel_and_links_to_it(admin, tree):
    member, _ = member_with_a_life(tree, 2)
    panel = reverse("members:services", args=[member.pk])
    page = admin.get(reverse("members:detail", args=[member.pk])).content.decode()
    assert f'data-fragment="{panel}"' in page and f'href="{panel}"' in page  # fetched, or followed without JS
    assert "/rights/cases/" not in page and "<script>" not in page  # no inline script (CSP)
    fragment = admin.get(panel, headers={"X-Requested-With": "fetch"})
    text = fragment.content.decode()
    assert 'id="member-services"' in text and "/rights/cases/" in text and "<html" not in text
    assert "X-Requested-With" in fragment["Vary"]
    whole = admin.get(panel).content.decode()  # a plain link: the panel on a page of its own
    assert "<html" in whole and "/rights/cases/" in whole and reverse("members:detail", args=[member.pk]) in whole


def test_the_panel_keeps_the_pages_scope_and_permission(client, tree):
    member, _ = member_with_a_life(tree, 1)
    with scopes_disabled():
        theirs = roster.create_member(node=tree.d, actor=tree.user("a_admin"), name="赵敏",
                                      id_number=resident_id("19900101", 999), phone="13900009999",
                                      employment_form="contract")
    client.force_login(tree.user("b_admin"))
    assert client.get(reverse("members:services", args=[theirs.pk])).status_code == 404
    client.force_login(tree.user("b_viewer"))  # viewers see figures, not people
    refused = client.get(reverse("members:detail", args=[member.pk])).status_code
    assert refused in (403, 404) and client.get(reverse("members:services", args=[member.pk])).status_code == refused


def test_the_workers_membership_page_is_bounded(tree):
    short, short_worker = member_with_a_life(tree, 1)
    long, long_worker = member_with_a_life(tree, 30)
    with scopes_disabled():
        for worker, n in ((short_worker, 1), (long_worker, 15)):
            JoinApplication.objects.bulk_create([
                JoinApplication(node=tree.c, worker=worker, name="刘春华", id_number=resident_id("19900101", 500 + i),
                                id_hash=f"h{worker.pk}-{i}", phone=worker.phone, phone_hash=worker.phone_hash,
                                employment_form="contract", consent_version="1", consent_at=datetime.datetime(
                                    2026, 1, 1, tzinfo=datetime.UTC), consent_channel="link", due_on=TODAY,
                                status="rejected")
                for i in range(n)])
    few, page_short = statements(signed_in(short_worker), reverse("worker:membership"))
    many, page_long = statements(signed_in(long_worker), reverse("worker:membership"))
    assert many == few
    assert page_short.count("w-badge bad") == 1 and page_long.count("w-badge bad") == 10  # the last 10
    assert tree.c.name in page_short and tree.c.name in page_long  # the membership itself


def test_bookings_from_the_phone_are_found_through_indexes_not_by_joining_every_worker(admin, tree):
    """``member = … OR worker.phone_hash = …`` over a join made PostgreSQL read every booking and every
    worker (670 ms at 90,000 bookings); the phone's worker is a scalar subquery, both sides indexed."""
    member, worker = member_with_a_life(tree, 2)
    with CaptureQueriesContext(connection) as queries:
        text = admin.get(reverse("members:services", args=[member.pk]),
                         headers={"X-Requested-With": "fetch"}).content.decode()
    assert text.count("/activities/") - text.count("/activities/volunteers/") == 2  # by membership and by phone
    bookings = [q["sql"] for q in queries.captured_queries if q["sql"].startswith('SELECT "activities_booking"')]
    assert len(bookings) == 1 and 'JOIN "accounts_worker"' not in bookings[0]

