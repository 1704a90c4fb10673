"""The rush (抢课): sign-up, waiting list, offers, cancellation, check-in. See docs/activities.md.

Rules, each held by the database and not only by these checks:

- never more seats than capacity: a seat is taken only by ``UPDATE activity SET taken = taken + 1
  WHERE id = … AND taken < capacity AND waiting = 0`` (PostgreSQL re-checks the WHERE on the
  newest row version after waiting for the row lock), backed by a CHECK ``taken <= capacity``;
- one active booking per person and activity: a partial unique index;
- the per-person limit of a term: ``UPDATE holding SET held = held + 1 WHERE held < limit``;
- a retried request makes no second booking: the form's signed idempotency key is unique.

Lock order, the same in every transaction here: the activity row, then booking rows, then term
holdings in ascending worker id, then the audit head. A transaction locks one activity row only.
"""

import datetime
import secrets
import time

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from gonghui.accounts.permissions import require
from gonghui.core import prepared
from gonghui.core.audit import audit
from gonghui.core.errors import DomainError
from gonghui.core.limits import limit_of
from gonghui.core.notify import notify
from gonghui.core.scoping import scopes_disabled
from gonghui.core.text import clean_name, clean_person_name
from gonghui.members import selectors as members

from .. import flash
from ..models import (
    SEAT_STATES,
    Activity,
    Attendance,
    Audience,
    Booking,
    BookingState,
    QueueMove,
    Session,
    State,
    TermHolding,
    WaitlistMode,
)
from ..refusals import refusal

KEY_SALT = "gonghui.activities.signup"
KEY_MAX_AGE = 2 * 24 * 3600
TICKET_SALT = "gonghui.activities.ticket"


def _when(moment: datetime.datetime) -> str:
    return date_format(timezone.localtime(moment), "Y-m-d H:i")


# --- idempotency keys ---------------------------------------------------------------------------

def issue_signup_key(*, activity: Activity, worker) -> str:
    """A fresh key for one sign-up form: signed, naming the activity and the worker, with a nonce.
    A retried or double-clicked submission carries the same key and gets the first answer."""
    return signing.dumps({"a": activity.pk, "w": worker.pk, "n": secrets.token_hex(12)}, salt=KEY_SALT,
                         compress=False)


def _nonce(key: str, *, activity: Activity, worker) -> str:
    return check_signup_key(key=key, activity_id=activity.pk, worker_id=worker.pk)


# Keys found good in the last second: a sign-up's key is checked by the early look, the API's view and
# the service (each may be called alone), and the signature's HMAC was 4 % of a winner's CPU. Only good
# keys are kept, under the secret they were signed with, for at most a second of the clock the expiry is
# measured by; bounded, cleared when full.
_GOOD_KEYS: dict[tuple[str, str, int, int], tuple[str, float]] = {}


def check_signup_key(*, key: str, activity_id: int, worker_id: int) -> str:
    """The key's nonce when it is this worker's for this activity; else the refusal (no query)."""
    memo = (settings.SECRET_KEY, key, activity_id, worker_id)
    seen, now = _GOOD_KEYS.get(memo), time.time()
    if seen is not None and 0 <= now - seen[1] < 1:
        return seen[0]
    nonce = _check_signup_key(key=key, activity_id=activity_id, worker_id=worker_id)
    if len(_GOOD_KEYS) >= 1024:
        _GOOD_KEYS.clear()
    _GOOD_KEYS[memo] = (nonce, now)
    return nonce


def _check_signup_key(*, key: str, activity_id: int, worker_id: int) -> str:
    try:
        data = signing.loads(key or "", salt=KEY_SALT, max_age=KEY_MAX_AGE)
    except signing.SignatureExpired:
        raise DomainError("key_expired", _("This page is out of date; reload it and try again.")) from None
    except signing.BadSignature:
        raise DomainError("key_invalid", _("This sign-up request is not valid; reload the page.")) from None
    if not isinstance(data, dict) or data.get("a") != activity_id or data.get("w") != worker_id:
        raise DomainError("key_invalid", _("This sign-up request is not valid; reload the page."))
    return str(data.get("n", ""))[:40]


