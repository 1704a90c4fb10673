"""Outside mediators are confined to their cases (issue 16, finding 8).

A ``lawyer_mediator`` holding the mediator role over the whole county got 200 on the employer
ledger export, the legal-person register export, the funds ledger and payments, the positions
export, transfers and statistics. The mediator role reaches no subtree: this walks every console
URL and API endpoint of the scope proof (``tests/test_scope_proof.py`` and ``tests/*/scope_routes.py``)
as a mediator-only account, with the object built where an admin of the county would be served, and
expects 403 or 404 with nothing changed — except the few pages a mediator lives on: the console
home, their own password page and their rights case list (which shows only the cases they are
invited to; the case pages themselves are proven in tests/rights/test_scope_mediator.py).
"""

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from gonghui.accounts.models import Role
from gonghui.accounts.services import create_api_token
from gonghui.rights.models import Case
from gonghui.rights.services import cases
from tests.factories import make_user
from tests.scope_kit import CADRE_ANY, NODE_SCOPED
from tests.test_scope_proof import (
    BY_NAME,
    _build,
    _call,
    _diff,
    _method,
    _names,
    _payload,
    _route,
    _url,
    snapshot,
)

# Where a mediator-only account is served: its landing page, its own account, and its case list
# (and the list's export), which hold only the cases it is invited to.
MEDIATOR_PAGES = {"console:home", "accounts:password", "api:change_my_password", "rights:cases",
                  "rights:cases_export", "api:list_cases", "api:export_cases"}


@pytest.fixture
def mediator(tree):
    """Like the demo's lawyer_mediator: the mediator role over the whole county, and nothing else."""
    with scopes_disabled():
        return make_user("lawyer_mediator", node=tree.a, roles=[Role.MEDIATOR])


def _client(user, api: bool):
    if api:
        with scopes_disabled():
            _token, key = create_api_token(user=user, name="confinement")
        client, headers = Client(), {"Authorization": f"Bearer {key}"}
        client.get("/api/v1/nodes", headers=headers)  # the token's first-use stamp, out of the way
        return client, headers
    client = Client()
    client.force_login(user)
    return client, {}


@pytest.mark.parametrize("name", [n for n in _names(CADRE_ANY, NODE_SCOPED) if n not in MEDIATOR_PAGES])
def test_a_mediator_is_refused_everywhere_outside_their_cases(tree, mediator, name):
    route, pattern = _route(name), BY_NAME[name]
    api = pattern.is_api
    pk = _build(tree, route, tree.c) if route.target else None
    url = _url(name, route, pk)
    if route.query and not route.param:
        url += "?" + "&".join(f"{k}={v}" for k, v in route.query.items())
    client, headers = _client(mediator, api)
    before = snapshot()
    if route.get and (not api or _method(name, route) == "GET"):
        response = _call(client, "GET", url, api=api, headers=headers)
        assert response.status_code in (403, 404), f"GET {url} → {response.status_code}"
    method = _method(name, route)
    if method != "GET":
        response = _call(client, method, url, _payload(tree, route, tree.c, pk), api=api, headers=headers)
        assert response.status_code in (403, 404), f"{method} {url} → {response.status_code}"
    assert not _diff(before, snapshot()), f"{name}: a refused request changed {_diff(before, snapshot())}"


def test_the_pages_a_mediator_lives_on_show_only_their_cases(tree, mediator):
    from tests.rights.scope_routes import _mediating

    with scopes_disabled():
        invited_pk, other_pk = _mediating(tree, tree.c), _mediating(tree, tree.c)
        cases.invite_mediator(case=Case.objects.get(pk=invited_pk), actor=tree.user("a_admin"), mediator=mediator,
                     partner="lawyer")
        codes = {pk: Case.objects.get(pk=pk).tracking_code for pk in (invited_pk, other_pk)}
    client, _ = _client(mediator, False)
    home = client.get("/console/")
    assert home.status_code == 200
    listing = client.get("/rights/").content.decode()
    assert codes[invited_pk] in listing and codes[other_pk] not in listing
    assert client.get(f"/rights/cases/{invited_pk}/").status_code == 200
    assert client.get(f"/rights/cases/{other_pk}/").status_code == 404
    assert client.get("/accounts/password/").status_code == 200
    api, headers = _client(mediator, True)
    items = api.get("/api/v1/rights/cases?stage=", headers=headers).json()["items"]
    assert [i["id"] for i in items] == [invited_pk]
    assert api.get(f"/api/v1/rights/cases/{invited_pk}", headers=headers).status_code == 200
    # the home page carries no card of another module: nothing of the county's unions shows
    page = home.content.decode()
    for marker in ("城关镇总工会", "河口镇总工会", "青山精密机械有限公司工会"):
        assert marker not in page, marker


def test_a_cadre_who_is_also_a_mediator_keeps_only_their_own_subtree(tree):
    """A township clerk who mediates for the whole county reads the township, not the county."""
    with scopes_disabled():
        clerk = make_user("b_clerk_mediator", node=tree.b, roles=[Role.CLERK])
        from gonghui.accounts import services as accounts

        accounts.grant_role(user=clerk, node=tree.a, role=Role.MEDIATOR)
    client, _ = _client(clerk, False)
    assert client.get(f"/orgs/ledger/export/?node={tree.d.pk}").status_code in (403, 404)
    assert client.get(f"/orgs/nodes/{tree.d.pk}/").status_code in (403, 404)
    assert client.get(f"/orgs/nodes/{tree.c.pk}/").status_code == 200
