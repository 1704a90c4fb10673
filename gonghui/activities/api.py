"""API of activities (mounted under /api/v1/); same scoping as the console.

Cadres' tokens browse, create, publish and close activities and read the bookings (masked) and
the waiting list. Workers sign up through the worker pages, which carry the idempotency key.
"""

import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from gonghui.accounts.permissions import require
from gonghui.core.audit import audit
from gonghui.core.errors import DomainError
from gonghui.core.limits import SEARCH_TERM, limit_of
from gonghui.core.masking import mask_name, mask_phone
from gonghui.core.schemas import Id, InputSchema, Pages, Year, named_choices
from gonghui.members import selectors as members
from gonghui.orgs import selectors as orgs
from gonghui.positions import selectors as positions

from . import limits, selectors
from .models import (
    Activity,
    Audience,
    Commendation,
    CommendationEntry,
    CommendationKind,
    Honour,
    QueueMove,
    State,
    TeamService,
    VolunteerTeam,
    WaitlistMode,
)
from .models import Kind as _Kind
from .services import catalogue, signup, staff, volunteers

# The model's choices under a name of their own in the OpenAPI document (another app has a Kind too).
Kind = named_choices("ActivityKind", _Kind)

router = Router(tags=["activities"])

RATINGS_PAGE = 100  # ratings of an activity a page holds unless page_size asks otherwise
TEAM_RECENT_SERVICES = 50  # services shown in a team's detail, beside their count and their paged list


class ActivityOut(Schema):
    id: int
    node_id: int
    node_name: str
    term_id: int | None
    kind: str
    title: str
    audience: str
    venue: str = Field(alias="venue_text")
    venue_position_id: int | None = Field(None, alias="venue_id")
    venue_position_name: str | None = None
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    capacity: int
    taken: int
    waiting: int
    signup_opens_at: datetime.datetime
    signup_closes_at: datetime.datetime
    waitlist_mode: str
    state: str

    @staticmethod
    def resolve_node_name(obj):
        return obj.node.name

    @staticmethod
    def resolve_venue_position_name(obj):
        return obj.venue.name if obj.venue_id else None


class ActivityIn(InputSchema):
    node_id: Id
    title: str = Field(max_length=limit_of(Activity, "title"))
    kind: Kind = _Kind.COURSE
    audience: Audience = Audience.MEMBERS
    venue: str = Field("", max_length=limit_of(Activity, "venue_text"))
    venue_position_id: Id | None = None
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    sessions: int = Field(1, ge=1, le=60)
    capacity: int = Field(ge=1, le=100_000)
    signup_opens_at: datetime.datetime
    signup_closes_at: datetime.datetime
    waitlist_mode: WaitlistMode = WaitlistMode.OFFER
    offer_hours: int = Field(24, ge=1, le=168)
    completion_percent: int = Field(100, ge=1, le=100)  # sessions attended for a certificate of completion
    term_id: Id | None = None
    description: str = Field("", max_length=limit_of(Activity, "description"))


class BookingOut(Schema):
    id: int
    name_masked: str
    phone_masked: str
    state: str
    booked_at: datetime.datetime | None
    created_at: datetime.datetime
    offer_expires_at: datetime.datetime | None

    @staticmethod
    def resolve_name_masked(obj):
        return mask_name(obj.name)

    @staticmethod
    def resolve_phone_masked(obj):
        return mask_phone(obj.worker.phone)


class Empty(InputSchema):
    pass


@router.get("/activities", response=list[ActivityOut])
@paginate(Pages, page_size=50)
def list_activities(request, node: Id | None = None, state: State | None = None, kind: Kind | None = None,
                    q: str = Query("", max_length=SEARCH_TERM)):
    scope_node = orgs.access_node(node) if node is not None else None
    return selectors.activity_list(node=scope_node, state=state or "", kind=kind or "", query=q)


@router.get("/activities/{activity_id}", response=ActivityOut)
def get_activity(request, activity_id: Id):
    return selectors.access_activity(activity_id)


@router.post("/activities", response={201: ActivityOut})
def create_activity(request, payload: ActivityIn):
    node = orgs.access_node(payload.node_id)
    term = selectors.access_term(payload.term_id) if payload.term_id is not None else None
    venue = positions.access_position(payload.venue_position_id) if payload.venue_position_id is not None else None
    data = payload.dict()
    for field in ("node_id", "term_id", "sessions", "venue_position_id"):
        data.pop(field)
    data["venue_text"] = data.pop("venue")
    activity = catalogue.create_activity(node=node, actor=request.user, sessions=payload.sessions, term=term,
                                         venue=venue, **data)
    return Status(201, selectors.access_activity(activity.pk))


