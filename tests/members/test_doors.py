"""The doors of two roster actions that had none: cancelling a pending transfer and revoking the
QR codes of a member card, each from the console and the API, refused to whoever may not."""

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from gonghui.core.models import AuditEntry
from gonghui.members.models import Member, Transfer, TransferStatus
from gonghui.members.services import card, roster, transfer
from tests.factories import resident_id
from tests.test_scope_proof import _token_headers

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(tree):
    with scopes_disabled():
        return roster.create_member(node=tree.c, actor=tree.user("b_clerk"), name="陈志强",
                                    id_number=resident_id("19820303", 315), employment_form="contract")


@pytest.fixture
def pending(tree, member):
    with scopes_disabled():
        return transfer.request_transfer(member=member, to_node=tree.d, actor=tree.user("b_clerk"), reason="换工作")


def _status(t) -> str:
    with scopes_disabled():
        return Transfer.objects.get(pk=t.pk).status


def test_the_requester_cancels_a_pending_transfer_from_its_page(client, tree, pending):
    client.force_login(tree.user("b_clerk"))
    page = client.get(reverse("members:transfer", args=[pending.pk])).content.decode()
    assert reverse("members:transfer_cancel", args=[pending.pk]) in page
    response = client.post(reverse("members:transfer_cancel", args=[pending.pk]))
    assert response.status_code == 302 and _status(pending) == TransferStatus.CANCELLED
    assert AuditEntry.objects.filter(action="members.transfer.cancelled").count() == 1
    # decided: no button any more, and a second cancel is refused with the reason
    assert reverse("members:transfer_cancel", args=[pending.pk]) not in client.get(
        reverse("members:transfer", args=[pending.pk])).content.decode()
    client.post(reverse("members:transfer_cancel", args=[pending.pk]))
    assert AuditEntry.objects.filter(action="members.transfer.cancelled").count() == 1


def test_a_viewer_neither_sees_nor_uses_the_cancel_door(client, tree, pending):
    client.force_login(tree.user("b_viewer"))
    assert reverse("members:transfer_cancel", args=[pending.pk]) not in client.get(
        reverse("members:transfer", args=[pending.pk])).content.decode()
    assert client.post(reverse("members:transfer_cancel", args=[pending.pk])).status_code == 403
    assert client.post(f"/api/v1/transfers/{pending.pk}/cancel", content_type="application/json",
                       headers=_token_headers(tree, "b_viewer")).status_code == 403
    assert _status(pending) == TransferStatus.PENDING


def test_the_outgoing_unions_admin_cancels_through_the_api(client, tree, pending):
    response = client.post(f"/api/v1/transfers/{pending.pk}/cancel", content_type="application/json",
                           headers=_token_headers(tree, "b_admin"))
    assert response.status_code == 200 and response.json()["status"] == TransferStatus.CANCELLED
    again = client.post(f"/api/v1/transfers/{pending.pk}/cancel", content_type="application/json",
                        headers=_token_headers(tree, "b_admin"))
    assert again.status_code == 400 and again.json()["code"] == "decided"


def _version(member) -> int:
    with scopes_disabled():
        return Member.objects.get(pk=member.pk).card_version


def test_a_clerk_revokes_the_card_qr_codes_from_the_members_page(client, tree, member):
    with scopes_disabled():
        old_token = card.make_card_token(member=member)
        assert card.verify_card(token=old_token).valid
    before = _version(member)
    client.force_login(tree.user("b_clerk"))
    assert reverse("members:card_revoke", args=[member.pk]) in client.get(
        reverse("members:detail", args=[member.pk])).content.decode()
    assert client.post(reverse("members:card_revoke", args=[member.pk])).status_code == 302
    assert _version(member) == before + 1
    assert AuditEntry.objects.filter(action="members.card.revoked").count() == 1
    with scopes_disabled():
        assert not card.verify_card(token=old_token).valid


def test_card_revocation_through_the_api_and_refused_to_a_viewer(client, tree, member):
    before = _version(member)
    client.force_login(tree.user("b_viewer"))
    assert reverse("members:card_revoke", args=[member.pk]) not in client.get(
        reverse("members:detail", args=[member.pk])).content.decode()
    assert client.post(reverse("members:card_revoke", args=[member.pk])).status_code == 403
    assert client.post(f"/api/v1/members/{member.pk}/card/revoke", content_type="application/json",
                       headers=_token_headers(tree, "b_viewer")).status_code == 403
    assert _version(member) == before
    response = client.post(f"/api/v1/members/{member.pk}/card/revoke", content_type="application/json",
                           headers=_token_headers(tree, "b_clerk"))
    assert response.status_code == 200 and response.json() == {"member_id": member.pk, "card_version": before + 1}
