"""Writes of counselling.

- A counsellor works at a counselling room (a service position of that kind) with weekly hours.
- A worker books a slot inside the counsellor's hours, not in the past; a slot already booked is
  refused (checked for the message; the partial unique index settles two phones at the same
  moment: one gets it, the other is told the slot is taken). Cancel and reschedule are the
  worker's own, before the session starts.
- The topic and the note are encrypted; only the session's counsellor reads or writes the note. A
  cadre, whatever their roles, is refused, and the refusal is audited without the text.
- A hotline call is recorded by the counsellor who took it with minimal data (time, minutes, a
  category, referred or not; never a name or a phone); its optional note is theirs alone too.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.permissions import require
from gonghui.core.audit import audit
from gonghui.core.errors import DomainError, NotPermitted
from gonghui.core.text import clean_person_name

from .models import CallCategory, Counsellor, CounsellorKind, HotlineCall, Session, SessionStatus

TOPIC_MAX = 200
NOTE_MAX = 4000
BOOK_AHEAD_DAYS = 60
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


def _clean_hours(hours) -> dict[str, list[list[str]]]:
    """{"0": [["09:00", "12:00"], …], …}: weekdays 0-6, ranges in order, start before end."""
    if not isinstance(hours, dict):
        raise ValidationError({"hours": [_("Give the hours by weekday.")]})
    out = {}
    for day, ranges in hours.items():
        if str(day) not in {str(i) for i in range(7)} or not isinstance(ranges, list):
            raise ValidationError({"hours": [_("Weekdays are 0 (Monday) to 6 (Sunday).")]})
        clean = []
        for pair in ranges:
            if (not isinstance(pair, list | tuple) or len(pair) != 2 or not all(isinstance(t, str) and _TIME.match(t)
                                                                               for t in pair) or pair[0] >= pair[1]):
                raise ValidationError({"hours": [_("Give each range as two times HH:MM, the first before the second.")]})
            clean.append([pair[0], pair[1]])
        if clean:
            out[str(day)] = sorted(clean)
    if not out:
        raise ValidationError({"hours": [_("Give at least one range of hours.")]})
    return out


@transaction.atomic
def add_counsellor(*, actor, position, user, name: str, hours, kind: str = CounsellorKind.STAFF,
                   slot_minutes: int = 50) -> Counsellor:
    require(actor, "counselling.counsellor.create", node=position.node)
    if position.kind != "counselling":
        raise DomainError("not_a_room", _("Counsellors work at a counselling room."), field="position")
    try:
        name = clean_person_name(name)
    except ValidationError as exc:
        raise ValidationError({"name": exc.messages}) from None
    if kind not in CounsellorKind.values:
        raise ValidationError({"kind": [_("Choose a kind from the list.")]})
    if not 15 <= int(slot_minutes) <= 180:
        raise ValidationError({"slot_minutes": [_("A session lasts 15 to 180 minutes.")]})
    counsellor = Counsellor.objects.create(position=position, user=user, name=name, kind=kind,
                                           hours=_clean_hours(hours), slot_minutes=int(slot_minutes))
    audit("counselling.counsellor.added", actor=actor, obj=counsellor, node=position.node)
    return counsellor


def _within_hours(counsellor: Counsellor, starts_at: datetime.datetime) -> bool:
    local = timezone.localtime(starts_at)
    ends = local + datetime.timedelta(minutes=counsellor.slot_minutes)
    if ends.date() != local.date():
        return False
    start, end = local.strftime("%H:%M"), ends.strftime("%H:%M")
    return any(a <= start and end <= b for a, b in counsellor.hours.get(str(local.weekday()), []))


def _check_slot(counsellor: Counsellor, starts_at, *, exclude=None) -> datetime.datetime:
    if not isinstance(starts_at, datetime.datetime):
        raise ValidationError({"starts_at": [_("Give the date and time of the session.")]})
    if timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at)
    now = timezone.now()
    if starts_at <= now:
        raise DomainError("past", _("That time has passed."), field="starts_at")
    if starts_at > now + datetime.timedelta(days=BOOK_AHEAD_DAYS):
        raise DomainError("too_far", _("Sessions are booked at most %(n)d days ahead.") % {"n": BOOK_AHEAD_DAYS},
                          field="starts_at")
    if not counsellor.active:
        raise DomainError("not_taking", _("This counsellor is not taking bookings."))
    if not _within_hours(counsellor, starts_at):
        raise DomainError("outside_hours", _("That time is outside the counsellor's hours."), field="starts_at")
    taken = Session.objects.with_scopes_disabled().filter(counsellor=counsellor, starts_at=starts_at,
                                                          status=SessionStatus.BOOKED)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if taken.exists():
        raise _taken()
    return starts_at


def _taken() -> DomainError:
    return DomainError("slot_taken", _("That time has just been booked; choose another."), field="starts_at")


def _topic(topic: str) -> str:
    topic = (topic or "").strip()
    if len(topic) > TOPIC_MAX:
        raise ValidationError({"topic": [_("At most %(n)d characters.") % {"n": TOPIC_MAX}]})
    return topic


@transaction.atomic
def book_session(*, worker, counsellor: Counsellor, starts_at, topic: str = "") -> Session:
    """A one-to-one session for the signed-in worker (by phone), in the counsellor's hours."""
    starts_at = _check_slot(counsellor, starts_at)
    topic = _topic(topic)
    try:
        with transaction.atomic():
            session = Session.objects.create(counsellor=counsellor, worker=worker, starts_at=starts_at,
                                             ends_at=starts_at + datetime.timedelta(minutes=counsellor.slot_minutes),
                                             topic=topic)
    except IntegrityError:
        raise _taken() from None
    audit("counselling.session.booked", actor=worker, obj=session, node=counsellor.position.node)
    return session


