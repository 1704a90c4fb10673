""""我的" as the worker's hub: a tile for each thing the platform holds for them, with its count or
state, every link a page the worker may open, a bounded number of queries; a non-member sees how
to join. Volunteers on the phone: join a team, see hours and commendations."""

from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from gonghui.activities.models import Volunteer, VolunteerTeam
from gonghui.activities.services import volunteers
from gonghui.core.models import AuditEntry
from gonghui.worker import hub
from tests.activities.conftest import book, make_activity
from tests.worker.conftest import make_member, make_worker, signed_in


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def _links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.hrefs


@pytest.fixture
def member_worker(tree):
    worker = make_worker()
    make_member(tree, tree.c, worker)
    return worker


def _tiles(page) -> dict:
    return {str(t["title"]): t for t in page.context["tiles"]}


def test_a_non_member_sees_how_to_join(tree):
    worker = make_worker()
    page = signed_in(worker).get("/w/me/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "如何加入工会" in text and "/w/join/" in _links(text)
    tiles = _tiles(page)
    assert "加入工会" in tiles and tiles["加入工会"]["url"] == "/w/join/"
    assert "我的借阅" not in tiles  # book loans and volunteer teams are for members


def test_the_hub_shows_counts_and_states_for_a_member(tree, member_worker):
    activity = make_activity(tree, tree.c, title="职工摄影班")
    book(activity, member_worker)
    with scopes_disabled():
        team = volunteers.create_team(node=tree.b, actor=tree.user("a_admin"), name="城关劳模志愿服务队")
        volunteer = volunteers.join_team_as_worker(actor=member_worker, team=team)
        volunteers.record_service(team=team, actor=tree.user("a_admin"), title="社区义诊", place="城关社区",
                                  on=timezone.localdate(),
                                  hours={volunteer: Decimal("3.5")})
    page = signed_in(member_worker).get("/w/me/")
    tiles = _tiles(page)
    assert "青山精密机械有限公司工会" in tiles["会籍与会员卡"]["state"]
    assert tiles["我的课程与活动"]["count"] == 1 and "1 个座位" in tiles["我的课程与活动"]["state"]
    assert "城关劳模志愿服务队" in tiles["我的志愿服务"]["state"] and "3.5" in tiles["我的志愿服务"]["state"]
    assert tiles["我的维权"]["count"] == 0
    assert tiles["我的借阅"]["state"] == "暂无在借图书"
    assert tiles["心理咨询"]["state"].startswith("预约一对一心理咨询")  # the phone booking page (issue 22)


@pytest.mark.parametrize("member", [False, True])
def test_every_link_on_the_hub_leads_to_a_page(tree, member):
    worker = make_worker()
    if member:
        make_member(tree, tree.c, worker)
    client = signed_in(worker)
    links = _links(client.get("/w/me/").content.decode())
    assert len(links) >= 6
    for href in links:
        response = client.get(href, follow=True)
        assert response.status_code == 200, href
        assert not response.redirect_chain or href in ("/w/card/",), href


def test_the_hub_reads_in_a_bounded_number_of_queries(tree, member_worker, django_assert_max_num_queries):
    """Measured: 18 for a member (session, worker, membership, then one to three per tile, and the
    session save), whatever the number of bookings, claims or teams."""
    for title in ("职工摄影班", "职工茶艺班", "职工书法班"):
        book(make_activity(tree, tree.c, title=title), member_worker)
    with scopes_disabled():
        for name in ("城关劳模志愿服务队", "城关工匠志愿服务队"):
            team = volunteers.create_team(node=tree.b, actor=tree.user("a_admin"), name=name)
            volunteers.join_team_as_worker(actor=member_worker, team=team)
    client = signed_in(member_worker)
    client.get("/w/me/")
    with django_assert_max_num_queries(18):
        assert client.get("/w/me/").status_code == 200


def test_messages_and_privacy_tiles_only_when_their_pages_exist(tree, member_worker, monkeypatch):
    monkeypatch.setattr(hub, "_page_exists", lambda url: False)
    titles = _tiles(signed_in(member_worker).get("/w/me/"))
    assert "我的消息" not in titles and "我的数据与隐私" not in titles
    monkeypatch.setattr(hub, "_page_exists", lambda url: True)
    monkeypatch.setattr(hub, "_unread", lambda worker: 2)
    tiles = _tiles(signed_in(member_worker).get("/w/me/"))
    assert tiles["我的消息"]["count"] == 2 and tiles["我的消息"]["url"] == "/w/inbox/"


def test_the_hub_needs_sign_in(client, db):
    response = client.get("/w/me/")
    assert response.status_code == 302 and "/w/login/" in response["Location"]


# --- volunteers on the phone -----------------------------------------------------------------------

@pytest.fixture
def teams(tree):
    with scopes_disabled():
        own = volunteers.create_team(node=tree.b, actor=tree.user("a_admin"), name="城关劳模志愿服务队",
                                     description="每月一次社区义诊")
        other = volunteers.create_team(node=tree.d, actor=tree.user("a_admin"), name="河口工匠志愿服务队")
    return own, other


def test_a_member_joins_a_team_of_their_union_line(tree, member_worker, teams):
    own, other = teams
    client = signed_in(member_worker)
    page = client.get("/w/volunteers/")
    assert [t.pk for t in page.context["joinable"]] == [own.pk]
    response = client.post(f"/w/volunteers/teams/{own.pk}/join/")
    assert response.status_code == 302
    with scopes_disabled():
        volunteer = Volunteer.objects.get()
        assert volunteer.team == own and volunteer.left_on is None
        assert AuditEntry.objects.filter(action="activities.team.volunteer_joined").exists()
    page = client.get("/w/volunteers/")
    assert page.context["joinable"] == [] and "城关劳模志愿服务队" in page.content.decode()
    # twice: refused with a message, nothing changed
    client.post(f"/w/volunteers/teams/{own.pk}/join/")
    with scopes_disabled():
        assert Volunteer.objects.count() == 1


def test_a_team_of_another_union_cannot_be_joined(tree, member_worker, teams):
    _own, other = teams
    assert signed_in(member_worker).post(f"/w/volunteers/teams/{other.pk}/join/").status_code == 404
    with scopes_disabled():
        assert not Volunteer.objects.exists()


def test_a_non_member_is_told_to_join_first(tree, teams):
    worker = make_worker()
    page = signed_in(worker).get("/w/volunteers/")
    assert page.status_code == 200 and "请先入会" in page.content.decode()
    assert signed_in(worker).post(f"/w/volunteers/teams/{teams[0].pk}/join/").status_code == 404
    with scopes_disabled():
        assert not Volunteer.objects.exists()


def test_hours_commendations_and_volunteer_activities_show(tree, member_worker, teams):
    own, _other = teams
    activity = make_activity(tree, tree.b, title="重阳敬老志愿服务", kind="volunteer")
    with scopes_disabled():
        volunteer = volunteers.join_team_as_worker(actor=member_worker, team=own)
        volunteers.record_service(team=own, actor=tree.user("a_admin"), title="社区义诊", place="城关社区",
                                  on=timezone.localdate(),
                                  hours={volunteer: Decimal("2.5")})
        listing = volunteers.create_commendation(node=tree.b, actor=tree.user("a_admin"),
                                                 year=timezone.localdate().year, title="优秀志愿者",
                                                 basis="城工〔2026〕12号")
        volunteers.add_entry(commendation=listing, actor=tree.user("a_admin"), kind="volunteer",
                             volunteer=volunteer, citation="常年参加社区义诊")
    text = signed_in(member_worker).get("/w/volunteers/").content.decode()
    assert "社区义诊" in text and "2.5" in text and "优秀志愿者" in text and "常年参加社区义诊" in text
    assert f"/w/courses/{activity.pk}/" in text
    assert VolunteerTeam.objects.with_scopes_disabled().count() == 2
