"""Writes of the model-worker register: people, honours, care, recuperation trips, hardship help.

Who may write: the administrators and clerks over the union that keeps the record. A member record
is linked to one register entry at most: a second link is refused with the entry that holds it
(checked first for the message, and a unique index for the race). Titles that contests give are
written through ``grant_title`` (the system path: the contest's service has checked its own rights).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.permissions import require
from gonghui.core.audit import audit
from gonghui.core.errors import DomainError
from gonghui.core.limits import excerpt, limit_of
from gonghui.core.money import parse_amount
from gonghui.core.text import clean_name, clean_person_name

from .models import (
    LEVEL_RANK,
    Allowance,
    AllowanceKind,
    Care,
    CareKind,
    Honour,
    HonourKind,
    HonourLevel,
    ModelWorker,
    ModelWorkerStatus,
    RecuperationTrip,
)

NOTES_MAX = 200
FIRST_YEAR = 1950


def _text(value: str, field: str, limit: int, *, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: [_("This field is required.")]})
    if len(value) > limit:
        raise ValidationError({field: [_("At most %(n)d characters.") % {"n": limit}]})
    return value


def _year(year) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationError({"year": [_("Give the year as four digits.")]}) from None
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise ValidationError({"year": [_("The year must lie between %(a)d and this year.") % {"a": FIRST_YEAR}]})
    return year


def _check_member_free(member, person: ModelWorker | None = None) -> None:
    holder = ModelWorker.objects.with_scopes_disabled().filter(member=member).exclude(
        pk=getattr(person, "pk", None)).first()
    if holder is not None:
        raise DomainError("member_linked", _("This member is already linked to the register entry of "
                                             "%(name)s.") % {"name": holder.name}, field="member")


def _refresh_level(person: ModelWorker) -> None:
    levels = list(Honour.objects.with_scopes_disabled().filter(person=person).values_list("level", flat=True))
    if levels:
        person.level = max(levels, key=lambda lv: LEVEL_RANK[lv])
        person.save(update_fields=["level", "updated_at"])


def _honour(person: ModelWorker, *, level: str, kind: str, title: str, year, contest_award: int | None = None):
    if level not in HonourLevel.values:
        raise ValidationError({"level": [_("Choose a level from the list.")]})
    if kind not in HonourKind.values:
        raise ValidationError({"kind": [_("Choose a kind from the list.")]})
    try:
        title = clean_name(title, max_length=limit_of(Honour, "title"))
    except ValidationError as exc:
        raise ValidationError({"title": exc.messages}) from None
    year = _year(year)
    if Honour.objects.with_scopes_disabled().filter(person=person, title=title, year=year).exists():
        raise DomainError("honour_exists", _("%(name)s already holds this title for %(year)d.")
                          % {"name": person.name, "year": year}, field="title")
    honour = Honour.objects.create(person=person, level=level, kind=kind, title=title, year=year,
                                   contest_award=contest_award)
    _refresh_level(person)
    return honour


@transaction.atomic
def register_person(*, actor, node, name: str, level: str, title: str, year, kind: str = HonourKind.MODEL_WORKER,
                    employer=None, employer_name: str = "", occupation: str = "", member=None,
                    status: str = ModelWorkerStatus.ACTIVE) -> ModelWorker:
    """Enter a person in the register with their first honour."""
    require(actor, "modelworkers.person.register", node=node)
    try:
        name = clean_person_name(name)
    except ValidationError as exc:
        raise ValidationError({"name": exc.messages}) from None
    if status not in ModelWorkerStatus.values:
        raise ValidationError({"status": [_("Choose a status from the list.")]})
    employer_name = _text(employer_name or (employer.name if employer else ""), "employer_name", 100)
    occupation = _text(occupation, "occupation", 60)
    if member is not None:
        _check_member_free(member)
    try:
        with transaction.atomic():
            person = ModelWorker.objects.create(node=node, name=name, employer=employer, employer_name=employer_name,
                                                occupation=occupation, member=member, status=status, level=level
                                                if level in HonourLevel.values else HonourLevel.COUNTY)
    except IntegrityError:
        _check_member_free(member)
        raise
    _honour(person, level=level, kind=kind, title=title, year=year)
    audit("modelworkers.registered", actor=actor, obj=person, data={"level": level, "linked": member is not None})
    return person


@transaction.atomic
def add_honour(*, actor, person: ModelWorker, level: str, title: str, year, kind: str = HonourKind.MODEL_WORKER):
    require(actor, "modelworkers.honour.add", node=person.node)
    honour = _honour(person, level=level, kind=kind, title=title, year=year)
    audit("modelworkers.honoured", actor=actor, obj=person, data={"level": level, "year": honour.year})
    return honour


@transaction.atomic
def link_member(*, actor, person: ModelWorker, member) -> ModelWorker:
    """Link the register entry to the member's record; a member already linked elsewhere is refused."""
    require(actor, "modelworkers.member.link", node=person.node)
    person = ModelWorker.objects.select_for_update(of=("self",)).get(pk=person.pk)
    _check_member_free(member, person)
    person.member = member
    try:
        with transaction.atomic():
            person.save(update_fields=["member", "updated_at"])
    except IntegrityError:
        _check_member_free(member, person)
        raise
    audit("modelworkers.linked", actor=actor, obj=person, data={"member": member.pk})
    return person


