"""Activities and courses (活动与培训), their sessions, bookings and waiting lists, attendance.

The rush rules are database rules (see docs/activities.md):

- ``Activity.taken`` counts the seats held (booked or offered); a CHECK keeps it between 0 and
  ``capacity``, and sign-up takes a seat only by a conditional UPDATE (``taken < capacity``).
- one active booking (booked, offered or waiting) per worker and activity: a partial unique index;
- one booking per idempotency key: a unique index;
- the per-person limit of a term: ``TermHolding.held`` per worker and term, raised only by a
  conditional UPDATE (``held < limit``), never below 0 (CHECK).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gonghui.core.scoping import ScopedManager


class Kind(models.TextChoices):
    CULTURE = "culture", _("Cultural or sports activity")
    FAIR = "fair", _("Job fair")
    CONTEST = "contest", _("Skills contest")
    COURSE = "course", _("Training course")
    LECTURE = "lecture", _("Lecture")
    MATCHMAKING = "matchmaking", _("Matchmaking social")
    VOLUNTEER = "volunteer", _("Volunteer service")
    CONSOLATION = "consolation", _("Consolation visit")
    LEGAL_CLASS = "legal_class", _("Legal micro-class")
    COUNSELLING = "counselling", _("Mental-health lecture")  # a counselling room's group lecture


class Audience(models.TextChoices):
    MEMBERS = "members", _("Members of the organizing union and the unions under it")
    ALL = "all", _("All workers")


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", pgettext_lazy("activity", "Published")
    CLOSED = "closed", pgettext_lazy("activity", "Closed")
    CANCELLED = "cancelled", pgettext_lazy("activity", "Cancelled")


# The activity's state machine, declared once: action -> (states it may start from, state it leads to).
TRANSITIONS = {
    "publish": ({State.DRAFT}, State.PUBLISHED),
    "close": ({State.PUBLISHED}, State.CLOSED),
    "cancel": ({State.DRAFT, State.PUBLISHED}, State.CANCELLED),
}


class WaitlistMode(models.TextChoices):
    OFFER = "offer", _("Offer the seat; the person confirms before a deadline")
    AUTO = "auto", _("Book the seat for the person at once")


class Term(models.Model):
    """A season of courses (e.g. 2026年春季) with a per-person limit across its activities."""

    node = models.ForeignKey("orgs.Node", verbose_name=_("organizer"), on_delete=models.PROTECT,
                             related_name="activity_terms")
    name = models.CharField(_("term"), max_length=40)
    per_person_limit = models.PositiveSmallIntegerField(_("courses per person in the term"), default=2)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(tree="node__path__within")

    class Meta:
        verbose_name = _("term")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["node", "name"], name="term_unique_name"),
                       models.CheckConstraint(condition=Q(per_person_limit__gte=1), name="term_limit_positive")]

    def __str__(self) -> str:
        return self.name


class Activity(models.Model):
    node = models.ForeignKey("orgs.Node", verbose_name=_("organizer"), on_delete=models.PROTECT,
                             related_name="activities")
    term = models.ForeignKey(Term, verbose_name=_("term"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="activities")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.COURSE)
    title = models.CharField(_("title"), max_length=80)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    audience = models.CharField(_("who may sign up"), max_length=8, choices=Audience.choices,
                                default=Audience.MEMBERS)
    # The address as workers read it, and optionally the service position (文化宫, 职工之家 …) it is.
    venue_text = models.CharField(_("venue"), max_length=120)
    venue = models.ForeignKey("positions.Position", verbose_name=_("venue position"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="activities")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(_("seats"))
    taken = models.PositiveIntegerField(default=0, editable=False)
    waiting = models.PositiveIntegerField(default=0, editable=False)
    signup_opens_at = models.DateTimeField(_("sign-up opens at"))
    signup_closes_at = models.DateTimeField(_("sign-up closes at"))
    waitlist_mode = models.CharField(_("when a seat frees"), max_length=8, choices=WaitlistMode.choices,
                                     default=WaitlistMode.OFFER)
    offer_hours = models.PositiveSmallIntegerField(_("hours to confirm an offered seat"), default=24)
    # 结业证书: the share of the sessions (per cent) a participant must be checked in at to earn one.
    completion_percent = models.PositiveSmallIntegerField(_("sessions attended for a certificate (%)"), default=100)
    state = models.CharField(_("status"), max_length=10, choices=State.choices, default=State.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    copied_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(tree="node__path__within")

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(taken__lte=F("capacity")), name="activity_taken_within_capacity"),
            models.CheckConstraint(condition=Q(taken__gte=0) & Q(waiting__gte=0), name="activity_counts_not_negative"),
            models.CheckConstraint(condition=Q(signup_closes_at__gt=F("signup_opens_at")),
                                   name="activity_window_ordered"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="activity_times_ordered"),
            models.CheckConstraint(condition=Q(completion_percent__gte=1) & Q(completion_percent__lte=100),
                                   name="activity_completion_percent_1_to_100"),
        ]
        indexes = [models.Index(fields=["state", "signup_opens_at"], name="activity_state_opens")]

    def __str__(self) -> str:
        return self.title

    @property
    def free(self) -> int:
        return max(self.capacity - self.taken, 0)


class Session(models.Model):
    """One meeting of an activity: a one-off activity has one, a course several."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="sessions")
    number = models.PositiveSmallIntegerField()
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))

    objects = ScopedManager(tree="activity__node__path__within")

    class Meta:
        verbose_name = pgettext_lazy("model", "course session")
        verbose_name_plural = pgettext_lazy("model", "course sessions")
        ordering = ["activity_id", "number"]
        constraints = [models.UniqueConstraint(fields=["activity", "number"], name="session_unique_number")]

    def __str__(self) -> str:
        return f"{self.activity_id} #{self.number}"