def _replayed(nonce: str, *, activity: Activity, worker) -> Booking | None:
    """The booking an earlier request with this key made, if any. Asked by every request that
    loses (full, closed) — so a plain indexed look-up first, the record only when there is one."""
    with connection.cursor() as cur:
        cur.execute("SELECT id FROM activities_booking WHERE idem_key = %s", [nonce])
        row = cur.fetchone()
    done = Booking.objects.filter(pk=row[0]).first() if row else None
    if done is not None and (done.activity_id != activity.pk or done.worker_id != worker.pk):
        raise DomainError("key_invalid", _("This sign-up request is not valid; reload the page."))
    return done


# --- who may sign up ---------------------------------------------------------------------------

def _window(activity: Activity, now: datetime.datetime) -> None:
    """The activity's state and sign-up window: read from the row, no query."""
    if activity.state != State.PUBLISHED:
        raise refusal("not_open")
    if now < activity.signup_opens_at:
        raise refusal("not_yet", opens_at=activity.signup_opens_at)
    if now >= activity.signup_closes_at:
        raise refusal("window_over")


def _audience(activity: Activity, member) -> None:
    if activity.audience != Audience.MEMBERS:
        return
    # activity_for_signup annotates the organizer's path and name instead of loading the union.
    path = getattr(activity, "organizer_path", None) or activity.node.path
    if member is None or not member.node_path.startswith(path):
        raise DomainError("audience", _("This activity is for members of %(union)s and the unions under it.")
                          % {"union": getattr(activity, "organizer_name", None) or activity.node.name})


def _eligibility(*, activity: Activity, worker, now: datetime.datetime | None = None):
    """Raises DomainError when the worker may not sign up now; returns their membership or None."""
    _window(activity, now or timezone.now())
    member = members.member_brief_of_worker(worker)
    _audience(activity, member)
    return member


def _name(member, name: str) -> str:
    if member is not None:
        return member.name
    if not (name or "").strip():
        raise DomainError("name_required", _("Enter your name."), field="name")
    try:
        return clean_person_name(name)
    except ValidationError as exc:
        raise DomainError("name_invalid", " ".join(exc.messages), field="name") from None


def _limit_error(activity: Activity) -> DomainError:
    return DomainError("limit", _("You already hold %(n)d seats in “%(term)s”, the most one person may.")
                       % {"n": activity.term.per_person_limit, "term": activity.term.name})


def _at_limit(activity: Activity, worker) -> bool:
    if not activity.term_id:
        return False
    held = TermHolding.objects.filter(term_id=activity.term_id, worker=worker).values_list("held", flat=True).first()
    return (held or 0) >= activity.term.per_person_limit


_HOLD_SQL = (
    "INSERT INTO activities_termholding (term_id, worker_id, held) VALUES (%s, %s, 1) "
    "ON CONFLICT (term_id, worker_id) DO UPDATE SET held = activities_termholding.held + 1 "
    "WHERE activities_termholding.held < %s RETURNING held")


def _try_hold(activity: Activity, worker_id: int) -> bool:
    """Raise the worker's count in the term if under the limit, in one statement (an upsert whose
    update is conditional: no row comes back at the limit); the row lock serializes one person."""
    if not activity.term_id:
        return True
    with connection.cursor() as cur:
        cur.execute(_HOLD_SQL, [activity.term_id, worker_id, activity.term.per_person_limit])
        return cur.fetchone() is not None


_SEAT_SQL = (
    "UPDATE activities_activity SET taken = taken + 1 WHERE id = %s AND state = %s AND taken < capacity "
    "AND waiting = 0 AND signup_opens_at <= %s AND signup_closes_at > %s")


def _take_seat(activity: Activity, now: datetime.datetime) -> bool:
    """The decision: one conditional UPDATE (see the module docstring). Written as SQL because it
    is the statement every rushing request runs; the ORM's compile step cost more than the query."""
    with connection.cursor() as cur:
        cur.execute(_SEAT_SQL, [activity.pk, State.PUBLISHED, now, now])
        return cur.rowcount == 1


def _release_hold(activity: Activity, worker_id: int) -> None:
    if activity.term_id:
        TermHolding.objects.filter(term_id=activity.term_id, worker_id=worker_id, held__gt=0) \
            .update(held=F("held") - 1)


def _full_error(activity: Activity) -> DomainError:
    return refusal("full", capacity=activity.capacity)


class _Full(Exception):
    pass


