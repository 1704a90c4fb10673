"""Chair performance reviews (述职评议考核) and field work (蹲点调研).

A review round of a union sets weighted indicators for a year; the chairs of unions below submit
their reports; reviewers mark each indicator from 0 to 100; closing the round ranks the chairs
by the weighted mean and grades them. Field work: a work group of a union goes to unions below,
hears opinions on its visits, lists problems, takes measures, and counts the difficulties solved;
the figures roll up the tree (由 work group's union).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gonghui.core.scoping import ScopedManager


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")


class ReviewRound(models.Model):
    node = models.ForeignKey("orgs.Node", verbose_name=_("organizing union"), on_delete=models.PROTECT,
                             related_name="review_rounds")
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=100)
    indicators = models.JSONField(_("indicators"), default=list)  # [{"name": str, "weight": int}], weights sum 100
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(tree="node__path__within")

    class Meta:
        verbose_name = _("chair performance review")
        verbose_name_plural = _("chair performance reviews")
        ordering = ["-year", "-id"]

    def __str__(self) -> str:
        return self.title


class ChairReport(models.Model):
    """A chair's report (述职报告) in a round, with the result once the round is closed."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="reports")
    node = models.ForeignKey("orgs.Node", verbose_name=_("union"), on_delete=models.PROTECT,
                             related_name="chair_reports")
    chair_name = models.CharField(_("chair"), max_length=50)
    text = models.TextField(_("report"), max_length=10000)
    total = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)
    grade = models.CharField(_("grade"), max_length=10, choices=Grade.choices, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(tree="node__path__within")

    class Meta:
        verbose_name = pgettext_lazy("model", "chair's report")
        verbose_name_plural = pgettext_lazy("model", "chairs' reports")
        ordering = ["round_id", "rank", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "node"], name="fund_chair_report_once")]

    def __str__(self) -> str:
        return f"{self.chair_name} · {self.round_id}"


class ChairScore(models.Model):
    report = models.ForeignKey(ChairReport, on_delete=models.CASCADE, related_name="scores")
    reviewer = models.CharField(_("reviewer"), max_length=50)
    marks = models.JSONField(_("marks"))
    total = models.DecimalField(_("weighted score"), max_digits=5, decimal_places=2)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(tree="report__node__path__within")

    class Meta:
        verbose_name = pgettext_lazy("model", "chair's score")
        verbose_name_plural = pgettext_lazy("model", "chairs' scores")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "reviewer"], name="fund_chair_score_once"),
            models.CheckConstraint(condition=Q(total__gte=0, total__lte=100), name="fund_chair_score_scale"),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} {self.total}"


class WorkGroup(models.Model):
    """A field-work group (蹲点工作组) sent by a union to unions below it."""

    node = models.ForeignKey("orgs.Node", verbose_name=_("sending union"), on_delete=models.PROTECT,
                             related_name="work_groups")
    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("name"), max_length=100)
    leader = models.CharField(_("leader"), max_length=50)
    members = models.CharField(_("members of the group"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(tree="node__path__within")

    class Meta:
        verbose_name = _("field-work group")
        verbose_name_plural = _("field-work groups")
        ordering = ["-year", "-id"]

    def __str__(self) -> str:
        return self.name


class FieldVisit(models.Model):
    group = models.ForeignKey(WorkGroup, on_delete=models.CASCADE, related_name="visits")
    node = models.ForeignKey("orgs.Node", verbose_name=_("union visited"), on_delete=models.PROTECT,
                             related_name="field_visits")
    on = models.DateField(_("date"))
    opinions = models.PositiveIntegerField(_("opinions heard"))
    notes = models.TextField(_("notes"), max_length=2000, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = ScopedManager(tree="group__node__path__within")

    class Meta:
        verbose_name = pgettext_lazy("model", "field visit")
        verbose_name_plural = pgettext_lazy("model", "field visits")
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.on} {self.node_id}"


class FieldProblem(models.Model):
    """A problem listed from what a visit heard; measures answer it; solved when closed."""

    visit = models.ForeignKey(FieldVisit, on_delete=models.CASCADE, related_name="problems")
    text = models.CharField(_("problem"), max_length=500)
    solved_on = models.DateField(_("solved on"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = ScopedManager(tree="visit__group__node__path__within")

    class Meta:
        verbose_name = pgettext_lazy("model", "problem found")
        verbose_name_plural = pgettext_lazy("model", "problems found")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text[:40]


class FieldMeasure(models.Model):
    problem = models.ForeignKey(FieldProblem, on_delete=models.CASCADE, related_name="measures")
    text = models.CharField(_("measure"), max_length=500)
    difficulties_solved = models.PositiveIntegerField(_("difficulties solved"), default=0)
    on = models.DateField(_("date"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = ScopedManager(tree="problem__visit__group__node__path__within")

    class Meta:
        verbose_name = pgettext_lazy("model", "rectification measure")
        verbose_name_plural = pgettext_lazy("model", "rectification measures")
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return self.text[:40]
