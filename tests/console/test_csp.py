"""Issue 16 finding 11 (CSP part): console and worker pages send a Content-Security-Policy that
allows no inline script except with the request's nonce, and no template carries an inline script
or event handler without it."""

import re
from pathlib import Path

import pytest

import gonghui

SCRIPT = re.compile(r"<script\b([^>]*)>", re.I)
HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I | re.S)
TEMPLATES = sorted(Path(gonghui.__file__).parent.rglob("templates/**/*.html"))


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def _inline_scripts_without(nonce: str | None, html: str) -> list[str]:
    bad = []
    for attrs in SCRIPT.findall(html):
        if "src=" in attrs or 'type="application/json"' in attrs:
            continue
        if nonce is None or f'nonce="{nonce}"' not in attrs:
            bad.append(attrs)
    return bad


def test_templates_have_no_inline_script_without_nonce():
    assert TEMPLATES
    offenders = [str(t) for t in TEMPLATES if _inline_scripts_without("{{ request.csp_nonce }}", t.read_text())]
    assert offenders == []


def test_templates_have_no_inline_event_handlers():
    offenders = [str(t) for t in TEMPLATES if HANDLER.search(t.read_text())]
    assert offenders == []


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/console/", "/positions/map/", "/members/"])
def test_console_pages_send_a_strict_policy(client, tree, path):
    client.force_login(tree.user("a_admin"))
    response = client.get(path)
    assert response.status_code == 200
    policy = _policy(response)
    assert policy["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    nonce = next((s[len("'nonce-"):-1] for s in policy["script-src"] if s.startswith("'nonce-")), None)
    assert _inline_scripts_without(nonce, response.content.decode()) == []


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/w/", "/w/stations/?lat=30.0&lng=120.0", "/w/login/", "/no-such-page/"])
def test_worker_and_error_pages_send_a_strict_policy(client, path):
    response = client.get(path)
    assert response.status_code in (200, 404)
    policy = _policy(response)
    assert "'unsafe-inline'" not in policy["script-src"]
    nonce = next((s[len("'nonce-"):-1] for s in policy["script-src"] if s.startswith("'nonce-")), None)
    assert _inline_scripts_without(nonce, response.content.decode()) == []
