"""Service positions (服务阵地): worker's homes, rest stations, bookrooms; visits and assessments.

Coordinates are WGS-84, stored as Decimal(9, 6) (about 0.1 m); map services' GCJ-02 and BD-09
are converted on the way in (``coordinates.py``). Amenities are codes from a fixed vocabulary,
kept both as a list (for display) and as a bit mask (``amenity_mask``) so "with hot water and
charging" is one integer test in the nearest-station query. Opening hours are a weekly schedule
(weekday → list of ``["HH:MM", "HH:MM"]`` ranges) plus two flags: open around the clock, and
closed on statutory public holidays.
"""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gonghui.core.scoping import ScopedManager


class PositionKind(models.TextChoices):
    WORKERS_HOME = "workers_home", _("Worker's home")
    SMALL_WORKERS_HOME = "small_workers_home", _("Small worker's home")
    REST_STATION = "rest_station", _("Union rest station / outdoor-worker service point")
    LOVE_STATION = "love_station", _("Love station")
    DRIVERS_HOME = "drivers_home", _("Driver's home")
    BOOKROOM = "bookroom", _("Worker bookroom")
    COUNSELLING = "counselling", _("Counselling room")
    MOTHER_BABY = "mother_baby", _("Mother-and-baby room")
    LEGAL_AID = "legal_aid", _("Legal aid station")
    CULTURAL_PALACE = "cultural_palace", _("Workers' cultural palace")
    HARDSHIP_AID = "hardship_aid", _("Hardship-aid centre")


# Kinds of position that keep a book catalogue (bookrooms, and the homes and stations that lend books).
CATALOGUE_KINDS = {PositionKind.BOOKROOM, PositionKind.WORKERS_HOME, PositionKind.SMALL_WORKERS_HOME,
                   PositionKind.CULTURAL_PALACE, PositionKind.REST_STATION}


class PositionLevel(models.TextChoices):
    NONE = "", _("Not rated")
    COUNTY = "county", _("County-level demonstration")
    CITY = "city", _("City-level demonstration")
    PROVINCE = "province", _("Provincial demonstration")
    NATIONAL = "national", _("National demonstration")


class PositionStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("position status", "In service")
    SUSPENDED = "suspended", pgettext_lazy("position status", "Temporarily suspended")
    CLOSED = "closed", pgettext_lazy("position status", "Closed down")


def new_qr_key() -> str:
    return secrets.token_urlsafe(9)


class Position(models.Model):
    """A service position hosted by a union node; visible to the cadres whose subtree holds the node."""

    node = models.ForeignKey("orgs.Node", verbose_name=_("host union"), on_delete=models.PROTECT,
                             related_name="positions")
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("type"), max_length=24, choices=PositionKind.choices)
    level = models.CharField(_("level"), max_length=10, choices=PositionLevel.choices, blank=True, default="")
    status = models.CharField(_("status"), max_length=10, choices=PositionStatus.choices,
                              default=PositionStatus.OPEN)
    address = models.CharField(_("address"), max_length=200)
    lat = models.DecimalField(_("latitude (WGS-84)"), max_digits=9, decimal_places=6)
    lng = models.DecimalField(_("longitude (WGS-84)"), max_digits=9, decimal_places=6)
    # The 0.1° grid square holding the point (coordinates.cell_of): the nearest-station search reads
    # the few squares around the worker instead of a whole band of latitude.
    geo_cell = models.IntegerField(default=0, editable=False)
    hours = models.JSONField(_("opening hours"), default=dict, blank=True)
    open_24h = models.BooleanField(_("open 24 hours"), default=False)
    closed_on_holidays = models.BooleanField(_("closed on public holidays"), default=False)
    amenities = models.JSONField(_("amenities"), default=list, blank=True)
    amenity_mask = models.BigIntegerField(default=0, editable=False)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    area_sqm = models.PositiveIntegerField(_("floor area (m²)"), null=True, blank=True)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    qr_key = models.CharField(max_length=16, unique=True, default=new_qr_key, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(tree="node__path__within")

    class Meta:
        verbose_name = _("service position")
        verbose_name_plural = _("service positions")
        ordering = ["node_id", "name", "id"]
        indexes = [
            models.Index(fields=["lat", "lng"], name="position_lat_lng"),
            # Covers the finder's box query, id included as a key column (SQLite has no INCLUDE):
            # an index-only scan on both databases.
            models.Index(fields=["geo_cell", "lat", "lng", "amenity_mask", "status", "id"], name="position_finder_box"),
            models.Index(fields=["node", "kind"], name="position_node_kind"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(lat__gte=-90, lat__lte=90, lng__gte=-180, lng__lte=180),
                                   name="position_coordinates_range"),
        ]

    def __str__(self) -> str:
        return self.name


class PositionPhoto(models.Model):
    """A photo of a position, re-encoded without EXIF, with a thumbnail; served by a scope-checked view."""

    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="photos")
    file = models.CharField(max_length=200)
    thumb = models.CharField(max_length=200)
    content_type = models.CharField(max_length=40)
    caption = models.CharField(_("caption"), max_length=100, blank=True)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(tree="position__node__path__within")

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["position_id", "id"]

    def __str__(self) -> str:
        return self.caption or f"{self.position_id}/{self.pk}"


class VisitorKind(models.TextChoices):
    MEMBER = "member", _("Member")
    PROSPECT = "prospect", _("Not yet a member")


