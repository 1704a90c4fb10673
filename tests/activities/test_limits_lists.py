"""The volunteer teams list pages instead of stopping at three hundred teams."""

from django.urls import reverse
from django_scopes import scopes_disabled

from gonghui.activities.models import VolunteerTeam


def test_the_teams_list_pages_and_reaches_every_team(client, tree):
    with scopes_disabled():
        VolunteerTeam.objects.bulk_create([VolunteerTeam(node=tree.c, name=f"志愿服务队{n:03d}") for n in range(75)])
    client.force_login(tree.user("a_admin"))
    first = client.get(reverse("activities:teams"))
    assert first.status_code == 200 and first.context["teams"].paginator.count == 75
    assert "志愿服务队000" in first.content.decode() and "page=2" in first.content.decode()
    second = client.get(reverse("activities:teams"), {"page": 2}).content.decode()
    assert "志愿服务队074" in second and "志愿服务队000" not in second
