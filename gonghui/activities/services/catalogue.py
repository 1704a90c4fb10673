"""Organizers' side: terms, activities and their sessions; publish, close, cancel, copy a term.

Admins and clerks over the organizing node create and edit; the activity's state machine is
``models.TRANSITIONS``. Capacity may never drop below the seats already taken: the check is a
conditional UPDATE (``taken <= new capacity``), so a sign-up racing the edit cannot slip under it,
and a CHECK constraint backs it.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.permissions import require
from gonghui.core import editing
from gonghui.core.audit import audit
from gonghui.core.errors import DomainError
from gonghui.core.limits import excerpt, length_error
from gonghui.core.notify import notify
from gonghui.core.scoping import scopes_disabled
from gonghui.core.text import clean_line, clean_name

from ..limits import CANCEL_REASON
from ..models import (
    SEAT_STATES,
    TRANSITIONS,
    Activity,
    Audience,
    Booking,
    BookingState,
    Kind,
    Session,
    State,
    Term,
    TermHolding,
    WaitlistMode,
)
from ..selectors import VERSION_FIELDS, venue_paths

MAX_CAPACITY = 100_000
MAX_SESSIONS = 60
EDITABLE = ("kind", "title", "description", "audience", "venue_text", "venue", "starts_at", "ends_at", "capacity",
            "signup_opens_at", "signup_closes_at", "waitlist_mode", "offer_hours", "term", "completion_percent")


# --- terms ------------------------------------------------------------------------------------------

@transaction.atomic
def create_term(*, actor, node, name: str, per_person_limit: int = 2) -> Term:
    require(actor, "activities.term.create", node=node)
    errors = {}
    try:
        name = clean_line(name, Term, "name")
    except ValidationError as exc:
        errors["name"] = exc.messages
    if not isinstance(per_person_limit, int) or not 1 <= per_person_limit <= 20:
        errors["per_person_limit"] = [_("Enter a whole number from 1 to 20.")]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            term = Term.objects.create(node=node, name=name, per_person_limit=per_person_limit)
    except IntegrityError:
        raise DomainError("term_exists", _("This union already has a term of this name."), field="name") from None
    audit("activities.term.created", actor=actor, obj=term, data={"node": node.pk, "limit": per_person_limit})
    return term


@transaction.atomic
def copy_term(*, actor, term: Term, name: str, shift_days: int) -> Term:
    """Copy from last term: every activity of ``term`` becomes a draft of the new term, its
    times (sessions, sign-up window) moved by ``shift_days``; nothing is published by itself."""
    if not isinstance(shift_days, int) or not 1 <= shift_days <= 730:
        raise ValidationError({"shift_days": [_("Enter a number of days from 1 to 730.")]})
    new = create_term(node=term.node, actor=actor, name=name, per_person_limit=term.per_person_limit)
    delta = datetime.timedelta(days=shift_days)
    sources = list(term.activities.exclude(state=State.CANCELLED).prefetch_related("sessions").order_by("id"))
    for source in sources:
        copy = Activity.objects.create(
            node=source.node, term=new, kind=source.kind, title=source.title, description=source.description,
            audience=source.audience, venue_text=source.venue_text, venue_id=source.venue_id,
            starts_at=source.starts_at + delta, ends_at=source.ends_at + delta, capacity=source.capacity, signup_opens_at=source.signup_opens_at + delta,
            signup_closes_at=source.signup_closes_at + delta, waitlist_mode=source.waitlist_mode,
            offer_hours=source.offer_hours, completion_percent=source.completion_percent, copied_from=source,
            created_by=actor)
        Session.objects.bulk_create([Session(activity=copy, number=s.number, starts_at=s.starts_at + delta,
                                             ends_at=s.ends_at + delta) for s in source.sessions.all()])
    audit("activities.term.copied", actor=actor, obj=new, data={"from": term.pk, "activities": len(sources),
                                                                "shift_days": shift_days})
    return new


# --- activities ---------------------------------------------------------------------------------------

def _clean(fields: dict, *, sessions: int | None) -> dict:
    """One set of rules for console, API and demo; every error at once, by field."""
    errors: dict[str, list] = {}
    data = dict(fields)
    venue = data.get("venue")
    if venue is not None and not (data.get("venue_text") or "").strip():
        data["venue_text"] = excerpt(venue.name, Activity, "venue_text")  # the position's name when no other address
    for field, length in (("title", 80), ("venue_text", 120)):
        if field in data:
            try:
                data[field] = clean_name(data[field] or "", max_length=length)
            except ValidationError as exc:
                errors[field] = exc.messages
    if "description" in data:
        data["description"] = (data["description"] or "").strip()
        if message := length_error(Activity, "description", data["description"]):
            errors["description"] = [message]
    if "kind" in data and data["kind"] not in Kind.values:
        errors["kind"] = [_("Choose a kind from the list.")]
    if "audience" in data and data["audience"] not in Audience.values:
        errors["audience"] = [_("Choose who may sign up.")]
    if "waitlist_mode" in data and data["waitlist_mode"] not in WaitlistMode.values:
        errors["waitlist_mode"] = [_("Choose what happens when a seat frees.")]
    capacity = data.get("capacity")
    if "capacity" in data and (not isinstance(capacity, int) or isinstance(capacity, bool)
                               or not 1 <= capacity <= MAX_CAPACITY):
        errors["capacity"] = [_("Enter a number of seats from 1 to %(n)d.") % {"n": MAX_CAPACITY}]
    hours = data.get("offer_hours")
    if "offer_hours" in data and (not isinstance(hours, int) or not 1 <= hours <= 168):
        errors["offer_hours"] = [_("Enter a number of hours from 1 to 168.")]
    share = data.get("completion_percent")
    if "completion_percent" in data and (not isinstance(share, int) or isinstance(share, bool) or not 1 <= share <= 100):
        errors["completion_percent"] = [_("Enter a share of the sessions from 1 to 100 per cent.")]
    if sessions is not None and (not isinstance(sessions, int) or not 1 <= sessions <= MAX_SESSIONS):
        errors["sessions"] = [_("Enter a number of sessions from 1 to %(n)d.") % {"n": MAX_SESSIONS}]
    for field in ("starts_at", "ends_at", "signup_opens_at", "signup_closes_at"):
        value = data.get(field)
        if field in data and not isinstance(value, datetime.datetime):
            errors[field] = [_("Enter a valid date and time.")]
        elif value is not None and timezone.is_naive(value):
            data[field] = timezone.make_aware(value)
    if errors:
        raise ValidationError(errors)
    return data


def _check_times(activity: Activity) -> None:
    errors = {}
    if activity.ends_at <= activity.starts_at:
        errors["ends_at"] = [_("The end must come after the start.")]
    if activity.signup_closes_at <= activity.signup_opens_at:
        errors["signup_closes_at"] = [_("Sign-up must close after it opens.")]
    elif activity.signup_closes_at > activity.ends_at:
        errors["signup_closes_at"] = [_("Sign-up must close before the activity ends.")]
    elif activity.ends_at - activity.starts_at > datetime.timedelta(days=1):
        errors["ends_at"] = [_("One session lasts at most a day; add sessions for a course.")]
    if errors:
        raise ValidationError(errors)


def _check_term(activity: Activity) -> None:
    if activity.term_id and not activity.node.path.startswith(activity.term.node.path):
        raise ValidationError({"term": [_("The term belongs to another union.")]})


def _check_venue(activity: Activity) -> None:
    """The venue position is hosted in the organizer's subtree or by a union above it, and open."""
    venue = activity.venue
    if venue is None:
        return
    from gonghui.positions.models import PositionStatus

    path = venue.node.path
    if not (path.startswith(activity.node.path) or path in venue_paths(activity.node)):
        raise ValidationError({"venue": [_("This position is outside the organizing union and the unions above "
                                           "it.")]})
    if venue.status == PositionStatus.CLOSED:
        raise ValidationError({"venue": [_("This position has closed down.")]})


