"""Races that the database must settle: two reviewers approving one application, two clerks
entering the same person. Real threads and a barrier, on PostgreSQL (SQLite serializes writers)."""

import datetime

import pytest
from django.db import connection
from django_scopes import scopes_disabled

from gonghui.accounts.models import Worker
from gonghui.core.crypto import blind_index
from gonghui.core.errors import DomainError
from gonghui.members.models import Member, MemberEvent, Transfer
from gonghui.members.services import joining, roster, transfer
from tests.concurrency import POSTGRESQL_ONLY, race
from tests.factories import make_tree, make_user, resident_id

pytestmark = [
    pytest.mark.django_db(transaction=True),
    POSTGRESQL_ONLY,
]


def test_two_reviewers_approving_at_once_make_one_member():
    assert connection.vendor == "postgresql"
    with scopes_disabled():
        tree = make_tree()
        r1 = make_user("r1", node=tree.b, roles=["reviewer"])
        r2 = make_user("r2", node=tree.a, roles=["admin"])
        link = joining.prepare_link(node=tree.c, actor=tree.user("b_clerk"))
        worker = Worker.objects.create(phone="13911112222", phone_hash=blind_index("13911112222", purpose="phone"))
        application = joining.submit_application(
            link=link, worker=worker, name="郑伟", id_number=resident_id("19910303", 123),
            employment_form="contract", employer_name="青山精密机械有限公司", consent=True)
    results = race(lambda: joining.approve_application(application=application, actor=r1),
                   lambda: joining.approve_application(application=application, actor=r2))
    with scopes_disabled():
        assert Member.objects.count() == 1
    assert sum(isinstance(r, Member) for r in results) == 1
    assert sum(isinstance(r, DomainError) and r.code == "decided" for r in results) == 1


def test_two_clerks_entering_the_same_person_make_one_member():
    with scopes_disabled():
        tree = make_tree()
    number = resident_id("19850505", 555)
    results = race(*[lambda node=node, user=user: roster.create_member(
        node=node, actor=tree.user(user), name="冯雪", id_number=number, employment_form="contract")
        for node, user in ((tree.c, "b_clerk"), (tree.d, "d_admin"), (tree.c, "b_admin"))])
    with scopes_disabled():
        assert Member.objects.filter(status="active").count() == 1
    assert sum(isinstance(r, Member) for r in results) == 1
    assert all(r.code == "already_member" for r in results if isinstance(r, DomainError))


def _members(tree, n, start=600):
    return [roster.create_member(node=tree.c, actor=tree.user("b_clerk"), name="钱" + "一二三四五六七八九十"[i % 10],
                                 id_number=resident_id("19880808", start + i), phone=f"1370000{start + i:04d}",
                                 employment_form="contract", joined_on=datetime.date(2024, 1, 1))
            for i in range(n)]


def test_an_edit_racing_a_leave_never_makes_the_member_active_again():
    """Issue 17, finding 1: the edit loaded the row before the leave (as a page does) and saved it whole."""
    with scopes_disabled():
        tree = make_tree()
        members = _members(tree, 10)
    clerk = tree.user("b_clerk")
    for m in members:
        loaded = Member.objects.with_scopes_disabled().get(pk=m.pk)  # the edit page's copy
        race(lambda loaded=loaded: roster.update_member(member=loaded, actor=clerk, phone="13811112222"),
             lambda m=m: roster.end_membership(member=m, actor=clerk, reason="调离本单位", on=m.joined_on))
    with scopes_disabled():
        rows = list(Member.objects.filter(pk__in=[m.pk for m in members]))
    assert [r.status for r in rows] == ["left"] * len(members)
    assert all(r.phone == "13811112222" and r.phone_hash == roster.phone_hash("13811112222") for r in rows)


def test_an_edit_racing_a_transfer_keeps_the_new_union():
    with scopes_disabled():
        tree = make_tree()
        b_rev = make_user("b_rev", node=tree.b, roles=["reviewer"])
        d_rev = make_user("d_rev", node=tree.d, roles=["reviewer"])
        members = _members(tree, 5, start=700)
        transfers = []
        for m in members:
            t = transfer.request_transfer(member=m, to_node=tree.d, actor=tree.user("b_clerk"), reason="工作调动")
            transfers.append(transfer.approve_transfer(transfer=t, actor=b_rev, side="out"))
    for m, t in zip(members, transfers, strict=True):
        loaded = Member.objects.with_scopes_disabled().get(pk=m.pk)
        results = race(
            lambda loaded=loaded: roster.update_member(member=loaded, actor=tree.user("a_admin"), ethnicity="回族"),
            lambda t=t: transfer.approve_transfer(transfer=t, actor=d_rev, side="in"))
        assert not [r for r in results if isinstance(r, Exception)], results
    with scopes_disabled():
        rows = list(Member.objects.filter(pk__in=[m.pk for m in members]))
    assert {r.node_id for r in rows} == {tree.d.pk}
    assert {r.ethnicity for r in rows} == {"回族"}


def test_a_transfer_approved_by_both_unions_at_once_completes_once():
    """Issue 17, finding 3: the outgoing and the receiving union approve in the same instant."""
    with scopes_disabled():
        tree = make_tree()
        b_rev = make_user("b_rev", node=tree.b, roles=["reviewer"])
        d_rev = make_user("d_rev", node=tree.d, roles=["reviewer"])
        members = _members(tree, 5, start=800)
        transfers = [transfer.request_transfer(member=m, to_node=tree.d, actor=tree.user("b_clerk"),
                                               reason="工作调动") for m in members]
    for t in transfers:
        results = race(lambda t=t: transfer.approve_transfer(transfer=t, actor=b_rev, side="out"),
                       lambda t=t: transfer.approve_transfer(transfer=t, actor=d_rev, side="in"))
        assert not [r for r in results if isinstance(r, Exception)], results
    with scopes_disabled():
        for t, m in zip(transfers, members, strict=True):
            done = Transfer.objects.get(pk=t.pk)
            assert done.status == "approved" and done.out_approved_at and done.in_approved_at
            assert Member.objects.get(pk=m.pk).node_id == tree.d.pk
            assert MemberEvent.objects.filter(member_id=m.pk, action="transferred").count() == 1