class BookingState(models.TextChoices):
    BOOKED = "booked", _("Booked")
    OFFERED = "offered", _("Seat offered")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", pgettext_lazy("booking", "Cancelled")
    LEFT = "left", _("Left the waiting list")
    EXPIRED = "expired", _("Offer expired")
    DECLINED = "declined", _("Offer declined")
    PASSED = "passed", _("Passed over: course limit reached")


ACTIVE_STATES = (BookingState.BOOKED, BookingState.OFFERED, BookingState.WAITING)
SEAT_STATES = (BookingState.BOOKED, BookingState.OFFERED)


class Booking(models.Model):
    """A worker's seat, offer or place on the waiting list for one activity."""

    # No index of their own: booking_queue and booking_worker_state begin with them (each index is
    # written by every sign-up of a rush).
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="bookings", db_index=False)
    worker = models.ForeignKey("accounts.Worker", on_delete=models.PROTECT, related_name="bookings", db_index=False)
    member = models.ForeignKey("members.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    state = models.CharField(_("status"), max_length=10, choices=BookingState.choices)
    # Unique by a constraint, not unique=True: only ever looked up whole, so without the pattern-ops
    # twin index PostgreSQL makes for a unique text field.
    idem_key = models.CharField(max_length=40, null=True, blank=True, editable=False)  # noqa: DJ001 (NULL: no key, many rows; "" would collide)
    queue_key = models.BigIntegerField(null=True, blank=True)  # order of the waiting list
    created_at = models.DateTimeField(auto_now_add=True)
    booked_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(tree="activity__node__path__within")

    class Meta:
        verbose_name = _("booking")
        ordering = ["activity_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "worker"], condition=Q(state__in=ACTIVE_STATES),
                                    name="booking_one_active_per_person"),
            models.UniqueConstraint(fields=["idem_key"], name="booking_idem_key_unique"),
        ]
        indexes = [models.Index(fields=["activity", "state", "queue_key"], name="booking_queue"),
                   models.Index(fields=["worker", "state"], name="booking_worker_state")]

    def __str__(self) -> str:
        from gonghui.core.masking import mask_name

        return f"{mask_name(self.name)} · {self.activity_id}"

    @property
    def holds_seat(self) -> bool:
        return self.state in SEAT_STATES


