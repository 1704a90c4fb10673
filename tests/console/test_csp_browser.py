"""In headless Chromium: console and worker pages run under the Content-Security-Policy without a
single violation (charts, the positions map, the station finder), and the behaviour moved out of
inline handlers still works (the language menu sends its form on change). The policy allows no
inline style either: every module's console pages and the worker's pages (signed out and signed
in on a phone) are visited and none is refused a style.

Needs Debian's chromium (``.ci/run`` installs it); Playwright drives it through ``executable_path``.
"""

import re
import shutil

import pytest
from django_scopes import scopes_disabled

from gonghui.accounts.sms import MemorySmsBackend
from tests.browser_sign_in import sign_in
from tests.e2e.test_console_browser import browser_page  # noqa: F401 - fixture
from tests.factories import make_tree

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed here; .ci/run installs it"),
]


@pytest.fixture
def watched_page(browser_page):  # noqa: F811 - the shared fixture (tests/e2e), its connections closed
    """The shared browser page, with the console's errors and the page's exceptions collected."""
    problems: list[str] = []
    browser_page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    browser_page.on("pageerror", lambda e: problems.append(str(e)))
    browser_page.problems = problems
    return browser_page


def _violations(page) -> list[str]:
    return [p for p in page.problems if "Content Security Policy" in p or "Refused to" in p]


@pytest.mark.django_db(transaction=True)
def test_pages_run_under_the_policy(live_server, watched_page):
    with scopes_disabled():
        make_tree()
    page = watched_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "b_viewer")
    page.fill("#id_password", "Tr0ub4dor&3x!")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/console/")
    for path in ("/console/", "/stats/", "/positions/map/", "/no-such-page/",
                 "/w/", "/w/stations/?lat=30.2&lng=120.1", "/w/login/"):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("load")
    assert _violations(page) == []

    # The language menu (data-autosubmit, was an inline onchange) still switches the language.
    page.goto(f"{live_server.url}/console/")
    page.select_option("select[name=language]", "en")
    page.wait_for_load_state("load")
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert _violations(page) == []


# Pages whose templates carried inline styles before the policy refused them, one or more a module.
CONSOLE_PAGES = (
    "/console/", "/console/audit/", "/orgs/tree/", "/orgs/ledger/", "/members/", "/members/applications/",
    "/members/transfers/", "/positions/", "/positions/map/", "/positions/visits/", "/activities/",
    "/activities/volunteers/", "/activities/commendations/", "/rights/", "/rights/figures/", "/rights/checkups/",
    "/rights/agreements/", "/rights/checklist/", "/aid/", "/aid/applications/", "/aid/wishes/",
    "/registration/applications/", "/registration/register/", "/registration/offices/", "/funds/",
    "/funds/plans/", "/funds/budgets/", "/funds/allocations/", "/funds/payments/", "/funds/projects/",
    "/funds/project-types/", "/funds/awards/", "/funds/reviews/", "/funds/fieldwork/", "/counselling/supervise/",
    "/stats/", "/stats/report/template/", "/privacy/requests/",
)
WORKER_PAGES_SIGNED_OUT = ("/w/", "/w/login/", "/w/join/", "/w/help/", "/w/courses/", "/w/claims/track/",
                           "/w/wishes/", "/w/stations/", "/registration/verify/")
WORKER_PAGES_SIGNED_IN = ("/w/me/", "/w/membership/", "/w/courses/mine/", "/w/claims/", "/w/claims/new/",
                          "/w/aid/", "/w/aid/apply/", "/w/wishes/new/", "/w/volunteers/", "/w/loans/",
                          "/w/counselling/", "/w/privacy/", "/w/privacy/notice/", "/w/privacy/correct/",
                          "/w/privacy/delete/", "/w/privacy/phone/")


def _visit(page, base: str, paths) -> dict[str, list[str]]:
    """Each page's status (a page that failed to load proves nothing) and the violations it raised."""
    found = {}
    for path in paths:
        before = len(page.problems)
        response = page.goto(f"{base}{path}")
        page.wait_for_load_state("load")
        refused = [p for p in page.problems[before:] if "Content Security Policy" in p or "Refused to" in p]
        if response is None or response.status >= 400:
            found[path] = [f"status {response.status if response else None}"]
        elif refused:
            found[path] = refused
    return found


@pytest.mark.django_db(transaction=True)
def test_every_modules_pages_apply_their_styles_under_the_policy(live_server, watched_page):
    with scopes_disabled():
        make_tree()
    page = watched_page
    sign_in(page, live_server.url, "b_admin")
    assert _visit(page, live_server.url, CONSOLE_PAGES) == {}
    # Chart tooltips are drawn on the canvas: hovering the charts raises no violation.
    page.goto(f"{live_server.url}/stats/")
    for canvas in page.query_selector_all(".stats canvas")[:4]:
        box = canvas.bounding_box()
        if box:
            page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert _violations(page) == []
    # The utilities that replaced style attributes are applied (u-mt16 on the funds page's card).
    page.goto(f"{live_server.url}/funds/")
    assert page.eval_on_selector(".card.u-mt16", "e => getComputedStyle(e).marginTop") == "16px"


@pytest.mark.django_db(transaction=True)
def test_worker_pages_on_a_phone_apply_their_styles_under_the_policy(live_server, watched_page):
    with scopes_disabled():
        make_tree()
    page = watched_page
    page.set_viewport_size({"width": 390, "height": 844})
    assert _visit(page, live_server.url, WORKER_PAGES_SIGNED_OUT) == {}
    page.goto(f"{live_server.url}/w/login/?next=/w/me/")
    page.fill("#id_phone", "13912345678")
    page.click("button.w-btn")
    page.wait_for_selector("#id_code")
    page.fill("#id_code", MemorySmsBackend.outbox[-1][1])
    with page.expect_navigation(wait_until="load"):
        page.click("button.w-btn")
    if "/privacy/notice/" in page.url:  # the notice is accepted once, then the hub
        with page.expect_navigation(wait_until="load"):
            page.click("form:not([action]) button.w-btn")
    page.wait_for_url(re.compile(r".*/w/me/$"))
    assert _visit(page, live_server.url, WORKER_PAGES_SIGNED_IN) == {}
    # The sign-out button keeps its white face (u-bg-white where a style attribute stood).
    page.goto(f"{live_server.url}/w/me/")
    assert page.eval_on_selector("form[action$='/logout/'] button",
                                 "e => getComputedStyle(e).backgroundColor") == "rgb(255, 255, 255)"
