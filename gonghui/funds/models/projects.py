"""Construction and upgrade projects of service positions, in seven steps (see ``workflow.py``).

The kind of project is data (``ProjectKind``: worker's home, station, bookroom; construction or
upgrade, with the acceptance standard as a checklist); the steps are one declared workflow.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gonghui.core.models import ObjectEvent, StoredFile
from gonghui.core.scoping import ScopedManager

from .ledger import MONEY


class ProjectKind(models.Model):
    """What is built: e.g. 职工之家建设, 工会驿站提升. ``standard`` lists the acceptance items."""

    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=60)
    position_kind = models.CharField(_("type of position"), max_length=24)
    upgrade = models.BooleanField(_("upgrade of an existing position"), default=False)
    standard = models.JSONField(_("acceptance standard"), default=list)
    max_subsidy = models.DecimalField(_("maximum subsidy (yuan)"), **MONEY)

    class Meta:
        verbose_name = _("project type")
        verbose_name_plural = _("project types")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class ProjectState(models.TextChoices):
    APPLIED = "applied", pgettext_lazy("project", "Applied, waiting for review")
    REVIEWED = "reviewed", pgettext_lazy("project", "Reviewed, waiting for joint appraisal")
    APPRAISED = "appraised", pgettext_lazy("project", "Appraised, waiting for publicity")
    PUBLICITY = "publicity", pgettext_lazy("project", "In publicity")
    IMPLEMENTING = "implementing", pgettext_lazy("project", "Approved, being implemented")
    COMPLETED = "completed", pgettext_lazy("project", "Completed, waiting for acceptance")
    ACCEPTED = "accepted", pgettext_lazy("project", "Accepted, waiting for the subsidy")
    SUBSIDY_PENDING = "subsidy_pending", pgettext_lazy("project", "Subsidy waiting for approval")
    PAID = "paid", pgettext_lazy("project", "Subsidy paid")
    REJECTED = "rejected", pgettext_lazy("project", "Not approved")


class Project(models.Model):
    node = models.ForeignKey("orgs.Node", verbose_name=_("applying union"), on_delete=models.PROTECT,
                             related_name="projects")
    reviewer_node = models.ForeignKey("orgs.Node", verbose_name=_("reviewing union"), on_delete=models.PROTECT,
                                      related_name="projects_reviewed")
    kind = models.ForeignKey(ProjectKind, verbose_name=_("type"), on_delete=models.PROTECT, related_name="projects")
    title = models.CharField(_("title"), max_length=100)
    year = models.PositiveSmallIntegerField(_("year"))
    category = models.ForeignKey("funds.PlanCategory", verbose_name=_("funds category"), on_delete=models.PROTECT,
                                 related_name="projects")
    address = models.CharField(_("address"), max_length=200)
    lat = models.DecimalField(_("latitude (WGS-84)"), max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField(_("longitude (WGS-84)"), max_digits=9, decimal_places=6, null=True, blank=True)
    area_sqm = models.PositiveIntegerField(_("floor area (m²)"), null=True, blank=True)
    description = models.TextField(_("plan of the works"))
    budget_total = models.DecimalField(_("total budget (yuan)"), **MONEY)
    subsidy_requested = models.DecimalField(_("subsidy requested (yuan)"), **MONEY)
    subsidy_granted = models.DecimalField(_("subsidy granted (yuan)"), null=True, blank=True, **MONEY)
    state = models.CharField(_("step"), max_length=16, choices=ProjectState.choices, default=ProjectState.APPLIED)
    threshold = models.DecimalField(_("pass mark of the appraisal"), max_digits=5, decimal_places=2, default=70)
    appraisal_score = models.DecimalField(_("appraisal score"), max_digits=5, decimal_places=2, null=True,
                                          blank=True)
    objection_days = models.PositiveSmallIntegerField(_("objection period in working days"), default=5)
    publicity_from = models.DateField(_("publicity from"), null=True, blank=True)
    publicity_until = models.DateField(_("objections accepted until"), null=True, blank=True)
    acceptance = models.JSONField(_("acceptance checklist"), default=dict, blank=True)
    position_id = models.PositiveIntegerField(_("service position"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=200, blank=True)
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    applied_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(tree="node__path__within")

    class Meta:
        verbose_name = _("construction project")
        verbose_name_plural = _("construction projects")
        ordering = ["-applied_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(budget_total__gt=0) & Q(subsidy_requested__gt=0)
                                   & Q(subsidy_requested__lte=models.F("budget_total")),
                                   name="fund_project_amounts"),
        ]
        indexes = [models.Index(fields=["state"], name="fund_project_state")]

    def __str__(self) -> str:
        return self.title


class ProjectEvent(ObjectEvent):
    """The history of a project: each step, who, when, with what comment."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=32)
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16, blank=True)
    comment = models.CharField(max_length=500, blank=True)

    objects = ScopedManager(tree="project__node__path__within")

    class Meta:
        verbose_name = pgettext_lazy("model", "project event")
        verbose_name_plural = pgettext_lazy("model", "project events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.project_id} {self.action}"


class ProjectFile(StoredFile):
    """A document or photo of a project, checked by its bytes and stored under a random name."""

    class Purpose(models.TextChoices):
        APPLICATION = "application", _("Application document")
        PROGRESS = "progress", _("Progress photo")
        ACCEPTANCE = "acceptance", _("Acceptance evidence")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="files")
    purpose = models.CharField(max_length=12, choices=Purpose.choices)
    report = models.ForeignKey("funds.ProgressReport", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="files")
    original_name = models.CharField(max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = ScopedManager(tree="project__node__path__within")

    class Meta:
        verbose_name = pgettext_lazy("model", "project file")
        verbose_name_plural = pgettext_lazy("model", "project files")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name or self.stored_name


class AppraisalScore(models.Model):
    """One panel member's score in the joint appraisal (联合评议), entered by the reviewing union."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="scores")
    panelist = models.CharField(_("panel member"), max_length=50)
    affiliation = models.CharField(_("department"), max_length=100, blank=True)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    comment = models.CharField(_("appraisal comment"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(tree="project__node__path__within")

    class Meta:
        verbose_name = pgettext_lazy("model", "appraisal score")
        verbose_name_plural = pgettext_lazy("model", "appraisal scores")
        ordering = ["recorded_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "panelist"], name="fund_score_one_per_panelist"),
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=100), name="fund_score_in_scale"),
        ]

    def __str__(self) -> str:
        return f"{self.panelist} {self.score}"


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("Waiting for an answer")
    DISMISSED = "dismissed", _("Dismissed")
    UPHELD = "upheld", _("Upheld")


class Objection(models.Model):
    """An objection raised during the publicity of a project (公示异议)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="objections")
    raised_by = models.CharField(_("raised by"), max_length=50)
    text = models.TextField(_("objection"))
    raised_on = models.DateField(_("raised on"))
    status = models.CharField(_("status"), max_length=10, choices=ObjectionStatus.choices,
                              default=ObjectionStatus.OPEN)
    answer = models.CharField(_("answer"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(tree="project__node__path__within")

    class Meta:
        verbose_name = pgettext_lazy("model", "project objection")
        verbose_name_plural = pgettext_lazy("model", "project objections")
        ordering = ["raised_on", "id"]

    def __str__(self) -> str:
        return f"{self.raised_by} {self.raised_on}"


class ProgressReport(models.Model):
    """A report during implementation (组织实施): what was done, how far, with photos."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="reports")
    on = models.DateField(_("date"))
    percent = models.PositiveSmallIntegerField(_("progress (%)"))
    text = models.TextField(_("work done"))
    spent = models.DecimalField(_("spent so far (yuan)"), default=0, **MONEY)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(tree="project__node__path__within")

    class Meta:
        verbose_name = pgettext_lazy("model", "progress report")
        verbose_name_plural = pgettext_lazy("model", "progress reports")
        ordering = ["on", "id"]
        constraints = [models.CheckConstraint(condition=Q(percent__lte=100), name="fund_progress_percent")]

    def __str__(self) -> str:
        return f"{self.on} {self.percent}%"
