"""In headless Chromium: console and worker pages run under the Content-Security-Policy without a
single violation (charts, the positions map, the station finder), and the behaviour moved out of
inline handlers still works (the language menu sends its form on change).

Needs Debian's chromium (``.ci/run`` installs it); Playwright drives it through ``executable_path``.
"""

import os
import shutil

import pytest
from django_scopes import scopes_disabled

from tests.factories import make_tree

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed here; .ci/run installs it"),
]


@pytest.fixture
def browser_page():
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's loop in this thread; see tests/e2e
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"])
        context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        problems: list[str] = []
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.problems = problems
        try:
            yield page
        finally:
            context.close()
            browser.close()
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def _violations(page) -> list[str]:
    return [p for p in page.problems if "Content Security Policy" in p or "Refused to" in p]


@pytest.mark.django_db(transaction=True)
def test_pages_run_under_the_policy(live_server, browser_page):
    with scopes_disabled():
        make_tree()
    page = browser_page
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
