"""Every console page a role may use is reachable by links from its home page, and no link leads
to a page the role is refused (403) or that does not exist (404).

For each role, at the county and at a township (and the mediator), the crawl starts at /console/,
follows console links breadth-first a few clicks deep, and records the URL name of every page it
reached. The pages to reach are the scope proof's registry (tests/test_scope_proof.py): every
console page without an object in its path (a list, a queue, a module's home, a form for a new
record), which the role opens with 200 when it types the address."""

import re
from collections import deque
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import Resolver404, resolve
from django_scopes import scopes_disabled

from gonghui.accounts.models import Role
from gonghui.console.templatetags.menus import may
from tests.factories import make_user
from tests.scope_kit import CADRE_ANY, NODE_SCOPED
from tests.test_scope_proof import BY_NAME, REGISTRY, _route

HREF = re.compile(r'href="(/[^"#]*)"')
# A search box is a way to a page too: the action of a GET form.
GET_FORM = re.compile(r'<form[^>]*method="get"[^>]*action="(/[^"#]*)"|<form[^>]*action="(/[^"#]*)"[^>]*method="get"')
DEPTH = 4
MAX_PAGES = 400
# Not pages a person browses to: downloads, API and the worker's phone pages, sign-out.
SKIP_PREFIXES = ("/static/", "/media/", "/w/", "/api/", "/accounts/logout/", "/i18n/", "/health/")

ROLES = [(Role.ADMIN, "a"), (Role.CLERK, "a"), (Role.REVIEWER, "a"), (Role.VIEWER, "a"), (Role.FINANCE, "a"),
         (Role.ADMIN, "b"), (Role.CLERK, "b"), (Role.REVIEWER, "b"), (Role.VIEWER, "b"), (Role.FINANCE, "b"),
         (Role.MEDIATOR, "a")]


def _links(html: str) -> list[tuple[str, bool]]:
    """(URL, whether it is a plain link): a form's action is followed as it is, without the fields the
    person fills in, so an answer of 404 there ("choose a union first") is no broken link."""
    out, seen = [], set()
    actions = [a or b for a, b in GET_FORM.findall(html)]
    for href, plain in [(h, True) for h in HREF.findall(html)] + [(a, False) for a in actions]:
        href = href.replace("&amp;", "&")
        if not href.startswith(SKIP_PREFIXES) and href not in seen:
            seen.add(href)
            out.append((href, plain))
    return out


def _shape(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + "?" + ",".join(sorted(parse_qs(parts.query, keep_blank_values=True)))


def _name(url: str) -> str | None:
    try:
        return resolve(urlsplit(url).path).view_name
    except Resolver404:
        return None


def console_pages() -> list[str]:
    """Registered console pages that take no object in their path and answer GET."""
    names = []
    for name in REGISTRY:
        route = _route(name)
        pattern = BY_NAME.get(name)
        if pattern is None or pattern.is_api or route.kind not in (CADRE_ANY, NODE_SCOPED) or not route.get:
            continue
        if "<" in pattern.route or route.data is not None:
            continue
        names.append(name)
    return sorted(names)


# Pages that answer GET to more roles than may use them, each with why no link is owed to them.
NOT_LINKED = {
    # the error report of the upload just checked (kept in the session), linked from that upload's result
    "positions:import_errors": lambda user: True,
    # the form answers without a union, but importing is refused to roles not declared for it
    "positions:import": lambda user: not may(user, "positions.position.import"),
    "positions:import_template": lambda user: not may(user, "positions.position.import"),
    # a counsellor's own sessions: any cadre's (empty) list answers, the link is for counsellors with sessions
    "counselling:mine": lambda user: not _counsels(user),
}


def _counsels(user) -> bool:
    from gonghui.counselling import selectors as counselling

    return counselling.sessions_of_counsellor(user).exists()


def _not_for(user, name: str) -> bool:
    rule = NOT_LINKED.get(name)
    return bool(rule and rule(user))


def crawl(client) -> tuple[set[str], list[tuple[str, str, int]]]:
    """(URL names reached, broken links as (from, to, status))."""
    seen, reached, broken = {_shape("/console/")}, set(), []
    queue = deque([("/console/", 0, "", True)])
    while queue and len(seen) <= MAX_PAGES:
        url, depth, came_from, plain = queue.popleft()
        response = client.get(url)
        if response.status_code in (403, 404):
            if plain or response.status_code == 403:
                broken.append((came_from, url, response.status_code))
            continue
        if response.status_code != 200:
            continue
        name = _name(url)
        if name:
            reached.add(name)
        if depth >= DEPTH or not response.get("Content-Type", "").startswith("text/html"):
            continue
        for link, link_plain in _links(response.content.decode()):
            # one visit per path and set of query names keeps the crawl small (page 2 of a list, or the
            # list of another union, is the same page)
            key = _shape(link)
            if key in seen:
                continue
            seen.add(key)
            queue.append((link, depth + 1, url, link_plain))
    return reached, broken


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "level"), ROLES, ids=[f"{r}-{lvl}" for r, lvl in ROLES])
def test_every_console_page_of_the_role_is_reachable_and_no_link_is_refused(client, tree, role, level):
    with scopes_disabled():
        user = make_user(f"crawl_{role}_{level}", node=getattr(tree, level), roles=[role])
    client.force_login(user)
    reached, broken = crawl(client)
    assert not broken, f"{role}@{level}: links that answer 403/404: {broken[:10]}"
    unreachable = []
    for name in console_pages():
        if name in reached or _not_for(user, name):
            continue
        if client.get("/" + BY_NAME[name].route).status_code == 200:
            unreachable.append(name)
    assert not unreachable, f"{role}@{level} may open these pages but no link leads to them: {unreachable}"