@transaction.atomic
def set_status(*, actor, person: ModelWorker, status: str) -> ModelWorker:
    require(actor, "modelworkers.person.status", node=person.node)
    if status not in ModelWorkerStatus.values:
        raise ValidationError({"status": [_("Choose a status from the list.")]})
    person.status = status
    person.save(update_fields=["status", "updated_at"])
    audit("modelworkers.status", actor=actor, obj=person, data={"status": status})
    return person


def _day(on) -> datetime.date:
    if not isinstance(on, datetime.date):
        raise ValidationError({"on": [_("Give a date.")]})
    if on > timezone.localdate():
        raise ValidationError({"on": [_("The date cannot be in the future.")]})
    return on


@transaction.atomic
def record_care(*, actor, person: ModelWorker, kind: str, on: datetime.date, notes: str = "", amount=None) -> Care:
    """A visit or a health check-up (recuperation goes through a trip, hardship help through aid)."""
    require(actor, "modelworkers.care.record", node=person.node)
    if kind not in (CareKind.VISIT, CareKind.CHECKUP):
        raise ValidationError({"kind": [_("Record visits and check-ups here; recuperation places are given on a "
                                          "trip and hardship help through an assistance file.")]})
    if person.status == ModelWorkerStatus.DECEASED:
        raise DomainError("deceased", _("%(name)s has died; care is recorded for the living.") % {"name": person.name})
    care = Care.objects.create(person=person, kind=kind, on=_day(on), notes=_text(notes, "notes", NOTES_MAX),
                               amount=parse_amount(amount) if amount not in (None, "") else None, recorded_by=actor)
    audit("modelworkers.care", actor=actor, obj=person, data={"kind": kind})
    return care


@transaction.atomic
def create_trip(*, actor, node, name: str, place: str, starts_on, ends_on, places) -> RecuperationTrip:
    require(actor, "modelworkers.trip.create", node=node)
    try:
        name = clean_name(name, max_length=limit_of(RecuperationTrip, "name"))
        place = clean_name(place, max_length=limit_of(RecuperationTrip, "place"))
    except ValidationError as exc:
        raise ValidationError({"name": exc.messages}) from None
    if not isinstance(starts_on, datetime.date) or not isinstance(ends_on, datetime.date) or ends_on < starts_on:
        raise ValidationError({"ends_on": [_("The trip ends on or after the day it starts.")]})
    try:
        places = int(places)
    except (TypeError, ValueError):
        places = 0
    if not 1 <= places <= 1000:
        raise ValidationError({"places": [_("Give between 1 and 1000 places.")]})
    trip = RecuperationTrip.objects.create(node=node, name=name, place=place, starts_on=starts_on, ends_on=ends_on,
                                           places=places)
    audit("modelworkers.trip", actor=actor, obj=trip, data={"places": places})
    return trip