class TermHolding(models.Model):
    """How many seats a worker holds in a term; the row every sign-up of that person locks."""

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="+")
    worker = models.ForeignKey("accounts.Worker", on_delete=models.CASCADE, related_name="+")
    held = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = pgettext_lazy("model", "term sign-up count")
        verbose_name_plural = pgettext_lazy("model", "term sign-up counts")
        constraints = [models.UniqueConstraint(fields=["term", "worker"], name="holding_unique"),
                       models.CheckConstraint(condition=Q(held__gte=0), name="holding_not_negative")]

    def __str__(self) -> str:
        return f"{self.term_id}/{self.worker_id}: {self.held}"


class QueueMove(models.Model):
    """A staff change of the waiting list order, with the reason (also in the audit log)."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="moves")
    from_position = models.PositiveIntegerField()
    to_position = models.PositiveIntegerField()
    reason = models.CharField(max_length=200)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(tree="booking__activity__node__path__within")

    class Meta:
        verbose_name = pgettext_lazy("model", "waiting-list change")
        verbose_name_plural = pgettext_lazy("model", "waiting-list changes")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.booking_id}: {self.from_position} → {self.to_position}"


class Attendance(models.Model):
    """A check-in at one session; one per booking and session (a second scan counts once)."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="attendances")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = ScopedManager(tree="session__activity__node__path__within")

    class Meta:
        verbose_name = pgettext_lazy("model", "attendance")
        verbose_name_plural = pgettext_lazy("model", "attendances")
        constraints = [models.UniqueConstraint(fields=["booking", "session"], name="attendance_once")]

    def __str__(self) -> str:
        return f"{self.booking_id} @ {self.session_id}"


class Rating(models.Model):
    """学员评价: a worker who attended rates the activity (1–5) and may comment, once, after it began."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="ratings")
    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="rating")
    worker = models.ForeignKey("accounts.Worker", on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(_("rating"))
    comment = models.CharField(pgettext_lazy("rating", "comment"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(tree="activity__node__path__within")

    class Meta:
        verbose_name = _("rating")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "worker"], name="rating_once_per_person"),
            models.CheckConstraint(condition=Q(score__gte=1) & Q(score__lte=5), name="rating_score_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id}: {self.score}"


# --- volunteer teams (劳模工匠志愿者服务队) and commendations (表彰) ---------------------------------------

class Honour(models.TextChoices):
    MODEL_WORKER = "model_worker", _("Model worker (劳模)")
    CRAFTSMAN = "craftsman", _("Craftsman (工匠)")
    VOLUNTEER = "volunteer", _("Volunteer")


class VolunteerTeam(models.Model):
    """A volunteer service team of a union: its members come from the roster of its subtree."""

    node = models.ForeignKey("orgs.Node", verbose_name=_("union"), on_delete=models.PROTECT,
                             related_name="volunteer_teams")
    name = models.CharField(_("team name"), max_length=80)
    leader = models.ForeignKey("members.Member", verbose_name=_("team leader"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    description = models.CharField(_("what the team does"), max_length=500, blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    # The model-worker and craftsman volunteer team (劳模工匠志愿服务队): the register shows who is in it.
    model_workers = models.BooleanField(_("model-worker and craftsman team"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(tree="node__path__within")

    class Meta:
        verbose_name = _("volunteer team")
        ordering = ["node_id", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["node", "name"], name="volunteer_team_unique_name")]

    def __str__(self) -> str:
        return self.name


class Volunteer(models.Model):
    """A roster member in a team, from ``joined_on`` until ``left_on`` (rejoining reopens the row)."""

    team = models.ForeignKey(VolunteerTeam, on_delete=models.CASCADE, related_name="volunteers")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")
    honour = models.CharField(_("honour"), max_length=16, choices=Honour.choices, default=Honour.VOLUNTEER)
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    objects = ScopedManager(tree="team__node__path__within")

    class Meta:
        verbose_name = _("volunteer")
        ordering = ["team_id", "joined_on", "id"]
        constraints = [models.UniqueConstraint(fields=["team", "member"], name="volunteer_once_per_team"),
                       models.CheckConstraint(condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                                              name="volunteer_dates_ordered")]

    def __str__(self) -> str:
        return f"{self.team_id}/{self.member_id}"


class TeamService(models.Model):
    """One service of a team (服务活动): a volunteer-service activity of the platform, or a service
    recorded by the team itself; the hours of each volunteer are its ``hours`` rows."""

    team = models.ForeignKey(VolunteerTeam, on_delete=models.CASCADE, related_name="services")
    activity = models.ForeignKey(Activity, verbose_name=_("activity"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="team_services")
    title = models.CharField(_("service"), max_length=80)
    on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=120, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(tree="team__node__path__within")

    class Meta:
        verbose_name = _("team service")
        ordering = ["-on", "-id"]
        constraints = [models.UniqueConstraint(fields=["team", "activity"], condition=Q(activity__isnull=False),
                                               name="team_service_activity_once")]
        indexes = [models.Index(fields=["team", "on"], name="team_service_team_on")]

    def __str__(self) -> str:
        return self.title


class ServiceHours(models.Model):
    """One volunteer's part in one service: a participant-time (参与人次) and its hours."""

    service = models.ForeignKey(TeamService, on_delete=models.CASCADE, related_name="hours")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="hours")
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1)

    objects = ScopedManager(tree="service__team__node__path__within")

    class Meta:
        verbose_name = pgettext_lazy("model", "volunteer service hours")
        verbose_name_plural = pgettext_lazy("model", "volunteer service hours")
        constraints = [models.UniqueConstraint(fields=["service", "volunteer"], name="service_hours_once"),
                       models.CheckConstraint(condition=Q(hours__gt=0) & Q(hours__lte=24),
                                              name="service_hours_range")]

    def __str__(self) -> str:
        return f"{self.service_id}/{self.volunteer_id}: {self.hours}"


