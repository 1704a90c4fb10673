"""Issue 16, finding 7: unmasked personal data only behind a verified second factor.

Before: a county clerk exported the whole county's ID numbers and phones with a password alone, an
API token stood in for any second factor, and the first visit to the code page showed the TOTP
secret to whoever had the password. Now admins and clerks (the roles that may see or export
unmasked data) must pass an authenticator code, tokens of such accounts are issued only after it,
and an authenticator is enrolled only through an admin's single-use link.
"""

import io
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scopes_disabled

from gonghui.accounts import services
from gonghui.accounts.models import AccountLink, ApiToken, Role
from gonghui.accounts.permissions import requires_totp
from gonghui.core.errors import DomainError
from gonghui.core.models import AuditEntry
from tests.factories import make_user
from tests.scope_kit import _member

PASSWORD = "Tr0ub4dor&3x!"


def _signed_in(username, client=None):
    client = client or Client()
    assert client.post("/accounts/login/", {"username": username, "password": PASSWORD}).status_code == 302
    return client


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift):06d}"


@pytest.fixture
def county_clerk(tree):
    with scopes_disabled():
        return make_user("a_clerk", node=tree.a, roles=[Role.CLERK])


@pytest.fixture
def member(tree):
    with scopes_disabled():
        return _member(tree, tree.c)


def test_a_county_clerk_with_only_a_password_gets_no_unmasked_export(tree, county_clerk, member):
    client = _signed_in("a_clerk")
    response = client.get(f"/members/export/?node={tree.a.pk}&full=1")
    assert response.status_code == 302 and response["Location"] == "/accounts/otp/"
    assert member.id_number.encode() not in response.content
    reveal = client.post(f"/members/{member.pk}/reveal/", {"purpose": "核对"})
    assert reveal.status_code == 302 and reveal["Location"] == "/accounts/otp/"
    assert not AuditEntry.objects.filter(action__in=["members.roster.exported", "members.member.revealed"]).exists()


@pytest.mark.parametrize("role, needed", [(Role.ADMIN, True), (Role.CLERK, True), (Role.REVIEWER, False),
                                          (Role.VIEWER, False), (Role.FINANCE, False), (Role.MEDIATOR, False)])
def test_roles_that_may_see_unmasked_data_need_the_second_factor_at_every_level(tree, role, needed):
    with scopes_disabled():
        user = make_user(f"c_{role}", node=tree.c, roles=[role])
    assert requires_totp(user) is needed


def test_a_token_is_not_issued_to_a_clerk_without_the_second_factor(tree, county_clerk):
    with pytest.raises(DomainError) as refused:
        services.create_api_token(user=county_clerk, name="export", second_factor=False)
    assert refused.value.code == "second_factor_required"
    assert not ApiToken.objects.filter(user=county_clerk).exists()


def test_the_token_command_asks_for_the_accounts_code(tree, county_clerk):
    with pytest.raises(CommandError, match="身份验证器|authenticator"):
        call_command("create_token", "a_clerk", stdout=io.StringIO(), stderr=io.StringIO())
    device = TOTPDevice.objects.create(user=county_clerk, name="authenticator", confirmed=True)
    with pytest.raises(CommandError):
        call_command("create_token", "a_clerk", "--code", "000000" if _code(device) != "000000" else "111111",
                     stdout=io.StringIO(), stderr=io.StringIO())
    assert not ApiToken.objects.filter(user=county_clerk).exists()
    out = io.StringIO()
    with mock.patch.object(TOTPDevice, "verify_is_allowed", return_value=(True, None)):  # skip the back-off wait
        call_command("create_token", "a_clerk", "--code", _code(device), stdout=out, stderr=io.StringIO())
    token = ApiToken.objects.get(user=county_clerk)
    assert token.second_factor and token.key_hash == ApiToken.hash_key(out.getvalue().strip())


def test_a_viewer_token_stops_when_the_account_becomes_a_clerk(tree, member):
    viewer = tree.user("b_viewer")
    _token, key = services.create_api_token(user=viewer, name="figures", second_factor=False)
    headers = {"Authorization": f"Bearer {key}"}
    assert Client().get("/api/v1/nodes", headers=headers).status_code == 200
    services.grant_role(user=viewer, node=tree.b, role=Role.CLERK, actor=tree.user("a_admin"))
    response = Client().post(f"/api/v1/members/{member.pk}/reveal", {}, content_type="application/json",
                             headers=headers)
    assert response.status_code == 401
    assert AuditEntry.objects.filter(action="accounts.token.revoked", object_id=str(viewer.pk)).exists()


def test_the_first_sign_in_shows_no_secret_and_enrols_nothing(tree):
    client = _signed_in("a_admin")
    page = client.get("/accounts/otp/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "data:image/svg+xml" not in text and "otpauth" not in text
    assert "启用链接" in text or "enrolment link" in text
    assert not TOTPDevice.objects.filter(user=tree.user("a_admin")).exists()
    assert client.post("/accounts/otp/", {"token": "123456"}).status_code == 200
    assert client.get("/console/")["Location"] == "/accounts/otp/"


def test_enrolment_goes_through_the_admins_single_use_link(tree):
    key = services.reset_totp(user=tree.user("b_admin"), actor=tree.user("a_admin"))
    link = f"/accounts/link/{key}/"
    # The link alone (no password) shows nothing: sign in first.
    anonymous = Client().get(link)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")
    other = _signed_in("d_admin").get(link)
    assert other.status_code == 302 and "data:image/svg+xml" not in other.content.decode()
    assert not TOTPDevice.objects.filter(user=tree.user("b_admin")).exists()
    client = _signed_in("b_admin")
    page = client.get(link)
    assert page.status_code == 200 and "data:image/svg+xml" in page.content.decode()
    assert page["Cache-Control"] == "no-store"
    device = TOTPDevice.objects.get(user=tree.user("b_admin"))
    assert not device.confirmed
    wrong = client.post(link, {"code": "000000" if _code(device) != "000000" else "111111"})
    assert wrong.status_code == 200 and not TOTPDevice.objects.get(pk=device.pk).confirmed
    with mock.patch.object(TOTPDevice, "verify_is_allowed", return_value=(True, None)):  # skip the back-off wait
        done = client.post(link, {"code": _code(device)})
    assert done.status_code == 302 and done["Location"] == "/console/"
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get("/console/").status_code == 200
    assert AuditEntry.objects.filter(action="accounts.totp.enrolled", object_id=str(tree.user("b_admin").pk)).exists()
    assert AccountLink.objects.get(user=tree.user("b_admin")).used_at is not None
    # Used once: a second visit is refused clearly and enrols nothing.
    again = client.get(link)
    assert again.status_code == 410 and ("已被使用" in again.content.decode() or "already been used" in again.content.decode())
    assert TOTPDevice.objects.filter(user=tree.user("b_admin")).count() == 1
