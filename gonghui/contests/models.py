"""Skills and labour contests (技能竞赛、劳动竞赛、安康杯).

A ``Contest`` is organized by a union (its level follows the organizer) for one trade or occupation,
with a theory part and a practical part weighted in percent (the weights add up to 100), and the
score items of each part (each with its range). It runs in ``Round`` s from the enterprise up to
the township and the county. An enterprise enters a round through its union (``Participation``:
one per employer and round, a unique index) with its workers (``Entry``). Judges are assigned
entries (``Assignment``) and score each item; a judge's sheet is locked once submitted. Results and
awards (``Award``, with its certificate) follow from the submitted sheets (``scoring.py``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gonghui.core.scoping import ScopedManager


class ContestKind(models.TextChoices):
    SKILLS = "skills", _("Skills contest")
    LABOUR = "labour", _("Labour contest")
    ANKANG = "ankang", _("Ankang Cup")


class ContestLevel(models.TextChoices):
    ENTERPRISE = "enterprise", pgettext_lazy("contest level", "Enterprise")
    TOWNSHIP = "township", pgettext_lazy("contest level", "Township")
    COUNTY = "county", pgettext_lazy("contest level", "County")
    CITY = "city", pgettext_lazy("contest level", "City")


class Stage(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise round")
    TOWNSHIP = "township", _("Township round")
    COUNTY = "county", _("County final")


STAGE_ORDER = [Stage.ENTERPRISE, Stage.TOWNSHIP, Stage.COUNTY]


class Part(models.TextChoices):
    THEORY = "theory", _("Theory")
    PRACTICAL = "practical", _("Practical")


class Contest(models.Model):
    node = models.ForeignKey("orgs.Node", verbose_name=_("organizer"), on_delete=models.PROTECT,
                             related_name="contests")
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=ContestKind.choices, default=ContestKind.SKILLS)
    level = models.CharField(_("level"), max_length=12, choices=ContestLevel.choices)
    trade = models.CharField(_("trade or occupation"), max_length=60)
    year = models.PositiveSmallIntegerField(_("year"))
    theory_weight = models.DecimalField(_("theory weight (%)"), max_digits=5, decimal_places=2)
    practical_weight = models.DecimalField(_("practical weight (%)"), max_digits=5, decimal_places=2)
    drop_extremes = models.BooleanField(_("drop the highest and the lowest score"), default=False)
    # Title given to the first-prize winners of the final (e.g. 青山县技术能手) and its level in the
    # model-worker register; empty: the contest gives no title.
    winner_title = models.CharField(_("title for the winners"), max_length=60, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(tree="node__path__within")

    class Meta:
        verbose_name = _("contest")
        ordering = ["-year", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(theory_weight__gte=0) & Q(practical_weight__gte=0)
                                   & Q(theory_weight__lte=100) & Q(practical_weight__lte=100),
                                   name="contest_weights_in_range"),
        ]

    def __str__(self) -> str:
        return self.name


class RoundStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("round status", "Taking entries")
    SCORING = "scoring", pgettext_lazy("round status", "Scoring")
    AWARDED = "awarded", pgettext_lazy("round status", "Results published")


class Round(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="rounds")
    stage = models.CharField(pgettext_lazy("contest", "stage"), max_length=12, choices=Stage.choices)
    held_on = models.DateField(pgettext_lazy("contest", "held on"))
    status = models.CharField(_("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    # How many of the ranked go on to the next round (0: none, the final).
    advance_count = models.PositiveIntegerField(_("advance to the next round"), default=0)
    awarded_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(tree="contest__node__path__within")

    class Meta:
        verbose_name = _("round")
        ordering = ["contest_id", "held_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["contest", "stage"], name="round_stage_once")]

    def __str__(self) -> str:
        return f"{self.contest} · {self.get_stage_display()}"

    @property
    def is_final(self) -> bool:
        return self.advance_count == 0


class ScoreItem(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="items")
    part = models.CharField(_("part"), max_length=10, choices=Part.choices)
    name = models.CharField(_("item"), max_length=60)
    min_score = models.DecimalField(_("lowest score"), max_digits=6, decimal_places=2, default=0)
    max_score = models.DecimalField(_("highest score"), max_digits=6, decimal_places=2)
    order = models.PositiveSmallIntegerField(default=0)

    objects = ScopedManager(tree="contest__node__path__within")

    class Meta:
        verbose_name = _("score item")
        ordering = ["contest_id", "part", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "name"], name="item_name_once"),
            models.CheckConstraint(condition=Q(max_score__gt=models.F("min_score")), name="item_range"),
        ]

    def __str__(self) -> str:
        return self.name


class Participation(models.Model):
    """An enterprise in a round, entered by its union; once per employer and round."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="participations")
    union = models.ForeignKey("orgs.Node", verbose_name=_("entering union"), on_delete=models.PROTECT,
                              related_name="+")
    employer = models.ForeignKey("orgs.Employer", verbose_name=_("enterprise"), on_delete=models.PROTECT,
                                 related_name="+")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(tree="union__path__within")

    class Meta:
        verbose_name = _("enterprise entry")
        ordering = ["round_id", "pk"]
        constraints = [models.UniqueConstraint(fields=["round", "employer"], name="participation_once_per_round")]

    def __str__(self) -> str:
        return str(self.employer)


