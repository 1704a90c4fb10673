"""Scan to join: signed revocable links, one application per person, review, prospects."""

import datetime

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone
from django_scopes import scopes_disabled

from gonghui.core.errors import DomainError, NotPermitted
from gonghui.core.models import AuditEntry
from gonghui.core.notify import MemoryNotifier
from gonghui.core.workdays import add_workdays
from gonghui.members import selectors
from gonghui.members.models import ApplicationStatus, JoinApplication, Member, Prospect
from gonghui.members.services import joining, roster
from tests.factories import resident_id

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _outbox():
    MemoryNotifier.outbox.clear()
    yield
    MemoryNotifier.outbox.clear()


@pytest.fixture
def link(tree):
    with scopes_disabled():
        return joining.prepare_link(node=tree.c, actor=tree.user("b_clerk"))


def apply(link, worker, **overrides):
    fields = {"name": "赵小燕", "id_number": resident_id("19950707", 246), "employment_form": "new_form",
              "new_form_type": "food_delivery", "employer_name": "城关镇美团配送站", "consent": True}
    fields.update(overrides)
    return joining.submit_application(link=link, worker=worker, **fields)


def test_token_round_trip_and_tampering(link):
    token = joining.make_link_token(link=link)
    assert joining.resolve_link(token=token).pk == link.pk
    with pytest.raises(DomainError) as exc:
        joining.resolve_link(token=token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1])
    assert exc.value.code == "link_invalid"
    forged = signing.dumps({"k": link.key}, salt="another-salt")
    with pytest.raises(DomainError):
        joining.resolve_link(token=forged)


def test_revoked_link_stops_working_and_a_new_one_is_issued(tree, link):
    token = joining.make_link_token(link=link)
    with scopes_disabled():
        joining.revoke_link(link=link, actor=tree.user("b_clerk"))
        fresh = joining.prepare_link(node=tree.c, actor=tree.user("b_clerk"))
    with pytest.raises(DomainError) as exc:
        joining.resolve_link(token=token)
    assert exc.value.code == "link_revoked"
    assert fresh.pk != link.pk and joining.resolve_link(token=joining.make_link_token(link=fresh)).pk == fresh.pk


def test_expired_link(link, settings):
    token = joining.make_link_token(link=link)
    settings.GONGHUI_JOIN_LINK_MAX_AGE_DAYS = -1
    with pytest.raises(DomainError) as exc:
        joining.resolve_link(token=token)
    assert exc.value.code == "link_expired"


def test_links_are_managed_only_inside_the_scope(tree):
    with scopes_disabled(), pytest.raises(NotPermitted):
        joining.prepare_link(node=tree.c, actor=tree.user("d_admin"))


def test_application_waits_with_a_working_day_deadline_and_consent_recorded(tree, link, worker):
    application = apply(link, worker)
    assert application.status == ApplicationStatus.PENDING
    assert application.node_id == tree.c.pk and application.phone == worker.phone
    assert application.due_on == add_workdays(timezone.localdate(application.submitted_at), 15)
    assert application.consent_version and application.consent_channel == "qr"
    assert AuditEntry.objects.filter(action="members.application.submitted").count() == 1


def test_consent_box_must_be_ticked(link, worker):
    with pytest.raises(ValidationError) as exc:
        apply(link, worker, consent=False)
    assert "consent" in exc.value.message_dict
    with scopes_disabled():
        assert not JoinApplication.objects.exists()


def test_double_submit_gives_one_application(link, worker):
    first = apply(link, worker)
    second = apply(link, worker)
    assert first.pk == second.pk
    with scopes_disabled():
        assert JoinApplication.objects.count() == 1


def test_existing_member_sees_the_conflict(tree, link, worker):
    with scopes_disabled():
        roster.create_member(node=tree.d, actor=tree.user("d_admin"), name="赵小燕",
                             id_number=resident_id("19950707", 246), employment_form="contract")
    with pytest.raises(DomainError) as exc:
        apply(link, worker)
    assert exc.value.code == "already_member" and tree.d.name in exc.value.message


def test_rate_limit_per_phone(link, worker, settings):
    settings.GONGHUI_JOIN_PER_PHONE_PER_DAY = 2
    apply(link, worker, id_number=resident_id("19950707", 100))
    apply(link, worker, id_number=resident_id("19950707", 102))
    with pytest.raises(DomainError) as exc:
        apply(link, worker, id_number=resident_id("19950707", 104))
    assert exc.value.code == "join_rate_limited"
    with scopes_disabled():
        assert JoinApplication.objects.count() == 2