class CommendationKind(models.TextChoices):
    UNIT = "unit", _("Outstanding unit")
    COLLECTIVE = "collective", _("Outstanding collective")
    VOLUNTEER = "volunteer", _("Outstanding volunteer")


class Commendation(models.Model):
    """A commendation list (表彰名单) of a union for a year, with its basis (the decision and criteria)."""

    node = models.ForeignKey("orgs.Node", verbose_name=_("union"), on_delete=models.PROTECT,
                             related_name="commendations")
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(pgettext_lazy("activity", "title"), max_length=80)
    basis = models.CharField(_("basis"), max_length=500)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(tree="node__path__within")

    class Meta:
        verbose_name = _("commendation list")
        ordering = ["-year", "-id"]
        constraints = [models.UniqueConstraint(fields=["node", "year", "title"], name="commendation_unique_title"),
                       models.CheckConstraint(condition=Q(year__gte=2000) & Q(year__lte=2100),
                                              name="commendation_year_range")]

    def __str__(self) -> str:
        return f"{self.year} {self.title}"


class CommendationEntry(models.Model):
    """One name on the list: a union (unit), a volunteer team (collective) or a volunteer."""

    commendation = models.ForeignKey(Commendation, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(_("category"), max_length=12, choices=CommendationKind.choices)
    unit = models.ForeignKey("orgs.Node", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey(VolunteerTeam, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    volunteer = models.ForeignKey(Volunteer, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    citation = models.CharField(_("deeds"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(tree="commendation__node__path__within")

    class Meta:
        verbose_name = pgettext_lazy("model", "commendation entry")
        verbose_name_plural = pgettext_lazy("model", "commendation entries")
        ordering = ["commendation_id", "kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="unit", unit__isnull=False, team__isnull=True, volunteer__isnull=True)
                           | Q(kind="collective", unit__isnull=True, team__isnull=False, volunteer__isnull=True)
                           | Q(kind="volunteer", unit__isnull=True, team__isnull=True, volunteer__isnull=False)),
                name="commendation_entry_one_subject"),
            models.UniqueConstraint(fields=["commendation", "unit"], name="commendation_unit_once"),
            models.UniqueConstraint(fields=["commendation", "team"], name="commendation_team_once"),
            models.UniqueConstraint(fields=["commendation", "volunteer"], name="commendation_volunteer_once"),
        ]

    def __str__(self) -> str:
        return f"{self.commendation_id}: {self.kind}"
