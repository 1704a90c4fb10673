"""Lost updates on activities and courses (issue 17, finding 1): two editors open the same activity,
the first saves, the second's save is refused with nothing changed; a sign-up meanwhile is no
conflict; an edit from a stale copy cannot reopen an activity closed meanwhile."""

import re

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from gonghui.activities import selectors
from gonghui.activities.models import Activity, State
from gonghui.activities.services import catalogue
from gonghui.core import editing
from gonghui.core.errors import DomainError
from tests.stale_kit import form_data

from .conftest import book, make_activity, make_worker, refresh

pytestmark = pytest.mark.django_db


def test_two_editors_the_second_is_refused_with_nothing_changed(tree):
    activity = make_activity(tree, capacity=5)
    version = selectors.activity_version(refresh(activity))
    with scopes_disabled():
        catalogue.update_activity(activity=refresh(activity), actor=tree.user("a_admin"), expected_version=version,
                                  title="职工瑜伽班")
        with pytest.raises(editing.StaleEdit):
            catalogue.update_activity(activity=refresh(activity), actor=tree.user("a_admin"),
                                      expected_version=version, capacity=9)
    row = refresh(activity)
    assert row.title == "职工瑜伽班" and row.capacity == 5


def test_a_sign_up_meanwhile_is_no_conflict(tree):
    activity = make_activity(tree, capacity=5)
    version = selectors.activity_version(refresh(activity))
    book(activity, make_worker())
    with scopes_disabled():
        catalogue.update_activity(activity=refresh(activity), actor=tree.user("a_admin"), expected_version=version,
                                  capacity=6)
    row = refresh(activity)
    assert row.capacity == 6 and row.taken == 1


def test_an_edit_from_a_stale_copy_cannot_reopen_a_closed_activity(tree):
    activity = make_activity(tree)
    stale = refresh(activity)
    with scopes_disabled():
        catalogue.cancel_activity(activity=refresh(activity), actor=tree.user("a_admin"), reason="场地维修")
        with pytest.raises(DomainError) as refused:
            catalogue.update_activity(activity=stale, actor=tree.user("a_admin"), title="改名")
    assert refused.value.code == "not_editable"
    row = refresh(activity)
    assert row.state == State.CANCELLED and row.title == "职工舞蹈班"


def test_the_edit_page_carries_the_version_and_refuses_a_stale_form(client, tree):
    activity = make_activity(tree)
    client.force_login(tree.user("a_admin"))
    url = reverse("activities:edit", args=[activity.pk])
    data = form_data(client.get(url).content.decode())
    assert re.fullmatch(r"[0-9a-f]{32}", data["version"])
    with scopes_disabled():
        catalogue.update_activity(activity=refresh(activity), actor=tree.user("a_admin"), title="职工书法班")
    response = client.post(url, {**data, "title": "职工太极班"})
    assert response.status_code == 200
    assert str(editing.StaleEdit().message) in response.content.decode()
    with scopes_disabled():
        assert Activity.objects.get(pk=activity.pk).title == "职工书法班"
    fresh = form_data(client.get(url).content.decode())
    assert client.post(url, {**fresh, "title": "职工太极班"}).status_code == 302
    assert refresh(activity).title == "职工太极班"
