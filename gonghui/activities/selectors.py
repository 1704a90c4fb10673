"""Reads of activities. Console reads run inside the cadre's scope; worker reads say whose they are."""

import datetime
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    Avg,
    Case,
    Count,
    DecimalField,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from gonghui.accounts import selectors as accounts
from gonghui.core import editing, prepared
from gonghui.core.scoping import scopes_disabled
from gonghui.members import selectors as members

from . import completion
from .models import (
    ACTIVE_STATES,
    Activity,
    Attendance,
    Audience,
    Booking,
    BookingState,
    Commendation,
    CommendationEntry,
    Kind,
    Rating,
    ServiceHours,
    Session,
    State,
    TeamService,
    Term,
    Volunteer,
    VolunteerTeam,
)

# The fields an activity's edit form carries as its version (``core.editing``): its editable fields and
# its state — not the seat counters, which every sign-up moves.
VERSION_FIELDS = ("kind", "title", "description", "audience", "venue_text", "venue_id", "starts_at", "ends_at",
                  "capacity", "signup_opens_at", "signup_closes_at", "waitlist_mode", "offer_hours", "term_id",
                  "state", "node_id", "completion_percent")


def activity_version(activity: Activity) -> str:
    """The version an edit form of an activity carries (``core.editing``)."""
    return editing.version_of(activity, VERSION_FIELDS)


# --- console --------------------------------------------------------------------------------------

def activity_list(*, node=None, state: str = "", kind: str = "", term=None, query: str = "",
                  starts_from: datetime.date | None = None) -> QuerySet[Activity]:
    qs = Activity.objects.select_related("node", "term", "venue")
    if node is not None:
        qs = qs.filter(node__path__startswith=node.path)
    if state:
        qs = qs.filter(state=state)
    if kind:
        qs = qs.filter(kind=kind)
    if term is not None:
        qs = qs.filter(term=term)
    if query:
        qs = qs.filter(Q(title__contains=query) | Q(venue_text__contains=query))
    if starts_from:
        qs = qs.filter(starts_at__date__gte=starts_from)
    return qs.order_by("-starts_at", "-id")


