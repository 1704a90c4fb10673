"""On a phone-sized screen (390×844, in Chinese): a worker without a QR poster signs in, finds on
"我的" how to join, searches for the employer, is led to the township's catch-all union (兜底入会),
applies, and sees the application on "我的"; a member's hub shows a count or a state on every tile."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from gonghui.accounts.sms import MemorySmsBackend
from gonghui.activities.services import volunteers
from gonghui.members.models import ApplicationStatus, JoinApplication, JoinLink
from gonghui.orgs.models import Node
from tests.activities.conftest import book, make_activity
from tests.e2e.test_console_browser import CHROMIUM, SCREENSHOTS, browser_page  # noqa: F401 - fixture
from tests.factories import make_employer, make_tree, resident_id
from tests.worker.conftest import make_member, make_worker

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed here; .ci/run installs it"),
]


def _sign_in(page, base: str, phone: str, next_url: str) -> None:
    page.goto(f"{base}{reverse('worker:login')}?next={next_url}")
    page.fill("#id_phone", phone)
    page.click("button.w-btn")
    page.wait_for_selector("#id_code")
    page.fill("#id_code", MemorySmsBackend.outbox[-1][1])
    page.click("button.w-btn")
    page.wait_for_url(f"{base}{next_url}")


@pytest.mark.django_db(transaction=True)
def test_a_worker_without_a_poster_joins_the_catch_all_union(live_server, browser_page):  # noqa: F811
    cache.clear()
    with scopes_disabled():
        tree = make_tree()
        Node.objects.filter(pk=tree.b.pk).update(chair_name="周建华")
        JoinLink.objects.create(node=tree.b)
        JoinLink.objects.create(node=tree.c)
        make_employer(tree.c, name="城关便民超市有限公司")
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    _sign_in(page, live_server.url, "139 8765 4321", reverse("worker:me"))
    assert "如何加入工会" in page.inner_text("main")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "worker-me-not-member.png"), full_page=True)

    page.click("text=找到我的工会")
    page.wait_for_url(f"{live_server.url}{reverse('worker:join_find')}")
    page.fill("#id_q", "便")
    page.click("button.w-btn")
    assert "请至少输入 2 个字" in page.inner_text("main")
    page.fill("#id_q", "便民超市")
    page.click("button.w-btn")
    page.wait_for_selector("text=您的单位还没有建立工会")
    assert "周*华" in page.inner_text("main") or "周**" in page.inner_text("main")
    page.screenshot(path=str(SCREENSHOTS / "worker-join-find.png"), full_page=True)

    page.click(f"a[href='{reverse('worker:join_union', args=[tree.b.code])}']")
    page.fill("#id_name", "李春梅")
    page.fill("#id_id_number", resident_id(seq=517))
    page.fill("#id_employer_name", "城关便民超市有限公司")
    page.select_option("#id_employment_form", "contract")
    page.check("#id_consent")
    page.click("button.w-btn")
    page.wait_for_url(f"{live_server.url}{reverse('worker:membership')}")
    with scopes_disabled():
        application = JoinApplication.objects.get()
    assert application.node_id == tree.b.pk and application.status == ApplicationStatus.PENDING
    assert application.consent_channel == "search"

    page.goto(f"{live_server.url}{reverse('worker:me')}")
    assert "入会申请审核中" in page.inner_text("main")


@pytest.mark.django_db(transaction=True)
def test_a_members_hub_shows_a_state_on_every_tile(live_server, browser_page):  # noqa: F811
    cache.clear()
    with scopes_disabled():
        tree = make_tree()
    worker = make_worker("13987650001")
    make_member(tree, tree.c, worker)
    book(make_activity(tree, tree.c, title="职工摄影班"), worker)
    with scopes_disabled():
        team = volunteers.create_team(node=tree.b, actor=tree.user("a_admin"), name="城关劳模志愿服务队")
        volunteer = volunteers.join_team_as_worker(actor=worker, team=team)
        volunteers.record_service(team=team, actor=tree.user("a_admin"), title="社区义诊", place="城关社区",
                                  on=timezone.localdate(), hours={volunteer: "3.5"})
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    _sign_in(page, live_server.url, "13987650001", reverse("worker:me"))
    rows = page.locator("a.w-hub")
    assert rows.count() >= 6
    for i in range(rows.count()):
        assert len(rows.nth(i).locator(".w-hub-text span").inner_text().strip()) > 1
    text = page.inner_text("main")
    assert "1 个座位" in text and "城关劳模志愿服务队" in text and "3.5" in text
    page.screenshot(path=str(SCREENSHOTS / "worker-me-member.png"), full_page=True)
    page.click("text=我的志愿服务")
    page.wait_for_url(f"{live_server.url}{reverse('worker:volunteers')}")
    assert "社区义诊" in page.inner_text("main")
    page.screenshot(path=str(SCREENSHOTS / "worker-volunteers.png"), full_page=True)
