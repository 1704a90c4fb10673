"""The venue of an activity as a service position: chosen in the console, checked, shown everywhere."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from gonghui.accounts.services import create_api_token
from gonghui.activities.models import Activity
from gonghui.activities.services import catalogue
from tests.positions.factories import make_position

from .conftest import make_activity, make_worker, refresh
from .scope_routes import _form
from .test_views import cadre, worker_client


@pytest.fixture
def palace(tree):
    with scopes_disabled():
        return make_position(tree.b, tree=tree, name="青山县职工文化宫", kind="cultural_palace",
                             address="文昌路66号")


def test_the_console_form_offers_positions_of_the_union_and_above_and_saves_the_choice(tree, palace):
    with scopes_disabled():
        other = make_position(tree.d, tree=tree, name="D镇职工之家", kind="workers_home")
    client = cadre(tree)
    url = reverse("activities:create") + f"?node={tree.c.pk}"
    page = client.get(url)
    choices = dict(page.context["form"].fields["venue"].choices)
    assert str(palace.pk) in choices and str(other.pk) not in choices  # D is not above C
    data = {**_form(tree, tree.c), "venue": palace.pk, "venue_text": "", "node": tree.c.pk}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    with scopes_disabled():
        activity = Activity.objects.get(title=data["title"])
    assert activity.venue_id == palace.pk and activity.venue_text == "青山县职工文化宫"
    detail = client.get(reverse("activities:detail", args=[activity.pk])).content.decode()
    assert "文昌路66号" in detail


def test_no_venue_at_all_is_refused_with_a_message(tree):
    client = cadre(tree)
    url = reverse("activities:create") + f"?node={tree.c.pk}"
    data = {**_form(tree, tree.c), "venue": "", "venue_text": "", "node": tree.c.pk}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "venue_text" in response.context["form"].errors
    with scopes_disabled():
        assert not Activity.objects.filter(title=data["title"]).exists()


def test_a_position_of_a_sibling_union_is_refused(tree):
    with scopes_disabled():
        other = make_position(tree.d, tree=tree, name="D镇职工之家", kind="workers_home")
        with pytest.raises(ValidationError) as exc:
            make_activity(tree, tree.c, venue=other, title="越界场地")
        assert "venue" in exc.value.message_dict
        assert not Activity.objects.filter(title="越界场地").exists()


def test_a_closed_position_is_refused(tree, palace):
    from gonghui.positions.models import Position

    with scopes_disabled():
        Position.objects.filter(pk=palace.pk).update(status="closed")
        with pytest.raises(ValidationError):
            make_activity(tree, tree.c, venue=refresh(palace))


def test_worker_page_api_and_copy_show_the_venue(tree, palace):
    with scopes_disabled():
        activity = make_activity(tree, tree.b, venue=palace, venue_text="三楼舞蹈室")
    page = worker_client(make_worker()).get(reverse("worker:course", args=[activity.pk])).content.decode()
    assert reverse("worker:station", args=[palace.pk]) in page and "三楼舞蹈室" in page
    with scopes_disabled():
        _token, key = create_api_token(user=tree.user("b_admin"), name="t")
    body = Client().get(f"/api/v1/activities/{activity.pk}", headers={"Authorization": f"Bearer {key}"}).json()
    assert body["venue_position_id"] == palace.pk and body["venue_position_name"] == "青山县职工文化宫"
    with scopes_disabled():
        term = catalogue.create_term(node=tree.b, actor=tree.user("b_admin"), name="2026年春季")
        Activity.objects.filter(pk=activity.pk).update(term=term)
        new = catalogue.copy_term(term=term, actor=tree.user("b_admin"), name="2026年秋季", shift_days=182)
        assert new.activities.get().venue_id == palace.pk


def test_the_activities_held_at_a_position_are_the_positions_reading_activities(tree, palace):
    """activities registers the venue hook at start-up: positions lists published activities
    held there for workers, and every one of them for the console (inside the cadre's scope)."""
    from gonghui.positions import selectors as positions

    shown = make_activity(tree, tree.b, title="读书分享会", venue=palace)
    draft = make_activity(tree, tree.b, title="读书会筹备", venue=palace, publish=False)
    make_activity(tree, tree.b, title="别处的活动")
    public = positions.venue_activities(palace, public=True)
    assert [a.pk for a in public] == [shown.pk]
    from gonghui.core.scoping import Subtree, scope

    with scope(tree=Subtree([tree.a.path])):
        console = positions.venue_activities(palace)
    assert {a.pk for a in console} == {shown.pk, draft.pk}
