"""Notices to groups: recipients and cost before sending, review above the county's size, batches through
the outbox, invalid numbers skipped and counted, opt-outs honoured, an empty group refused, the same
notice submitted twice made once, delivery figures."""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.db import connection

from gonghui.core.errors import DomainError, NotPermitted
from gonghui.core.scoping import scopes_disabled
from gonghui.members.models import Member
from gonghui.members.services import roster
from gonghui.messaging import notices
from gonghui.messaging.models import Message, Notice, NoticeState, Segment
from tests.activities.conftest import book, make_activity, make_worker
from tests.factories import resident_id

pytestmark = pytest.mark.django_db


_ids = itertools.count(100)


def _members(tree, node, phones):
    with scopes_disabled():
        for phone in phones:
            roster.create_member(node=node, actor=tree.user("a_admin"), name="赵丽", phone=phone,
                                 id_number=resident_id("19900303", next(_ids)), employment_form="contract",
                                 joined_on=datetime.date(2024, 3, 1))


def _spoil_phone(phone_tail: str):
    """A number that became invalid in the roster (an old import): stored as it was typed."""
    from gonghui.core.crypto import encrypt
    from gonghui.members.models import Member

    with scopes_disabled():
        member = Member.objects.get(phone_tail=phone_tail)
    with connection.cursor() as cursor:
        cursor.execute("update members_member set phone = %s where id = %s", [encrypt("1234"), member.pk])


def test_a_notice_to_the_members_of_a_subtree_counts_skips_and_sends_once(tree, settings,
                                                                          django_capture_on_commit_callbacks):
    settings.GONGHUI_SMS_PRICE_YUAN = "0.05"
    _members(tree, tree.c, ["13700000001", "13700000002", "13700000003"])
    _members(tree, tree.d, ["13700000009"])  # another township: not in B's subtree
    _spoil_phone("0003")
    b_clerk = tree.user("b_clerk")
    seen = notices.preview(actor=b_clerk, node=tree.b, segment=Segment.MEMBERS)
    assert (seen.recipients, seen.skipped_invalid, seen.cost, seen.needs_review) == (2, 1, Decimal("0.10"), False)
    with django_capture_on_commit_callbacks(execute=True):
        notice = notices.submit(actor=b_clerk, node=tree.b, segment=Segment.MEMBERS, title="夏送清凉",
                                body="本周六上午在职工之家发放防暑用品。", submit_key="form-1")
        again = notices.submit(actor=b_clerk, node=tree.b, segment=Segment.MEMBERS, title="夏送清凉",
                               body="本周六上午在职工之家发放防暑用品。", submit_key="form-1")
    assert again.pk == notice.pk and Notice.objects.count() == 1
    assert notice.state == NoticeState.SENT and notice.recipients == 2 and notice.skipped_invalid == 1
    assert Message.objects.filter(kind="notice").count() == 2
    assert notices.figures(notice) == {"sent": 2}


def test_an_empty_group_is_refused_and_nothing_is_written(tree):
    with pytest.raises(DomainError) as refused:
        notices.submit(actor=tree.user("b_clerk"), node=tree.b, segment=Segment.MEMBERS, title="通知", body="内容",
                       submit_key="form-2")
    assert refused.value.code == "empty_segment" and not Notice.objects.exists()


def test_a_title_over_the_template_limit_is_refused_with_the_limit(tree):
    _members(tree, tree.c, ["13700000001"])
    with pytest.raises(DomainError) as refused:
        notices.submit(actor=tree.user("b_clerk"), node=tree.b, segment=Segment.MEMBERS, title="长" * 36, body="内容",
                       submit_key="form-3")
    assert refused.value.code == "param_too_long" and "35" in refused.value.message


def test_a_large_notice_waits_for_a_reviewer_other_than_its_author(tree, settings, django_capture_on_commit_callbacks):
    settings.GONGHUI_NOTICE_REVIEW_ABOVE = 1
    _members(tree, tree.c, ["13700000001", "13700000002"])
    notice = notices.submit(actor=tree.user("b_admin"), node=tree.b, segment=Segment.MEMBERS, title="通知",
                            body="内容", submit_key="form-4")
    assert notice.state == NoticeState.PENDING_REVIEW and not Message.objects.exists()
    with pytest.raises(DomainError):
        notices.approve(actor=tree.user("b_admin"), notice=notice)  # its author
    with pytest.raises(NotPermitted):
        notices.approve(actor=tree.user("d_admin"), notice=notice)  # another township
    with django_capture_on_commit_callbacks(execute=True):
        notices.approve(actor=tree.user("a_admin"), notice=notice)
    assert Message.objects.filter(kind="notice", state="sent").count() == 2


def test_opted_out_workers_get_no_ordinary_notice_but_an_essential_one(tree):
    course = make_activity(tree)
    keen, quiet = make_worker("13600000001"), make_worker("13600000002")
    book(course, keen)
    book(course, quiet)
    notices.opt_out(worker=quiet)
    clerk = tree.user("b_clerk")
    ordinary = notices.preview(actor=clerk, node=tree.b, segment=Segment.PARTICIPANTS, activity_id=course.pk)
    essential = notices.preview(actor=clerk, node=tree.b, segment=Segment.PARTICIPANTS, activity_id=course.pk,
                                essential=True)
    assert (ordinary.recipients, ordinary.skipped_opted_out) == (1, 1) and essential.recipients == 2


