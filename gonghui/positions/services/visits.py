"""Visits (服务人次): a worker scans the station's printed code and is counted.

- The code names the station and its current ``qr_key`` under a signature: a forged or altered
  code fails the signature; a code withdrawn by the station (new key) is refused.
- A person counts once per station per clock hour; scanning again (a replay) within the hour is
  answered "already counted" and adds nothing. The database enforces it (a unique constraint on
  station, person key and hour), so two scans at the same instant still count one.
- Members are recognised by their verified phone (a worker signed in) or their member card. A
  signed-in worker who is no member and ticks the box is recorded as a prospect of the host union
  (先服务后入会), with the consent recorded, to be invited to join.
- The anonymous check-in (a phone number typed, not verified) is counted under a keyed hash of the
  number and says nothing about membership: the answer is the same for a member's number and any
  other, and it records no prospect (a typed number is nobody's consent).
- Anonymous scans are rate-limited per address, so a script cannot inflate the counts.
"""

import datetime
from dataclasses import dataclass
from types import SimpleNamespace

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.core import printed, ratelimit
from gonghui.core.audit import audit
from gonghui.core.crypto import blind_index
from gonghui.core.errors import DomainError
from gonghui.core.masking import mask_name
from gonghui.core.phones import normalize_mobile
from gonghui.core.scoping import scopes_disabled
from gonghui.members import selectors as members
from gonghui.members.services import joining

from ..models import Position, PositionStatus, Visit, VisitorKind

QR_SALT = "gonghui.positions.visit"
PERSON_PURPOSE = "positions.visitor"
ANONYMOUS_PER_IP_PER_HOUR = 30


def make_visit_token(*, position: Position) -> str:
    # No timestamp: the code is printed once and stays on the wall; withdrawing it renews ``qr_key``.
    # Signed with the printed-code key; codes printed under the session secret still verify (legacy).
    return printed.signer(salt=QR_SALT).sign_object({"p": position.pk, "k": position.qr_key})


def resolve_visit_token(*, token: str) -> Position:
    """The station a scanned code names; DomainError when forged, altered or withdrawn."""
    try:
        data = printed.signer(salt=QR_SALT, legacy=True).unsign_object(token)
    except (signing.BadSignature, ValueError):
        raise DomainError("qr_forged", _("This is not a valid station code.")) from None
    if not isinstance(data, dict):
        raise DomainError("qr_forged", _("This is not a valid station code."))
    with scopes_disabled():
        position = Position.objects.select_related("node").filter(pk=data.get("p")).first()
    if position is None or position.qr_key != data.get("k"):
        raise DomainError("qr_withdrawn", _("This station code has been withdrawn; scan the code posted at the "
                                            "station today."))
    if position.status != PositionStatus.OPEN:
        raise DomainError("position_not_in_service", _("This station is not in service at the moment."))
    return position


@dataclass(frozen=True)
class VisitResult:
    visit: Visit
    counted: bool          # False: this person was already counted this hour
    member_name: str = ""  # masked, for the greeting
    disclosed: bool = True  # False: the page must not tell whether the visitor is a member


def _hour(at: datetime.datetime) -> datetime.datetime:
    local = timezone.localtime(at)
    return local.replace(minute=0, second=0, microsecond=0)


def _record(position, *, person_key, kind, member=None, prospect=None, at=None) -> VisitResult:
    at = at or timezone.now()
    hour = _hour(at)
    with scopes_disabled():
        existing = Visit.objects.filter(position=position, person_key=person_key, hour=hour).first()
        if existing is not None:
            return VisitResult(existing, False)
        try:
            with transaction.atomic():
                visit = Visit.objects.create(position=position, person_key=person_key, kind=kind, member=member,
                                             prospect=prospect, hour=hour, at=at)
                audit("positions.visit.counted", obj=position, data={"visit": visit.pk, "kind": kind})
        except IntegrityError:  # the same scan, racing: counted once
            return VisitResult(Visit.objects.get(position=position, person_key=person_key, hour=hour), False)
    return VisitResult(visit, True)


def visit_by_worker(*, position: Position, worker, consent: bool = False, at=None) -> VisitResult:
    """A worker signed in by phone: a member if their verified phone is on the roster; otherwise a
    prospect of the host union only when they agreed (``consent``) to be invited."""
    member = members.membership_of_worker(worker)
    key = blind_index(f"phone:{worker.phone_hash}", purpose=PERSON_PURPOSE)
    if member is not None:
        result = _record(position, person_key=key, kind=VisitorKind.MEMBER, member=member, at=at)
        return VisitResult(result.visit, result.counted, mask_name(member.name))
    prospect = _prospect(position, worker.phone) if consent else None
    return _record(position, person_key=key, kind=VisitorKind.PROSPECT, prospect=prospect, at=at)


def visit_by_phone(*, position: Position, phone: str, consent: bool, ip: str = "", at=None) -> VisitResult:
    """A visitor not signed in gives a phone number (and consent to its use for counting). The
    visit is counted (members' visits as members'); the answer never tells whether the number is a
    member's, and no prospect is recorded from a number nobody verified."""
    phone = normalize_mobile(phone)
    if not consent:
        raise DomainError("consent_required", _("Please agree to the union keeping your phone number, or just use "
                                                "the station without registering."), field="consent")
    _rate_limit(ip)
    phone_hash = blind_index(phone, purpose="phone")
    key = blind_index(f"phone:{phone_hash}", purpose=PERSON_PURPOSE)
    member = members.membership_of_worker(SimpleNamespace(phone_hash=phone_hash))
    if member is not None:
        result = _record(position, person_key=key, kind=VisitorKind.MEMBER, member=member, at=at)
    else:
        result = _record(position, person_key=key, kind=VisitorKind.PROSPECT, at=at)
    return VisitResult(result.visit, result.counted, disclosed=False)


def visit_by_card(*, position: Position, card_token: str, at=None) -> VisitResult:
    """The station keeper scans the member's card code (an H5 card, refreshed every few minutes)."""
    from gonghui.members.services import card

    check = card.verify_card(token=card_token)
    if not check.valid or check.member_id is None:
        raise DomainError("card_invalid", check.reason)
    with scopes_disabled():
        member = members.access_member(check.member_id)
    key = blind_index(f"phone:{member.phone_hash}" if member.phone_hash else f"member:{member.pk}",
                      purpose=PERSON_PURPOSE)
    result = _record(position, person_key=key, kind=VisitorKind.MEMBER, member=member, at=at)
    return VisitResult(result.visit, result.counted, check.masked_name)


def _prospect(position: Position, phone: str):
    """Called only when the worker ticked the invitation box: the words of that box are stored."""
    return joining.record_prospect(node=position.node, phone=phone, consent_channel="station", consent=True,
                                   consent_text=str(joining.PROSPECT_CONSENT_TEXT),
                                   service=_("Station: %(name)s") % {"name": position.name})


def _rate_limit(ip: str) -> None:
    ratelimit.hit("positions.visit.ip", ip, limit=ANONYMOUS_PER_IP_PER_HOUR, period=3600, code="too_many_visits",
                  message=_("Too many check-ins from this network; please try again later."))
