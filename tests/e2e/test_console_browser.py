"""End-to-end: a cadre signs in through the real login page in headless Chromium and opens the tree.

Needs Debian's chromium (``.ci/run`` installs it). Playwright's Python package drives it through
``executable_path``; Playwright's own browser download is never used.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.db import connections
from django_scopes import scopes_disabled

from tests.browser_sign_in import sign_in
from tests.factories import make_tree

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed here; .ci/run installs it"),
]
SCREENSHOTS = Path(os.environ.get("GONGHUI_SCREENSHOTS", "/tmp/gonghui-screenshots"))


@pytest.fixture
def browser_page():
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the
    # test itself (not the server thread) are then flagged as async-unsafe, wrongly.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"])
        context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        try:
            yield page
        finally:
            # While that loop runs, Django keeps this thread's connections apart (asgiref's Local
            # follows the running loop): the test's own ORM calls opened a second connection here,
            # which nothing closed once the loop stopped, and the test database could not be
            # dropped at the end of the run ("being accessed by other users"). Closed while in view.
            connections.close_all()
            context.close()
            browser.close()
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.mark.django_db(transaction=True)
def test_cadre_logs_in_and_browses_the_tree(live_server, browser_page):
    with scopes_disabled():
        tree = make_tree()
    page = browser_page
    sign_in(page, live_server.url, "b_admin")  # password, then the authenticator's code
    assert "城关镇总工会" in page.content()

    page.goto(f"{live_server.url}/orgs/tree/")
    summary = page.locator("#tree summary").first
    assert "城关镇总工会" in summary.inner_text()
    summary.click(position={"x": 4, "y": 10})  # the disclosure triangle: opening loads the children
    child = page.locator("#tree .children a", has_text="青山精密机械有限公司工会")
    child.wait_for(timeout=5000)
    # The sibling township D is outside the township cadre's scope.
    assert "河口镇总工会" not in page.content()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "tree.png"), full_page=True)

    child.click()
    page.wait_for_url(f"{live_server.url}/orgs/nodes/{tree.c.pk}/")
    assert "青山精密机械有限公司工会" in page.locator("h1").inner_text()


@pytest.mark.django_db(transaction=True)
def test_the_console_fits_a_phone_screen(live_server, browser_page):
    """At 390 px the page does not scroll sideways and every module's name stays on one line (the
    navigation scrolls on its own row)."""
    with scopes_disabled():
        make_tree()
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server.url, "b_admin")  # password, then the authenticator's code
    for url in ("/console/", "/members/", "/orgs/tree/"):
        page.goto(live_server.url + url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, url
        heights = page.eval_on_selector_all(".mainnav a", "links => links.map(a => a.getBoundingClientRect().height)")
        assert len(heights) >= 5 and max(heights) < 45, (url, heights)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "console-phone.png"))