def _changed(activity_id: int) -> None:
    """Seats, bookings or the waiting list of the activity change in this transaction: after the
    commit, its flash-sale state in Redis is dropped (rebuilt from the database on the next request)."""
    transaction.on_commit(lambda: flash.forget(activity_id))


_BOOK_SQL = """
WITH seat AS (
    UPDATE activities_activity SET taken = taken + 1
    WHERE id = %(activity)s AND state = %(published)s AND taken < capacity AND waiting = 0
      AND signup_opens_at <= %(now)s AND signup_closes_at > %(now)s
    RETURNING id),
booking AS (
    INSERT INTO activities_booking (activity_id, worker_id, member_id, name, state, idem_key, created_at, booked_at)
    SELECT id, %(worker)s::bigint, %(member)s::bigint, %(name)s, %(booked)s, %(key)s, %(now)s, %(now)s FROM seat
    RETURNING id),
hold AS (
    INSERT INTO activities_termholding (term_id, worker_id, held)
    SELECT %(term)s::bigint, %(worker)s::bigint, 1 FROM booking WHERE %(term)s::bigint IS NOT NULL
    ON CONFLICT (term_id, worker_id) DO UPDATE SET held = activities_termholding.held + 1
    WHERE activities_termholding.held < %(limit)s
    RETURNING held)
SELECT (SELECT id FROM booking), (SELECT held FROM hold)
"""


def _book(activity: Activity, worker, member, name: str, nonce: str, now) -> Booking:
    """Take a seat, write the booking, count it in the term — inside the caller's transaction.
    Raises _Full, the term-limit error, or IntegrityError (the same key again, or a second seat
    for this person), each rolling the whole transaction back.

    On PostgreSQL the three writes are one statement (data-modifying CTEs: one round trip; the
    seat UPDATE re-checks its WHERE after waiting for the row lock as a plain UPDATE does); on
    SQLite, which has one writer at a time, three statements in the same order."""
    member_id = member.pk if member is not None else None
    if connection.vendor == "postgresql":
        limit = activity.term.per_person_limit if activity.term_id else 0
        with prepared.cursor() as cur:
            cur.execute(_BOOK_SQL, {"activity": activity.pk, "published": State.PUBLISHED, "now": now,
                                    "worker": worker.pk, "member": member_id, "name": name,
                                    "booked": BookingState.BOOKED, "key": nonce, "term": activity.term_id,
                                    "limit": limit})
            booking_id, held = cur.fetchone()
        if booking_id is None:
            raise _Full
        if activity.term_id and held is None:
            raise _limit_error(activity)
        booking = Booking(pk=booking_id, activity=activity, worker=worker, member_id=member_id, name=name,
                          state=BookingState.BOOKED, idem_key=nonce, created_at=now, booked_at=now)
        booking._state.adding = False
        return booking
    if not _take_seat(activity, now):
        raise _Full
    # The INSERT before the holding: a retry of a booked request must meet the idempotency
    # key's unique index (and get its booking back), not the term limit.
    booking = Booking.objects.create(activity=activity, worker=worker, member_id=member_id, name=name,
                                     state=BookingState.BOOKED, idem_key=nonce, booked_at=now)
    if not _try_hold(activity, worker.pk):
        raise _limit_error(activity)
    return booking


# --- sign-up and the waiting list -----------------------------------------------------------------

