"""``gonghui create-admin --node CODE``: the first administrator of a county, with a set-up link."""

import io
import re
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from gonghui.accounts.models import AccountLink, Role, RoleAssignment, User
from gonghui.core.models import AuditEntry
from gonghui.orgs import services as orgs
from gonghui.orgs.models import NodeKind

NEW_PASSWORD = "Xq7!mountain-Lake"


@pytest.fixture
def county(db):
    return orgs.create_root(name="青山县总工会", kind=NodeKind.COUNTY, region_code="330521", region_name="青山县")


def _run(*args) -> str:
    out = io.StringIO()
    call_command("create_admin", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_the_first_admin_gets_a_single_use_set_up_link(county):
    out = _run("--node", county.code, "--username", "qs_admin", "--base-url", "https://gh.example.cn")
    user = User.objects.get(username="qs_admin")
    assert not user.has_usable_password()
    assert RoleAssignment.objects.filter(user=user, node=county, role=Role.ADMIN).exists()
    key = re.search(r"https://gh\.example\.cn/accounts/link/([\w-]+)/", out).group(1)
    assert AccountLink.objects.get(user=user).purpose == AccountLink.Purpose.SETUP
    assert AuditEntry.objects.filter(action="accounts.user.created", object_id=str(user.pk)).exists()
    # The link sets the password and enrols the authenticator, once.
    client = Client()
    assert client.get(f"/accounts/link/{key}/").status_code == 200
    device = TOTPDevice.objects.get(user=user)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift):06d}"
    with mock.patch.object(TOTPDevice, "verify_is_allowed", return_value=(True, None)):
        done = client.post(f"/accounts/link/{key}/", {"new_password": NEW_PASSWORD, "new_password2": NEW_PASSWORD,
                                                      "code": code})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD) and TOTPDevice.objects.get(user=user).confirmed
    assert client.get(f"/accounts/link/{key}/").status_code == 410


def test_the_default_user_name_comes_from_the_node(county):
    _run("--node", county.code)
    assert User.objects.filter(username=f"admin_{county.code}").exists()


def test_an_unknown_node_is_refused_clearly(db):
    with pytest.raises(CommandError, match="没有编码为 NOPE 的工会|No union with the code NOPE"):
        _run("--node", "NOPE")
    assert not User.objects.exists()


def test_a_node_with_an_admin_is_refused_unless_forced(county):
    _run("--node", county.code, "--username", "first")
    with pytest.raises(CommandError, match="--force"):
        _run("--node", county.code, "--username", "second")
    assert not User.objects.filter(username="second").exists()
    _run("--node", county.code, "--username", "second", "--force")
    assert RoleAssignment.objects.filter(node=county, role=Role.ADMIN).count() == 2


def test_a_taken_user_name_is_refused_and_creates_nothing(county):
    User.objects.create_user(username="taken", password="Tr0ub4dor&3x!")
    with pytest.raises(CommandError, match="已被使用|already taken"):
        _run("--node", county.code, "--username", "taken")
    assert not RoleAssignment.objects.exists()


def test_password_on_the_command_line_needs_a_terminal(county):
    with mock.patch("sys.stdin.isatty", return_value=False), pytest.raises(CommandError, match="--password"):
        _run("--node", county.code, "--password")
    assert not User.objects.exists()


def test_a_typed_password_leaves_only_the_authenticator_to_enrol(county):
    with mock.patch("sys.stdin.isatty", return_value=True), \
            mock.patch("getpass.getpass", side_effect=[NEW_PASSWORD, NEW_PASSWORD]):
        _run("--node", county.code, "--username", "typed", "--password")
    user = User.objects.get(username="typed")
    assert user.check_password(NEW_PASSWORD)
    assert AccountLink.objects.filter(user=user, used_at__isnull=True, purpose=AccountLink.Purpose.TOTP).count() == 1
