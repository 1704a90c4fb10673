"""The door of closing an aid programme: the organizing union's administrator closes it from the
programme's page or the API; nobody else; a closed programme takes no new application."""

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from gonghui.aid.models import Programme
from gonghui.aid.services import applications
from gonghui.core.errors import DomainError
from gonghui.core.models import AuditEntry
from tests.aid.conftest import make_member, make_programme
from tests.test_scope_proof import _token_headers

pytestmark = pytest.mark.django_db


def _is_open(programme) -> bool:
    with scopes_disabled():
        return Programme.objects.get(pk=programme.pk).is_open


def test_the_organizers_admin_closes_the_programme_from_its_page(client, tree):
    programme = make_programme(tree)
    client.force_login(tree.user("a_admin"))
    url = reverse("aid:programme_close", args=[programme.pk])
    assert url in client.get(reverse("aid:programme", args=[programme.pk])).content.decode()
    assert client.post(url).status_code == 302 and not _is_open(programme)
    assert AuditEntry.objects.filter(action="aid.programme.closed").count() == 1
    assert url not in client.get(reverse("aid:programme", args=[programme.pk])).content.decode()
    with scopes_disabled(), pytest.raises(DomainError):
        applications.create_application(programme=Programme.objects.get(pk=programme.pk), member=make_member(tree),
                                        actor=tree.user("b_clerk"),
                                        reason="家中老人重病", amount="800")


@pytest.mark.parametrize("who", ["b_admin", "b_clerk"])
def test_nobody_else_closes_it(client, tree, who):
    """A township's administrator sees the county's programme but does not close it; a clerk neither."""
    programme = make_programme(tree)
    client.force_login(tree.user(who))
    url = reverse("aid:programme_close", args=[programme.pk])
    assert url not in client.get(reverse("aid:programme", args=[programme.pk])).content.decode()
    assert client.post(url).status_code in (403, 404)
    assert client.post(f"/api/v1/aid/programmes/{programme.pk}/close", content_type="application/json",
                       headers=_token_headers(tree, who)).status_code in (403, 404)
    assert _is_open(programme)


def test_closing_through_the_api(client, tree):
    programme = make_programme(tree)
    response = client.post(f"/api/v1/aid/programmes/{programme.pk}/close", content_type="application/json",
                           headers=_token_headers(tree, "a_admin"))
    assert response.status_code == 200 and response.json()["id"] == programme.pk
    assert not _is_open(programme)