def sign_up(*, activity: Activity, worker, key: str, name: str = "", now=None) -> Booking:
    """First come, first served: one seat per person and activity, never over capacity or the
    term's limit; the same key twice returns the first booking. A full activity is refused at
    once with code "full" (the page then offers the waiting list).

    Ordered for the rush: what the row read already tells (state, window, full) is answered
    before any query; the one-seat-per-person and term-limit rules are left to the database
    inside the transaction rather than pre-checked, so a winning request runs five statements
    (seat UPDATE, booking INSERT, holding upsert, two of the audit log) and a losing one none
    but the replay look-up."""
    now = now or timezone.now()
    with scopes_disabled():
        nonce = _nonce(key, activity=activity, worker=worker)
        try:
            _window(activity, now)
        except DomainError:
            done = _replayed(nonce, activity=activity, worker=worker)
            if done is not None:
                return done
            raise
        member = None
        if activity.audience == Audience.MEMBERS:
            member = members.member_brief_of_worker(worker)
            _audience(activity, member)
        if activity.taken >= activity.capacity or activity.waiting:
            # A fast answer from the row read for the page: no lock, no write.
            done = _replayed(nonce, activity=activity, worker=worker)
            if done is not None:
                return done
            _recover(activity)
            raise _full_error(activity)
        if activity.audience != Audience.MEMBERS:
            member = members.member_brief_of_worker(worker)  # a member signs up under the roster's name
        name = _name(member, name)
        try:
            with transaction.atomic():
                booking = _book(activity, worker, member, name, nonce, now)
                audit("activities.booking.booked", actor=worker, obj=booking, data={"activity": activity.pk})
                at = _when(activity.starts_at)
                notify(phone=worker.phone, text=_("You have a seat in “%(title)s”, starting %(at)s at %(venue)s.")
                       % {"title": activity.title, "at": at, "venue": activity.venue_text},
                       kind="booking_confirmed", dedupe_key=f"booked:{booking.pk}",
                       params={"title": activity.title, "at": at})
        except _Full:
            done = _replayed(nonce, activity=activity, worker=worker)
            if done is not None:
                return done
            raise _full_error(activity) from None
        except IntegrityError:
            # A concurrent request with the same key, or a second seat for the same person.
            done = _replayed(nonce, activity=activity, worker=worker)
            if done is not None:
                return done
            raise DomainError("already", _("You are already signed up for this activity.")) from None
    return booking


def join_waitlist(*, activity: Activity, worker, key: str, name: str = "", now=None) -> Booking:
    """The end of a FIFO list; only when no seat is free (else the person should just sign up)."""
    now = now or timezone.now()
    with scopes_disabled():
        nonce = _nonce(key, activity=activity, worker=worker)
        done = _replayed(nonce, activity=activity, worker=worker)
        if done is not None:
            return done
        member = _eligibility(activity=activity, worker=worker, now=now)
        name = _name(member, name)
        if _at_limit(activity, worker):
            raise _limit_error(activity)
        try:
            with transaction.atomic():
                current = Activity.objects.select_for_update(of=("self",)).get(pk=activity.pk)
                if current.taken < current.capacity and not current.waiting:
                    raise DomainError("seats_free", _("Seats are free: sign up directly."))
                last = (Booking.objects.filter(activity=current, queue_key__isnull=False)
                        .order_by("-queue_key").values_list("queue_key", flat=True).first()) or 0
                booking = Booking.objects.create(activity=current, worker=worker, member_id=member.pk if member is not None else None,
                                                 name=name,
                                                 state=BookingState.WAITING, idem_key=nonce, queue_key=last + 1)
                Activity.objects.filter(pk=current.pk).update(waiting=F("waiting") + 1)
                _changed(current.pk)
                audit("activities.booking.waiting", actor=worker, obj=booking, data={"activity": activity.pk})
        except IntegrityError:
            done = _replayed(nonce, activity=activity, worker=worker)
            if done is not None:
                return done
            raise DomainError("already", _("You are already signed up for this activity.")) from None
    return booking


def cancel_booking(*, booking: Booking, worker, now=None) -> Booking:
    """Give up a seat or an offer (the seat goes to the waiting list), or leave the waiting list."""
    now = now or timezone.now()
    if booking.worker_id != worker.pk:
        raise DomainError("not_yours", _("This booking is not yours."))
    with scopes_disabled(), transaction.atomic():
        activity = Activity.objects.select_for_update(of=("self",)).select_related("term").get(pk=booking.activity_id)
        current = Booking.objects.select_for_update(of=("self",)).get(pk=booking.pk)
        if current.state in SEAT_STATES:
            if now >= activity.starts_at:
                raise DomainError("started", _("The activity has started; ask the organizer."))
            current.state = (BookingState.DECLINED if current.state == BookingState.OFFERED
                             else BookingState.CANCELLED)
            Activity.objects.filter(pk=activity.pk).update(taken=F("taken") - 1)
            _release_hold(activity, worker.pk)
        elif current.state == BookingState.WAITING:
            current.state = BookingState.LEFT
            Activity.objects.filter(pk=activity.pk).update(waiting=F("waiting") - 1)
        else:
            raise DomainError("not_active", _("This booking has already ended."))
        current.ended_at = now
        current.save(update_fields=["state", "ended_at"])
        _changed(activity.pk)
        audit(f"activities.booking.{current.state}", actor=worker, obj=current, data={"activity": activity.pk})
    promote_waiting(activity_id=activity.pk, now=now)
    return current


