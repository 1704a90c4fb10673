"""End-to-end on a phone-sized screen: an enrolled member signs in by SMS code, claims medical mutual
aid with two bills, a reviewer approves in the console, and the worker sees the payout step by step."""

import re

import pytest
from django_scopes import scopes_disabled

from gonghui.accounts.sms import MemorySmsBackend
from gonghui.aid.models import Application
from tests.browser_sign_in import submit
from tests.e2e.test_console_browser import CHROMIUM, SCREENSHOTS, browser_page  # noqa: F401 - fixture
from tests.factories import make_tree, make_user

from .conftest import YEAR, enrol, make_medical, make_member

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed here; .ci/run installs it"),
]


@pytest.mark.django_db(transaction=True)
def test_worker_claims_medical_aid_on_a_phone_and_sees_the_payout(live_server, browser_page):  # noqa: F811
    with scopes_disabled():
        tree = make_tree()
        make_user("b_reviewer", node=tree.b, roles=["reviewer"])
        programme = make_medical(tree)
        member = make_member(tree, phone="13912345678")
        enrol(tree, programme, member)

    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/w/login/?next=/w/aid/")
    page.fill("#id_phone", "13912345678")
    page.click("button.w-btn")
    page.wait_for_selector("#id_code")
    page.fill("#id_code", MemorySmsBackend.outbox[-1][1])
    page.click("button.w-btn")
    page.wait_for_url(re.compile(r".*/w/aid/$"))
    page.click("text=申请医疗互助")
    page.fill("#id_hospital", "青山县人民医院")
    page.select_option("#id_diagnosis", "骨折及外伤")
    page.fill("#id_admitted_on", f"{YEAR}-03-02")
    page.fill("#id_discharged_on", f"{YEAR}-03-12")
    page.fill("#id_bill1_number", "ZY0001")
    page.fill("#id_bill1_amount", "8000")
    page.fill("#id_bill2_number", "ZY0002")
    page.fill("#id_bill2_amount", "4000")
    page.fill("#id_bills_total", "12500")      # does not add up: refused, nothing filed
    page.fill("#id_eligible", "9000")
    submit(page, "button.w-btn")
    assert "票据合计为 12000.00 元" in page.content()
    with scopes_disabled():
        assert not Application.objects.exists()
    page.fill("#id_bills_total", "12000")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "aid-claim-form.png"), full_page=True)
    page.click("button.w-btn")
    page.wait_for_url(re.compile(r".*/w/aid/\d+/$"))
    assert "待审核" in page.content()

    reviewer = page.context.browser.new_context(locale="zh-CN").new_page()
    reviewer.goto(f"{live_server.url}/accounts/login/")
    reviewer.fill("#id_username", "b_reviewer")
    reviewer.fill("#id_password", "Tr0ub4dor&3x!")
    reviewer.click("button[type=submit]")
    reviewer.wait_for_url(f"{live_server.url}/console/")
    reviewer.goto(f"{live_server.url}/aid/applications/")
    reviewer.click("text=王*")
    reviewer.click("button[value=approve]")
    reviewer.wait_for_selector("text=已批准，待发放")
    reviewer.context.close()

    page.reload()
    steps = page.inner_text("#aid-steps")
    assert "9,000.00" in steps and "8,000.00" in steps and "4,800.00" in steps   # (9,000 − 1,000) × 60 %
    assert "4,800.00" in page.inner_text("#aid-approved")
    assert "已批准" in page.inner_text("#aid-status")
    page.screenshot(path=str(SCREENSHOTS / "aid-claim-approved.png"), full_page=True)
