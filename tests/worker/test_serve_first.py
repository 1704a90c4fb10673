"""Serve first, join later (先服务后入会): a non-member who signs up for a course, files a claim or
posts a wish is offered to be invited by the right union; only with the box ticked do they become
a prospect, with the words they agreed to and their version stored. The station check-in records
the same words, and nothing without the tick."""

import pytest
from django.utils import translation
from django_scopes import scopes_disabled

from gonghui.members.models import Prospect
from gonghui.members.services import joining
from gonghui.positions.services import visits
from tests.activities.conftest import book, make_activity
from tests.positions.factories import make_position
from tests.worker.conftest import make_member, make_worker, signed_in


def _offer_token(page) -> str:
    return page.context["offer"]["form"]["token"].value()


@pytest.fixture
def course(tree):
    return make_activity(tree, tree.c, title="职工摄影班")


def test_a_non_member_who_booked_is_offered_to_join_the_organizing_union(tree, course):
    worker = make_worker()
    book(course, worker)
    client = signed_in(worker)
    page = client.get(f"/w/courses/{course.pk}/")
    assert page.context["offer"]["union"] == tree.c.name
    text = page.content.decode()
    assert "邀请我入会" in text
    token = _offer_token(page)
    # without the tick: nothing recorded, a message says why
    response = client.post("/w/join/offer/", {"token": token, "back": f"/w/courses/{course.pk}/"}, follow=True)
    assert response.redirect_chain[-1][0] == f"/w/courses/{course.pk}/"
    assert "请勾选" in response.content.decode()
    with scopes_disabled():
        assert not Prospect.objects.exists()
    client.post("/w/join/offer/", {"token": token, "consent": "on", "back": f"/w/courses/{course.pk}/"})
    with scopes_disabled():
        prospect = Prospect.objects.get()
    assert prospect.node == tree.c and prospect.service == "职工摄影班" and prospect.consent_channel == "course"
    assert prospect.consent_version == joining.PROSPECT_CONSENT_VERSION and prospect.consent_at is not None
    with translation.override("zh-hans"):
        assert prospect.consent_text == str(joining.PROSPECT_CONSENT_TEXT)
    assert prospect.consent_text in text  # the words stored are the words shown


def test_no_offer_before_using_the_service_nor_to_members(tree, course):
    worker = make_worker()
    assert signed_in(worker).get(f"/w/courses/{course.pk}/").context.get("offer") is None
    member = make_worker()
    make_member(tree, tree.c, member)
    book(course, member)
    assert signed_in(member).get(f"/w/courses/{course.pk}/").context.get("offer") is None


def test_a_forged_offer_records_nothing(tree):
    worker = make_worker()
    forged = joining.offer_token(node=tree.c, service="x", channel="course")[:-2] + "xx"
    signed_in(worker).post("/w/join/offer/", {"token": forged, "consent": "on", "back": "/w/me/"})
    with scopes_disabled():
        assert not Prospect.objects.exists()


def test_the_offer_goes_back_only_to_a_worker_page(tree):
    worker = make_worker()
    token = joining.offer_token(node=tree.c, service="x", channel="course")
    response = signed_in(worker).post("/w/join/offer/", {"token": token, "consent": "on",
                                                         "back": "https://evil.example/"})
    assert response["Location"] == "/w/me/"


def test_a_claim_offers_the_union_handling_it(tree):
    from gonghui.rights.services import claims
    from tests.rights.conftest import claim_fields

    worker = make_worker()
    with scopes_disabled():
        case = claims.file_claim(channel="phone", worker=worker, node=tree.b, files=[], **claim_fields())
    page = signed_in(worker).get(f"/w/claims/{case.pk}/")
    assert page.context["offer"]["union"] == tree.b.name


def test_the_station_check_in_stores_the_words_of_the_invitation_box(tree):
    station = make_position(tree.c, tree=tree, name="人民路驿站")
    worker = make_worker()
    visits.visit_by_worker(position=station, worker=worker, consent=False)
    with scopes_disabled():
        assert not Prospect.objects.exists()
    other = make_worker()
    visits.visit_by_worker(position=station, worker=other, consent=True)
    with scopes_disabled():
        prospect = Prospect.objects.get()
    assert prospect.consent_text and prospect.consent_version == joining.PROSPECT_CONSENT_VERSION


def test_record_prospect_records_nothing_without_consent(tree):
    worker = make_worker()
    assert joining.record_prospect(node=tree.c, phone=worker.phone, service="驿站热水", consent_channel="station",
                                   consent=False) is None
    with scopes_disabled():
        assert not Prospect.objects.exists()


def test_the_console_shows_each_prospects_consent_and_its_words(tree, client):
    from django.urls import reverse

    worker = make_worker()
    token = joining.offer_token(node=tree.c, service="职工摄影班", channel="course")
    signed_in(worker).post("/w/join/offer/", {"token": token, "consent": "on", "back": "/w/me/"})
    client.force_login(tree.user("b_clerk"))
    text = client.get(reverse("members:prospects")).content.decode()
    assert joining.PROSPECT_CONSENT_VERSION in text and "课程" in text and ">course<" not in text  # the channel in words
    with translation.override("zh-hans"):
        assert f'title="{joining.PROSPECT_CONSENT_TEXT}"' in text