@router.post("/activities/{activity_id}/publish", response=ActivityOut)
def publish_activity(request, activity_id: Id, payload: Empty):
    activity = catalogue.publish_activity(activity=selectors.access_activity(activity_id), actor=request.user)
    return selectors.access_activity(activity.pk)


@router.post("/activities/{activity_id}/close", response=ActivityOut)
def close_activity(request, activity_id: Id, payload: Empty):
    activity = catalogue.close_activity(activity=selectors.access_activity(activity_id), actor=request.user)
    return selectors.access_activity(activity.pk)


@router.get("/activities/{activity_id}/bookings", response=list[BookingOut])
@paginate(Pages, page_size=100)
def list_activity_bookings(request, activity_id: Id, waiting: bool = False):
    """Seats (booked or offered) in order of sign-up; with ``waiting=true`` the waiting list in order."""
    activity = selectors.access_activity(activity_id)
    require(request.user, "activities.booking.list", node=activity.node)
    audit("activities.booking.listed", actor=request.user, obj=activity,
          data={"waiting": waiting, "channel": "api", "at": timezone.now().isoformat()})
    return selectors.waitlist(activity) if waiting else selectors.bookings(activity, state="seats")


class RatingOut(Schema):
    id: int
    score: int
    comment: str
    name_masked: str
    created_at: datetime.datetime

    @staticmethod
    def resolve_name_masked(obj):
        return mask_name(obj.booking.name)


class RatingsOut(Schema):
    count: int
    average: float | None
    by_score: dict[int, int]
    items: list[RatingOut]


@router.get("/activities/{activity_id}/ratings", response=RatingsOut)
def list_activity_ratings(request, activity_id: Id, pages: Query[Pages.Input]):
    """学员评价 of an activity: count, average, count per score, and the ratings newest first (names
    masked) a page at a time like every list of the API (``page``, ``page_size``; ``count`` is
    the number of them all)."""
    activity = selectors.access_activity(activity_id)
    summary = selectors.rating_summary(activity)
    page = Pages(page_size=RATINGS_PAGE).paginate_queryset(selectors.ratings(activity), pagination=pages,
                                                           request=request)
    return {"count": page["count"], "average": summary["average"],
            "by_score": {score: n for score, n, _pct in summary["by_score"]},
            "items": list(page["items"])}


# --- volunteer teams and commendation lists -----------------------------------------------------------

class TeamOut(Schema):
    id: int
    node_id: int
    node_name: str
    name: str
    description: str
    founded_on: datetime.date | None
    leader_masked: str | None
    volunteers: int = Field(alias="n_volunteers")
    services: int = Field(alias="n_services")
    participant_times: int = Field(alias="times")
    hours: Decimal

    @staticmethod
    def resolve_node_name(obj):
        return obj.node.name

    @staticmethod
    def resolve_leader_masked(obj):
        return mask_name(obj.leader.name) if obj.leader_id else None


class VolunteerOut(Schema):
    id: int
    name_masked: str
    honour: str
    joined_on: datetime.date
    left_on: datetime.date | None
    participant_times: int = Field(alias="times")
    hours: Decimal = Field(alias="total")

    @staticmethod
    def resolve_name_masked(obj):
        return mask_name(obj.member.name)


class ServiceOut(Schema):
    id: int
    activity_id: int | None
    title: str
    on: datetime.date
    place: str
    participant_times: int = Field(alias="times")
    hours: Decimal = Field(alias="total")


class TeamDetailOut(TeamOut):
    members: list[VolunteerOut]
    recent_services: list[ServiceOut] = Field(
        description=f"The latest {TEAM_RECENT_SERVICES} services; ``services`` counts them all, and "
                    "GET /volunteer-teams/{team_id}/services pages through every one.")

    @staticmethod
    def resolve_members(obj):
        return list(selectors.volunteers_of(obj))

    @staticmethod
    def resolve_recent_services(obj):
        return list(selectors.services_of(obj)[:TEAM_RECENT_SERVICES])


class TeamIn(InputSchema):
    node_id: Id
    name: str = Field(max_length=limit_of(VolunteerTeam, "name"))
    description: str = Field("", max_length=limit_of(VolunteerTeam, "description"))
    founded_on: datetime.date | None = None
    leader_member_id: Id | None = None


class VolunteerIn(InputSchema):
    member_id: Id
    honour: Honour = Honour.VOLUNTEER
    joined_on: datetime.date | None = None


