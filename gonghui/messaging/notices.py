"""Notices to groups: a cadre writes to a segment of their subtree (members of a union and the unions below,
participants or the waiting list of an activity, hardship households, a volunteer team, staff of employers
without a union), sees the recipients and the cost first, and a reviewer
approves a notice above GONGHUI_NOTICE_REVIEW_ABOVE recipients. Sending queues one outbox message per
number in batches (dedupe key notice:<id>:<number>); invalid numbers are skipped and counted, numbers
that opted out are skipped for a non-essential notice; the same form submitted twice is one notice."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.permissions import allowed, require
from gonghui.activities import selectors as activity_selectors
from gonghui.activities.models import Activity, Booking, BookingState
from gonghui.aid import selectors as aid_selectors
from gonghui.core.audit import audit
from gonghui.core.crypto import blind_index
from gonghui.core.errors import DomainError
from gonghui.core.limits import length_error
from gonghui.core.phones import normalize_mobile
from gonghui.core.scoping import scopes_disabled
from gonghui.members import selectors as member_selectors
from gonghui.members.models import Member, MemberStatus

from . import services
from .models import Bulletin, BulletinKind, Message, Notice, NoticeState, OptOut, Segment

BATCH = 500


@dataclass(frozen=True)
class Preview:
    recipients: int
    skipped_invalid: int
    skipped_opted_out: int
    cost: Decimal
    needs_review: bool


def _phones(node, segment: str, activity_id: int | None, team_id: int | None = None) -> list[str]:
    with scopes_disabled():
        if segment == Segment.MEMBERS:
            return list(Member.objects.filter(node__path__startswith=node.path, status=MemberStatus.ACTIVE)
                        .exclude(phone_hash="").values_list("phone", flat=True))
        if segment == Segment.HARDSHIP:  # the household's own number, else the member's on the roster
            files = aid_selectors.hardship_list(node=node).select_related("member")
            return [f.phone or (f.member.phone if f.member else "") for f in files]
        if segment == Segment.VOLUNTEERS:
            team = activity_selectors.team_list(node=node).filter(pk=team_id).first() if team_id else None
            if team is None:
                raise DomainError("no_team", _("Choose a volunteer team of your union or the unions below it."),
                                  field="team")
            return [v.member.phone for v in activity_selectors.volunteers_of(team, include_left=False)]
        if segment == Segment.UNORGANIZED:
            return member_selectors.phones_at_employers_without_union(node)
        activity = Activity.objects.filter(pk=activity_id, node__path__startswith=node.path).first()
        if activity is None:
            raise DomainError("no_activity", _("Choose an activity of your union or the unions below it."),
                              field="activity")
        state = BookingState.BOOKED if segment == Segment.PARTICIPANTS else BookingState.WAITING
        return [b.worker.phone for b in Booking.objects.select_related("worker").filter(activity=activity, state=state)]


def _recipients(node, segment, activity_id, essential, team_id=None) -> tuple[list[str], int, int]:
    valid, invalid = [], 0
    for raw in _phones(node, segment, activity_id, team_id):
        try:
            valid.append(normalize_mobile(raw))
        except ValidationError:
            invalid += 1
    valid = sorted(set(valid))
    opted_out = 0
    if not essential and valid:
        hashes = {blind_index(p, purpose="phone"): p for p in valid}
        out = set(OptOut.objects.filter(phone_hash__in=list(hashes)).values_list("phone_hash", flat=True))
        opted_out = len(out)
        valid = [p for h, p in hashes.items() if h not in out]
    return valid, invalid, opted_out


def preview(*, actor, node, segment: str, activity_id: int | None = None, essential: bool = False,
            team_id: int | None = None) -> Preview:
    """How many would receive it, how many are skipped, what it costs (GONGHUI_SMS_PRICE_YUAN each)."""
    require(actor, "messaging.notice.send", node=node)
    valid, invalid, opted_out = _recipients(node, segment, activity_id, essential, team_id)
    return Preview(recipients=len(valid), skipped_invalid=invalid, skipped_opted_out=opted_out,
                   cost=Decimal(settings.GONGHUI_SMS_PRICE_YUAN) * len(valid),
                   needs_review=len(valid) > settings.GONGHUI_NOTICE_REVIEW_ABOVE)


def submit(*, actor, node, segment: str, title: str, body: str, submit_key: str, activity_id: int | None = None,
           essential: bool = False, team_id: int | None = None) -> Notice:
    """Write the notice and send it, or leave it for review when it is large. The same ``submit_key``
    (the form's one-time key) returns the notice already made."""
    require(actor, "messaging.notice.send", node=node)
    existing = Notice.objects.filter(submit_key=submit_key).first()
    if existing is not None:
        return existing
    title, body = (title or "").strip(), (body or "").strip()
    if not title or not body:
        raise DomainError("notice_empty", _("Write the notice's title and text."), field="title" if not title else "body")
    services.check_params(params={_("title"): title})
    for field, value in (("title", title), ("body", body)):  # the limits declared on the model's fields
        error = length_error(Notice, field, value)
        if error:
            raise DomainError("notice_too_long", error, field=field)
    valid, invalid, opted_out = _recipients(node, segment, activity_id, essential, team_id)
    if not valid:
        raise DomainError("empty_segment", _("Nobody would receive this notice: the group has no valid mobile number."),
                          field="segment")
    large = len(valid) > settings.GONGHUI_NOTICE_REVIEW_ABOVE
    with transaction.atomic():
        notice = Notice.objects.create(node=node, author=actor, segment=segment, activity_id=activity_id,
                                       team_id=team_id, title=title,
                                       body=body, essential=essential, submit_key=submit_key,
                                       state=NoticeState.PENDING_REVIEW if large else NoticeState.SENT,
                                       recipients=len(valid), skipped_invalid=invalid, skipped_opted_out=opted_out)
        audit("messaging.notice.submitted", actor=actor, obj=notice, node=node,
              data={"segment": segment, "recipients": len(valid), "invalid": invalid, "opted_out": opted_out,
                    "review": large})
    if not large:
        _send(notice, valid)
    return notice


def approve(*, actor, notice: Notice) -> Notice:
    """A reviewer (or administrator) of a union above or at the notice's union sends a large notice."""
    require(actor, "messaging.notice.approve", node=notice.node, done_by={"messaging.notice.send": notice.author_id})
    with transaction.atomic():
        updated = Notice.objects.filter(pk=notice.pk, state=NoticeState.PENDING_REVIEW).update(
            state=NoticeState.SENT, reviewer=actor)
        if not updated:
            raise DomainError("not_pending", _("This notice is not waiting for review."))
        audit("messaging.notice.approved", actor=actor, obj=notice, node=notice.node)
    notice.refresh_from_db()
    valid, _invalid, _opted = _recipients(notice.node, notice.segment, notice.activity_id, notice.essential,
                                          notice.team_id)
    _send(notice, valid)
    return notice


def _send(notice: Notice, phones: list[str]) -> None:
    text = f"【{notice.title}】{notice.body}"
    for start in range(0, len(phones), BATCH):
        with transaction.atomic():
            for phone in phones[start:start + BATCH]:
                services.queue_message(phone=phone, text=text, kind="notice", params={"title": notice.title},
                                       dedupe_key=f"notice:{notice.pk}:{blind_index(phone, purpose='phone')[:32]}")
    Notice.objects.filter(pk=notice.pk).update(sent_at=timezone.now())


def figures(notice: Notice) -> dict[str, int]:
    """Delivery figures of a notice: messages by state."""
    rows = (Message.objects.filter(dedupe_key__startswith=f"notice:{notice.pk}:").values("state")
            .annotate(n=Count("pk")))
    return {row["state"]: row["n"] for row in rows}


def opt_out(*, worker) -> None:
    OptOut.objects.get_or_create(phone_hash=worker.phone_hash)


def opt_in(*, worker) -> None:
    OptOut.objects.filter(phone_hash=worker.phone_hash).delete()


def can_write(user, node) -> bool:
    return allowed(user, "messaging.notice.send", node=node)


def publish_bulletin(*, actor, node, kind: str, title: str, body: str, public: bool, submit_key: str) -> Bulletin:
    """Put a news item or announcement on the worker pages of the union's members (and, when public, of
    the members of the unions below). The same ``submit_key`` returns the one already published."""
    require(actor, "messaging.bulletin.publish", node=node)
    existing = Bulletin.objects.filter(submit_key=submit_key).first()
    if existing is not None:
        return existing
    title, body = (title or "").strip(), (body or "").strip()
    if not title or not body:
        raise DomainError("bulletin_empty", _("Write the title and the text."), field="title" if not title else "body")
    for field, value in (("title", title), ("body", body)):  # the limits declared on the model's fields
        error = length_error(Bulletin, field, value)
        if error:
            raise DomainError("bulletin_too_long", error, field=field)
    kind = kind if kind in BulletinKind.values else BulletinKind.NEWS
    with transaction.atomic():
        bulletin = Bulletin.objects.create(node=node, kind=kind, title=title, body=body, public=public,
                                           author=actor, submit_key=submit_key)
        audit("messaging.bulletin.published", actor=actor, obj=bulletin, node=node,
              data={"kind": kind, "public": public})
    return bulletin
