"""Demonstration awards (示范创建, 以奖代补): a yearly call with quotas per category, nominations by
unions of the subtree, scores by indicators, ranking, publicity, award and a reward paid through
the ledger."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gonghui.core.scoping import ScopedManager

from .ledger import MONEY


class AwardCallState(models.TextChoices):
    OPEN = "open", _("Open for nominations")
    SCORING = "scoring", _("Scoring")
    PUBLICITY = "publicity", _("Results in publicity")
    AWARDED = "awarded", _("Awarded")


class AwardCall(models.Model):
    node = models.ForeignKey("orgs.Node", verbose_name=_("organizing union"), on_delete=models.PROTECT,
                             related_name="award_calls")
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=100)
    category = models.ForeignKey("funds.PlanCategory", verbose_name=_("funds category"), on_delete=models.PROTECT,
                                 related_name="award_calls")
    # [{"name": str, "max": int}, optionally "indicator": a statistics key and "target": the value earning "max"]
    indicators = models.JSONField(_("indicators"), default=list)
    state = models.CharField(_("status"), max_length=10, choices=AwardCallState.choices, default=AwardCallState.OPEN)
    publicity_until = models.DateField(_("publicity until"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(tree="node__path__within")

    class Meta:
        verbose_name = _("demonstration award")
        verbose_name_plural = _("demonstration awards")
        ordering = ["-year", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def max_total(self) -> int:
        return sum(int(i["max"]) for i in self.indicators)

    @property
    def marked_indicators(self) -> list[dict]:
        """The indicators scorers mark (the others are read from statistics)."""
        return [i for i in self.indicators if not i.get("indicator")]

    @property
    def read_indicators(self) -> list[dict]:
        return [i for i in self.indicators if i.get("indicator")]


class AwardQuota(models.Model):
    call = models.ForeignKey(AwardCall, on_delete=models.CASCADE, related_name="quotas")
    name = models.CharField(_("category"), max_length=60)
    quota = models.PositiveSmallIntegerField(_("quota"))
    reward = models.DecimalField(_("reward each (yuan)"), **MONEY)

    objects = ScopedManager(tree="call__node__path__within")

    class Meta:
        verbose_name = pgettext_lazy("model", "award quota")
        verbose_name_plural = pgettext_lazy("model", "award quotas")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["call", "name"], name="fund_quota_unique_name")]

    def __str__(self) -> str:
        return self.name


class NominationStatus(models.TextChoices):
    NOMINATED = "nominated", _("Nominated")
    SHORTLISTED = "shortlisted", _("Proposed for the award")
    NOT_SELECTED = "not_selected", _("Not selected")
    AWARDED = "awarded", _("Awarded")


class Nomination(models.Model):
    quota = models.ForeignKey(AwardQuota, verbose_name=_("category"), on_delete=models.CASCADE,
                              related_name="nominations")
    node = models.ForeignKey("orgs.Node", verbose_name=_("nominee"), on_delete=models.PROTECT,
                             related_name="nominations")
    statement = models.TextField(_("achievements"), max_length=2000)
    status = models.CharField(_("status"), max_length=14, choices=NominationStatus.choices,
                              default=NominationStatus.NOMINATED)
    total = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)
    # indicators read from statistics when scoring starts: {name: {indicator, value, target, mark, as_of}}
    readings = models.JSONField(_("figures read from statistics"), default=dict, blank=True)
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    nominated_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(tree="node__path__within")

    class Meta:
        verbose_name = pgettext_lazy("model", "nomination")
        verbose_name_plural = pgettext_lazy("model", "nominations")
        ordering = ["quota_id", "rank", "id"]
        constraints = [models.UniqueConstraint(fields=["quota", "node"], name="fund_nomination_once")]

    def __str__(self) -> str:
        return f"{self.quota} · {self.node_id}"


class NominationScore(models.Model):
    """One scorer's marks for a nomination, per indicator of the call."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="scores")
    scorer = models.CharField(_("scorer"), max_length=50)
    marks = models.JSONField(_("marks"))  # {indicator name: Decimal as str}
    total = models.DecimalField(_("total"), max_digits=6, decimal_places=2)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(tree="nomination__node__path__within")

    class Meta:
        verbose_name = pgettext_lazy("model", "nomination score")
        verbose_name_plural = pgettext_lazy("model", "nomination scores")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["nomination", "scorer"], name="fund_nomination_score_once"),
            models.CheckConstraint(condition=Q(total__gte=0), name="fund_nomination_score_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.scorer} {self.total}"
