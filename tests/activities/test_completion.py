"""结业证书: a certificate of completion for whoever attended the share of sessions the course sets."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django_scopes import scopes_disabled

from gonghui.activities import completion
from gonghui.activities.models import Session
from gonghui.activities.services import catalogue, signup
from gonghui.core.audit import AuditEntry
from gonghui.worker import hub

from .conftest import book, make_activity, make_worker, refresh
from .test_views import cadre, worker_client


def _attend(tree, booking, numbers):
    with scopes_disabled():
        for session in Session.objects.select_related("activity__node").filter(activity_id=booking.activity_id,
                                                                               number__in=numbers):
            signup.check_in(session=session, token=signup.issue_ticket_token(booking=booking), actor=tree.user("b_admin"))


@pytest.fixture
def course(tree):
    return make_activity(tree, title="职工插花班", sessions=3)


def _certificate_url(booking):
    return reverse("worker:course_certificate", args=[booking.pk])


def test_all_sessions_earn_the_certificate_one_missing_does_not(tree, course):
    full, partial = make_worker(), make_worker()
    b_full, b_partial = book(course, full, name="周海燕"), book(course, partial, name="孙丽")
    _attend(tree, b_full, [1, 2, 3])
    _attend(tree, b_partial, [1, 2])  # one session missing

    assert completion.progress(b_full).earned and not completion.progress(b_partial).earned
    page = worker_client(full).get(reverse("worker:course", args=[course.pk])).content.decode()
    assert _certificate_url(b_full) in page
    response = worker_client(full).get(_certificate_url(b_full))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and completion.serial(b_full) in response["Content-Disposition"]
    with scopes_disabled():
        assert AuditEntry.objects.filter(action="activities.certificate.download", object_id=str(b_full.pk)).exists()

    page = worker_client(partial).get(reverse("worker:course", args=[course.pk])).content.decode()
    assert _certificate_url(b_partial) not in page and 'id="certificate"' in page  # progress, no download
    assert worker_client(partial).get(_certificate_url(b_partial)).status_code == 404

    # The organizer sees who earned one in the participants list.
    detail = cadre(tree).get(reverse("activities:detail", args=[course.pk])).content.decode()
    earned_cells = re.findall(r'<td class="num">(\d+)</td><td><span class="badge ok">', detail)
    assert earned_cells == ["3"] and completion.earned_ids(refresh(course)) == {b_full.pk}


def test_the_course_sets_the_share_of_sessions(tree):
    course = make_activity(tree, sessions=3, completion_percent=60)  # 60% of 3 → 2 sessions
    booking = book(course, make_worker())
    _attend(tree, booking, [1])
    assert not completion.progress(booking).earned
    _attend(tree, booking, [3])
    assert completion.progress(booking).earned
    with pytest.raises(ValidationError) as refused:
        with scopes_disabled():
            catalogue.update_activity(activity=refresh(course), actor=tree.user("a_admin"), completion_percent=0)
    assert "100" in refused.value.message_dict["completion_percent"][0]  # the range named, in either language
    assert refresh(course).completion_percent == 60


def test_another_workers_certificate_is_404(tree, course):
    owner, stranger = make_worker(), make_worker()
    booking = book(course, owner)
    _attend(tree, booking, [1, 2, 3])
    assert worker_client(stranger).get(_certificate_url(booking)).status_code == 404
    assert worker_client(owner).get(_certificate_url(booking)).status_code == 200


def test_the_verification_page_says_valid_or_not_issued(tree, course):
    earned, short = book(course, make_worker(), name="周海燕"), book(course, make_worker(), name="孙丽")
    _attend(tree, earned, [1, 2, 3])
    _attend(tree, short, [1])
    client = worker_client(make_worker())  # anyone may check; nobody needs to sign in
    client.session.flush()

    valid = client.get(reverse("worker:course_certificate_check", args=[completion.make_token(earned)]))
    page = valid.content.decode()
    assert valid.status_code == 200 and "✓" in page and completion.serial(earned) in page
    assert "周*" in page and "周海燕" not in page and "职工插花班" in page

    for token in (completion.make_token(short), completion.make_token(earned)[:-2] + "xx", "forged"):
        page = client.get(reverse("worker:course_certificate_check", args=[token])).content.decode()
        assert "✗" in page and "✓" not in page and "周" not in page


def test_the_hub_counts_certificates(tree, course):
    worker = make_worker()
    other = make_activity(tree, title="职工书法班", sessions=2)
    _attend(tree, book(course, worker), [1, 2, 3])
    _attend(tree, book(other, worker), [1])  # not yet
    assert completion.certificate_count(worker) == 1
    with translation.override("en"):
        tiles = {t["url"]: t for t in hub.hub_tiles(worker, None)}
    assert "1 certificate of completion" in tiles[reverse("worker:my_courses")]["state"]


def test_the_organizer_sets_the_share_on_the_console_form(tree):
    import datetime

    from django.utils import timezone

    from gonghui.activities.models import Activity

    client = cadre(tree)
    start = timezone.localtime() + datetime.timedelta(days=10)
    fmt = "%Y-%m-%dT%H:%M"
    data = {"title": "茶艺入门班", "kind": "course", "term": "", "audience": "all", "venue_text": "城关镇职工之家",
            "starts_at": start.strftime(fmt), "ends_at": (start + datetime.timedelta(hours=2)).strftime(fmt),
            "sessions": 4, "capacity": 20, "signup_opens_at": (start - datetime.timedelta(days=5)).strftime(fmt),
            "signup_closes_at": (start - datetime.timedelta(days=1)).strftime(fmt), "waitlist_mode": "offer",
            "offer_hours": 24, "completion_percent": 101}
    url = f"{reverse('activities:create')}?node={tree.b.pk}"
    assert client.post(url, data).status_code == 200  # refused, nothing saved
    with scopes_disabled():
        assert not Activity.objects.filter(title="茶艺入门班").exists()
    assert client.post(url, {**data, "completion_percent": 75}).status_code == 302
    with scopes_disabled():
        activity = Activity.objects.get(title="茶艺入门班")
    assert activity.completion_percent == 75
    assert completion.needed(activity, 4) == 3
    page = client.get(reverse("activities:detail", args=[activity.pk])).content.decode()
    assert "75%" in page
