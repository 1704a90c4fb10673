"""The register of model workers and craftsmen (劳模、工匠) and the care the union gives them.

A ``ModelWorker`` is a person kept by a union (usually the federation that looks after them); the
titles they hold are ``Honour`` rows (level, title, year), so a county technical expert who later
becomes a city model worker is one person with two honours. A person is linked to their member
record where one exists, and a member is linked to one register entry at most (a unique index).
``Care`` rows are what the union did for them: the annual visit (走访慰问), the health check-up,
a recuperation place (疗休养, on a ``RecuperationTrip`` with its number of places) and hardship help
(given through the aid module; the care row keeps the aid file's number and marks it as help to a
model worker).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gonghui.core.scoping import ScopedManager


class HonourLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    CITY = "city", _("City")
    COUNTY = "county", _("County")


LEVEL_RANK = {HonourLevel.NATIONAL: 4, HonourLevel.PROVINCIAL: 3, HonourLevel.CITY: 2, HonourLevel.COUNTY: 1}


class HonourKind(models.TextChoices):
    MODEL_WORKER = "model_worker", _("Model worker")
    CRAFTSMAN = "craftsman", _("Craftsman")
    TECHNICAL_EXPERT = "technical_expert", _("Technical expert")
    OTHER = "other", pgettext_lazy("honour kind", "Other title")


class ModelWorkerStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("model worker status", "Working")
    RETIRED = "retired", pgettext_lazy("model worker status", "Retired")
    DECEASED = "deceased", pgettext_lazy("model worker status", "Deceased")


class ModelWorker(models.Model):
    """A model worker or craftsman in a union's register; visible to the cadres over that union."""

    node = models.ForeignKey("orgs.Node", verbose_name=_("kept by"), on_delete=models.PROTECT,
                             related_name="model_workers")
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    employer = models.ForeignKey("orgs.Employer", verbose_name=_("employer"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    employer_name = models.CharField(_("employer"), max_length=100, blank=True)
    occupation = models.CharField(_("trade or occupation"), max_length=60, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ModelWorkerStatus.choices,
                              default=ModelWorkerStatus.ACTIVE)
    member = models.OneToOneField("members.Member", verbose_name=_("member record"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="model_worker")
    # The highest level of the person's honours, kept for lists and figures (one index, no join).
    level = models.CharField(_("highest level"), max_length=12, choices=HonourLevel.choices,
                             default=HonourLevel.COUNTY)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(tree="node__path__within")

    class Meta:
        verbose_name = _("model worker or craftsman")
        verbose_name_plural = _("model workers and craftsmen")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class Honour(models.Model):
    person = models.ForeignKey(ModelWorker, on_delete=models.CASCADE, related_name="honours")
    level = models.CharField(_("level"), max_length=12, choices=HonourLevel.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=HonourKind.choices, default=HonourKind.MODEL_WORKER)
    title = models.CharField(pgettext_lazy("honour", "title"), max_length=60)
    year = models.PositiveSmallIntegerField(_("year"))
    # Where the title came from when the system gave it (a contest award's id), so it is given once.
    contest_award = models.PositiveIntegerField(null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(tree="person__node__path__within")

    class Meta:
        verbose_name = _("honour")
        ordering = ["-year", "pk"]
        constraints = [models.UniqueConstraint(fields=["person", "title", "year"], name="honour_once_a_year")]

    def __str__(self) -> str:
        return f"{self.year} {self.title}"


class CareKind(models.TextChoices):
    VISIT = "visit", _("Annual visit")
    CHECKUP = "checkup", _("Health check-up")
    RECUPERATION = "recuperation", _("Recuperation")
    HARDSHIP = "hardship", _("Hardship help")


class RecuperationTrip(models.Model):
    """A recuperation (疗休养) round the union organizes, with its number of places."""

    node = models.ForeignKey("orgs.Node", verbose_name=_("organizer"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    place = models.CharField(_("place"), max_length=100)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    places = models.PositiveIntegerField(_("places"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(tree="node__path__within")

    class Meta:
        verbose_name = _("recuperation trip")
        ordering = ["-starts_on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="trip_dates")]

    def __str__(self) -> str:
        return self.name


class Care(models.Model):
    """One thing the union did for a model worker: a visit, a check-up, a recuperation place, help."""

    person = models.ForeignKey(ModelWorker, on_delete=models.CASCADE, related_name="care")
    kind = models.CharField(_("kind"), max_length=14, choices=CareKind.choices)
    on = models.DateField(_("date"))
    trip = models.ForeignKey(RecuperationTrip, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="participants")
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True)
    aid_file = models.PositiveIntegerField(_("hardship file"), null=True, blank=True)
    notes = models.CharField(_("notes"), max_length=200, blank=True)
    recorded_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(tree="person__node__path__within")

    class Meta:
        verbose_name = _("care record")
        ordering = ["-on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["person", "trip"], condition=Q(trip__isnull=False), name="care_trip_once"),
        ]
        indexes = [models.Index(fields=["kind", "on"], name="care_kind_on")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on}"


class AllowanceKind(models.TextChoices):
    SUBSIDY = "subsidy", _("Model-worker allowance")
    HARDSHIP = "hardship", _("Special hardship help for model workers")
    MEDICAL = "medical", _("Medical allowance for model workers")
    HONOUR = "honour", _("Honour allowance")


class Allowance(models.Model):
    """A special allowance to a model worker (劳模补助, 特殊困难帮扶 …), paid through the aid module's
    ledger rules: it is an application of an aid programme for the person's member record, entered
    here, then approved, paid and reversed by others under aid's declared rules (whoever enters does
    not approve, whoever approves does not pay; the ledger is append-only, amounts are Decimal)."""

    person = models.ForeignKey(ModelWorker, on_delete=models.PROTECT, related_name="allowances")
    application = models.OneToOneField("aid.Application", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=AllowanceKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(tree="person__node__path__within")

    class Meta:
        verbose_name = _("special allowance")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.person_id}"