def _make_sessions(activity: Activity, count: int) -> None:
    """A course meets weekly at the same hour: session n is the first moved by n-1 weeks."""
    activity.sessions.all().delete()
    week = datetime.timedelta(weeks=1)
    Session.objects.bulk_create([
        Session(activity=activity, number=n + 1, starts_at=activity.starts_at + n * week,
                ends_at=activity.ends_at + n * week) for n in range(count)])


@transaction.atomic
def create_activity(*, actor, node, sessions: int = 1, **fields) -> Activity:
    require(actor, "activities.activity.create", node=node)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"unknown fields {unknown}")
    data = _clean(fields, sessions=sessions)
    activity = Activity(node=node, created_by=actor, **data)
    _check_times(activity)
    _check_term(activity)
    _check_venue(activity)
    activity.save()
    _make_sessions(activity, sessions)
    audit("activities.activity.created", actor=actor, obj=activity,
          data={"node": node.pk, "capacity": activity.capacity, "sessions": sessions})
    return activity


@transaction.atomic
def update_activity(*, actor, activity: Activity, sessions: int | None = None, expected_version: str | None = None,
                    **fields) -> Activity:
    """Edit; a lower capacity is refused while more seats than that are taken (with the count).
    The row is locked; a form rendered before another change (``expected_version``) is refused as
    stale; only the fields that change are written (a publication or closing made meanwhile stands)."""
    require(actor, "activities.activity.update", node=activity.node)
    if activity.state in (State.CLOSED, State.CANCELLED):
        raise DomainError("not_editable", _("A closed or cancelled activity cannot be edited."))
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"unknown fields {unknown}")
    data = _clean(fields, sessions=sessions)
    current = editing.lock_for_edit(activity, expected_version, fields=VERSION_FIELDS)
    if current.state in (State.CLOSED, State.CANCELLED):  # closed or cancelled meanwhile
        raise DomainError("not_editable", _("A closed or cancelled activity cannot be edited."))
    written = editing.apply_changes(current, data)
    _check_times(current)
    _check_term(current)
    _check_venue(current)
    if current.capacity < current.taken:
        raise DomainError("capacity_below_taken",
                          _("%(n)d seats are already taken; the capacity cannot be lower than that.")
                          % {"n": current.taken}, field="capacity")
    editing.save_changed(current, extra=list(written))
    changed = sorted(data)
    if sessions is not None and (sessions != current.sessions.count() or {"starts_at", "ends_at"} & set(data)):
        if current.sessions.filter(attendances__isnull=False).exists():
            raise DomainError("sessions_attended", _("Sessions with check-ins cannot be rescheduled."),
                              field="sessions")
        _make_sessions(current, sessions)
        changed.append("sessions")
    audit("activities.activity.updated", actor=actor, obj=current, data={"fields": changed})
    if "capacity" in data:
        from .signup import promote_waiting

        transaction.on_commit(lambda: promote_waiting(activity_id=current.pk))
    return current