def test_approval_creates_the_member_and_tells_the_worker(tree, people, link, worker,
                                                          django_capture_on_commit_callbacks):
    application = apply(link, worker)
    with scopes_disabled(), django_capture_on_commit_callbacks(execute=True):
        member = joining.approve_application(application=application, actor=people.user("b_reviewer"))
        application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED and application.member_id == member.pk
    assert member.node_id == tree.c.pk and member.new_form_type == "food_delivery" and member.source == "scan"
    assert member.phone == worker.phone
    assert MemoryNotifier.outbox and MemoryNotifier.outbox[-1][0] == worker.phone


def test_second_approval_is_refused_and_creates_nothing(people, link, worker):
    application = apply(link, worker)
    with scopes_disabled():
        joining.approve_application(application=application, actor=people.user("b_reviewer"))
        with pytest.raises(DomainError) as exc:
            joining.approve_application(application=application, actor=people.user("b_admin"))
        assert exc.value.code == "decided"
        assert Member.objects.count() == 1


def test_reviewer_of_another_township_cannot_decide(people, link, worker):
    application = apply(link, worker)
    with scopes_disabled():
        with pytest.raises(NotPermitted):
            joining.approve_application(application=application, actor=people.user("d_reviewer"))
        with pytest.raises(NotPermitted):
            joining.approve_application(application=application, actor=people.user("b_clerk"))
        application.refresh_from_db()
        assert application.status == ApplicationStatus.PENDING and not Member.objects.exists()


def test_rejection_needs_a_reason_and_is_sent_to_the_worker(people, link, worker,
                                                            django_capture_on_commit_callbacks):
    application = apply(link, worker)
    with scopes_disabled(), django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(ValidationError):
            joining.reject_application(application=application, actor=people.user("b_reviewer"), reason="")
        joining.reject_application(application=application, actor=people.user("b_reviewer"),
                                   reason="请先与用人单位确认劳动关系")
        application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED
    assert "劳动关系" in MemoryNotifier.outbox[-1][1]


def test_withdraw_only_own_pending_application(link, worker):
    application = apply(link, worker)
    from gonghui.accounts.models import Worker

    other = Worker.objects.create(phone="13700000000", phone_hash="x" * 64)
    with pytest.raises(DomainError):
        joining.withdraw_application(application=application, worker=other)
    joining.withdraw_application(application=application, worker=worker)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN


def test_overdue_flag(link, worker):
    application = apply(link, worker)
    assert not selectors.is_overdue(application)
    assert selectors.is_overdue(application, today=application.due_on + datetime.timedelta(days=1))


def test_prospect_recorded_once_and_invited(tree, worker, django_capture_on_commit_callbacks):
    first = joining.record_prospect(node=tree.c, phone=worker.phone, service="驿站热水", consent_channel="station",
                                    consent=True)
    again = joining.record_prospect(node=tree.c, phone=worker.phone, service="驿站充电", consent_channel="station",
                                    consent=True)
    assert first.pk == again.pk
    with scopes_disabled():
        again.refresh_from_db()
        assert again.times_served == 2
        with django_capture_on_commit_callbacks(execute=True):
            joining.invite_prospect(prospect=again, actor=tree.user("b_clerk"))
    assert "/w/join/" in MemoryNotifier.outbox[-1][1]


def test_members_are_not_prospects(tree, worker):
    with scopes_disabled():
        roster.create_member(node=tree.c, actor=tree.user("b_clerk"), name="赵小燕",
                             id_number=resident_id("19950707", 246), employment_form="contract", phone=worker.phone)
    assert joining.record_prospect(node=tree.c, phone=worker.phone, service="驿站热水",
                                   consent_channel="station", consent=True) is None
    with scopes_disabled():
        assert not Prospect.objects.exists()


@override_settings(GONGHUI_JOIN_REVIEW_WORKDAYS=3)
def test_review_deadline_is_a_setting(link, worker):
    application = apply(link, worker)
    assert application.due_on == add_workdays(timezone.localdate(application.submitted_at), 3)


def test_a_join_poster_has_its_own_key_and_posters_printed_before_still_work(link, settings):
    printed_before = signing.dumps({"k": link.key}, salt=joining.LINK_SALT, compress=False)  # the session secret
    assert joining.resolve_link(token=printed_before).pk == link.pk
    token = joining.make_link_token(link=link)
    settings.SECRET_KEY = "a-rotated-session-secret-0123456789abcdefghijklmnopqrstuvwxyz"
    assert joining.resolve_link(token=token).pk == link.pk  # rotating the session secret voids no poster
    settings.GONGHUI_QR_SIGNING_KEY = "another-qr-signing-key-0123456789abcdefghijklmnopqrstuvwxyz"
    with pytest.raises(DomainError) as exc:  # the printed-code key is what signs it
        joining.resolve_link(token=token)
    assert exc.value.code == "link_invalid"
