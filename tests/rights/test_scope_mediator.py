"""The scope proof for mediators: holding the mediator role over a subtree gives no case of it.

An outside partner's account (court, labour bureau, lawyer) or a union mediator sees and acts on
the cases it is invited to or assigned, nothing else — through every rights page and API route.
"""

import pytest
from django.test import Client
from django.utils import timezone
from django_scopes import scopes_disabled

from gonghui.accounts.models import Role
from gonghui.accounts.services import create_api_token
from gonghui.orgs.models import Node
from gonghui.rights.models import Case
from gonghui.rights.services import cases
from tests.factories import make_user
from tests.test_scope_proof import BY_NAME, _call, _method, _payload, _route, _url

from .conftest import snapshot
from .scope_routes import ROUTES, _document, _mediating, _submitted, _with_mediator

CASE_TARGETS = {_submitted, _mediating, _with_mediator, _document}
CASE_ROUTES = sorted(name for name, route in ROUTES.items()
                     if getattr(route, "target", None) in CASE_TARGETS)


@pytest.fixture
def mediator(tree):
    with scopes_disabled():
        return make_user("c_mediator", node=tree.b, roles=[Role.MEDIATOR])


def _client(user, api):
    if api:
        with scopes_disabled():
            _token, key = create_api_token(user=user, name="proof")
        return Client(), {"Authorization": f"Bearer {key}"}
    client = Client()
    client.force_login(user)
    return client, {}


@pytest.mark.parametrize("name", CASE_ROUTES)
def test_a_mediator_not_invited_is_refused_and_nothing_changes(tree, mediator, name):
    route, pattern = _route(name), BY_NAME[name]
    with scopes_disabled():
        pk = route.target(tree, Node.objects.get(pk=tree.c.pk))
    client, headers = _client(mediator, pattern.is_api)
    if pattern.is_api:
        client.get("/api/v1/rights/cases", headers=headers)
    url = _url(name, route, pk)
    before = snapshot()
    if route.get and (not pattern.is_api or _method(name, route) == "GET"):
        assert _call(client, "GET", url, api=pattern.is_api, headers=headers).status_code in (403, 404)
    method = _method(name, route)
    if method != "GET":
        with scopes_disabled():
            data = _payload(tree, route, tree.c, pk)
        response = _call(client, method, url, data, api=pattern.is_api, headers=headers)
        assert response.status_code in (403, 404), f"{method} {url} → {response.status_code}"
    assert snapshot() == before


def test_an_invited_mediator_sees_that_case_only(tree, mediator):
    with scopes_disabled():
        invited_pk, other_pk = _mediating(tree, tree.c), _mediating(tree, tree.c)
        cases.invite_mediator(case=Case.objects.get(pk=invited_pk), actor=tree.user("b_admin"), mediator=mediator,
                     partner="justice_bureau")
    client, _ = _client(mediator, False)
    listing = client.get("/rights/").content.decode()
    with scopes_disabled():
        codes = {pk: Case.objects.get(pk=pk).tracking_code for pk in (invited_pk, other_pk)}
    assert codes[invited_pk] in listing and codes[other_pk] not in listing
    assert client.get(f"/rights/cases/{invited_pk}/").status_code == 200
    assert client.get(f"/rights/cases/{other_pk}/").status_code == 404
    api, headers = _client(mediator, True)
    items = api.get("/api/v1/rights/cases?stage=", headers=headers).json()["items"]
    assert [i["id"] for i in items] == [invited_pk]
    response = api.post(f"/api/v1/rights/cases/{invited_pk}/sessions", data={
        "held_on": timezone.localdate().isoformat(), "place": "县法院诉调对接室", "participants": "法官、工会、双方", "result": "adjourned"},
        content_type="application/json", headers=headers)
    assert response.status_code == 201, response.content
    assert api.post(f"/api/v1/rights/cases/{invited_pk}/moves", data={"action": "arbitration"},
                    content_type="application/json", headers=headers).status_code == 403
