"""转会 between unions with approval on both sides; the member card QR."""

import pytest
from django_scopes import scopes_disabled

from gonghui.core.errors import DomainError, NotPermitted
from gonghui.members.models import Member, MemberEvent, TransferStatus
from gonghui.members.services import card, roster, transfer
from tests.factories import resident_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(tree):
    with scopes_disabled():
        return roster.create_member(node=tree.c, actor=tree.user("b_clerk"), name="陈志强",
                                    id_number=resident_id("19820303", 315), employment_form="contract",
                                    member_type="probationary")


def test_transfer_needs_both_sides_in_either_order(tree, people, member):
    with scopes_disabled():
        t = transfer.request_transfer(member=member, to_node=tree.d, actor=tree.user("b_clerk"), reason="换工作")
        t = transfer.approve_transfer(transfer=t, actor=people.user("d_reviewer"), side="in")
        member.refresh_from_db()
        assert member.node_id == tree.c.pk and t.status == TransferStatus.PENDING
        t = transfer.approve_transfer(transfer=t, actor=people.user("b_reviewer"), side="out")
        member.refresh_from_db()
    assert t.status == TransferStatus.APPROVED
    assert member.node_id == tree.d.pk
    assert member.member_type == "probationary" and member.card_number  # kept
    with scopes_disabled():
        assert MemberEvent.objects.filter(member=member, action="transferred").exists()


def test_each_side_only_by_its_own_union(tree, people, member):
    with scopes_disabled():
        t = transfer.request_transfer(member=member, to_node=tree.d, actor=tree.user("b_clerk"))
        with pytest.raises(NotPermitted):  # B approving the receiving side, which is D's
            transfer.approve_transfer(transfer=t, actor=people.user("b_reviewer"), side="in")
        with pytest.raises(NotPermitted):
            transfer.approve_transfer(transfer=t, actor=people.user("d_reviewer"), side="out")
        t.refresh_from_db()
        assert not t.in_approved_at and not t.out_approved_at
        assert Member.objects.get(pk=member.pk).node_id == tree.c.pk


def test_transfer_cannot_be_requested_from_outside(tree, people, member):
    with scopes_disabled(), pytest.raises(NotPermitted):
        transfer.request_transfer(member=member, to_node=tree.b, actor=people.user("d_reviewer"))


def test_one_pending_transfer_per_member(tree, member):
    with scopes_disabled():
        transfer.request_transfer(member=member, to_node=tree.d, actor=tree.user("b_clerk"))
        with pytest.raises(DomainError) as exc:
            transfer.request_transfer(member=member, to_node=tree.b, actor=tree.user("b_clerk"))
    assert exc.value.code == "transfer_pending"


def test_rejected_transfer_leaves_member_in_place(tree, people, member):
    with scopes_disabled():
        t = transfer.request_transfer(member=member, to_node=tree.d, actor=tree.user("b_clerk"))
        transfer.reject_transfer(transfer=t, actor=people.user("d_reviewer"), side="in", reason="不在本辖区就业")
        with pytest.raises(DomainError):
            transfer.approve_transfer(transfer=t, actor=people.user("b_reviewer"), side="out")
        assert Member.objects.get(pk=member.pk).node_id == tree.c.pk


def test_card_verifies_while_active_and_stops_when_revoked(tree, member):
    token = card.make_card_token(member=member)
    check = card.verify_card(token=token)
    assert check.valid and check.masked_name == "陈**" and check.union == tree.c.name
    with scopes_disabled():
        card.revoke_card(member=member, actor=tree.user("b_clerk"))
    assert not card.verify_card(token=token).valid
    assert card.verify_card(token=card.make_card_token(member=Member.objects.with_scopes_disabled().get(pk=member.pk))).valid


def test_card_of_a_member_who_left_is_invalid(tree, member):
    with scopes_disabled():
        roster.end_membership(member=member, actor=tree.user("b_clerk"), reason="退休")
        fresh = Member.objects.get(pk=member.pk)
    assert not card.verify_card(token=card.make_card_token(member=fresh)).valid


def test_tampered_and_expired_card_codes(member, settings):
    token = card.make_card_token(member=member)
    assert not card.verify_card(token=token + "x").valid
    settings.GONGHUI_CARD_QR_TTL_SECONDS = -1
    assert not card.verify_card(token=token).valid