class Visit(models.Model):
    """One service given (服务人次): a worker scanned the station's code.

    Counted once per person, station and clock hour: the unique constraint on
    (position, person_key, hour) holds even when the same scan arrives twice at once."""

    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="visits")
    person_key = models.CharField(max_length=64)
    kind = models.CharField(_("visitor"), max_length=10, choices=VisitorKind.choices)
    member = models.ForeignKey("members.Member", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="station_visits")
    prospect = models.ForeignKey("members.Prospect", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="station_visits")
    hour = models.DateTimeField(_("hour"))
    at = models.DateTimeField(_("time"))

    objects = ScopedManager(tree="position__node__path__within")

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["position", "person_key", "hour"], name="visit_once_per_person_hour"),
        ]
        indexes = [models.Index(fields=["position", "at"], name="visit_position_at")]

    def __str__(self) -> str:
        return f"{self.position_id} {self.at:%Y-%m-%d %H:%M}"


class AssessmentResult(models.TextChoices):
    PASSED = "passed", _("Passed")
    IMPROVE = "improve", _("To be improved")
    FAILED = "failed", _("Not passed")


FOUR_HAVES = [
    ("venue", _("Fixed venue")),
    ("facilities", _("Necessary facilities")),
    ("activities", _("Regular activities")),
    ("rules", _("Rules and systems")),
]


class Assessment(models.Model):
    """A "four haves" (四有) assessment of a worker's home, with its evidence and the level awarded."""

    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="assessments")
    assessed_on = models.DateField(_("assessed on"))
    items = models.JSONField(_("items"), default=dict)   # {"venue": true, …}
    notes = models.JSONField(default=dict, blank=True)  # {"venue": "120 m² on the 2nd floor", …}
    NOTE_MAX_LENGTH = 500  # each item's note in ``notes``
    result = models.CharField(_("result"), max_length=10, choices=AssessmentResult.choices)
    level_awarded = models.CharField(_("demonstration level awarded"), max_length=10,
                                     choices=PositionLevel.choices, blank=True, default="")
    assessor = models.CharField(_("assessed by"), max_length=100)
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    created_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(tree="position__node__path__within")

    class Meta:
        verbose_name = _("four-haves assessment")
        verbose_name_plural = _("four-haves assessments")
        ordering = ["-assessed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.position_id} {self.assessed_on}"


class Evidence(models.Model):
    """A photo or PDF backing one item of an assessment."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="evidence")
    item = models.CharField(_("item"), max_length=12, choices=[(k, v) for k, v in FOUR_HAVES])
    file = models.CharField(max_length=200)
    content_type = models.CharField(max_length=40)
    name = models.CharField(_("file name"), max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(tree="assessment__position__node__path__within")

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["assessment_id", "item", "id"]

    def __str__(self) -> str:
        return self.name


class Book(models.Model):
    """A title in a worker bookroom's catalogue (职工书屋), by ISBN-13."""

    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="books")
    isbn = models.CharField(_("ISBN"), max_length=13)
    title = models.CharField(pgettext_lazy("book", "title"), max_length=200)
    author = models.CharField(_("author"), max_length=100, blank=True)
    publisher = models.CharField(_("publisher"), max_length=100, blank=True)
    year = models.PositiveSmallIntegerField(pgettext_lazy("book", "year"), null=True, blank=True)
    ebook_url = models.URLField(_("e-book link"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(tree="position__node__path__within")

    class Meta:
        verbose_name = _("book")
        verbose_name_plural = _("books")
        ordering = ["title", "id"]
        constraints = [models.UniqueConstraint(fields=["position", "isbn"], name="book_once_per_bookroom")]

    def __str__(self) -> str:
        return self.title


class BookCopy(models.Model):
    book = models.ForeignKey(Book, on_delete=models.CASCADE, related_name="copies")
    barcode = models.CharField(_("barcode"), max_length=30)
    withdrawn = models.BooleanField(pgettext_lazy("book copy", "withdrawn"), default=False)

    objects = ScopedManager(tree="book__position__node__path__within")

    class Meta:
        verbose_name = _("copy")
        verbose_name_plural = _("copies")
        ordering = ["book_id", "barcode"]
        constraints = [models.UniqueConstraint(fields=["book", "barcode"], name="copy_barcode_unique")]

    def __str__(self) -> str:
        return self.barcode


class Loan(models.Model):
    """A copy lent to a member; one open loan per copy (a partial unique constraint)."""

    copy = models.ForeignKey(BookCopy, on_delete=models.CASCADE, related_name="loans")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="book_loans")
    lent_on = models.DateField(_("lent on"))
    due_on = models.DateField(_("due on"))
    returned_on = models.DateField(_("returned on"), null=True, blank=True)

    objects = ScopedManager(tree="copy__book__position__node__path__within")

    class Meta:
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        ordering = ["-lent_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["copy"], condition=models.Q(returned_on__isnull=True),
                                               name="loan_one_open_per_copy")]

    def __str__(self) -> str:
        return f"{self.copy_id} {self.lent_on}"


class PositionMove(models.Model):
    """A position handed from one host union to another (the history shown on its page; the audit
    log holds the same event, hash-chained)."""

    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="moves")
    from_node = models.ForeignKey("orgs.Node", verbose_name=_("previous host union"), on_delete=models.PROTECT, related_name="+")
    to_node = models.ForeignKey("orgs.Node", verbose_name=_("new host union"), on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason for the change"), max_length=200)
    moved_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    moved_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(tree="position__node__path__within")

    class Meta:
        verbose_name = _("change of host union")
        verbose_name_plural = _("changes of host union")
        ordering = ["-moved_at", "-id"]

    def __str__(self) -> str:
        return f"{self.position_id}: {self.from_node_id} → {self.to_node_id}"