def test_a_township_cadre_cannot_write_to_another_townships_members(tree):
    with pytest.raises(NotPermitted):
        notices.preview(actor=tree.user("b_clerk"), node=tree.d, segment=Segment.MEMBERS)


def test_the_notices_page_counts_then_sends_once(tree, django_capture_on_commit_callbacks):
    from django.test import Client

    _members(tree, tree.c, ["13700000001", "13700000002"])
    client = Client()
    client.force_login(tree.user("b_clerk"))
    url = f"/messaging/notices/?node={tree.b.pk}"
    form = {"segment": "members", "title": "送清凉", "body": "周六发放防暑用品。", "submit_key": "page-1"}
    page = client.post(url, {**form, "action": "preview"}).content.decode()
    assert 'id="notice-preview"' in page and "2" in page and not Notice.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {**form, "action": "send"}).status_code == 302
        assert client.post(url, {**form, "action": "send"}).status_code == 302  # a double click
    assert Notice.objects.count() == 1 and Message.objects.filter(kind="notice").count() == 2
    listed = client.get(url).content.decode()
    assert "送清凉" in listed and "已发送 2" in listed  # the delivery figures, by state
    outsider = Client()
    outsider.force_login(tree.user("d_admin"))
    assert outsider.get(url).status_code == 404


# --- the segments read through the modules that hold them ----------------------------------------------

def test_a_notice_to_the_hardship_households_of_a_subtree(tree, django_capture_on_commit_callbacks):
    from gonghui.aid.services import hardship

    _members(tree, tree.c, ["13700000005"])
    with scopes_disabled():
        on_roster = Member.objects.get(phone_tail="0005")
        for n, (node, phone, member) in enumerate([(tree.c, "13500000001", None), (tree.c, "", on_roster),
                                                    (tree.c, "", None), (tree.d, "13500000009", None)]):
            hardship.register_file(node=node, actor=tree.user("a_admin"), name="陈秀英", phone=phone, member=member,
                                   id_number=resident_id("19760312", 400 + n), cause="illness", level="deep",
                                   household_size=3, income_per_head="650")
    clerk = tree.user("b_clerk")
    seen = notices.preview(actor=clerk, node=tree.b, segment=Segment.HARDSHIP)
    # B's three households: their own number, the member's on the roster, and one with no number at all.
    assert (seen.recipients, seen.skipped_invalid) == (2, 1)
    with django_capture_on_commit_callbacks(execute=True):
        notice = notices.submit(actor=clerk, node=tree.b, segment=Segment.HARDSHIP, title="送温暖慰问",
                                body="春节前入户慰问，请保持电话畅通。", submit_key="hardship-1")
    assert notices.figures(notice) == {"sent": 2}
    assert sorted(Message.objects.values_list("phone", flat=True)) == ["13500000001", "13700000005"]


def test_a_notice_to_the_volunteers_of_a_team(tree):
    from gonghui.activities.services import volunteers

    _members(tree, tree.c, ["13700000011", "13700000012"])
    _members(tree, tree.d, ["13700000019"])
    with scopes_disabled():
        team = volunteers.create_team(node=tree.b, actor=tree.user("a_admin"), name="城关志愿服务队")
        other = volunteers.create_team(node=tree.d, actor=tree.user("a_admin"), name="东镇志愿服务队")
        for tail in ("0011", "0012"):
            volunteers.add_volunteer(team=team, actor=tree.user("a_admin"), member=Member.objects.get(phone_tail=tail),
                                     joined_on=datetime.date(2025, 1, 6))
        volunteers.add_volunteer(team=other, actor=tree.user("a_admin"),
                                 member=Member.objects.get(phone_tail="0019"), joined_on=datetime.date(2025, 1, 6))
    clerk = tree.user("b_clerk")
    assert notices.preview(actor=clerk, node=tree.b, segment=Segment.VOLUNTEERS, team_id=team.pk).recipients == 2
    for wrong in (other.pk, None):  # another township's team, or none chosen
        with pytest.raises(DomainError) as refused:
            notices.preview(actor=clerk, node=tree.b, segment=Segment.VOLUNTEERS, team_id=wrong)
        assert refused.value.code == "no_team" and refused.value.field == "team"


def test_a_notice_to_the_staff_of_employers_without_a_union(tree):
    from tests.factories import make_employer

    _members(tree, tree.c, ["13700000021", "13700000022", "13700000023"])
    with scopes_disabled():
        without = make_employer(tree.b)               # in B's ledger, no union of its own
        organized = make_employer(tree.b, union=tree.c)
        elsewhere = make_employer(tree.d)             # another township's ledger
        for tail, employer in (("0021", without), ("0022", organized), ("0023", elsewhere)):
            Member.objects.filter(phone_tail=tail).update(employer=employer)
    seen = notices.preview(actor=tree.user("b_clerk"), node=tree.b, segment=Segment.UNORGANIZED)
    assert seen.recipients == 1
