"""One-to-one counselling (心理咨询) at a union's counselling room.

A ``Counsellor`` works at a service position (a counselling room) with weekly hours; a worker books
a ``Session`` from the phone. Two bookings of one counsellor at one time cannot both stand: a partial
unique index on (counsellor, start) among booked sessions settles two phones at the same moment.
The topic the worker gives and the counsellor's note are encrypted; only the counsellor reads them
(``services.read_note``), cadres see counts.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gonghui.core.fields import EncryptedTextField
from gonghui.core.scoping import ScopedManager


class CounsellorKind(models.TextChoices):
    STAFF = "staff", _("Union staff")
    CONTRACTED = "contracted", _("Contracted professional")


WEEKDAYS = (_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun"))


class Counsellor(models.Model):
    position = models.ForeignKey("positions.Position", verbose_name=_("counselling room"), on_delete=models.PROTECT,
                                 related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("account"), on_delete=models.PROTECT,
                             related_name="counselling")
    name = models.CharField(_("name"), max_length=50)
    kind = models.CharField(_("kind"), max_length=12, choices=CounsellorKind.choices, default=CounsellorKind.STAFF)
    # weekday ("0" Monday … "6" Sunday) → list of ["HH:MM", "HH:MM"] ranges
    hours = models.JSONField(pgettext_lazy("counselling", "hours"), default=dict)
    slot_minutes = models.PositiveSmallIntegerField(_("session length (minutes)"), default=50)
    active = models.BooleanField(_("taking bookings"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(tree="position__node__path__within")

    class Meta:
        verbose_name = _("counsellor")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def week(self) -> list[tuple]:
        """The hours by weekday name, Monday first: [(周一, [["09:00", "12:00"], …]), …]."""
        return [(WEEKDAYS[int(day)], self.hours[day]) for day in sorted(self.hours, key=int)]


class SessionStatus(models.TextChoices):
    BOOKED = "booked", pgettext_lazy("counselling session", "Booked")
    CANCELLED = "cancelled", pgettext_lazy("counselling session", "Cancelled")
    DONE = "done", pgettext_lazy("counselling session", "Held")


class Session(models.Model):
    counsellor = models.ForeignKey(Counsellor, on_delete=models.PROTECT, related_name="sessions")
    worker = models.ForeignKey("accounts.Worker", on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    status = models.CharField(_("status"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.BOOKED)
    topic = EncryptedTextField(_("what the worker wishes to talk about"), blank=True)
    note = EncryptedTextField(_("counsellor's note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(tree="counsellor__position__node__path__within")

    class Meta:
        verbose_name = _("counselling session")
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["counsellor", "starts_at"], condition=Q(status="booked"),
                                    name="counselling_slot_once"),
        ]

    def __str__(self) -> str:
        return f"{self.counsellor_id}@{self.starts_at:%Y-%m-%d %H:%M}"


class CallCategory(models.TextChoices):
    WORK = "work", _("Work stress")
    FAMILY = "family", _("Family and relationships")
    EMOTION = "emotion", _("Emotions and sleep")
    RIGHTS = "rights", _("Labour rights worry")
    CRISIS = "crisis", _("Crisis")
    OTHER = "other", pgettext_lazy("hotline call", "Other")


class HotlineCall(models.Model):
    """A call to the counselling hotline, recorded by the counsellor who took it with minimal data:
    when, how long, a category, whether it was referred on. No name, no phone. The optional note
    is encrypted and the counsellor's alone."""

    counsellor = models.ForeignKey(Counsellor, on_delete=models.PROTECT, related_name="calls")
    called_at = models.DateTimeField(_("call time"))
    minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    category = models.CharField(_("category"), max_length=10, choices=CallCategory.choices)
    referred = models.BooleanField(_("referred on"), default=False)
    note = EncryptedTextField(_("counsellor's note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(tree="counsellor__position__node__path__within")

    class Meta:
        verbose_name = _("hotline call")
        ordering = ["-called_at", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(minutes__gte=1) & Q(minutes__lte=600),
                                              name="counselling_call_minutes")]

    def __str__(self) -> str:
        return f"{self.counsellor_id}@{self.called_at:%Y-%m-%d %H:%M}"
