"""The member card (电子会员卡): a QR code that a station or an activity check-in can verify.

The QR carries a signed token (member id, card version, time). It expires after
GONGHUI_CARD_QR_TTL_SECONDS (the card page refreshes it), and bumping the member's card version
revokes every token issued before (leaving, death, a lost phone). Verification answers only a
masked name, the union and valid/invalid: nothing a bystander with a scanner should learn more.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils.translation import gettext as _

from gonghui.accounts.permissions import require
from gonghui.core.audit import audit
from gonghui.core.masking import mask_name
from gonghui.core.scoping import scopes_disabled

from ..models import Member, MemberStatus

CARD_SALT = "gonghui.members.card"


def make_card_token(*, member: Member) -> str:
    return signing.dumps({"m": member.pk, "v": member.card_version}, salt=CARD_SALT, compress=False)


@dataclass(frozen=True)
class CardCheck:
    valid: bool
    reason: str
    masked_name: str = ""
    union: str = ""
    member_id: int | None = None


def verify_card(*, token: str) -> CardCheck:
    try:
        data = signing.loads(token, salt=CARD_SALT, max_age=settings.GONGHUI_CARD_QR_TTL_SECONDS)
    except signing.SignatureExpired:
        return CardCheck(False, _("This card code has expired; ask the member to refresh the card page."))
    except signing.BadSignature:
        return CardCheck(False, _("This is not a valid member card code."))
    with scopes_disabled():
        member = Member.objects.select_related("node").filter(pk=data.get("m")).first()
    if member is None or member.card_version != data.get("v"):
        return CardCheck(False, _("This member card has been revoked."))
    if member.status != MemberStatus.ACTIVE:
        return CardCheck(False, _("This membership is not active."), mask_name(member.name), member.node.name)
    return CardCheck(True, _("Valid membership"), mask_name(member.name), member.node.name, member.pk)


@transaction.atomic
def revoke_card(*, actor, member: Member) -> Member:
    """Invalidate every card QR issued so far (e.g. a lost phone)."""
    require(actor, "members.card.revoke", node=member.node)
    member.card_version += 1
    member.save(update_fields=["card_version", "updated_at"])
    audit("members.card.revoked", actor=actor, obj=member)
    return member