def _own(session: Session, worker) -> Session:
    if session.worker_id != getattr(worker, "pk", None):
        raise DomainError("not_yours", _("Not found."))
    if session.status != SessionStatus.BOOKED or session.starts_at <= timezone.now():
        raise DomainError("not_changeable", _("Only a booked session that has not begun can be changed."))
    return session


@transaction.atomic
def cancel_session(*, worker, session: Session) -> Session:
    session = _own(Session.objects.with_scopes_disabled().select_for_update(of=("self",)).get(pk=session.pk), worker)
    session.status = SessionStatus.CANCELLED
    session.save(update_fields=["status", "changed_at"])
    audit("counselling.session.cancelled", actor=worker, obj=session)
    return session


@transaction.atomic
def reschedule_session(*, worker, session: Session, starts_at) -> Session:
    session = _own(Session.objects.with_scopes_disabled().select_for_update(of=("self",))
                   .select_related("counsellor").get(pk=session.pk), worker)
    starts_at = _check_slot(session.counsellor, starts_at, exclude=session)
    session.starts_at = starts_at
    session.ends_at = starts_at + datetime.timedelta(minutes=session.counsellor.slot_minutes)
    try:
        with transaction.atomic():
            session.save(update_fields=["starts_at", "ends_at", "changed_at"])
    except IntegrityError:
        raise _taken() from None
    audit("counselling.session.moved", actor=worker, obj=session)
    return session


def _counsellor_only(session: Session, actor) -> None:
    if not getattr(actor, "is_authenticated", False) or session.counsellor.user_id != actor.pk:
        with transaction.atomic():
            audit("counselling.note.refused", actor=actor if getattr(actor, "is_authenticated", False) else None,
                  obj=session)
        raise NotPermitted("counselling.note")


def read_note(*, actor, session: Session) -> tuple[str, str]:
    """(topic, note) for the session's counsellor; anyone else is refused (and that is recorded)."""
    _counsellor_only(session, actor)
    topic, note = Session.objects.with_scopes_disabled().filter(pk=session.pk).values_list("topic", "note").get()
    return topic, note


@transaction.atomic
def write_note(*, actor, session: Session, note: str, held: bool = True) -> Session:
    _counsellor_only(session, actor)
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": [_("At most %(n)d characters.") % {"n": NOTE_MAX}]})
    session = Session.objects.with_scopes_disabled().select_for_update(of=("self",)).get(pk=session.pk)
    if session.status == SessionStatus.CANCELLED:
        raise DomainError("cancelled", _("This session was cancelled."))
    session.note = note
    if held:
        session.status = SessionStatus.DONE
    session.save(update_fields=["note", "status", "changed_at"])
    audit("counselling.note.written", actor=actor, obj=session)  # never the text
    return session


CALL_MINUTES_MAX = 600


@transaction.atomic
def record_call(*, actor, counsellor: Counsellor, called_at, minutes, category: str, referred: bool = False,
                note: str = "") -> HotlineCall:
    """A hotline call taken by ``counsellor``: only that counsellor's own account records it."""
    if not getattr(actor, "is_authenticated", False) or counsellor.user_id != actor.pk:
        raise NotPermitted("counselling.call")
    if not isinstance(called_at, datetime.datetime):
        raise ValidationError({"called_at": [_("Give the date and time of the call.")]})
    if timezone.is_naive(called_at):
        called_at = timezone.make_aware(called_at)
    if called_at > timezone.now():
        raise ValidationError({"called_at": [_("A call is recorded after it was taken.")]})
    try:
        minutes = int(minutes)
    except (TypeError, ValueError):
        minutes = 0
    if not 1 <= minutes <= CALL_MINUTES_MAX:
        raise ValidationError({"minutes": [_("A call lasts 1 to %(n)d minutes.") % {"n": CALL_MINUTES_MAX}]})
    if category not in CallCategory.values:
        raise ValidationError({"category": [_("Choose a category from the list.")]})
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": [_("At most %(n)d characters.") % {"n": NOTE_MAX}]})
    call = HotlineCall.objects.create(counsellor=counsellor, called_at=called_at, minutes=minutes, category=category,
                                      referred=bool(referred), note=note)
    audit("counselling.call.recorded", actor=actor, obj=call, node=counsellor.position.node)  # never the note
    return call


def read_call_note(*, actor, call: HotlineCall) -> str:
    """The call's note for the counsellor who took it; anyone else is refused (and that is recorded)."""
    if not getattr(actor, "is_authenticated", False) or call.counsellor.user_id != actor.pk:
        with transaction.atomic():
            audit("counselling.call_note.refused",
                  actor=actor if getattr(actor, "is_authenticated", False) else None, obj=call)
        raise NotPermitted("counselling.call")
    return HotlineCall.objects.with_scopes_disabled().filter(pk=call.pk).values_list("note", flat=True).get()