@transaction.atomic
def give_place(*, actor, trip: RecuperationTrip, person: ModelWorker) -> Care:
    """A recuperation place on the trip for the person; refused when the places are all taken."""
    require(actor, "modelworkers.trip.place", node=trip.node)
    require(actor, "modelworkers.trip.place", node=person.node)
    trip = RecuperationTrip.objects.select_for_update(of=("self",)).get(pk=trip.pk)
    if Care.objects.with_scopes_disabled().filter(trip=trip, person=person).exists():
        raise DomainError("already_going", _("%(name)s already has a place on this trip.") % {"name": person.name})
    if Care.objects.with_scopes_disabled().filter(trip=trip).count() >= trip.places:
        raise DomainError("trip_full", _("All %(n)d places of this trip are taken.") % {"n": trip.places})
    if person.status == ModelWorkerStatus.DECEASED:
        raise DomainError("deceased", _("%(name)s has died; care is recorded for the living.") % {"name": person.name})
    care = Care.objects.create(person=person, kind=CareKind.RECUPERATION, on=trip.starts_on, trip=trip,
                               recorded_by=actor)
    audit("modelworkers.place", actor=actor, obj=person, data={"trip": trip.pk})
    return care


@transaction.atomic
def record_hardship_help(*, actor, person: ModelWorker, hardship_file, amount, on: datetime.date,
                         notes: str = "") -> Care:
    """Hardship help to a model worker, given through an assistance file of the aid module and marked
    here as help to a model worker. The file must be the person's (their member record or their name)."""
    require(actor, "modelworkers.hardship.record", node=person.node)
    if person.member_id and hardship_file.member_id and hardship_file.member_id != person.member_id:
        raise DomainError("other_person", _("That hardship file belongs to someone else."), field="hardship_file")
    if not person.member_id and hardship_file.name != person.name:
        raise DomainError("other_person", _("That hardship file belongs to someone else."), field="hardship_file")
    care = Care.objects.create(person=person, kind=CareKind.HARDSHIP, on=_day(on), aid_file=hardship_file.pk,
                               amount=parse_amount(amount), notes=_text(notes, "notes", NOTES_MAX), recorded_by=actor)
    audit("modelworkers.hardship", actor=actor, obj=person, data={"file": hardship_file.pk})
    return care


@transaction.atomic
def enter_allowance(*, actor, person: ModelWorker, programme, kind: str, amount, reason: str) -> Allowance:
    """Enter a special allowance (劳模补助, 特殊困难帮扶 …) for a model worker: an application of the
    aid ``programme`` for the person's member record, marked with the allowance's kind. Approval,
    payment and reversal follow the aid module's rules (different people; append-only ledger)."""
    from gonghui.aid.services import applications

    require(actor, "modelworkers.allowance.enter", node=person.node)
    if kind not in AllowanceKind.values:
        raise ValidationError({"kind": [_("Choose a kind from the list.")]})
    if person.status == ModelWorkerStatus.DECEASED:
        raise DomainError("deceased", _("%(name)s has died; care is recorded for the living.") % {"name": person.name})
    if not person.member_id:
        raise DomainError("not_linked", _("Link %(name)s to their member record first: the allowance is paid to "
                                          "the member through the aid programme.") % {"name": person.name},
                          field="programme")
    reason = _text(reason, "reason", 200, required=True)
    application = applications.create_application(
        programme=programme, actor=actor, member=person.member, amount=amount,
        reason=f"{AllowanceKind(kind).label}：{reason}")
    allowance = Allowance.objects.create(person=person, application=application, kind=kind)
    audit("modelworkers.allowance", actor=actor, obj=person, data={"kind": kind, "application": application.pk,
                                                                   "amount": str(application.amount_requested)})
    return allowance


def grant_title(*, node, name: str, level: str, title: str, year: int, contest_award: int, member=None,
                employer=None, occupation: str = "") -> Honour:
    """The system path for titles that a contest gives (e.g. 县技术能手): added to the winner's entry
    (found by member record) or a new entry kept by ``node``. Given once per award."""
    existing = Honour.objects.with_scopes_disabled().filter(contest_award=contest_award).first()
    if existing is not None:
        return existing
    person = None
    if member is not None:
        person = ModelWorker.objects.with_scopes_disabled().filter(member=member).first()
    if person is None:
        person = ModelWorker.objects.create(node=node, name=name, employer=employer,
                                            employer_name=employer.name if employer else "",
                                            occupation=excerpt(occupation, ModelWorker, "occupation"),
                                            member=member, level=level)  # the contest's trade, kept whole there
    same = Honour.objects.with_scopes_disabled().filter(person=person, title=title, year=year).first()
    if same is not None:  # the same title won twice in a year is held once
        return same
    honour = _honour(person, level=level, kind=HonourKind.TECHNICAL_EXPERT, title=title, year=year,
                     contest_award=contest_award)
    audit("modelworkers.contest_title", actor=None, obj=person, data={"award": contest_award, "level": level})
    return honour
