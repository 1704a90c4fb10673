"""End-to-end on real pages: a worker files a wage-arrears claim on a phone-sized screen, a clerk
accepts and assigns it and invites the labour bureau, the bureau's mediator records a session and
the agreement with the amount recovered and closes the case; the worker sees each step, and the
amount shows in the township's roll-up."""

import re

import pytest
from django_scopes import scopes_disabled

from gonghui.accounts.models import Role
from gonghui.accounts.sms import MemorySmsBackend
from gonghui.rights.models import Case
from tests.browser_sign_in import sign_in as sign_in_through_the_pages
from tests.browser_sign_in import submit
from tests.e2e.test_console_browser import CHROMIUM, SCREENSHOTS, browser_page  # noqa: F401 - fixture
from tests.factories import make_employer, make_tree, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed here; .ci/run installs it"),
]
PASSWORD = "Tr0ub4dor&3x!"  # noqa: S105 - the test factories' password


def sign_in(browser, base, username):
    page = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}).new_page()
    sign_in_through_the_pages(page, base, username)  # password, then the authenticator's code if needed
    return page


def step(page, name):
    submit(page, page.get_by_role("button", name=name, exact=True))


@pytest.mark.django_db(transaction=True)
def test_wage_claim_from_the_phone_to_mediated_settlement(live_server, browser_page):  # noqa: F811
    base = live_server.url
    with scopes_disabled():
        tree = make_tree()
        make_user("labour", node=tree.a, roles=[Role.MEDIATOR])
        make_employer(tree.b, name="青山精密机械有限公司", union=tree.c)

    phone = browser_page
    phone.set_viewport_size({"width": 390, "height": 844})
    phone.goto(f"{base}/w/help/")
    phone.click("a[href='/w/claims/new/']")
    phone.fill("#id_phone", "139 1234 5678")
    phone.click("button.w-btn")
    phone.wait_for_selector("#id_code")
    phone.fill("#id_code", MemorySmsBackend.outbox[-1][1])
    phone.click("button.w-btn")
    phone.wait_for_url(re.compile(r".*/w/claims/new/$"))
    phone.select_option("#id_category", "wage_arrears")
    phone.fill("#id_employer_name", "青山精密机械有限公司")
    phone.fill("#id_claimant_name", "刘大海")
    phone.fill("#id_facts", "2026年8月至10月工资共三个月未发放，多次讨要无果。")
    phone.fill("#id_amount_claimed", "-18600")
    submit(phone, "button.w-btn")
    assert "金额不能为负数" in phone.content()  # refused, nothing filed
    phone.fill("#id_amount_claimed", "18,600")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(SCREENSHOTS / "claim-form.png"), full_page=True)
    phone.click("button.w-btn")
    phone.wait_for_url(re.compile(r".*/w/claims/\d+/$"))
    assert "已提交，待受理" in phone.content()
    with scopes_disabled():
        case = Case.objects.get()
    assert case.node_id == tree.b.pk and case.employer is not None

    clerk = sign_in(browser_page.context.browser, base, "b_clerk")
    clerk.goto(f"{base}/rights/")
    clerk.click(f"text={case.tracking_code}")
    step(clerk, "受理")
    clerk.select_option("select[name=handler]", label="b_clerk (b_clerk)")
    step(clerk, "分派承办人")
    step(clerk, "开始调查核实")
    step(clerk, "转入调解")
    clerk.fill("#id_mediator", "labour")
    clerk.select_option("#id_partner", "labour_bureau")
    step(clerk, "邀请")
    assert "人力资源和社会保障局" in clerk.content()

    phone.reload()
    assert "调解中" in phone.content() and "已受理" in phone.content()

    mediator = sign_in(browser_page.context.browser, base, "labour")
    mediator.goto(f"{base}/rights/")
    mediator.click(f"text={case.tracking_code}")
    mediator.fill("#id_place", "城关镇劳动争议调解室")
    mediator.fill("#id_participants", "县人社局调解员、镇总工会、企业代表、职工")
    mediator.select_option("#id_result", "agreement")
    step(mediator, "登记调解")
    mediator.fill("#id_terms", "企业于11月30日前一次性支付拖欠工资18600元。")
    mediator.fill("#id_amount", "18600")
    step(mediator, "登记调解协议")
    mediator.fill("input[name=outcome]", "调解成功，工资已足额支付。")
    step(mediator, "结案")
    mediator.screenshot(path=str(SCREENSHOTS / "case-closed.png"), full_page=True)
    assert "已结案" in mediator.content()

    phone.reload()
    page = phone.content()
    for seen in ("已受理", "已分派", "调查核实中", "调解中", "调解记录", "调解协议", "已结案", "18600.00"):
        assert seen in page, seen
    phone.screenshot(path=str(SCREENSHOTS / "claim-closed.png"), full_page=True)

    clerk.goto(f"{base}/rights/figures/?node={tree.b.pk}")
    assert "18,600.00" in clerk.content() or "18600.00" in clerk.content()