class HoursIn(InputSchema):
    volunteer_id: Id
    hours: Decimal = Field(gt=0, le=24, decimal_places=1)


class ServiceIn(InputSchema):
    activity_id: Id | None = None
    title: str = Field("", max_length=limit_of(TeamService, "title"))
    on: datetime.date | None = None
    place: str = Field("", max_length=limit_of(TeamService, "place"))
    hours: list[HoursIn] = Field(min_length=1, max_length=limits.SERVICE_HOURS_ROWS)


class TotalsOut(Schema):
    teams: int
    volunteers: int
    services: int
    participant_times: int = Field(alias="times")
    hours: Decimal


class CommendationOut(Schema):
    id: int
    node_id: int
    node_name: str
    year: int
    title: str
    basis: str

    @staticmethod
    def resolve_node_name(obj):
        return obj.node.name


class ActivityEntryOut(Schema):
    id: int
    kind: str
    name: str
    citation: str

    @staticmethod
    def resolve_name(obj):
        if obj.unit_id:
            return obj.unit.name
        if obj.team_id:
            return obj.team.name
        return mask_name(obj.volunteer.member.name)


class CommendationDetailOut(CommendationOut):
    entries: list[ActivityEntryOut]

    @staticmethod
    def resolve_entries(obj):
        return list(selectors.entries_of(obj))


class CommendationIn(InputSchema):
    node_id: Id
    year: Year = Field(ge=2000, le=2100)
    title: str = Field(max_length=limit_of(Commendation, "title"))
    basis: str = Field(max_length=limit_of(Commendation, "basis"))


class EntryIn(InputSchema):
    kind: CommendationKind
    subject_id: Id
    citation: str = Field("", max_length=limit_of(CommendationEntry, "citation"))


def _team(team_id: int):
    team = selectors.access_team(team_id)
    return selectors.team_list().filter(pk=team.pk).first()


@router.get("/volunteer-teams", response=list[TeamOut])
@paginate(Pages, page_size=100)
def list_volunteer_teams(request, node: Id | None = None, q: str = Query("", max_length=SEARCH_TERM)):
    scope_node = orgs.access_node(node) if node is not None else None
    return selectors.team_list(node=scope_node, query=q)


@router.get("/volunteer-teams/{team_id}", response=TeamDetailOut)
def get_volunteer_team(request, team_id: Id):
    return _team(team_id)


@router.get("/volunteer-teams/{team_id}/services", response=list[ServiceOut])
@paginate(Pages, page_size=100)
def list_team_services(request, team_id: Id):
    """Every service of the team, latest first, a page at a time."""
    return selectors.services_of(selectors.access_team(team_id))


@router.post("/volunteer-teams", response={201: TeamDetailOut})
def create_volunteer_team(request, payload: TeamIn):
    node = orgs.access_node(payload.node_id)
    leader = members.access_member(payload.leader_member_id) if payload.leader_member_id is not None else None
    team = volunteers.create_team(node=node, actor=request.user, name=payload.name, description=payload.description,
                                  founded_on=payload.founded_on, leader=leader)
    return Status(201, _team(team.pk))


@router.post("/volunteer-teams/{team_id}/volunteers", response={201: VolunteerOut})
def add_team_volunteer(request, team_id: Id, payload: VolunteerIn):
    team = selectors.access_team(team_id)
    volunteer = volunteers.add_volunteer(team=team, actor=request.user, member=members.access_member(payload.member_id),
                                         honour=payload.honour, joined_on=payload.joined_on)
    return Status(201, selectors.volunteers_of(team).get(pk=volunteer.pk))


@router.post("/volunteer-teams/{team_id}/services", response={201: ServiceOut})
def record_team_service(request, team_id: Id, payload: ServiceIn):
    """A service with the hours of each volunteer who served (participant-times = rows)."""
    team = selectors.access_team(team_id)
    roster = {v.pk: v for v in selectors.volunteers_of(team)}
    hours = {}
    for row in payload.hours:
        if row.volunteer_id not in roster:
            raise DomainError("not_in_team", _("Volunteer %(id)d is not in this team.") % {"id": row.volunteer_id})
        hours[roster[row.volunteer_id]] = row.hours
    activity = selectors.access_activity(payload.activity_id) if payload.activity_id is not None else None
    service = volunteers.record_service(team=team, actor=request.user, title=payload.title, on=payload.on,
                                        place=payload.place, activity=activity, hours=hours)
    return Status(201, selectors.services_of(team).get(pk=service.pk))


