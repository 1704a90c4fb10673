"""Rights protection (维权): workers' claims handled as cases, joint mediation, legal check-ups.

A claim and the case that handles it are one record (``Case``): the worker's tracking code,
the history and the documents stay with it from the phone to the follow-up visit. Its stages and
who may move it between them are declared once, in ``workflow.py``.

Visibility is narrower than the generic subtree scope: the ScopedManager keeps every query inside
the cadre's subtrees, and ``selectors.visible_cases`` narrows further, so that an account holding
only the mediator role (a court, the labour bureau, a lawyer) sees the cases it is invited to or
assigned, never the whole subtree it holds the role over.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gonghui.core.fields import BlindIndexField, EncryptedTextField
from gonghui.core.models import ObjectEvent, StoredFile
from gonghui.core.scoping import ScopedManager

# No 0/O, 1/I/L: a code read out over the phone or copied from an SMS is not misread.
TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
TRACKING_LENGTH = 12  # 31**12 ≈ 7.9e17 codes: guessing one is hopeless, and guesses are rate-limited


def new_tracking_code() -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))


class Category(models.TextChoices):
    WAGE_ARREARS = "wage_arrears", _("Wage arrears")
    CONTRACT = "contract", _("Labour contract")
    INJURY = "injury", _("Work injury")
    SOCIAL_INSURANCE = "social_insurance", _("Social insurance")
    OVERTIME = "overtime", _("Overtime and working hours")
    DISMISSAL = "dismissal", _("Dismissal")
    OCCUPATIONAL_DISEASE = "occupational_disease", _("Occupational disease")
    OTHER = "other", _("Other")


class Channel(models.TextChoices):
    PHONE = "phone", _("Worker's phone")
    HOTLINE = "hotline", _("Hotline 12351")
    WALK_IN = "walk_in", _("Walk-in")


class Stage(models.TextChoices):
    SUBMITTED = "submitted", _("Received, waiting for acceptance")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Not accepted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    ASSIGNED = "assigned", _("Assigned to a handler")
    INVESTIGATING = "investigating", _("Investigating")
    MEDIATING = "mediating", _("In mediation")
    LEGAL_AID = "legal_aid", _("Legal aid")
    ARBITRATION = "arbitration", _("Referred to arbitration")
    LITIGATION = "litigation", _("Referred to court")
    CLOSED = "closed", _("Closed")
    VISITED = "visited", _("Follow-up visit done")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY = "basically", _("Basically satisfied")
    UNSATISFIED = "unsatisfied", _("Not satisfied")


class Case(models.Model):
    """A worker's claim (职工诉求) and its handling as a rights case (维权案件)."""

    node = models.ForeignKey("orgs.Node", verbose_name=_("handling union"), on_delete=models.PROTECT,
                             related_name="rights_cases")
    tracking_code = models.CharField(_("tracking code"), max_length=16, unique=True, default=new_tracking_code,
                                     editable=False)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    category = models.CharField(_("category"), max_length=24, choices=Category.choices)
    worker = models.ForeignKey("accounts.Worker", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="rights_cases")
    claimant_name = EncryptedTextField(_("claimant"))
    claimant_phone = EncryptedTextField(_("claimant's mobile"), blank=True)
    claimant_phone_hash = BlindIndexField(blank=True, db_index=True)
    employer = models.ForeignKey("orgs.Employer", verbose_name=_("employer"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="rights_cases")
    employer_name = models.CharField(_("employer"), max_length=100)
    workers_involved = models.PositiveIntegerField(_("workers involved"), default=1)
    parties = models.CharField(_("other parties"), max_length=300, blank=True)
    facts = EncryptedTextField(_("what happened"))
    amount_claimed = models.DecimalField(_("amount claimed (yuan)"), max_digits=12, decimal_places=2, null=True,
                                         blank=True)
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, default=Stage.SUBMITTED)
    stage_since = models.DateField(_("in this stage since"))
    due_on = models.DateField(_("stage due on"), null=True, blank=True)
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("handler"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="rights_cases_handled")
    decline_reason = models.CharField(_("reason for not accepting"), max_length=300, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    amount_recovered = models.DecimalField(_("amount recovered (yuan)"), max_digits=12, decimal_places=2,
                                           default=0)
    mediated = models.BooleanField(_("settled by mediation"), default=False)
    satisfaction = models.CharField(_("satisfaction"), max_length=12, choices=Satisfaction.choices, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(tree="node__path__within")

    class Meta:
        verbose_name = _("rights case")
        verbose_name_plural = _("rights cases")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["node", "stage"], name="rights_case_node_stage"),
            models.Index(fields=["stage", "due_on"], name="rights_case_stage_due"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount_claimed__isnull=True) | Q(amount_claimed__gte=0),
                                   name="rights_case_claimed_not_negative"),
            models.CheckConstraint(condition=Q(amount_recovered__gte=0), name="rights_case_recovered_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_code} · {self.get_category_display()}"


class CaseEvent(ObjectEvent):
    """One line of a case's history: a step, a comment, a document, an extension, a session."""

    class Kind(models.TextChoices):
        STEP = "step", _("Step")
        COMMENT = "comment", pgettext_lazy("case", "Comment")
        DOCUMENT = "document", _("Document")
        EXTENSION = "extension", _("Deadline extended")
        INVITATION = "invitation", _("Mediator invited")
        SESSION = "session", _("Mediation session")
        AGREEMENT = "agreement", _("Mediation agreement")
        INFORMATION = "information", _("Information from the claimant")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    by_claimant = models.BooleanField(default=False)
    from_stage = models.CharField(max_length=16, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=16, choices=Stage.choices, blank=True)
    text = models.TextField(blank=True)
    visible_to_claimant = models.BooleanField(default=True)

    objects = ScopedManager(tree="case__node__path__within")

    class Meta:
        verbose_name = pgettext_lazy("model", "case event")
        verbose_name_plural = pgettext_lazy("model", "case events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.case_id}"

    @property
    def summary(self) -> str:
        """What the step records, worded when shown (in the reader's language), then the free text."""
        from django.utils.translation import gettext

        data = self.data or {}
        if self.kind == self.Kind.STEP and data.get("channel"):
            said = str(dict(Channel.choices).get(data["channel"], ""))
        elif self.kind == self.Kind.INVITATION and data.get("partner"):
            said = f"{dict(Invitation.Partner.choices).get(data['partner'], '')}：{data.get('mediator_name', '')}"
            if data.get("revoked"):
                said = gettext("Invitation withdrawn: %(who)s") % {"who": data.get("mediator_name", "")}
        elif self.kind == self.Kind.SESSION and data.get("result"):
            said = (f"{data.get('held_on', '')} {data.get('place', '')}："
                    f"{dict(MediationSession.Result.choices).get(data['result'], '')}")
        elif self.kind == self.Kind.AGREEMENT and data.get("amount"):
            said = gettext("Agreement signed; %(amount)s yuan recovered.") % {"amount": data["amount"]}
        elif self.kind == self.Kind.STEP and data.get("handler_name"):
            said = data["handler_name"]
        else:
            said = ""
        return "\n".join(part for part in (said, self.text) if part)


class Attachment(StoredFile):
    """A picture or PDF of a case, stored under a random name outside the web root."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    event = models.ForeignKey(CaseEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments")
    extension = models.CharField(max_length=8)
    title = models.CharField(_("title"), max_length=100)
    by_claimant = models.BooleanField(default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    objects = ScopedManager(tree="case__node__path__within")

    class Meta:
        verbose_name = pgettext_lazy("model", "case attachment")
        verbose_name_plural = pgettext_lazy("model", "case attachments")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.title


class Invitation(models.Model):
    """An outside partner (court, labour bureau, justice bureau, lawyer) asked to mediate one case."""

    class Partner(models.TextChoices):
        COURT = "court", _("People's court")
        LABOUR_BUREAU = "labour_bureau", _("Human resources and social security bureau")
        JUSTICE_BUREAU = "justice_bureau", _("Justice bureau")
        LAWYER = "lawyer", _("Lawyer")
        OTHER = "other", pgettext_lazy("partner", "Other")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="invitations")
    mediator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rights_invitations")
    partner = models.CharField(_("partner"), max_length=16, choices=Partner.choices)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    invited_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(tree="case__node__path__within")

    class Meta:
        verbose_name = pgettext_lazy("model", "mediator invitation")
        verbose_name_plural = pgettext_lazy("model", "mediator invitations")
        constraints = [models.UniqueConstraint(fields=["case", "mediator"], name="rights_invitation_once")]

    def __str__(self) -> str:
        return f"{self.mediator} @ {self.case_id}"


class MediationSession(models.Model):
    """A joint mediation session (法院+工会+人社+N)."""

    class Result(models.TextChoices):
        AGREEMENT = "agreement", _("Agreement reached")
        PARTIAL = "partial", _("Partly agreed")
        ADJOURNED = "adjourned", _("Adjourned")
        FAILED = "failed", _("No agreement")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=100)
    participants = models.CharField(_("participants"), max_length=300)
    result = models.CharField(_("result"), max_length=12, choices=Result.choices)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(tree="case__node__path__within")

    class Meta:
        verbose_name = pgettext_lazy("model", "mediation session")
        verbose_name_plural = pgettext_lazy("model", "mediation sessions")
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"{self.held_on} · {self.get_result_display()}"


class MediationAgreement(models.Model):
    """The signed mediation agreement (调解协议书) of a case and the amount it recovers."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="agreement")
    signed_on = models.DateField(_("signed on"))
    terms = models.TextField(_("terms"))
    amount = models.DecimalField(_("amount recovered (yuan)"), max_digits=12, decimal_places=2)
    document = models.ForeignKey(Attachment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(tree="case__node__path__within")

    class Meta:
        verbose_name = pgettext_lazy("model", "mediation agreement")
        verbose_name_plural = pgettext_lazy("model", "mediation agreements")
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="rights_agreement_not_negative")]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.amount}"