def _transition(activity: Activity, action: str, actor) -> Activity:
    sources, target = TRANSITIONS[action]
    require(actor, f"activities.activity.{action}", node=activity.node)
    with scopes_disabled():
        current = Activity.objects.select_for_update(of=("self",)).get(pk=activity.pk)
    if current.state not in sources:
        raise DomainError("bad_state", _("This cannot be done while the activity is “%(state)s”.")
                          % {"state": current.get_state_display()})
    current.state = target
    return current


@transaction.atomic
def publish_activity(*, actor, activity: Activity) -> Activity:
    current = _transition(activity, "publish", actor)
    if current.signup_closes_at <= timezone.now():
        raise DomainError("window_past", _("The sign-up window is already over; move it before publishing."),
                          field="signup_closes_at")
    current.published_at = timezone.now()
    current.save(update_fields=["state", "published_at", "updated_at"])
    audit("activities.activity.published", actor=actor, obj=current)
    return current


@transaction.atomic
def close_activity(*, actor, activity: Activity) -> Activity:
    """Closes sign-up and the waiting list; bookings stay (attendance goes on)."""
    current = _transition(activity, "close", actor)
    current.closed_at = timezone.now()
    waiting = list(Booking.objects.filter(activity=current, state=BookingState.WAITING).select_related("worker"))
    Booking.objects.filter(pk__in=[b.pk for b in waiting]).update(state=BookingState.LEFT, ended_at=timezone.now())
    current.waiting = 0
    current.save(update_fields=["state", "closed_at", "waiting", "updated_at"])
    for b in waiting:
        notify(phone=b.worker.phone, text=_("Sign-up for “%(title)s” has closed; you are no longer on its waiting "
                                            "list.") % {"title": current.title}, kind="activity_closed",
               params={"title": current.title})
    audit("activities.activity.closed", actor=actor, obj=current, data={"waiting_released": len(waiting)})
    return current


@transaction.atomic
def cancel_activity(*, actor, activity: Activity, reason: str) -> Activity:
    """Cancels it for everyone: seats and term holdings released (holdings locked in worker order)."""
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Give the reason for cancelling.")]})
    reason = clean_name(reason, max_length=CANCEL_REASON, label=_("Reason"))
    current = _transition(activity, "cancel", actor)
    now = timezone.now()
    people = list(Booking.objects.select_for_update(of=("self",)).filter(activity=current, state__in=[*SEAT_STATES,
                                                                                         BookingState.WAITING])
                  .select_related("worker").order_by("worker_id"))
    for b in people:
        if b.state in SEAT_STATES and current.term_id:
            TermHolding.objects.filter(term_id=current.term_id, worker_id=b.worker_id, held__gt=0) \
                .update(held=F("held") - 1)
        notify(phone=b.worker.phone, text=_("“%(title)s” has been cancelled: %(reason)s")
               % {"title": current.title, "reason": reason}, kind="activity_cancelled",
               params={"title": current.title, "reason": reason})
    Booking.objects.filter(pk__in=[b.pk for b in people]).update(state=BookingState.CANCELLED, ended_at=now)
    current.taken, current.waiting, current.closed_at = 0, 0, now
    current.save(update_fields=["state", "taken", "waiting", "closed_at", "updated_at"])
    audit("activities.activity.cancelled", actor=actor, obj=current, data={"reason": reason, "people": len(people)})
    return current
