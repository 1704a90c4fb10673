"""Lockouts behind the proxy (issue 16, finding 4): django-axes reads the same client address as
the rest of the application and locks the username *and* address pair, so a cadre's wrong
passwords lock that cadre at that address, not every cadre behind nginx, and a stranger cannot
lock a cadre out from elsewhere."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client

from gonghui.core.models import AuditEntry

PASSWORD = "Tr0ub4dor&3x!"
LOGIN = "/accounts/login/"


@pytest.fixture
def proxied(settings):
    settings.GONGHUI_TRUSTED_PROXY_COUNT = 1

    def client(address: str, forged: str = "") -> Client:
        # What gunicorn sees behind nginx: the connection from 127.0.0.1, nginx's header.
        header = f"{forged}, {address}" if forged else address
        return Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=header)

    return client


def _login(client, username, password=PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


def _lock(client, username):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, username, "wrong-password")
    assert _login(client, username).status_code == 429


def test_one_cadres_mistakes_do_not_lock_out_every_cadre_behind_the_proxy(tree, proxied):
    _lock(proxied("203.0.113.7"), "b_admin")
    # Another cadre at another desk, through the same nginx.
    assert _login(proxied("203.0.113.8"), "d_admin").status_code == 302
    attempt = AccessAttempt.objects.get()
    assert attempt.ip_address == "203.0.113.7" and attempt.username == "b_admin"


def test_a_stranger_cannot_lock_a_cadre_out_from_elsewhere(tree, proxied):
    _lock(proxied("198.51.100.66"), "b_admin")
    assert _login(proxied("203.0.113.7"), "b_admin").status_code == 302


def test_the_locked_pair_stays_locked_even_with_a_forged_header(tree, proxied):
    _lock(proxied("198.51.100.66"), "b_admin")
    for forged in ("203.0.113.7", "10.0.0.1", "127.0.0.1"):
        response = _login(proxied("198.51.100.66", forged=forged), "b_admin")
        assert response.status_code == 429 and "账号已锁定" in response.content.decode()
    assert AuditEntry.objects.filter(action="accounts.login_locked").exists()


def test_without_a_declared_proxy_a_forged_header_does_not_escape_the_lock(tree, settings):
    settings.GONGHUI_TRUSTED_PROXY_COUNT = 0
    for n in range(settings.AXES_FAILURE_LIMIT):
        _login(Client(REMOTE_ADDR="198.51.100.66", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}"), "b_admin", "wrong")
    response = _login(Client(REMOTE_ADDR="198.51.100.66", HTTP_X_FORWARDED_FOR="203.0.113.99"), "b_admin")
    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.66"}
