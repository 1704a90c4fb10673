"""Menus and home cards show only what the cadre's roles may open: no link that answers 403."""

import re

import pytest
from django_scopes import scopes_disabled

from gonghui.accounts.models import Role
from tests.factories import make_user

ROLES = [Role.ADMIN, Role.CLERK, Role.REVIEWER, Role.VIEWER, Role.FINANCE, Role.MEDIATOR]
HREF = re.compile(r'href="(/[^"#]*)"')


def _links(html: str) -> list[str]:
    """Every link of the page into the console (not static files, not the worker pages)."""
    links = []
    for href in HREF.findall(html):
        href = href.replace("&amp;", "&")
        if href.startswith(("/static/", "/media/", "/w/")) or href in links:
            continue
        links.append(href)
    return links


def _nav(html: str) -> list[str]:
    nav = re.search(r'<nav class="mainnav">(.*?)</nav>', html, re.S)
    return _links(nav.group(1)) if nav else []


@pytest.fixture
def no_totp(settings):
    settings.GONGHUI_TOTP_REQUIRED_KINDS = []


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_no_link_on_home_or_menu_answers_403(client, tree, no_totp, role):
    with scopes_disabled():
        user = make_user(f"demo_{role}", node=tree.a, roles=[role])
    client.force_login(user)
    home = client.get("/console/")
    assert home.status_code == 200
    html = home.content.decode()
    nav = _nav(html)
    assert "/console/" in nav
    refused = []
    for link in _links(html):
        response = client.get(link)
        if response.status_code == 403:
            refused.append(link)
        elif link in nav and response.status_code == 200:
            # the menu is the same on every page it leads to
            assert _nav(response.content.decode()) == nav, link
    assert refused == [], f"{role} sees links it may not open: {refused}"


@pytest.mark.django_db
def test_viewer_menu_leaves_out_what_it_may_not_open(client, tree, no_totp):
    """A viewer sees figures, not work queues it would be refused."""
    client.force_login(tree.user("b_viewer"))
    nav = _nav(client.get("/console/").content.decode())
    for href in nav:
        assert client.get(href).status_code != 403, href
