"""The join form is no membership look-up (issue 16, finding 6): a signed-in worker who types someone
else's ID number learns nothing of that person — the name must match before the form says "already a
member of … since …", attempts are counted before the number is looked up (per worker and per ID
number), and a wrong name gets the same answer as a number that belongs to no member. The anonymous
station check-in says nothing about membership and records no prospect; a prospect is recorded only
from a verified phone with consent given and recorded."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from gonghui.accounts.middleware import WORKER_SESSION_KEY
from gonghui.accounts.models import Worker
from gonghui.core.crypto import blind_index
from gonghui.core.errors import DomainError
from gonghui.core.sessions import SAVED_AT
from gonghui.members.models import JoinApplication, Prospect
from gonghui.members.services import joining, roster
from gonghui.positions.services import visits
from tests.factories import resident_id
from tests.positions.factories import make_position

pytestmark = pytest.mark.django_db
MEMBER_ID = resident_id("19800808", 808)


@pytest.fixture
def member(tree):
    with scopes_disabled():
        return roster.create_member(node=tree.d, actor=tree.user("d_admin"), name="沈德明", id_number=MEMBER_ID,
                                    phone="13955556666", employment_form="contract",
                                    joined_on=datetime.date(2019, 5, 4))


@pytest.fixture
def link(tree):
    with scopes_disabled():
        return joining.prepare_link(node=tree.c, actor=tree.user("b_clerk"))


def _worker(phone="13912345678"):
    return Worker.objects.create(phone=phone, phone_hash=blind_index(phone, purpose="phone"))


def _apply(link, worker, *, name, id_number):
    return joining.submit_application(link=link, worker=worker, name=name, id_number=id_number,
                                      employment_form="contract", employer_name="青山物流有限公司", consent=True)


def test_a_wrong_name_gets_the_answer_of_a_number_that_is_no_member(link, member):
    worker = _worker()
    probe = _apply(link, worker, name="李四", id_number=MEMBER_ID)  # someone else's number
    stranger = _apply(link, _worker("13912340000"), name="李四", id_number=resident_id("19800808", 809))
    for application in (probe, stranger):  # the same answer: filed, waiting for review
        assert isinstance(application, JoinApplication) and application.status == "pending"
        assert application.due_on == stranger.due_on


def test_the_right_name_is_told_where_it_is_already_a_member(link, member, tree):
    with pytest.raises(DomainError) as told:
        _apply(link, _worker(), name="沈德明", id_number=MEMBER_ID)
    assert told.value.code == "already_member" and tree.d.name in told.value.message


def test_the_page_shows_no_union_or_join_date_for_a_wrong_name(client, link, member, tree):
    worker = _worker()
    session = client.session  # workers sign in by a one-time code; the session as it leaves them
    session[WORKER_SESSION_KEY] = worker.pk
    session[SAVED_AT] = int(timezone.now().timestamp())  # as the phone sign-in leaves it
    session.save()
    url = reverse("worker:join", args=[joining.make_link_token(link=link)])
    response = client.post(url, {"name": "李四", "id_number": MEMBER_ID, "employment_form": "contract",
                                 "employer_name": "青山物流有限公司", "consent": "on"}, follow=True)
    page = response.content.decode()
    assert tree.d.name not in page and "2019" not in page


def test_attempts_are_limited_per_worker_before_the_look_up(link, member, settings):
    settings.GONGHUI_JOIN_PER_PHONE_PER_DAY = 2
    worker = _worker()
    for _attempt in range(2):
        with pytest.raises(DomainError) as told:
            _apply(link, worker, name="沈德明", id_number=MEMBER_ID)
        assert told.value.code == "already_member"
    with pytest.raises(DomainError) as limited:
        _apply(link, worker, name="沈德明", id_number=MEMBER_ID)
    assert limited.value.code == "join_rate_limited"


def test_attempts_are_limited_per_id_number_across_workers(link, member, settings):
    settings.GONGHUI_JOIN_PER_ID_PER_DAY = 2
    for i in range(2):
        with pytest.raises(DomainError):
            _apply(link, _worker(f"1391234{i:04d}"), name="沈德明", id_number=MEMBER_ID)
    with pytest.raises(DomainError) as limited:
        _apply(link, _worker("13912349999"), name="沈德明", id_number=MEMBER_ID)
    assert limited.value.code == "join_rate_limited"


# --- the station check-in ------------------------------------------------------------------------

@pytest.fixture
def station(tree):
    with scopes_disabled():
        return make_position(tree.c, tree=tree, name="人民路驿站")


def test_the_anonymous_check_in_does_not_tell_membership(client, station, member):
    url = reverse("worker:station_visit", args=[visits.make_visit_token(position=station)])
    as_member = client.post(url, {"phone": "13955556666", "consent": "on"}).content.decode()
    as_stranger = client.post(url, {"phone": "13700007777", "consent": "on"}).content.decode()
    assert "沈" not in as_member  # no masked name greeting

    def answer(page):
        return page[page.index('role="status"'):page.index("</div>", page.index('role="status"'))]

    assert answer(as_member) == answer(as_stranger)
    with scopes_disabled():
        assert not Prospect.objects.exists()  # a typed phone number is nobody's consent


def test_a_prospect_only_with_a_verified_phone_and_recorded_consent(station, tree):
    worker = _worker("13700008888")
    with scopes_disabled():
        visits.visit_by_worker(position=station, worker=worker)
        assert not Prospect.objects.exists()
        visits.visit_by_worker(position=station, worker=worker, consent=True,
                               at=datetime.datetime(2026, 11, 23, 15, 5, tzinfo=datetime.UTC))
        prospect = Prospect.objects.get()
    assert prospect.consent_at and prospect.consent_version and prospect.consent_channel == "station"


def test_a_prospect_without_recorded_consent_is_not_invited(tree):
    with scopes_disabled():
        prospect = Prospect.objects.create(node=tree.c, phone="13700009999",
                                           phone_hash=blind_index("13700009999", purpose="phone"), service="驿站")
        with pytest.raises(DomainError) as refused:
            joining.invite_prospect(prospect=prospect, actor=tree.user("b_clerk"))
    assert refused.value.code == "no_consent"
