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

    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="bookings")
    worker = models.ForeignKey("accounts.Worker", on_delete=models.PROTECT, related_name="bookings")
    member = models.ForeignKey("members.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    name = models.CharField(_("name"), max_length=50)
    state = models.CharField(_("status"), max_length=10, choices=BookingState.choices)
    idem_key = models.CharField(max_length=40, null=True, blank=True, unique=True, editable=False)
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
        constraints = [models.UniqueConstraint(fields=["booking", "session"], name="attendance_once")]

    def __str__(self) -> str:
        return f"{self.booking_id} @ {self.session_id}"
