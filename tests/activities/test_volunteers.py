"""Volunteer teams (劳模工匠志愿者服务队): members, services, participant-times and hours rolled up by
subtree; commendation lists (表彰); console, API, figures; and every bad input refused unchanged."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from gonghui.accounts.services import create_api_token
from gonghui.activities import selectors
from gonghui.activities.models import Commendation, CommendationEntry, ServiceHours, TeamService, Volunteer
from gonghui.activities.services import volunteers
from gonghui.core import indicators
from gonghui.core.errors import DomainError
from gonghui.core.indicators import Period
from gonghui.members.services import roster
from tests.factories import resident_id

from .conftest import make_activity
from .test_views import cadre

DAY = datetime.date(2025, 5, 10)
_n = iter(range(100, 999))


def member(tree, node, name="王建国"):
    return roster.create_member(node=node, actor=tree.user("a_admin"), name=name,
                                id_number=resident_id("19800101", next(_n)), phone=f"1391234{next(_n):04d}",
                                employment_form="contract", joined_on=datetime.date(2020, 3, 1))


@pytest.fixture
def teams(tree):
    """Team at township B (volunteers from B and from enterprise C), team at C, team at D."""
    with scopes_disabled():
        admin = tree.user("a_admin")
        b = volunteers.create_team(node=tree.b, actor=admin, name="城关镇劳模工匠志愿者服务队",
                                   leader=member(tree, tree.b, "李建华"), founded_on=datetime.date(2024, 5, 1))
        b_vol = Volunteer.objects.get(team=b)
        c_member = member(tree, tree.c, "赵师傅")
        b_vol2 = volunteers.add_volunteer(team=b, actor=admin, member=c_member, honour="craftsman",
                                          joined_on=datetime.date(2025, 1, 2))
        c = volunteers.create_team(node=tree.c, actor=admin, name="精密机械青年志愿队")
        c_vol = volunteers.add_volunteer(team=c, actor=admin, member=c_member, joined_on=datetime.date(2025, 1, 2))
        d = volunteers.create_team(node=tree.d, actor=admin, name="河口镇志愿队")
        d_vol = volunteers.add_volunteer(team=d, actor=admin, member=member(tree, tree.d),
                                         joined_on=datetime.date(2025, 1, 2))
        volunteers.record_service(team=b, actor=admin, title="敬老院义务维修", on=DAY,
                                  hours={b_vol: "3", b_vol2: Decimal("2.5")})
        volunteers.record_service(team=b, actor=admin, title="防汛值守", on=datetime.date(2024, 7, 1),
                                  hours={b_vol: 8})
        volunteers.record_service(team=c, actor=admin, title="技能义教", on=DAY, hours={c_vol: "1.5"})
        volunteers.record_service(team=d, actor=admin, title="河道清洁", on=DAY, hours={d_vol: 4})
    return {"b": b, "c": c, "d": d, "b_vol": b_vol, "b_vol2": b_vol2, "c_vol": c_vol, "d_vol": d_vol}


def test_figures_roll_up_by_subtree_per_team_and_per_volunteer(tree, teams):
    with scopes_disabled():
        at_b = selectors.volunteer_totals(node=tree.b)
        at_c = selectors.volunteer_totals(node=tree.c)
        at_a_2025 = selectors.volunteer_totals(node=tree.a, year=2025)
        rows = {t.name: t for t in selectors.team_list(node=tree.b)}
        people = {v.pk: v for v in selectors.volunteers_of(teams["b"])}
    assert at_b == {"teams": 2, "volunteers": 2, "services": 3, "times": 4, "hours": Decimal("15.0")}
    assert at_c == {"teams": 1, "volunteers": 1, "services": 1, "times": 1, "hours": Decimal("1.5")}
    assert at_a_2025["times"] == 4 and at_a_2025["hours"] == Decimal("11.0")  # 2024's 8 hours left out
    assert rows["城关镇劳模工匠志愿者服务队"].times == 3 and rows["城关镇劳模工匠志愿者服务队"].hours == Decimal("13.5")
    assert rows["城关镇劳模工匠志愿者服务队"].n_volunteers == 2 and "河口镇志愿队" not in rows
    assert (people[teams["b_vol"].pk].times, people[teams["b_vol"].pk].total) == (2, Decimal("11.0"))


def test_indicators_count_participant_times_hours_and_teams(tree, teams):
    period = Period(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31), "year")
    times = indicators.get("activities.volunteer_times")
    hours = indicators.get("activities.volunteer_hours")
    team_count = indicators.get("activities.volunteer_teams")
    with scopes_disabled():
        under_b = ServiceHours.objects.filter(service__team__node__path__startswith=tree.b.path)
        assert under_b.aggregate(v=times.aggregate(period))["v"] == 4 - 1  # the 2024 service is outside
        assert under_b.aggregate(v=hours.aggregate(period))["v"] == 7.0
        from gonghui.activities.models import VolunteerTeam

        assert VolunteerTeam.objects.aggregate(v=team_count.aggregate(period))["v"] == 3


@pytest.mark.parametrize("value", ["0", "-1", "25", "1.25", "abc", "NaN", "Infinity"])
def test_bad_hours_are_refused_and_nothing_is_saved(tree, teams, value):
    with scopes_disabled(), pytest.raises(ValidationError) as exc:
        volunteers.record_service(team=teams["b"], actor=tree.user("b_admin"), title="义诊", on=DAY,
                                  hours={teams["b_vol"]: value})
    assert "hours" in exc.value.message_dict
    with scopes_disabled():
        assert not TeamService.objects.filter(title="义诊").exists()


def test_service_rules(tree, teams):
    actor = tree.user("b_admin")
    with scopes_disabled():
        cases = [
            ({"hours": {teams["d_vol"]: 2}}, DomainError),                              # another team's volunteer
            ({"hours": {teams["b_vol2"]: 2}, "on": datetime.date(2024, 12, 1)}, DomainError),  # before joining
            ({"hours": {}}, ValidationError),                                           # nobody
            ({"hours": {teams["b_vol"]: 2}, "on": timezone.localdate() + datetime.timedelta(days=1)}, ValidationError),
            ({"hours": {teams["b_vol"]: 2}, "title": "<b>义诊</b>"}, ValidationError),
        ]
        for overrides, error in cases:
            kwargs = {"title": "义诊", "on": DAY, **overrides}
            with pytest.raises(error):
                volunteers.record_service(team=teams["b"], actor=actor, **kwargs)
        assert not TeamService.objects.filter(title__contains="义诊").exists()
        with pytest.raises(Exception) as denied:
            volunteers.record_service(team=teams["d"], actor=actor, title="义诊", on=DAY, hours={teams["d_vol"]: 1})
        assert denied.type.__name__ == "NotPermitted"


def test_a_volunteer_service_activity_becomes_a_team_service_once(tree, teams):
    actor = tree.user("b_admin")
    start = timezone.now() - datetime.timedelta(days=2)
    with scopes_disabled():
        course = make_activity(tree, tree.b, title="普通课程")
        service_activity = make_activity(tree, tree.b, kind="volunteer", title="学雷锋志愿服务日")
        from gonghui.activities.models import Activity

        Activity.objects.filter(pk=service_activity.pk).update(starts_at=start,
                                                               ends_at=start + datetime.timedelta(hours=3))
        service_activity.refresh_from_db()
        with pytest.raises(DomainError):
            volunteers.record_service(team=teams["b"], actor=actor, activity=course, hours={teams["b_vol"]: 2})
        service = volunteers.record_service(team=teams["b"], actor=actor, activity=service_activity,
                                            hours={teams["b_vol"]: 3})
        assert service.title == "学雷锋志愿服务日" and service.on == timezone.localdate(start)
        with pytest.raises(DomainError) as twice:
            volunteers.record_service(team=teams["b"], actor=actor, activity=service_activity,
                                      hours={teams["b_vol"]: 3})
        assert twice.value.code == "activity_recorded"
        assert TeamService.objects.filter(activity=service_activity).count() == 1


def test_members_come_from_the_subtree_roster_once(tree, teams):
    actor = tree.user("a_admin")
    with scopes_disabled():
        outsider = member(tree, tree.d, "钱多多")
        with pytest.raises(DomainError) as exc:
            volunteers.add_volunteer(team=teams["b"], actor=actor, member=outsider)
        assert exc.value.code == "member_outside"
        with pytest.raises(DomainError) as again:
            volunteers.add_volunteer(team=teams["b"], actor=actor, member=teams["b_vol2"].member)
        assert again.value.code == "already_in"
        gone = member(tree, tree.b, "孙离开")
        roster.end_membership(member=gone, actor=actor, on=datetime.date(2025, 1, 2), reason="调离本单位")
        gone.refresh_from_db()
        with pytest.raises(DomainError):
            volunteers.add_volunteer(team=teams["b"], actor=actor, member=gone)
        assert Volunteer.objects.filter(team=teams["b"]).count() == 2
        # leaving keeps the hours; rejoining reopens the same row
        volunteers.remove_volunteer(volunteer=teams["b_vol2"], actor=actor, left_on=datetime.date(2025, 6, 1))
        assert selectors.volunteer_totals(node=tree.b)["volunteers"] == 2  # still active in team C
        back = volunteers.add_volunteer(team=teams["b"], actor=actor, member=teams["b_vol2"].member)
        assert back.pk == teams["b_vol2"].pk and back.left_on is None
        assert ServiceHours.objects.filter(volunteer=back).count() == 1


def test_commendation_list_with_units_collectives_and_volunteers(tree, teams):
    actor = tree.user("b_admin")
    with scopes_disabled():
        c = volunteers.create_commendation(node=tree.b, actor=actor, year=2025, title="2025年度志愿服务表彰",
                                           basis="城关镇总工会〔2025〕8号：全年服务满10小时")
        volunteers.add_entry(commendation=c, actor=actor, kind="unit", unit=tree.c, citation="组织职工志愿服务12次")
        volunteers.add_entry(commendation=c, actor=actor, kind="collective", team=teams["b"])
        entry = volunteers.add_entry(commendation=c, actor=actor, kind="volunteer", volunteer=teams["b_vol"])
        assert "3" in entry.citation and "2025" in entry.citation  # the year's hours as the basis
        bad = [
            {"kind": "unit", "unit": tree.d},                    # outside the list's union
            {"kind": "unit", "unit": tree.c},                    # twice
            {"kind": "volunteer", "team": teams["b"]},           # category and subject disagree
            {"kind": "collective", "team": teams["d"]},
        ]
        for kwargs in bad:
            with pytest.raises((DomainError, ValidationError)):
                volunteers.add_entry(commendation=c, actor=actor, **kwargs)
        assert CommendationEntry.objects.filter(commendation=c).count() == 3
        for year in (1999, timezone.localdate().year + 2):
            with pytest.raises(ValidationError):
                volunteers.create_commendation(node=tree.b, actor=actor, year=year, title="表彰", basis="依据")
        with pytest.raises(DomainError):
            volunteers.create_commendation(node=tree.b, actor=actor, year=2025, title="2025年度志愿服务表彰",
                                           basis="重复")
        assert Commendation.objects.count() == 1
    page = cadre(tree).get(reverse("activities:commendation", args=[c.pk])).content.decode()
    assert "组织职工志愿服务12次" in page and "城关镇劳模工匠志愿者服务队" in page and "〔2025〕8号" in page


def test_console_creates_a_team_adds_by_search_and_records_hours(tree):
    client = cadre(tree)
    with scopes_disabled():
        m = member(tree, tree.c, "欧阳锋")
    response = client.post(reverse("activities:team_create") + f"?node={tree.b.pk}",
                           {"name": "城关镇志愿服务队", "description": "", "founded_on": "", "node": tree.b.pk})
    assert response.status_code == 302
    team_url = response["Location"]
    team_pk = int(team_url.rstrip("/").split("/")[-1])
    client.post(reverse("activities:volunteer_add", args=[team_pk]),
                {"q": "欧阳", "honour": "model_worker", "joined_on": "2025-01-06"})
    with scopes_disabled():
        volunteer = Volunteer.objects.get(team_id=team_pk, member=m)
    assert volunteer.honour == "model_worker"
    bad = client.post(reverse("activities:service_record", args=[team_pk]),
                      {"title": "义务植树", "on": "2025-03-12", f"h{volunteer.pk}": "30"})
    assert bad.status_code == 400 and "24" in bad.content.decode()
    client.post(reverse("activities:service_record", args=[team_pk]),
                {"title": "义务植树", "on": "2025-03-12", "place": "青山湖", f"h{volunteer.pk}": "4"})
    page = client.get(team_url).content.decode()
    assert "义务植树" in page and ">4.0<" in page and "欧阳锋" not in page  # names masked
    nobody = client.post(reverse("activities:volunteer_add", args=[team_pk]), {"q": "不存在的人", "honour": "volunteer"})
    assert nobody.status_code == 400


def test_api_creates_teams_records_services_and_reads_totals(tree):
    with scopes_disabled():
        _token, key = create_api_token(user=tree.user("b_admin"), name="t")
        m = member(tree, tree.c, "吴师傅")
    api = Client()
    headers = {"Authorization": f"Bearer {key}"}
    team = api.post("/api/v1/volunteer-teams", {"node_id": tree.b.pk, "name": "城关镇工匠服务队",
                                                "leader_member_id": m.pk, "founded_on": "2025-01-01"},
                    content_type="application/json", headers=headers)
    assert team.status_code == 201, team.content
    team = team.json()
    volunteer_id = team["members"][0]["id"]
    service = api.post(f"/api/v1/volunteer-teams/{team['id']}/services",
                       {"title": "送技术进企业", "on": "2025-04-01", "hours": [{"volunteer_id": volunteer_id,
                                                                              "hours": "2.5"}]},
                       content_type="application/json", headers=headers)
    assert service.status_code == 201 and service.json()["hours"] == "2.5"
    wrong = api.post(f"/api/v1/volunteer-teams/{team['id']}/services",
                     {"title": "送技术进企业", "on": "2025-04-02", "hours": [{"volunteer_id": 999999, "hours": "1"}]},
                     content_type="application/json", headers=headers)
    assert wrong.status_code in (400, 409, 422)
    totals = api.get(f"/api/v1/volunteer-totals?node={tree.b.pk}", headers=headers).json()
    assert totals == {"teams": 1, "volunteers": 1, "services": 1, "participant_times": 1, "hours": "2.5"}


def test_the_api_pages_through_every_service_of_a_team(tree, teams, monkeypatch):
    from gonghui.activities import api as activities_api

    with scopes_disabled():
        _token, key = create_api_token(user=tree.user("a_admin"), name="t")
    headers = {"Authorization": f"Bearer {key}"}
    team = teams["b"]  # two services: 2025-05-10 and 2024-07-01
    monkeypatch.setattr(activities_api, "TEAM_RECENT_SERVICES", 1)
    detail = Client().get(f"/api/v1/volunteer-teams/{team.pk}", headers=headers).json()
    assert [s["title"] for s in detail["recent_services"]] == ["敬老院义务维修"] and detail["services"] == 2
    url = f"/api/v1/volunteer-teams/{team.pk}/services"
    pages = [Client().get(url, {"page_size": 1, "page": n}, headers=headers).json() for n in (1, 2)]
    assert [p["count"] for p in pages] == [2, 2]
    assert [p["items"][0]["title"] for p in pages] == ["敬老院义务维修", "防汛值守"]
    with scopes_disabled():
        _token, outsider = create_api_token(user=tree.user("d_admin"), name="t")
    assert Client().get(url, headers={"Authorization": f"Bearer {outsider}"}).status_code == 404


def test_team_list_and_api_have_flat_query_counts(tree, teams):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = cadre(tree)
    with scopes_disabled():
        _token, key = create_api_token(user=tree.user("b_admin"), name="t")
    headers = {"Authorization": f"Bearer {key}"}
    Client().get("/api/v1/volunteer-teams", headers=headers)

    def measure():
        counts = []
        for call in (lambda: client.get(reverse("activities:teams")),
                     lambda: Client().get("/api/v1/volunteer-teams", headers=headers),
                     lambda: client.get(reverse("activities:team", args=[teams["b"].pk]))):
            with CaptureQueriesContext(connection) as ctx:
                assert call().status_code == 200
            counts.append(len(ctx.captured_queries))
        return counts

    small = measure()
    with scopes_disabled():
        for i in range(4):
            team = volunteers.create_team(node=tree.c, actor=tree.user("a_admin"), name=f"志愿队{i}")
            v = volunteers.add_volunteer(team=team, actor=tree.user("a_admin"), member=member(tree, tree.c),
                                         joined_on=datetime.date(2025, 1, 2))
            volunteers.record_service(team=team, actor=tree.user("a_admin"), title="服务", on=DAY, hours={v: 1})
            volunteers.add_volunteer(team=teams["b"], actor=tree.user("a_admin"), member=member(tree, tree.b),
                                     joined_on=datetime.date(2025, 1, 2))
    assert measure() == small