class Entry(models.Model):
    """A worker entered for an enterprise in a round."""

    participation = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="entries")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="entries")
    number = models.PositiveIntegerField(_("entry number"))
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    member = models.ForeignKey("members.Member", verbose_name=_("member record"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    # The entry of the previous round this one came from (advancing keeps the person).
    came_from = models.OneToOneField("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="went_on")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(tree="participation__union__path__within")

    class Meta:
        verbose_name = pgettext_lazy("contest", "entry")
        verbose_name_plural = _("entries")
        ordering = ["round_id", "number"]
        constraints = [models.UniqueConstraint(fields=["round", "number"], name="entry_number_once")]

    def __str__(self) -> str:
        return f"{self.number:03d} {self.name}"


class Assignment(models.Model):
    """A judge's sheet for one entry: the judge sees and scores only the entries assigned to them."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="assignments")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="judging")
    submitted_at = models.DateTimeField(null=True, blank=True)

    # Judges reach their sheets by ``judge=``, not by subtree; cadres by the organizer's subtree.
    objects = ScopedManager(tree="entry__round__contest__node__path__within")

    class Meta:
        verbose_name = _("judge assignment")
        ordering = ["entry_id", "pk"]
        constraints = [models.UniqueConstraint(fields=["entry", "judge"], name="assignment_once")]

    def __str__(self) -> str:
        return f"{self.entry_id}/{self.judge_id}"


class Score(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey(ScoreItem, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(_("score"), max_digits=6, decimal_places=2)

    objects = ScopedManager(tree="assignment__entry__round__contest__node__path__within")

    class Meta:
        verbose_name = pgettext_lazy("model", "contest score")
        verbose_name_plural = pgettext_lazy("model", "contest scores")
        constraints = [models.UniqueConstraint(fields=["assignment", "item"], name="score_once")]

    def __str__(self) -> str:
        return str(self.value)


class AwardTier(models.TextChoices):
    FIRST = "first", _("First prize")
    SECOND = "second", _("Second prize")
    THIRD = "third", _("Third prize")


class Award(models.Model):
    entry = models.OneToOneField(Entry, on_delete=models.CASCADE, related_name="award")
    tier = models.CharField(_("award"), max_length=8, choices=AwardTier.choices)
    rank = models.PositiveIntegerField(_("rank"))
    total = models.DecimalField(_("total score"), max_digits=7, decimal_places=2)
    serial = models.CharField(_("certificate number"), max_length=40, unique=True)
    title = models.CharField(_("title given"), max_length=60, blank=True)
    awarded_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(tree="entry__round__contest__node__path__within")

    class Meta:
        verbose_name = _("award")
        ordering = ["rank", "pk"]

    def __str__(self) -> str:
        return self.serial
