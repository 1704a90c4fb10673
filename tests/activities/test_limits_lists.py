"""The volunteer teams list pages instead of stopping at three hundred teams; the console's selects of
venues and of volunteer-service activities narrow by search instead of stopping at 500 and 100."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from gonghui.activities.models import Activity, TeamService, VolunteerTeam
from gonghui.core import paging
from tests.positions.factories import make_position

from .conftest import make_activity
from .scope_routes import _form
from .test_views import cadre


def test_the_teams_list_pages_and_reaches_every_team(client, tree):
    with scopes_disabled():
        VolunteerTeam.objects.bulk_create([VolunteerTeam(node=tree.c, name=f"志愿服务队{n:03d}") for n in range(75)])
    client.force_login(tree.user("a_admin"))
    first = client.get(reverse("activities:teams"))
    assert first.status_code == 200 and first.context["teams"].paginator.count == 75
    assert "志愿服务队000" in first.content.decode() and "page=2" in first.content.decode()
    second = client.get(reverse("activities:teams"), {"page": 2}).content.decode()
    assert "志愿服务队074" in second and "志愿服务队000" not in second


# --- the console's selects: a chooser with "showing N of M" and a search box, never a silent cut ----


def _shown(page: str) -> tuple[int, int]:
    return tuple(map(int, re.search(r'data-shown="(\d+)" data-total="(\d+)"', page).groups()))


@pytest.mark.django_db
def test_the_venue_select_narrows_by_search_and_takes_a_venue_it_did_not_show(tree, monkeypatch):
    monkeypatch.setattr(paging, "CHOOSER_ROWS", 1)
    with scopes_disabled():
        first = make_position(tree.b, tree=tree, name="青山县职工文化宫", kind="cultural_palace")
        far = make_position(tree.c, tree=tree, name="河口镇职工之家", kind="workers_home")
    client = cadre(tree)
    url = reverse("activities:create") + f"?node={tree.c.pk}"
    page = client.get(url)
    assert _shown(page.content.decode()) == (1, 2)
    assert set(dict(page.context["form"].fields["venue"].choices)) == {"", str(first.pk)}
    found = client.get(url + "&vq=河口")
    assert _shown(found.content.decode()) == (1, 1) and str(far.pk) in dict(found.context["form"].fields["venue"].choices)
    # posted from the narrowed list, checked against every venue the union may use
    data = {**_form(tree, tree.c), "venue": far.pk, "venue_text": "", "node": tree.c.pk}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    with scopes_disabled():
        activity = Activity.objects.get(title=data["title"])
    assert activity.venue_id == far.pk
    # the activity's own venue stays among the choices of its edit form
    edit = client.get(reverse("activities:edit", args=[activity.pk]))
    assert str(far.pk) in dict(edit.context["form"].fields["venue"].choices)


@pytest.mark.django_db
def test_the_service_activity_select_narrows_by_search_and_records_one_it_did_not_show(tree, monkeypatch):
    from gonghui.activities.services import volunteers

    from .test_volunteers import member

    monkeypatch.setattr(paging, "CHOOSER_ROWS", 1)
    start = timezone.now() - datetime.timedelta(days=3)
    older = make_activity(tree, tree.b, kind="volunteer", title="学雷锋志愿服务日")
    newer = make_activity(tree, tree.b, kind="volunteer", title="河道清洁日")
    with scopes_disabled():
        Activity.objects.filter(pk=older.pk).update(starts_at=start - datetime.timedelta(days=1),
                                                    ends_at=start - datetime.timedelta(hours=20))
        Activity.objects.filter(pk=newer.pk).update(starts_at=start, ends_at=start + datetime.timedelta(hours=3))
        team = volunteers.create_team(node=tree.b, actor=tree.user("a_admin"), name="城关镇志愿服务队",
                                      leader=member(tree, tree.b, "欧阳锋"))
        volunteer = team.volunteers.get()
        team.volunteers.update(joined_on=datetime.date(2020, 1, 1))  # in the team when both took place
    client = cadre(tree)
    url = reverse("activities:team", args=[team.pk])
    page = client.get(url)
    assert _shown(page.content.decode()) == (1, 2)
    assert set(dict(page.context["service_form"].fields["activity"].choices)) == {"", str(newer.pk)}
    found = client.get(url, {"aq": "学雷锋"})
    assert _shown(found.content.decode()) == (1, 1)
    assert str(older.pk) in dict(found.context["service_form"].fields["activity"].choices)
    response = client.post(reverse("activities:service_record", args=[team.pk]),
                           {"activity": older.pk, f"h{volunteer.pk}": "3"})
    assert response.status_code == 302, response.context["service_form"].errors
    with scopes_disabled():
        assert TeamService.objects.get(team=team).activity_id == older.pk


