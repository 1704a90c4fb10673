"""Signed-in clients for console tests: the second factor done when the account needs one."""

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scopes_disabled

from gonghui.accounts.permissions import requires_totp
from gonghui.accounts.services import create_api_token


def cadre(tree, username) -> Client:
    user = tree.user(username)
    client = Client()
    client.force_login(user)
    if requires_totp(user):
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def token(tree, username) -> dict:
    with scopes_disabled():
        _token, key = create_api_token(user=tree.user(username), name="console-test")
    return {"Authorization": f"Bearer {key}"}
