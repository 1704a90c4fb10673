"""Signed-in clients for console tests. ``force_login`` completes the second factor for accounts
that need one (tests/conftest.py), as a finished sign-in would."""

from django.test import Client
from django_scopes import scopes_disabled

from gonghui.accounts.services import create_api_token


def cadre(tree, username) -> Client:
    client = Client()
    client.force_login(tree.user(username))
    return client


def token(tree, username) -> dict:
    with scopes_disabled():
        _token, key = create_api_token(user=tree.user(username), name="console-test")
    return {"Authorization": f"Bearer {key}"}