def confirm_offer(*, booking: Booking, worker, now=None) -> Booking:
    now = now or timezone.now()
    if booking.worker_id != worker.pk:
        raise DomainError("not_yours", _("This booking is not yours."))
    with scopes_disabled(), transaction.atomic():
        Activity.objects.select_for_update(of=("self",)).get(pk=booking.activity_id)
        current = Booking.objects.select_for_update(of=("self",)).get(pk=booking.pk)
        if current.state != BookingState.OFFERED:
            raise DomainError("no_offer", _("There is no seat offer to confirm."))
        if current.offer_expires_at <= now:
            raise DomainError("offer_expired", _("The offer expired at %(at)s.") % {"at": _when(current.offer_expires_at)})
        current.state, current.booked_at = BookingState.BOOKED, now
        current.save(update_fields=["state", "booked_at"])
        _changed(current.activity_id)
        audit("activities.booking.confirmed", actor=worker, obj=current)
    return current


def promote_waiting(*, activity_id: int, now=None) -> int:
    """Free seats go to the head of the waiting list, one short transaction each: offered with a
    deadline, or booked at once (the activity's setting); a person at the term's limit is passed
    over and told. Returns how many were promoted."""
    now = now or timezone.now()
    promoted = 0
    for _guard in range(10_000):
        with scopes_disabled(), transaction.atomic():
            activity = Activity.objects.select_for_update(of=("self",)).select_related("term").get(pk=activity_id)
            if (activity.state != State.PUBLISHED or not activity.waiting or activity.taken >= activity.capacity
                    or now >= activity.starts_at):
                return promoted
            head = (Booking.objects.select_for_update(of=("self",)).select_related("worker")
                    .filter(activity=activity, state=BookingState.WAITING).order_by("queue_key", "id").first())
            if head is None:  # the counter drifted (it cannot by these services; repair anyway)
                Activity.objects.filter(pk=activity.pk).update(waiting=0)
                return promoted
            Activity.objects.filter(pk=activity.pk).update(waiting=F("waiting") - 1)
            _changed(activity.pk)
            if not _try_hold(activity, head.worker_id):
                head.state, head.ended_at = BookingState.PASSED, now
                head.save(update_fields=["state", "ended_at"])
                audit("activities.booking.passed", obj=head, data={"activity": activity.pk})
                notify(phone=head.worker.phone, text=_("A seat freed in “%(title)s”, but you already hold the most "
                                                       "seats one person may this term.") % {"title": activity.title},
                       kind="seat_passed", params={"title": activity.title})
                continue
            Activity.objects.filter(pk=activity.pk).update(taken=F("taken") + 1)
            if activity.waitlist_mode == WaitlistMode.AUTO:
                head.state, head.booked_at = BookingState.BOOKED, now
                text = _("A seat freed in “%(title)s” and it is yours: you are booked.") % {"title": activity.title}
            else:
                head.state = BookingState.OFFERED
                head.offer_expires_at = min(now + datetime.timedelta(hours=activity.offer_hours), activity.starts_at)
                text = (_("A seat freed in “%(title)s”. Confirm it before %(at)s or it goes to the next person.")
                        % {"title": activity.title, "at": _when(head.offer_expires_at)})
            head.save(update_fields=["state", "booked_at", "offer_expires_at"])
            audit(f"activities.booking.promoted_{head.state}", obj=head, data={"activity": activity.pk})
            notify(phone=head.worker.phone, text=text, kind=f"seat_{head.state}", params={"title": activity.title})
            promoted += 1
    return promoted


