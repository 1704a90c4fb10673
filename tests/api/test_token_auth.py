"""Who may call the API: a valid bearer token, or a complete console session with CSRF."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from django_scopes import scopes_disabled

from gonghui.accounts.models import ApiToken

from .helpers import ApiClient, api_as, token_for


def test_no_token_is_401_with_a_code(tree):
    response = ApiClient().get("/nodes")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


@pytest.mark.parametrize("header", [
    "Bearer gh_not-a-real-key",
    "Bearer ",
    "Token {key}",       # another scheme with a real key
    "{key}",             # no scheme
    "Bearer {key}x",     # one character off
])
def test_a_bad_token_is_401(tree, header):
    key = token_for(tree.user("b_admin"))
    response = Client().get("/api/v1/nodes", headers={"Authorization": header.format(key=key)})
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_a_key_in_the_query_string_is_not_accepted(tree):
    key = token_for(tree.user("b_admin"))
    assert Client().get("/api/v1/nodes", {"token": key, "access_token": key}).status_code == 401


def test_a_good_token_is_200_and_its_use_is_stamped(tree):
    key = token_for(tree.user("b_admin"))
    response = ApiClient(key).get("/nodes")
    assert response.status_code == 200
    with scopes_disabled():
        assert ApiToken.objects.get(key_hash=ApiToken.hash_key(key)).last_used_at is not None


def test_a_revoked_token_is_401_like_an_unknown_one(tree):
    key = token_for(tree.user("b_admin"))
    assert ApiClient(key).get("/nodes").status_code == 200
    ApiToken.objects.filter(key_hash=ApiToken.hash_key(key)).update(revoked_at=timezone.now())
    revoked = ApiClient(key).get("/nodes")
    unknown = ApiClient("gh_unknown").get("/nodes")
    assert revoked.status_code == unknown.status_code == 401
    assert revoked.json() == unknown.json()


def test_the_token_of_a_deactivated_account_is_401(tree):
    key = token_for(tree.user("b_admin"))
    user = tree.user("b_admin")
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert ApiClient(key).get("/nodes").status_code == 401


def test_only_the_hash_of_the_key_is_stored(tree):
    key = token_for(tree.user("b_admin"))
    with scopes_disabled():
        stored = ApiToken.objects.get(key_hash=ApiToken.hash_key(key))
    assert key not in str(list(ApiToken.objects.filter(pk=stored.pk).values()))
    assert stored.prefix == key[:8]


def test_a_console_session_works_for_reads_and_needs_csrf_for_writes(tree):
    client = Client(enforce_csrf_checks=True)
    client.force_login(tree.user("b_admin"))
    assert client.get("/api/v1/nodes").status_code == 200
    response = client.post("/api/v1/nodes", {"parent_id": tree.c.pk, "name": "新建工会", "kind": "branch"},
                           content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_a_token_needs_no_csrf(tree):
    response = api_as(tree, "b_admin").post("/nodes", {"parent_id": tree.c.pk, "name": "新建工会", "kind": "branch"})
    assert response.status_code == 201


def test_a_county_session_without_its_second_factor_is_401(tree):
    client = Client()  # a real sign-in with the password only: the authenticator's code still to come
    assert client.post("/accounts/login/", {"username": "a_admin", "password": "Tr0ub4dor&3x!"}).status_code == 302
    assert client.get("/api/v1/nodes").status_code == 401


def test_a_token_of_an_account_without_roles_sees_nothing(tree):
    client = api_as(tree, "nobody")
    assert client.get("/nodes").json() == {"items": [], "count": 0}
    assert client.get(f"/nodes/{tree.c.pk}").status_code == 404


# --- manage.py create_token ----------------------------------------------------------------------

def _create_token(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("create_token", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def test_create_token_prints_a_key_that_authenticates(tree):
    # A viewer sees no unmasked personal data, so needs no authenticator for a token (an admin's
    # token needs the authenticator's --code: tests/accounts/test_second_factor.py).
    key, notice = _create_token("b_viewer", "--name", "报表系统")
    assert key.startswith("gh_") and "\n" not in key
    assert "b_viewer" in notice
    response = ApiClient(key).get("/nodes")
    assert response.status_code == 200
    assert {n["name"] for n in response.json()["items"]} == {tree.b.name, tree.c.name}
    with scopes_disabled():
        token = ApiToken.objects.get(key_hash=ApiToken.hash_key(key))
    assert token.user == tree.user("b_viewer") and token.name == "报表系统"


def test_create_token_gives_a_new_key_each_time(tree):
    first, _ = _create_token("b_viewer")
    second, _ = _create_token("b_viewer")
    assert first != second
    assert ApiClient(first).get("/nodes").status_code == ApiClient(second).get("/nodes").status_code == 200


def test_create_token_refuses_unknown_and_deactivated_accounts(tree):
    with pytest.raises(CommandError):
        _create_token("no_such_user")
    user = tree.user("d_admin")
    user.is_active = False
    user.save(update_fields=["is_active"])
    with pytest.raises(CommandError):
        _create_token("d_admin")
    assert not ApiToken.objects.exists()