@router.get("/volunteer-totals", response=TotalsOut)
def volunteer_totals(request, node: Id | None = None, year: Year | None = None):
    """Teams, volunteers, services, participant-times and hours rolled up over the subtree."""
    scope_node = orgs.access_node(node) if node is not None else None
    return selectors.volunteer_totals(node=scope_node, year=year)


@router.get("/commendations", response=list[CommendationOut])
@paginate(Pages, page_size=100)
def list_commendations(request, node: Id | None = None, year: Year | None = None):
    scope_node = orgs.access_node(node) if node is not None else None
    return selectors.commendation_list(node=scope_node, year=year)


@router.get("/commendations/{commendation_id}", response=CommendationDetailOut)
def get_commendation(request, commendation_id: Id):
    return selectors.access_commendation(commendation_id)


@router.post("/commendations", response={201: CommendationDetailOut})
def create_commendation(request, payload: CommendationIn):
    node = orgs.access_node(payload.node_id)
    commendation = volunteers.create_commendation(node=node, actor=request.user, year=payload.year,
                                                  title=payload.title, basis=payload.basis)
    return Status(201, selectors.access_commendation(commendation.pk))


@router.post("/commendations/{commendation_id}/entries", response={201: ActivityEntryOut})
def add_commendation_entry(request, commendation_id: Id, payload: EntryIn):
    commendation = selectors.access_commendation(commendation_id)
    target = {"unit": None, "team": None, "volunteer": None}
    if payload.kind == CommendationKind.UNIT:
        target["unit"] = orgs.access_node(payload.subject_id)
    elif payload.kind == CommendationKind.COLLECTIVE:
        target["team"] = selectors.access_team(payload.subject_id)
    else:
        target["volunteer"] = selectors.access_volunteer(payload.subject_id)
    entry = volunteers.add_entry(commendation=commendation, actor=request.user, kind=payload.kind,
                                 citation=payload.citation, **target)
    return Status(201, selectors.entries_of(commendation).get(pk=entry.pk))


# --- staff: the waiting list and check-in ---------------------------------------------------------------

class WaitingOut(BookingOut):
    position: int | None

    @staticmethod
    def resolve_position(obj):
        return selectors.waiting_position(obj)


class ActivityMoveIn(InputSchema):
    position: int = Field(ge=1, le=100_000)
    reason: str = Field(min_length=1, max_length=limit_of(QueueMove, "reason"))


class ActivityReasonIn(InputSchema):
    reason: str = Field(min_length=1, max_length=limits.CANCEL_REASON)


class ActivitySessionOut(Schema):
    id: int
    number: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    checked_in: int = Field(alias="n")


class CheckInIn(InputSchema):
    ticket: str = Field(min_length=1, max_length=limits.TICKET)


class CheckInOut(Schema):
    booking_id: int
    session_id: int
    name_masked: str
    first_scan: bool
    checked_in: int  # at this session so far


@router.post("/bookings/{booking_id}/move", response=WaitingOut)
def move_waiting_booking(request, booking_id: Id, payload: ActivityMoveIn):
    """Staff put a waiting person at ``position`` (1 = next to be offered), with the reason (logged)."""
    booking = selectors.access_booking(booking_id)
    moved = signup.move_in_waitlist(booking=booking, actor=request.user, position=payload.position,
                                    reason=payload.reason)
    return selectors.bookings(booking.activity).get(pk=moved.pk)


@router.post("/bookings/{booking_id}/leave", response=WaitingOut)
def remove_waiting_booking(request, booking_id: Id, payload: ActivityReasonIn):
    """Staff take a person off the waiting list on their behalf, with the reason; they are told by SMS."""
    booking = selectors.access_booking(booking_id)
    staff.remove_from_waitlist(booking=booking, actor=request.user, reason=payload.reason)
    return selectors.bookings(booking.activity).get(pk=booking.pk)


@router.get("/activities/{activity_id}/sessions", response=list[ActivitySessionOut])
def list_activity_sessions(request, activity_id: Id):
    return list(selectors.sessions_with_attendance(selectors.access_activity(activity_id)))


@router.post("/sessions/{session_id}/check-in", response={200: CheckInOut, 201: CheckInOut})
def check_in_session(request, session_id: Id, payload: CheckInIn):
    """A scanned booking code: 201 the first time, 200 for a repeat (an offline retry counts once)."""
    session = selectors.access_session(session_id)
    attendance, created = signup.check_in(session=session, token=payload.ticket, actor=request.user)
    body = {"booking_id": attendance.booking_id, "session_id": session.pk, "first_scan": created,
            "name_masked": mask_name(attendance.booking.name), "checked_in": session.attendances.count()}
    return Status(201 if created else 200, body)