def expire_offers(*, activity_id: int | None = None, now=None) -> int:
    """Offers past their deadline lapse; their seats move on down the waiting list."""
    now = now or timezone.now()
    with scopes_disabled():
        due = Booking.objects.filter(state=BookingState.OFFERED, offer_expires_at__lte=now)
        if activity_id is not None:
            due = due.filter(activity_id=activity_id)
        activity_ids = sorted(set(due.values_list("activity_id", flat=True)))
    expired = 0
    for pk in activity_ids:
        with scopes_disabled(), transaction.atomic():
            activity = Activity.objects.select_for_update(of=("self",)).select_related("term").get(pk=pk)
            lapsed = list(Booking.objects.select_for_update(of=("self",)).select_related("worker")
                          .filter(activity=activity, state=BookingState.OFFERED, offer_expires_at__lte=now)
                          .order_by("worker_id"))
            for b in lapsed:
                b.state, b.ended_at = BookingState.EXPIRED, now
                b.save(update_fields=["state", "ended_at"])
                _release_hold(activity, b.worker_id)
                audit("activities.booking.expired", obj=b, data={"activity": activity.pk})
                notify(phone=b.worker.phone, text=_("Your seat offer for “%(title)s” has expired.")
                       % {"title": activity.title}, kind="seat_offer_expired", params={"title": activity.title})
            Activity.objects.filter(pk=activity.pk).update(taken=F("taken") - len(lapsed))
            _changed(activity.pk)
            expired += len(lapsed)
        promote_waiting(activity_id=pk, now=now)
    return expired


def _recover(activity: Activity) -> None:
    """Seats free while people wait: a promotion was interrupted (a crashed process); finish it."""
    if activity.taken < activity.capacity and activity.waiting:
        promote_waiting(activity_id=activity.pk)


# --- staff: the waiting list order and check-in ------------------------------------------------------

@transaction.atomic
def move_in_waitlist(*, actor, booking: Booking, position: int, reason: str) -> Booking:
    """Staff put a waiting person at ``position`` (1 = next to be offered); the reason is kept."""
    require(actor, "activities.waitlist.reorder", node=booking.activity.node)
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Give the reason for changing the order.")]})
    reason = clean_name(reason, max_length=limit_of(QueueMove, "reason"), label=_("Reason"))
    with scopes_disabled():
        Activity.objects.select_for_update(of=("self",)).get(pk=booking.activity_id)
        queue = list(Booking.objects.select_for_update(of=("self",)).filter(activity_id=booking.activity_id,
                                                                state=BookingState.WAITING)
                     .order_by("queue_key", "id"))
    ids = [b.pk for b in queue]
    if booking.pk not in ids:
        raise DomainError("not_waiting", _("This person is no longer on the waiting list."))
    if not isinstance(position, int) or not 1 <= position <= len(queue):
        raise ValidationError({"position": [_("Enter a position from 1 to %(n)d.") % {"n": len(queue)}]})
    old = ids.index(booking.pk) + 1
    moving = queue.pop(old - 1)
    queue.insert(position - 1, moving)
    base = min(b.queue_key for b in queue)
    for i, b in enumerate(queue):
        if b.queue_key != base + i:
            b.queue_key = base + i
            b.save(update_fields=["queue_key"])
    QueueMove.objects.create(booking=moving, from_position=old, to_position=position, reason=reason, actor=actor)
    audit("activities.waitlist.moved", actor=actor, obj=moving, data={"from": old, "to": position, "reason": reason})
    return moving


def issue_ticket_token(*, booking: Booking) -> str:
    """What the booking's QR code carries; staff scan it at the venue."""
    return signing.dumps({"b": booking.pk}, salt=TICKET_SALT, compress=False)


def check_in(*, actor, session: Session, token: str) -> tuple[Attendance, bool]:
    """Once per booking and session: the same scan twice (an offline retry) counts once."""
    require(actor, "activities.attendance.check_in", node=session.activity.node)
    try:
        data = signing.loads((token or "").strip(), salt=TICKET_SALT)
    except signing.BadSignature:
        raise DomainError("ticket_invalid", _("This is not a valid booking code.")) from None
    with scopes_disabled():
        booking = Booking.objects.filter(pk=data.get("b") if isinstance(data, dict) else None).first()
    if booking is None or booking.activity_id != session.activity_id:
        raise DomainError("ticket_other", _("This booking code is for another activity."))
    if booking.state != BookingState.BOOKED:
        raise DomainError("ticket_inactive", _("This booking is %(state)s.") % {"state": booking.get_state_display()})
    with transaction.atomic():
        attendance, created = Attendance.objects.get_or_create(booking=booking, session=session,
                                                               defaults={"by": actor})
        if created:
            audit("activities.attendance.checked_in", actor=actor, obj=booking, data={"session": session.pk})
    return attendance, created
