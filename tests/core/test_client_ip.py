"""The client's address behind the deployment's proxy (issue 16, finding 4).

Behind deploy/nginx-gonghui.conf every connection comes from 127.0.0.1 and nginx appends the real
client to X-Forwarded-For. The application believes that header only when the deployment says how
many proxies stand in front of it (GONGHUI_TRUSTED_PROXY_COUNT), and then only the part its own
proxy wrote: a header a client forges is never the address."""

import pytest
from django.test import Client, RequestFactory

from gonghui.core.context import client_ip
from gonghui.core.models import AuditEntry

PROXY = "127.0.0.1"


def _request(remote=PROXY, xff=None):
    extra = {"REMOTE_ADDR": remote}
    if xff is not None:
        extra["HTTP_X_FORWARDED_FOR"] = xff
    return RequestFactory().get("/", **extra)


def test_without_a_declared_proxy_the_connection_is_the_client_and_the_header_is_not_believed(settings):
    settings.GONGHUI_TRUSTED_PROXY_COUNT = 0
    assert client_ip(_request("203.0.113.7")) == "203.0.113.7"
    assert client_ip(_request("203.0.113.7", xff="198.51.100.1")) == "203.0.113.7"
    assert client_ip(_request("203.0.113.7", xff="198.51.100.1").META) == "203.0.113.7"  # META works too


def test_behind_one_proxy_the_address_nginx_appended_is_the_client(settings):
    settings.GONGHUI_TRUSTED_PROXY_COUNT = 1
    assert client_ip(_request(xff="203.0.113.7")) == "203.0.113.7"
    assert client_ip(_request(xff="10.1.2.3")) == "10.1.2.3"  # a county intranet address too
    assert client_ip(_request(xff="2001:db8::5")) == "2001:db8::5"
    # A client that writes its own header: nginx appends the real address after it.
    assert client_ip(_request(xff="198.51.100.1, 203.0.113.7")) == "203.0.113.7"
    assert client_ip(_request(xff="not-an-address, 203.0.113.7")) == "203.0.113.7"
    # A request that did not pass through the proxy (no header): the connection's peer.
    assert client_ip(_request("203.0.113.9")) == "203.0.113.9"


def test_behind_two_proxies_the_second_address_from_the_right(settings):
    settings.GONGHUI_TRUSTED_PROXY_COUNT = 2  # a load balancer, then nginx
    assert client_ip(_request(xff="198.51.100.1, 203.0.113.7, 192.0.2.10")) == "203.0.113.7"


def test_the_setting_is_read_from_the_environment(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from gonghui.settings.base import env_int

    monkeypatch.setenv("GONGHUI_TRUSTED_PROXY_COUNT", "1")
    assert env_int("GONGHUI_TRUSTED_PROXY_COUNT", 0) == 1
    monkeypatch.setenv("GONGHUI_TRUSTED_PROXY_COUNT", "nginx")
    with pytest.raises(ImproperlyConfigured):
        env_int("GONGHUI_TRUSTED_PROXY_COUNT", 0)


def test_the_audit_log_records_the_client_behind_the_proxy(tree, settings):
    settings.GONGHUI_TRUSTED_PROXY_COUNT = 1
    client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")
    client.post("/accounts/login/", {"username": "b_admin", "password": "Tr0ub4dor&3x!"})
    assert AuditEntry.objects.get(action="accounts.login").ip == "203.0.113.7"


def test_the_old_forwarded_for_switch_is_gone(settings):
    # GONGHUI_TRUST_X_FORWARDED_FOR trusted the left-most address, which the client writes.
    settings.GONGHUI_TRUSTED_PROXY_COUNT = 0
    settings.GONGHUI_TRUST_X_FORWARDED_FOR = True
    assert client_ip(_request("203.0.113.7", xff="198.51.100.1")) == "203.0.113.7"
