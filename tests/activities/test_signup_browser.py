"""End-to-end on a phone-sized screen: a worker signs in by SMS code, waits on the course page for
the opening instant (the button is disabled while it counts down), signs up the moment it opens,
and finds the seat under "My activities"."""

import re

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from gonghui.accounts.sms import MemorySmsBackend
from gonghui.activities.models import Booking, BookingState
from tests.e2e.test_console_browser import CHROMIUM, SCREENSHOTS, browser_page  # noqa: F401 - fixture
from tests.factories import make_tree

from .conftest import make_activity

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed here; .ci/run installs it"),
]


@pytest.mark.django_db(transaction=True)
def test_a_worker_signs_up_on_a_phone_at_the_opening_instant(live_server, browser_page):  # noqa: F811
    with scopes_disabled():
        tree = make_tree()
    activity = make_activity(tree, title="职工茶艺班", capacity=2, opens_in=8)
    course_url = live_server.url + reverse("worker:course", args=[activity.pk])

    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}{reverse('worker:login')}?next={reverse('worker:course', args=[activity.pk])}")
    page.fill("#id_phone", "139 8765 4321")
    page.click("button.w-btn")
    page.wait_for_selector("#id_code")
    phone, code = MemorySmsBackend.outbox[-1]
    assert phone == "13987654321"
    page.fill("#id_code", code)
    page.click("button.w-btn")
    page.wait_for_url(course_url)

    # Before the opening: a countdown, and the button cannot be pressed.
    assert page.is_disabled("#go")
    assert re.search(r"\d\d:\d\d:\d\d", page.inner_text("#count"))
    page.fill("#n2", "周丽华")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "course-countdown.png"), full_page=True)
    with scopes_disabled():
        assert not Booking.objects.exists()

    # The moment it opens, the button comes alive; one press books the seat. The network drops the
    # first answer (the server booked the seat, the phone never hears it): the page's script sends
    # the same key again and gets the same booking back, not a second seat or "already signed up".
    sent = []

    def lose_first_answer(route):
        sent.append(route.request.post_data_json)
        response = route.fetch()  # the request reaches the server …
        if len(sent) == 1:
            route.abort("connectionreset")  # … and its answer is lost on the way back
        else:
            route.fulfill(response=response)

    page.route("**/api/v1/w/courses/*/sign-up", lose_first_answer)
    page.wait_for_selector("#go:not([disabled])", timeout=20_000)
    page.click("#go")
    page.wait_for_selector(".w-badge.ok:has-text(\"已报名\")", timeout=20_000)
    assert len(sent) == 2 and sent[0]["key"] == sent[1]["key"]
    with scopes_disabled():
        booking = Booking.objects.get()
    assert booking.state == BookingState.BOOKED and booking.name == "周丽华" and booking.activity_id == activity.pk
    assert page.url == course_url and reverse("worker:my_courses") in page.content()

    page.goto(live_server.url + reverse("worker:my_courses"))
    assert "职工茶艺班" in page.content()
    page.wait_for_selector("svg")  # the booking code shown at the venue
    page.screenshot(path=str(SCREENSHOTS / "my-courses.png"), full_page=True)
