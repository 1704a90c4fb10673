"""The door of withdrawing a mediator's invitation: the case's handler withdraws it from the case
page or the API; the mediator no longer sees the case; nobody else may."""

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from gonghui.accounts.models import User
from gonghui.core.models import AuditEntry
from gonghui.orgs.models import Node
from gonghui.rights.models import Invitation
from tests.rights.scope_routes import _invited
from tests.test_scope_proof import _token_headers

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_pk(tree):
    with scopes_disabled():
        return _invited(tree, Node.objects.get(pk=tree.c.pk))


def _active(case_pk) -> int:
    with scopes_disabled():
        return Invitation.objects.filter(case_id=case_pk, revoked_at__isnull=True).count()


def test_the_handler_withdraws_an_invitation_from_the_case_page(client, tree, case_pk):
    mediator = f"med_{tree.c.pk}"
    client.force_login(tree.user("b_admin"))
    page = client.get(reverse("rights:case", args=[case_pk])).content.decode()
    assert reverse("rights:case_uninvite", args=[case_pk]) in page and _active(case_pk) == 1
    assert client.post(reverse("rights:case_uninvite", args=[case_pk]), {"mediator": mediator}).status_code == 302
    assert _active(case_pk) == 0
    assert AuditEntry.objects.filter(action="rights.case.mediator_uninvited").count() == 1
    # the mediator's own page of the case is gone
    client.force_login(User.objects.get(username=mediator))
    assert client.get(reverse("rights:case", args=[case_pk])).status_code in (403, 404)


def test_a_viewer_cannot_withdraw_it(client, tree, case_pk):
    mediator = f"med_{tree.c.pk}"
    client.force_login(tree.user("b_viewer"))
    response = client.post(reverse("rights:case_uninvite", args=[case_pk]), {"mediator": mediator})
    assert response.status_code in (403, 404)
    api = client.post(f"/api/v1/rights/cases/{case_pk}/invitations/revoke", {"mediator": mediator},
                      content_type="application/json", headers=_token_headers(tree, "b_viewer"))
    assert api.status_code in (403, 404)
    assert _active(case_pk) == 1


def test_withdrawing_through_the_api_and_twice(client, tree, case_pk):
    mediator = f"med_{tree.c.pk}"
    headers = _token_headers(tree, "b_admin")
    url = f"/api/v1/rights/cases/{case_pk}/invitations/revoke"
    response = client.post(url, {"mediator": mediator}, content_type="application/json", headers=headers)
    assert response.status_code == 200 and response.json()["revoked"] is True and _active(case_pk) == 0
    again = client.post(url, {"mediator": mediator}, content_type="application/json", headers=headers)
    assert again.status_code == 400 and again.json()["code"] == "not_invited"