# --- legal check-ups (劳动用工法律体检) ---------------------------------------------------------------

class CheckupItem(models.Model):
    """An item of the check-up template (a legal risk to look at); the same list for every visit.

    The template is edited by county cadres (``services.checklist``). An item that a check-up has
    answered is never changed in place: rewording it retires it and adds a new version
    (``replaces``), so a past check-up keeps the item it was made with."""

    code = models.CharField(max_length=32, unique=True)
    title = models.CharField(_("item"), max_length=100)
    basis = models.CharField(_("legal basis"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)
    replaces = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("replaces"))
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "check-up item")
        verbose_name_plural = pgettext_lazy("model", "check-up items")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title


class Checkup(models.Model):
    """A legal check-up visit to an employer."""

    employer = models.ForeignKey("orgs.Employer", verbose_name=_("employer"), on_delete=models.PROTECT,
                                 related_name="legal_checkups")
    node = models.ForeignKey("orgs.Node", verbose_name=_("union"), on_delete=models.PROTECT,
                             related_name="legal_checkups")
    visited_on = models.DateField(_("visited on"))
    inspectors = models.CharField(_("inspectors"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(tree="node__path__within")

    class Meta:
        verbose_name = pgettext_lazy("model", "legal check-up")
        verbose_name_plural = pgettext_lazy("model", "legal check-ups")
        ordering = ["-visited_on", "-id"]

    def __str__(self) -> str:
        return f"{self.employer} · {self.visited_on}"


class Finding(models.Model):
    """What the visit found for one template item; a risk opens a rectification with a due date."""

    class Result(models.TextChoices):
        OK = "ok", _("Compliant")
        RISK = "risk", _("Risk found")
        NOT_APPLICABLE = "na", _("Not applicable")

    checkup = models.ForeignKey(Checkup, on_delete=models.CASCADE, related_name="findings")
    item = models.ForeignKey(CheckupItem, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)  # the item's place in the template that day
    result = models.CharField(_("result"), max_length=4, choices=Result.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    rectify_by = models.DateField(_("rectify by"), null=True, blank=True)
    rectified_on = models.DateField(_("rectified on"), null=True, blank=True)
    follow_up = models.CharField(_("follow-up"), max_length=300, blank=True)

    objects = ScopedManager(tree="checkup__node__path__within")

    class Meta:
        verbose_name = pgettext_lazy("model", "check-up finding")
        verbose_name_plural = pgettext_lazy("model", "check-up findings")
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["checkup", "item"], name="rights_finding_once")]

    def __str__(self) -> str:
        return f"{self.item} · {self.get_result_display()}"


# --- collective agreements (工资集体协商 / 集体合同) -----------------------------------------------------

class AgreementKind(models.TextChoices):
    COLLECTIVE = "collective", _("Collective contract")
    WAGE = "wage", _("Special collective wage agreement")
    FEMALE = "female", _("Special agreement on female workers' rights")
    SAFETY = "safety", _("Special agreement on work safety")


class CollectiveAgreement(models.Model):
    """A collective contract or special agreement of an employer (or an industry / area union)."""

    node = models.ForeignKey("orgs.Node", verbose_name=_("union"), on_delete=models.PROTECT,
                             related_name="collective_agreements")
    employer = models.ForeignKey("orgs.Employer", verbose_name=_("employer"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="collective_agreements")
    kind = models.CharField(_("type"), max_length=12, choices=AgreementKind.choices)
    signed_on = models.DateField(_("signed on"))
    term_months = models.PositiveSmallIntegerField(_("term (months)"))
    expires_on = models.DateField(_("expires on"))
    wage_growth = models.DecimalField(_("agreed wage growth (%)"), max_digits=5, decimal_places=2, null=True,
                                      blank=True)
    workers_covered = models.PositiveIntegerField(_("workers covered"))
    has_congress = models.BooleanField(_("workers' congress (职代会) in place"), default=False)
    has_open_affairs = models.BooleanField(_("open factory affairs (厂务公开) in place"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(tree="node__path__within")

    class Meta:
        verbose_name = pgettext_lazy("model", "collective agreement")
        verbose_name_plural = pgettext_lazy("model", "collective agreements")
        ordering = ["expires_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.signed_on}"


# --- the daily digest -----------------------------------------------------------------------------------

class DigestRun(models.Model):
    """One sending of the daily digest of overdue cases: at most one per day (the unique day makes a
    second run the same day send nothing; it is counted in ``repeats``)."""

    day = models.DateField(_("day"), unique=True)
    sent_at = models.DateTimeField(_("sent at"))
    unions = models.PositiveIntegerField(default=0)
    cases = models.PositiveIntegerField(default=0)
    messages = models.PositiveIntegerField(default=0)
    repeats = models.PositiveIntegerField(default=0)
    last_repeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "digest run")
        verbose_name_plural = pgettext_lazy("model", "digest runs")
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"{self.day} · {self.cases}"
