"""A worker's phone lists the latest join and aid applications only, and says so when the list is
full, instead of leaving older ones out silently."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from gonghui.aid import selectors as aid_selectors
from gonghui.aid.services import applications as aid_applications
from gonghui.members import selectors as member_selectors
from gonghui.members.models import JoinApplication
from tests.activities.test_views import worker_client
from tests.aid.conftest import make_member, make_programme, worker_for

pytestmark = pytest.mark.django_db


def _shows_the_latest_only(client, url) -> bool:
    response = client.get(url)
    assert response.status_code == 200
    return 'id="latest-only"' in response.content.decode()


def test_my_join_applications_say_when_only_the_latest_are_listed(tree, monkeypatch):
    worker = worker_for("13912340001")
    with scopes_disabled():
        for n in range(2):
            JoinApplication.objects.create(node=tree.c, worker=worker, name="周婷", id_number="x", phone="13912340001",
                                           employment_form="contract", consent_version="1", consent_at=timezone.now(),
                                           consent_channel="poster", status="rejected", reason=f"第{n}次",
                                           due_on=datetime.date(2025, 1, 20))
    client = worker_client(worker)
    url = reverse("worker:membership")
    monkeypatch.setattr(member_selectors, "WORKER_APPLICATIONS", 3)
    assert not _shows_the_latest_only(client, url)
    monkeypatch.setattr(member_selectors, "WORKER_APPLICATIONS", 2)  # the list is full: there may be older ones
    assert _shows_the_latest_only(client, url)


def test_my_aid_applications_say_when_only_the_latest_are_listed(tree, monkeypatch):
    member = make_member(tree)
    for period, reason in (("上半年", "家中老人重病"), ("下半年", "子女上学困难")):
        programme = make_programme(tree, period=period)
        with scopes_disabled():
            aid_applications.create_application(programme=programme, member=member, actor=tree.user("b_clerk"),
                                                reason=reason, amount="500")
    client = worker_client(worker_for(member.phone))
    url = reverse("worker:aid")
    monkeypatch.setattr(aid_selectors, "WORKER_APPLICATIONS", 3)
    assert not _shows_the_latest_only(client, url)
    monkeypatch.setattr(aid_selectors, "WORKER_APPLICATIONS", 2)
    assert _shows_the_latest_only(client, url)


def test_my_book_loans_say_when_only_the_latest_are_listed(tree, monkeypatch):
    from gonghui.positions import selectors as position_selectors
    from gonghui.positions.services import bookrooms
    from tests.positions.factories import make_position

    member = make_member(tree)
    with scopes_disabled():
        room = make_position(tree.c, tree=tree, kind="bookroom", name="精密机械职工书屋")
        book = bookrooms.add_book(position=room, actor=tree.user("b_clerk"), isbn="9787020025367", title="平凡的世界",
                                  author="路遥", copies=2)
        for copy in book.copies.all():
            bookrooms.lend_copy(copy=copy, actor=tree.user("b_clerk"), card_code=member.card_number)
    client = worker_client(worker_for(member.phone))
    url = reverse("worker:my_loans")
    assert client.get(url).content.decode().count("平凡的世界") == 2
    monkeypatch.setattr(position_selectors, "WORKER_LOANS", 3)
    assert not _shows_the_latest_only(client, url)
    monkeypatch.setattr(position_selectors, "WORKER_LOANS", 2)  # the list is full: there may be older ones
    assert _shows_the_latest_only(client, url)
