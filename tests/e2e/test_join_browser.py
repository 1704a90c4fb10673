"""End-to-end on a phone-sized screen: a worker opens the union's join QR link, signs in by SMS
code, applies; a reviewer approves in the console; the worker sees the membership and the card."""

import re

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from gonghui.accounts.models import Role
from gonghui.accounts.sms import MemorySmsBackend
from gonghui.members.models import Member
from gonghui.members.services import joining
from tests.browser_sign_in import submit
from tests.e2e.test_console_browser import CHROMIUM, SCREENSHOTS, browser_page  # noqa: F401 - fixture
from tests.factories import make_tree, make_user, resident_id

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed here; .ci/run installs it"),
]


@pytest.mark.django_db(transaction=True)
def test_worker_joins_by_qr_on_a_phone_and_is_approved(live_server, browser_page):  # noqa: F811
    with scopes_disabled():
        tree = make_tree()
        make_user("b_reviewer", node=tree.b, roles=[Role.REVIEWER])
        link = joining.prepare_link(node=tree.c, actor=tree.user("b_clerk"))
    join_url = live_server.url + reverse("worker:join", args=[joining.make_link_token(link=link)])

    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(join_url)
    assert tree.c.name in page.content()
    page.click("a.w-btn")  # sign in with the phone first
    page.fill("#id_phone", "139 1234 5678")
    page.click("button.w-btn")
    page.wait_for_selector("#id_code")
    phone, code = MemorySmsBackend.outbox[-1]
    assert phone == "13912345678"
    page.fill("#id_code", code)
    page.click("button.w-btn")
    page.wait_for_url(join_url)

    page.fill("#id_name", "赵小燕")
    page.fill("#id_id_number", resident_id("19950707", 246).lower())
    page.fill("#id_employer_name", "城关镇美团配送站")
    page.select_option("#id_employment_form", "new_form")
    page.select_option("#id_new_form_type", "food_delivery")
    submit(page, "button.w-btn")
    # Without the consent tick nothing is filed and the page says why.
    assert "请勾选同意" in page.content()
    page.check("#id_consent")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "join-form.png"), full_page=True)
    page.click("button.w-btn")
    page.wait_for_url(re.compile(r".*/w/membership/$"))
    assert "待审核" in page.content()

    reviewer = page.context.browser.new_context(locale="zh-CN").new_page()
    reviewer.goto(f"{live_server.url}/accounts/login/")
    reviewer.fill("#id_username", "b_reviewer")
    reviewer.fill("#id_password", "Tr0ub4dor&3x!")
    reviewer.click("button[type=submit]")
    reviewer.wait_for_url(f"{live_server.url}/console/")
    reviewer.goto(f"{live_server.url}/members/applications/")
    reviewer.click("text=赵小燕")
    reviewer.click("button[value=approve]")
    reviewer.wait_for_url(f"{live_server.url}/members/applications/")
    reviewer.context.close()

    with scopes_disabled():
        member = Member.objects.get()
    assert member.node_id == tree.c.pk and member.new_form_type == "food_delivery"
    page.goto(f"{live_server.url}/w/membership/")
    assert tree.c.name in page.content()
    page.click("text=出示会员卡")
    page.wait_for_selector(".w-membercard svg")
    page.screenshot(path=str(SCREENSHOTS / "member-card.png"), full_page=True)
    assert member.card_number in page.content()