def access_activity(pk) -> Activity:
    """The activity if inside the scope; the same 404 for "missing" and "not yours"."""
    try:
        return Activity.objects.select_related("node", "term", "term__node", "venue").get(pk=pk)
    except (Activity.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_term(pk) -> Term:
    try:
        return Term.objects.select_related("node").get(pk=pk)
    except (Term.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_session(pk) -> Session:
    try:
        return Session.objects.select_related("activity", "activity__node").get(pk=pk)
    except (Session.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_booking(pk) -> Booking:
    try:
        return Booking.objects.select_related("activity", "activity__node").get(pk=pk)
    except (Booking.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def term_list(*, node=None) -> QuerySet[Term]:
    qs = Term.objects.select_related("node").annotate(n_activities=Count("activities"))
    if node is not None:
        qs = qs.filter(node__path__startswith=node.path)
    return qs.order_by("-created_at", "-id")


def terms_for(node) -> QuerySet[Term]:
    """Terms an activity of ``node`` may belong to: its own node's and its ancestors' in scope."""
    paths = [node.path[:i] for i in range(4, len(node.path) + 1, 4)]
    return Term.objects.filter(node__path__in=paths).select_related("node").order_by("-created_at")


def venue_paths(node) -> list[str]:
    """Unions whose positions may host an activity of ``node``: the node's ancestors (a township
    holds a class at the county's cultural palace) — its own subtree is matched by prefix."""
    return [node.path[:i] for i in range(4, len(node.path) + 1, 4)]


def venue_choices(node, *, query: str = "") -> QuerySet:
    """Positions that may host an activity of ``node`` (in its subtree or held by a union above
    it), as far as the cadre sees them; closed ones left out; with ``query``, those whose name or
    host union's name holds it. Every one: the form's select offers them through
    ``core.paging.chooser``."""
    from gonghui.positions.models import Position, PositionStatus

    rows = (Position.objects.filter(Q(node__path__startswith=node.path) | Q(node__path__in=venue_paths(node)))
            .exclude(status=PositionStatus.CLOSED))
    if query:
        rows = rows.filter(Q(name__icontains=query) | Q(node__name__icontains=query))
    return rows.select_related("node").order_by("node__path", "name", "id")


def bookings(activity: Activity, *, state: str = "") -> QuerySet[Booking]:
    qs = Booking.objects.filter(activity=activity).select_related("worker")
    if state == "seats":
        qs = qs.filter(state__in=(BookingState.BOOKED, BookingState.OFFERED))
    elif state:
        qs = qs.filter(state=state)
    return qs.annotate(n_attended=Count("attendances")).order_by("booked_at", "id")


def waitlist(activity: Activity) -> QuerySet[Booking]:
    return (Booking.objects.filter(activity=activity, state=BookingState.WAITING).select_related("worker")
            .order_by("queue_key", "id"))


def sessions_with_attendance(activity: Activity) -> QuerySet[Session]:
    return activity.sessions.annotate(n=Count("attendances")).order_by("number")


def ratings(activity: Activity) -> QuerySet[Rating]:
    return Rating.objects.filter(activity=activity).select_related("booking").order_by("-created_at", "-id")


def rating_summary(activity: Activity) -> dict:
    """How many rated, the average (one decimal) and the count per score, 5 down to 1."""
    rows = dict(Rating.objects.filter(activity=activity).values_list("score").annotate(n=Count("id")))
    n = sum(rows.values())
    average = Rating.objects.filter(activity=activity).aggregate(a=Avg("score"))["a"]
    return {"n": n, "average": round(average, 1) if average is not None else None,
            "by_score": [(score, rows.get(score, 0), round(100 * rows.get(score, 0) / n) if n else 0)
                         for score in range(5, 0, -1)]}


def participant_times(*, node=None) -> int:
    """参与人次: check-ins at every session of activities in the scope (under ``node``)."""
    qs = Attendance.objects.all()
    if node is not None:
        qs = qs.filter(session__activity__node__path__startswith=node.path)
    return qs.count()


# --- worker side (no cadre scope: each read names the worker) ------------------------------------------

def open_courses(worker, *, now=None, kind: str = "", place: str = "", starts_from=None,
                 seats: bool = False) -> QuerySet[Activity]:
    """Published activities whose sign-up is open or still to open, that this worker may join:
    those for all workers, and those for members of a union above the worker's own; soonest
    sign-up first. Filtered in the database (every one of them is reachable page by page): of a
    ``kind``, whose venue or organizing union names ``place``, starting at ``starts_from`` or
    later, with ``seats`` left and nobody waiting. Unscoped rows: read it inside
    ``scopes_disabled()`` (``open_courses_page`` does)."""
    now = now or timezone.now()
    member = members.membership_of_worker(worker) if worker is not None else None
    audience = Q(audience=Audience.ALL)
    if member is not None:
        paths = [member.node.path[:i] for i in range(4, len(member.node.path) + 1, 4)]
        audience |= Q(audience=Audience.MEMBERS, node__path__in=paths)
    rows = Activity.objects.select_related("node").filter(audience, state=State.PUBLISHED, signup_closes_at__gt=now)
    if kind:
        rows = rows.filter(kind=kind)
    if place:
        rows = rows.filter(Q(venue_text__contains=place) | Q(node__name__contains=place))
    if starts_from is not None:
        rows = rows.filter(starts_at__gte=starts_from)
    if seats:
        rows = rows.filter(taken__lt=F("capacity"), waiting=0)
    return rows.order_by("signup_opens_at", "starts_at", "id")


def open_courses_page(worker, number, *, per: int, now=None, **filters) -> Page:
    """One page of ``open_courses`` (its count and its rows read here, unscoped)."""
    with scopes_disabled():
        page = Paginator(open_courses(worker, now=now, **filters), per).get_page(number)
        page.object_list = list(page.object_list)
    return page


def open_for_worker(worker, *, first: int, now=None, **filters) -> list[Activity]:
    """The ``first`` soonest of ``open_courses`` (a teaser linking to the whole list)."""
    with scopes_disabled():
        return list(open_courses(worker, now=now, **filters)[:first])


# What a worker may open: published once (closed and cancelled ones still show their state).
_SHOWN_TO_WORKERS = {"state__in": (State.PUBLISHED, State.CLOSED, State.CANCELLED), "published_at__isnull": False}


def public_activity(pk) -> Activity:
    """A published (or closed) activity, for its worker page."""
    with scopes_disabled():
        try:
            return Activity.objects.select_related("node", "term", "venue").get(pk=pk, **_SHOWN_TO_WORKERS)
        except (Activity.DoesNotExist, ValueError, TypeError):
            raise Http404 from None


def _signup_read():
    """The SQL of ``activity_for_signup`` and, per selected column, the converters the ORM's
    compiler would apply (dates on SQLite, encrypted fields …), made once per database vendor:
    every rushing request runs this read, and compiling the queryset each time cost more than
    the query (docs/activities.md, "What a sign-up costs")."""
    key = connection.vendor
    if key not in _SIGNUP_READ:
        qn = connection.ops.quote_name
        act, term = Activity._meta.concrete_fields, Term._meta.concrete_fields
        columns = [f"a.{qn(f.column)}" for f in act] + [f"t.{qn(f.column)}" for f in term]
        cols = [f.get_col(alias) for alias, fields in (("a", act), ("t", term)) for f in fields]
        converters = [(col, connection.ops.get_db_converters(col) + col.output_field.get_db_converters(connection))
                      for col in cols]
        node = Activity._meta.get_field("node").related_model._meta.db_table
        sql = (f"SELECT {', '.join(columns)}, n.{qn('path')}, n.{qn('name')} "  # noqa: S608  names from metadata
               f"FROM {qn(Activity._meta.db_table)} a "
               f"JOIN {qn(node)} n ON n.{qn('id')} = a.{qn('node_id')} "
               f"LEFT JOIN {qn(Term._meta.db_table)} t ON t.{qn('id')} = a.{qn('term_id')} "
               f"WHERE a.{qn('id')} = %s AND a.{qn('state')} IN (%s, %s, %s) AND a.{qn('published_at')} IS NOT NULL")
        _SIGNUP_READ[key] = (sql, converters, len(act), len(term))
    return _SIGNUP_READ[key]


_SIGNUP_READ: dict = {}


def activity_for_signup(pk) -> Activity:
    """The row a sign-up decides on, lean: the activity with its term, and of the organizer only
    the tree path and the name (``organizer_path``, ``organizer_name``), not the whole union
    record. Published (or closed, cancelled) activities only, like the worker page. One
    precompiled statement (``_signup_read``), the instances built as the ORM builds them."""
    try:
        pk = int(pk)
    except (ValueError, TypeError):
        raise Http404 from None
    sql, converters, n_act, n_term = _signup_read()
    with prepared.cursor() as cur:
        cur.execute(sql, [pk, *_SHOWN_TO_WORKERS["state__in"]])
        row = cur.fetchone()
    if row is None:
        raise Http404
    values = list(row)
    for i, (col, funcs) in enumerate(converters):
        for convert in funcs:
            values[i] = convert(values[i], col, connection)
    activity = Activity.from_db(connection.alias, None, values[:n_act])
    term = Term.from_db(connection.alias, None, values[n_act:n_act + n_term]) if activity.term_id else None
    Activity.term.field.set_cached_value(activity, term)
    activity.organizer_path, activity.organizer_name = values[-2], values[-1]
    return activity


def signup_state(pk) -> tuple[Activity | None, list[Booking]]:
    """For the flash-sale state in Redis (``flash.remember``): the activity's row read afresh and
    every booking made with an idempotency key, after the database refused a sign-up."""
    with scopes_disabled():
        activity = Activity.objects.select_related("term").filter(pk=pk, **_SHOWN_TO_WORKERS).first()
        if activity is None:
            return None, []
        return activity, list(Booking.objects.filter(activity_id=pk, idem_key__isnull=False)
                              .only("id", "activity_id", "state", "name", "idem_key", "booked_at", "offer_expires_at"))


def booking_of(worker, activity: Activity) -> Booking | None:
    with scopes_disabled():
        return Booking.objects.filter(worker=worker, activity=activity, state__in=ACTIVE_STATES).first()


def _waiting_ahead():
    """For a waiting booking, how many wait before it in its activity's queue (a correlated count)."""
    ahead = (Booking.objects.filter(activity_id=OuterRef("activity_id"), state=BookingState.WAITING,
                                    queue_key__lt=OuterRef("queue_key"))
             .order_by().values("activity_id").annotate(n=Count("pk")).values("n")[:1])
    return Case(When(state=BookingState.WAITING, then=Coalesce(Subquery(ahead, output_field=IntegerField()), 0)),
                default=None, output_field=IntegerField())


def waiting_position(booking: Booking) -> int | None:
    """1 for the head of the queue; read from ``waiting_ahead`` when the selector annotated it."""
    if booking.state != BookingState.WAITING:
        return None
    if getattr(booking, "waiting_ahead", None) is not None:
        return booking.waiting_ahead + 1
    with scopes_disabled():
        ahead = Booking.objects.filter(activity_id=booking.activity_id, state=BookingState.WAITING) \
            .filter(queue_key__lt=booking.queue_key).count()
    return ahead + 1


def can_rate(booking: Booking, *, now=None) -> bool:
    """Whether the rating form is worth showing (``services.ratings.rate_booking`` decides)."""
    now = now or timezone.now()
    with scopes_disabled():
        return (booking.activity.starts_at <= now and booking.activity.state != State.CANCELLED
                and not Rating.objects.filter(booking=booking).exists()
                and Attendance.objects.filter(booking=booking).exists())


WORKER_BOOKINGS = 50  # the latest sign-ups a worker's "my activities" lists (the page says so when it is full)


def bookings_of_worker(worker) -> list[Booking]:
    """A worker's latest ``WORKER_BOOKINGS`` bookings, each waiting one with ``waiting_ahead`` (one
    query for all)."""
    with scopes_disabled():
        return list(Booking.objects.filter(worker=worker).select_related("activity", "activity__node")
                    .annotate(waiting_ahead=_waiting_ahead()).order_by("-created_at")[:WORKER_BOOKINGS])


def rating_states(bookings: list[Booking]) -> tuple[set[int], dict[int, Rating]]:
    """For a worker's bookings: the ids checked in at least once, and their ratings by booking id
    (two queries for the whole page)."""
    ids = [b.pk for b in bookings]
    with scopes_disabled():
        attended = set(Attendance.objects.filter(booking_id__in=ids).values_list("booking_id", flat=True))
        rated = {r.booking_id: r for r in Rating.objects.filter(booking_id__in=ids)}
    return attended, rated


def booking_of_worker(worker, pk) -> Booking:
    with scopes_disabled():
        try:
            return Booking.objects.select_related("activity").get(pk=pk, worker=worker)
        except (Booking.DoesNotExist, ValueError, TypeError):
            raise Http404 from None


# --- volunteer teams and commendations --------------------------------------------------------------

def _times_hours(qs, prefix: str = "") -> dict:
    """participant-times and hours of ``ServiceHours`` rows, as one aggregate."""
    row = qs.aggregate(times=Count("id"), hours=Sum("hours"))
    return {"times": row["times"], "hours": row["hours"] or Decimal("0")}


def team_list(*, node=None, query: str = "") -> QuerySet[VolunteerTeam]:
    """Teams with their active volunteers, services, participant-times and hours (sub-queries, so
    one query for the page whatever the number of teams)."""
    qs = VolunteerTeam.objects.select_related("node", "leader")
    if node is not None:
        qs = qs.filter(node__path__startswith=node.path)
    if query:
        qs = qs.filter(name__contains=query)
    with scopes_disabled():  # correlated to the team rows, which are scoped
        hours = ServiceHours.objects.filter(service__team=OuterRef("pk")).order_by().values("service__team")
        active = (Volunteer.objects.filter(team=OuterRef("pk"), left_on__isnull=True).order_by().values("team")
                  .annotate(n=Count("id")).values("n"))
        services = TeamService.objects.filter(team=OuterRef("pk")).order_by().values("team") \
            .annotate(n=Count("id")).values("n")
        qs = qs.annotate(
            n_volunteers=Coalesce(Subquery(active, output_field=IntegerField()), 0),
            n_services=Coalesce(Subquery(services, output_field=IntegerField()), 0),
            times=Coalesce(Subquery(hours.annotate(n=Count("id")).values("n"), output_field=IntegerField()), 0),
            hours=Coalesce(Subquery(hours.annotate(h=Sum("hours")).values("h"),
                                    output_field=DecimalField(max_digits=12, decimal_places=1)), Decimal("0")),
        )
    return qs.order_by("node__path", "name", "id")


def volunteer_totals(*, node=None, year: int | None = None) -> dict:
    """Rolled up over the subtree (or the whole scope): teams, active volunteers, services,
    participant-times and hours (within ``year`` if given)."""
    teams = VolunteerTeam.objects.all()
    volunteers = Volunteer.objects.filter(left_on__isnull=True)
    services = TeamService.objects.all()
    hours = ServiceHours.objects.all()
    if node is not None:
        teams = teams.filter(node__path__startswith=node.path)
        volunteers = volunteers.filter(team__node__path__startswith=node.path)
        services = services.filter(team__node__path__startswith=node.path)
        hours = hours.filter(service__team__node__path__startswith=node.path)
    if year is not None:
        services = services.filter(on__year=year)
        hours = hours.filter(service__on__year=year)
    return {"teams": teams.count(), "volunteers": volunteers.values("member").distinct().count(),
            "services": services.count(), **_times_hours(hours)}


def access_team(pk) -> VolunteerTeam:
    try:
        return VolunteerTeam.objects.select_related("node", "leader").get(pk=pk)
    except (VolunteerTeam.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_volunteer(pk) -> Volunteer:
    try:
        return Volunteer.objects.select_related("team", "team__node", "member").get(pk=pk)
    except (Volunteer.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_service(pk) -> TeamService:
    try:
        return TeamService.objects.select_related("team", "team__node", "activity").get(pk=pk)
    except (TeamService.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def volunteers_of(team: VolunteerTeam, *, include_left: bool = True) -> QuerySet[Volunteer]:
    """The team's volunteers with their participant-times and hours in this team."""
    qs = Volunteer.objects.filter(team=team).select_related("member")
    if not include_left:
        qs = qs.filter(left_on__isnull=True)
    return (qs.annotate(times=Count("hours"), total=Coalesce(Sum("hours__hours"), Decimal("0")))
            .order_by(F("left_on").asc(nulls_first=True), "-total", "id"))


def services_of(team: VolunteerTeam) -> QuerySet[TeamService]:
    return (TeamService.objects.filter(team=team).select_related("activity")
            .annotate(times=Count("hours"), total=Coalesce(Sum("hours__hours"), Decimal("0"))).order_by("-on", "-id"))


def hours_of(service: TeamService) -> QuerySet[ServiceHours]:
    return ServiceHours.objects.filter(service=service).select_related("volunteer__member").order_by("id")


def volunteer_year(volunteer: Volunteer, year: int) -> tuple[int, Decimal]:
    with scopes_disabled():
        row = _times_hours(ServiceHours.objects.filter(volunteer=volunteer, service__on__year=year))
    return row["times"], row["hours"]


def top_volunteers(*, node, year: int, limit: int = 20) -> QuerySet[Volunteer]:
    """Candidates for a commendation list: the volunteers of the subtree with the most hours in ``year``."""
    in_year = Q(hours__service__on__year=year)
    return (Volunteer.objects.filter(team__node__path__startswith=node.path).select_related("member", "team")
            .annotate(times=Count("hours", filter=in_year), total=Sum("hours__hours", filter=in_year))
            .filter(total__gt=0).order_by("-total", "id")[:limit])


def services_for_activity_choice(team: VolunteerTeam, *, query: str = "") -> QuerySet[Activity]:
    """Volunteer-service activities of the team's line (its subtree and the unions above it) not yet
    recorded, latest first; with ``query``, those whose title holds it. Every one: the form's select
    offers them through ``core.paging.chooser``."""
    paths = [team.node.path[:i] for i in range(4, len(team.node.path) + 1, 4)]
    rows = (Activity.objects.filter(Q(node__path__startswith=team.node.path) | Q(node__path__in=paths),
                                    kind=Kind.VOLUNTEER, state__in=(State.PUBLISHED, State.CLOSED))
            .exclude(team_services__team=team))
    if query:
        rows = rows.filter(title__icontains=query)
    return rows.order_by("-starts_at", "-id")


def commendation_list(*, node=None, year: int | None = None) -> QuerySet[Commendation]:
    qs = Commendation.objects.select_related("node").annotate(n_entries=Count("entries"))
    if node is not None:
        qs = qs.filter(node__path__startswith=node.path)
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "node__path", "id")


def access_commendation(pk) -> Commendation:
    try:
        return Commendation.objects.select_related("node").get(pk=pk)
    except (Commendation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_entry(pk) -> CommendationEntry:
    try:
        return CommendationEntry.objects.select_related("commendation", "commendation__node").get(pk=pk)
    except (CommendationEntry.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def entries_of(commendation: Commendation) -> QuerySet[CommendationEntry]:
    return (CommendationEntry.objects.filter(commendation=commendation)
            .select_related("unit", "team", "team__node", "volunteer__member", "volunteer__team")
            .order_by("kind", "id"))


def units_under(node, *, query: str = ""):
    """Unions of the subtree (the node itself first) that a commendation list may name, those whose
    name or short name holds ``query`` when one is given."""
    from gonghui.orgs.models import Node

    qs = Node.objects.filter(path__startswith=node.path)
    if query:
        qs = qs.filter(Q(name__contains=query) | Q(short_name__contains=query))
    return qs.order_by("path")


# --- the worker's "我的" page ---------------------------------------------------------------------------

def worker_summary(worker) -> dict:
    """The worker's bookings by state (seats, offers to confirm, waiting places), the activities
    they were checked in at and the certificates of completion they earned: two queries."""
    with scopes_disabled():
        row = Booking.objects.filter(worker=worker).aggregate(
            booked=Count("pk", filter=Q(state=BookingState.BOOKED)),
            offered=Count("pk", filter=Q(state=BookingState.OFFERED)),
            waiting=Count("pk", filter=Q(state=BookingState.WAITING)))
        checked = [b for b in completion.annotated(Booking.objects.filter(worker=worker)) if b.attended_n]
    row["attended"] = len({b.activity_id for b in checked})
    row["certificates"] = sum(1 for b in checked if completion.is_earned(b))
    return row


def volunteer_summary(member) -> dict:
    """A member's volunteering: the teams they are in, their hours and participant-times, the
    commendations naming them (three queries)."""
    with scopes_disabled():
        teams = list(Volunteer.objects.filter(member=member, left_on__isnull=True).select_related("team")
                     .order_by("team__name"))
        total = _times_hours(ServiceHours.objects.filter(volunteer__member=member))
        commended = CommendationEntry.objects.filter(volunteer__member=member).count()
    return {"teams": teams, "times": total["times"], "hours": total["hours"], "commendations": commended}


def teams_for_member(member) -> list[VolunteerTeam]:
    """Teams a member may join: those of their own union and the unions above it."""
    paths = [member.node.path[:i] for i in range(4, len(member.node.path) + 1, 4)]
    with scopes_disabled():
        return list(VolunteerTeam.objects.filter(node__path__in=paths).select_related("node")
                    .order_by("-node__depth", "name", "id"))


WORKER_HOURS = 50  # the latest services a worker's volunteer page lists (it says so when the list is full)


def volunteer_record(member) -> dict:
    """A member's latest ``WORKER_HOURS`` hours by service (newest first; ``latest`` is the number
    when the list is full, so the page says older ones are not listed) and the commendations naming them."""
    with scopes_disabled():
        hours = list(ServiceHours.objects.filter(volunteer__member=member)
                     .select_related("service", "service__team").order_by("-service__on", "-id")[:WORKER_HOURS])
        honours = list(CommendationEntry.objects.filter(volunteer__member=member)
                       .select_related("commendation", "commendation__node", "volunteer__team")
                       .order_by("-commendation__year", "-id"))
    return {"hours": hours, "honours": honours, "latest": WORKER_HOURS if len(hours) >= WORKER_HOURS else 0}


def volunteer_activities(worker, *, now=None) -> list[Activity]:
    """Volunteer-service activities this worker may sign up for, every one (filtered in the database)."""
    with scopes_disabled():
        return list(open_courses(worker, now=now, kind=Kind.VOLUNTEER))


def member_bookings(member, *, limit: int) -> list[Booking]:
    """In the caller's scope: the member's bookings, by the membership or by the member's verified
    phone (made before the membership was matched), newest first (the console's member page)."""
    # The phone's worker (one at most: the keyed hash is unique) as a scalar subquery, so that both
    # sides of the OR are index look-ups (member_id, worker_id). Joined to the workers instead, the OR
    # made PostgreSQL scan every booking and every worker (670 ms at 90,000 bookings, bench/member_page.py).
    by_phone = Q(worker_id=Subquery(accounts.worker_pk_by_phone_hash(member.phone_hash))) \
        if member.phone_hash else Q(pk__in=[])
    return list(Booking.objects.filter(Q(member=member) | by_phone).select_related("activity")
                .order_by("-created_at")[:limit])


def member_volunteering(member) -> list[tuple[Volunteer, Decimal]]:
    """In the caller's scope: each team the member volunteers in, with their hours in it."""
    teams = list(Volunteer.objects.filter(member=member).select_related("team"))
    hours = dict(ServiceHours.objects.filter(volunteer__in=teams).values("volunteer_id")
                 .annotate(total=Sum("hours")).values_list("volunteer_id", "total"))
    return [(v, hours.get(v.pk, 0)) for v in teams]
