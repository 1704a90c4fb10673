"""Volunteer teams (劳模工匠志愿者服务队), their services and hours, and commendation lists (表彰).

A team belongs to a union; its volunteers are active roster members of that union's subtree. A
service is a volunteer-service activity of the platform or one the team records itself; each
volunteer's part in it is one participant-time (参与人次) with its hours (0.5–24, one decimal).
Figures roll up by subtree (selectors). A commendation list of a year names outstanding units
(unions of the subtree), collectives (teams) and volunteers, each once, with the list's basis.
Admins and clerks over the team's (or list's) union write; everything is audited.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.permissions import require
from gonghui.core.audit import audit
from gonghui.core.errors import DomainError
from gonghui.core.masking import mask_name
from gonghui.core.scoping import scopes_disabled
from gonghui.core.text import clean_name
from gonghui.members.models import MemberStatus

from ..models import (
    Activity,
    Commendation,
    CommendationEntry,
    CommendationKind,
    Honour,
    Kind,
    ServiceHours,
    State,
    TeamService,
    Volunteer,
    VolunteerTeam,
)

MAX_HOURS = Decimal("24")


def _text(value: str, field: str, max_length: int, *, required: bool = True) -> str:
    if not required and not (value or "").strip():
        return ""
    try:
        return clean_name(value or "", max_length=max_length)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from None


def _check_member(team: VolunteerTeam, member, field: str) -> None:
    if member.status != MemberStatus.ACTIVE:
        raise DomainError("member_inactive", _("%(name)s is not an active member.") % {"name": mask_name(member.name)},
                          field=field)
    if not member.node.path.startswith(team.node.path):
        raise DomainError("member_outside", _("Volunteers come from the roster of %(union)s and the unions under "
                                              "it.") % {"union": team.node.name}, field=field)


# --- teams --------------------------------------------------------------------------------------------

@transaction.atomic
def create_team(*, actor, node, name: str, leader=None, description: str = "",
                founded_on: datetime.date | None = None, model_workers: bool = False) -> VolunteerTeam:
    """A new team; its leader (a roster member) joins it as its first volunteer. ``model_workers``
    marks the model-worker and craftsman team (劳模工匠志愿服务队), shown in that register."""
    require(actor, "activities.team.create", node=node)
    name = _text(name, "name", 80)
    description = _text(description, "description", 500, required=False)
    if founded_on is not None and founded_on > timezone.localdate():
        raise ValidationError({"founded_on": [_("The date cannot be in the future.")]})
    team = VolunteerTeam(node=node, name=name, leader=leader, description=description, founded_on=founded_on,
                         model_workers=bool(model_workers), created_by=actor)
    if leader is not None:
        _check_member(team, leader, "leader")
    try:
        with transaction.atomic():
            team.save()
    except IntegrityError:
        raise DomainError("team_exists", _("This union already has a team of this name."), field="name") from None
    if leader is not None:
        Volunteer.objects.create(team=team, member=leader, joined_on=founded_on or timezone.localdate())
    audit("activities.team.created", actor=actor, obj=team, data={"node": node.pk, "leader": getattr(leader, "pk", None)})
    return team


@transaction.atomic
def add_volunteer(*, actor, team: VolunteerTeam, member, honour: str = Honour.VOLUNTEER,
                  joined_on: datetime.date | None = None) -> Volunteer:
    """A roster member joins (or rejoins) the team."""
    require(actor, "activities.team.add_volunteer", node=team.node)
    if honour not in Honour.values:
        raise ValidationError({"honour": [_("Choose from the list.")]})
    joined_on = joined_on or timezone.localdate()
    if joined_on > timezone.localdate():
        raise ValidationError({"joined_on": [_("The date cannot be in the future.")]})
    _check_member(team, member, "member")
    with scopes_disabled():
        current = Volunteer.objects.select_for_update().filter(team=team, member=member).first()
    if current is not None and current.left_on is None:
        raise DomainError("already_in", _("%(name)s is already in this team.") % {"name": mask_name(member.name)}, field="member")
    if current is not None:
        current.honour, current.joined_on, current.left_on = honour, joined_on, None
        current.save(update_fields=["honour", "joined_on", "left_on"])
        volunteer = current
    else:
        volunteer = Volunteer.objects.create(team=team, member=member, honour=honour, joined_on=joined_on)
    audit("activities.team.volunteer_added", actor=actor, obj=volunteer, data={"team": team.pk, "member": member.pk})
    return volunteer


@transaction.atomic
def remove_volunteer(*, actor, volunteer: Volunteer, left_on: datetime.date | None = None) -> Volunteer:
    """The volunteer leaves; their hours stay with the services they served."""
    require(actor, "activities.team.remove_volunteer", node=volunteer.team.node)
    left_on = left_on or timezone.localdate()
    if volunteer.left_on is not None:
        raise DomainError("already_left", _("This volunteer has already left the team."))
    if left_on < volunteer.joined_on:
        raise ValidationError({"left_on": [_("The date is before the volunteer joined.")]})
    volunteer.left_on = left_on
    volunteer.save(update_fields=["left_on"])
    if volunteer.team.leader_id == volunteer.member_id:
        VolunteerTeam.objects.filter(pk=volunteer.team_id).update(leader=None)
    audit("activities.team.volunteer_removed", actor=actor, obj=volunteer, data={"team": volunteer.team_id})
    return volunteer


@transaction.atomic
def join_team_as_worker(*, actor, team: VolunteerTeam) -> Volunteer:
    """A worker signed in by phone joins a team of their own union or a union above it, as a
    volunteer (honours are the clerks' to give). Their active membership decides: not a member, or
    a team of another union, is refused; rejoining reopens their row."""
    from gonghui.members import selectors as members

    member = members.membership_of_worker(actor)
    if member is None:
        raise DomainError("not_member", _("Volunteer teams are for union members; join the union first."))
    _check_member(team, member, "team")
    with scopes_disabled():
        current = Volunteer.objects.select_for_update().filter(team=team, member=member).first()
        if current is not None and current.left_on is None:
            raise DomainError("already_in", _("You are already in this team."))
        if current is not None:
            current.joined_on, current.left_on = timezone.localdate(), None
            current.save(update_fields=["joined_on", "left_on"])
            volunteer = current
        else:
            volunteer = Volunteer.objects.create(team=team, member=member, joined_on=timezone.localdate())
    audit("activities.team.volunteer_joined", actor=actor, obj=volunteer, data={"team": team.pk, "member": member.pk})
    return volunteer


@transaction.atomic
def set_leader(*, actor, volunteer: Volunteer) -> VolunteerTeam:
    require(actor, "activities.team.set_leader", node=volunteer.team.node)
    if volunteer.left_on is not None:
        raise DomainError("left", _("This volunteer has left the team."))
    VolunteerTeam.objects.filter(pk=volunteer.team_id).update(leader=volunteer.member_id)
    audit("activities.team.leader_set", actor=actor, obj=volunteer.team, data={"member": volunteer.member_id})
    return volunteer.team


# --- services and hours -----------------------------------------------------------------------------

def _hours(value) -> Decimal:
    try:
        hours = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({"hours": [_("Enter the hours as a number such as 2 or 1.5.")]}) from None
    if not hours.is_finite() or hours <= 0 or hours > MAX_HOURS or hours != hours.quantize(Decimal("0.1")):
        raise ValidationError({"hours": [_("Hours are from 0.1 to 24, with at most one decimal.")]})
    return hours.quantize(Decimal("0.1"))


@transaction.atomic
def record_service(*, actor, team: VolunteerTeam, title: str = "", on: datetime.date | None = None,
                   place: str = "", activity: Activity | None = None, hours: dict | None = None) -> TeamService:
    """A service of the team with each volunteer's hours (``hours``: volunteer → hours).

    Linked to a volunteer-service activity, the title, date and place default to the activity's.
    Every volunteer must be in the team on that day; each is counted once per service."""
    require(actor, "activities.team.record_service", node=team.node)
    if activity is not None:
        if activity.kind != Kind.VOLUNTEER:
            raise DomainError("not_volunteer_activity", _("Only a volunteer-service activity can be a team's "
                                                          "service."), field="activity")
        if activity.state == State.CANCELLED:
            raise DomainError("activity_cancelled", _("This activity was cancelled."), field="activity")
        if not (activity.node.path.startswith(team.node.path) or team.node.path.startswith(activity.node.path)):
            raise DomainError("activity_outside", _("The activity belongs to a union outside this team's line."),
                              field="activity")
        title = title or activity.title
        on = on or timezone.localdate(activity.starts_at)
        place = place or activity.venue_text
    title = _text(title, "title", 80)
    place = _text(place, "place", 120, required=False)
    if not isinstance(on, datetime.date):
        raise ValidationError({"on": [_("Enter a valid date.")]})
    if on > timezone.localdate():
        raise ValidationError({"on": [_("Record a service once it has taken place.")]})
    parts = [(v, _hours(h)) for v, h in (hours or {}).items()]
    if not parts:
        raise ValidationError({"hours": [_("Give the hours of at least one volunteer.")]})
    for volunteer, _h in parts:
        if volunteer.team_id != team.pk:
            raise DomainError("not_in_team", _("%(name)s is not in this team.") % {"name": mask_name(volunteer.member.name)},
                              field="hours")
        if volunteer.joined_on > on or (volunteer.left_on is not None and volunteer.left_on < on):
            raise DomainError("not_in_team_then", _("%(name)s was not in the team on %(date)s.")
                              % {"name": mask_name(volunteer.member.name), "date": on}, field="hours")
    try:
        with transaction.atomic():
            service = TeamService.objects.create(team=team, activity=activity, title=title, on=on, place=place,
                                                 created_by=actor)
    except IntegrityError:
        raise DomainError("activity_recorded", _("This activity is already recorded for the team."),
                          field="activity") from None
    ServiceHours.objects.bulk_create([ServiceHours(service=service, volunteer=v, hours=h) for v, h in parts])
    audit("activities.team.service_recorded", actor=actor, obj=service,
          data={"team": team.pk, "activity": getattr(activity, "pk", None), "volunteers": len(parts),
                "hours": str(sum(h for _v, h in parts))})
    return service


# --- commendation lists (表彰) ------------------------------------------------------------------------

@transaction.atomic
def create_commendation(*, actor, node, year: int, title: str, basis: str) -> Commendation:
    require(actor, "activities.commendation.create", node=node)
    errors = {}
    if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= timezone.localdate().year + 1:
        errors["year"] = [_("Enter a year from 2000 to next year.")]
    for field, value, length in (("title", title, 80), ("basis", basis, 500)):
        try:
            _text(value, field, length)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            commendation = Commendation.objects.create(node=node, year=year, title=_text(title, "title", 80),
                                                       basis=_text(basis, "basis", 500), created_by=actor)
    except IntegrityError:
        raise DomainError("commendation_exists", _("This union already has a list of this title for that year."),
                          field="title") from None
    audit("activities.commendation.created", actor=actor, obj=commendation, data={"node": node.pk, "year": year})
    return commendation


@transaction.atomic
def add_entry(*, actor, commendation: Commendation, kind: str, unit=None, team: VolunteerTeam | None = None,
              volunteer: Volunteer | None = None, citation: str = "") -> CommendationEntry:
    """Names one unit, collective or volunteer of the list's subtree, once per list."""
    require(actor, "activities.commendation.add_entry", node=commendation.node)
    path = commendation.node.path
    subject = {CommendationKind.UNIT: unit, CommendationKind.COLLECTIVE: team,
               CommendationKind.VOLUNTEER: volunteer}.get(kind)
    if subject is None or sum(x is not None for x in (unit, team, volunteer)) != 1:
        raise ValidationError({"kind": [_("Choose one unit, collective or volunteer matching the category.")]})
    subject_path = {CommendationKind.UNIT: lambda: unit.path, CommendationKind.COLLECTIVE: lambda: team.node.path,
                    CommendationKind.VOLUNTEER: lambda: volunteer.team.node.path}[kind]()
    if not subject_path.startswith(path):
        raise DomainError("outside", _("Only units, teams and volunteers of %(union)s and the unions under it can "
                                       "be on its list.") % {"union": commendation.node.name}, field="kind")
    citation = _text(citation, "citation", 300, required=False)
    if kind == CommendationKind.VOLUNTEER and not citation:
        from .. import selectors

        times, hours = selectors.volunteer_year(volunteer, commendation.year)
        citation = _("%(year)d: %(times)d services, %(hours)s hours") % {"year": commendation.year, "times": times,
                                                                          "hours": hours}
    try:
        with transaction.atomic():
            entry = CommendationEntry.objects.create(commendation=commendation, kind=kind, unit=unit, team=team,
                                                     volunteer=volunteer, citation=citation)
    except IntegrityError:
        raise DomainError("already_listed", _("Already on this list."), field="kind") from None
    audit("activities.commendation.entry_added", actor=actor, obj=entry,
          data={"commendation": commendation.pk, "kind": kind})
    return entry


@transaction.atomic
def remove_entry(*, actor, entry: CommendationEntry) -> None:
    require(actor, "activities.commendation.remove_entry", node=entry.commendation.node)
    audit("activities.commendation.entry_removed", actor=actor, obj=entry.commendation,
          data={"entry": entry.pk, "kind": entry.kind})
    entry.delete()
