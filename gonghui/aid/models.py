"""Models of assistance (帮扶): the hardship registry, programmes with budgets, applications with
their reviews, the disbursement ledger, publicity lists, medical mutual aid and micro-wishes.

Rules held by the database, not only by the services:

- one live application per person, programme and period (``application_one_per_person``) for
  every programme but medical mutual aid, whose claims are many and capped per year instead;
- one active hardship file per person (``hardship_one_active_file``);
- one enrolment per member in a medical mutual aid programme (``enrolment_one_per_member``);
- the ledger numbers the entries of each application (``ledger_entry_no``), so two payments racing
  for one application collide; rows are never updated (PostgreSQL refuses by trigger) and each
  carries a keyed hash chained to the previous one.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gonghui.core.fields import BlindIndexField, EncryptedTextField
from gonghui.core.log import AppendOnlyLog
from gonghui.core.models import ObjectEvent, StoredFile
from gonghui.core.scoping import ScopedManager

MONEY = {"max_digits": 12, "decimal_places": 2}


class ProgrammeKind(models.TextChoices):
    WINTER_WARMTH = "winter_warmth", _("Winter warmth")
    SUMMER_COOLING = "summer_cooling", _("Summer cooling")
    AUTUMN_SCHOLARSHIP = "autumn_scholarship", _("Autumn scholarship")
    SPRING_JOBS = "spring_jobs", _("Spring jobs")
    CONSOLATION = "consolation", _("Four-season consolation")
    MEDICAL = "medical_mutual_aid", _("Medical mutual aid")
    MICRO_WISH = "micro_wish", _("Micro-wish")


class Programme(models.Model):
    """One programme of one union for one period (e.g. 2026 送温暖 of the county federation)."""

    node = models.ForeignKey("orgs.Node", verbose_name=_("organizing union"), on_delete=models.PROTECT,
                             related_name="aid_programmes")
    kind = models.CharField(_("kind"), max_length=20, choices=ProgrammeKind.choices)
    name = models.CharField(_("name"), max_length=100)
    year = models.PositiveSmallIntegerField(_("year"))
    period = models.CharField(_("period"), max_length=20, help_text=_("e.g. 2026 or 2026-spring"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    review_levels = models.PositiveSmallIntegerField(_("review levels"), default=1, choices=[(1, "1"), (2, "2")])
    standard_amount = models.DecimalField(_("standard amount"), null=True, blank=True, **MONEY)
    objection_workdays = models.PositiveSmallIntegerField(_("objection period (working days)"), default=5)
    # SPEC §6 orders approval → disbursement → publicity (the default). With this set, the publicity
    # list comes first: an approved entry is paid only after its objection period ended with no
    # objection pending or upheld (公示无异议后发放).
    pay_after_publicity = models.BooleanField(_("pay only after the publicity period"), default=False)
    # medical mutual aid rules
    enrolment_fee = models.DecimalField(_("enrolment fee"), null=True, blank=True, **MONEY)
    deductible = models.DecimalField(_("deductible"), null=True, blank=True, **MONEY)
    ratio = models.DecimalField(_("payout ratio"), null=True, blank=True, max_digits=4, decimal_places=3)
    cap_per_claim = models.DecimalField(_("cap per claim"), null=True, blank=True, **MONEY)
    cap_per_year = models.DecimalField(_("cap per year"), null=True, blank=True, **MONEY)
    is_open = models.BooleanField(_("open for applications"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(tree="node__path__within")

    class Meta:
        verbose_name = _("aid programme")
        verbose_name_plural = _("aid programmes")
        ordering = ["-year", "kind", "id"]
        constraints = [models.UniqueConstraint(fields=["node", "kind", "period"], name="programme_unique_period")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_medical(self) -> bool:
        return self.kind == ProgrammeKind.MEDICAL


class Budget(models.Model):
    """Money a union may commit to a programme. Approvals lock this row (SELECT … FOR UPDATE)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="budgets")
    node = models.ForeignKey("orgs.Node", verbose_name=_("union"), on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("budget"), **MONEY)
    committed = models.DecimalField(_("approved so far"), default=Decimal("0"), **MONEY)
    # A union's share is carved out of the budget above it (``parent``): the parent's ``carved``
    # grows by the share, so approvals and shares together never exceed the parent's amount.
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="shares",
                               editable=False)
    carved = models.DecimalField(_("handed down as shares"), default=Decimal("0"), editable=False, **MONEY)

    objects = ScopedManager(tree="node__path__within")

    class Meta:
        verbose_name = _("budget")
        constraints = [
            models.UniqueConstraint(fields=["programme", "node"], name="budget_one_per_node"),
            models.CheckConstraint(condition=Q(committed__lte=models.F("amount") - models.F("carved")),
                                   name="budget_not_exceeded"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_not_negative"),
            models.CheckConstraint(condition=Q(carved__gte=0), name="budget_carved_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.programme_id}@{self.node_id}: {self.amount}"

    @property
    def free(self) -> Decimal:
        """What is neither approved nor handed down as shares."""
        return self.amount - self.committed - self.carved


class HardshipCause(models.TextChoices):
    ILLNESS = "illness", _("Serious illness")
    EDUCATION = "education", _("Children's education")
    DISASTER = "disaster", _("Disaster or accident")
    DISABILITY = "disability", _("Disability")
    UNEMPLOYMENT = "unemployment", _("Unemployment or low wages")
    SINGLE_PARENT = "single_parent", _("Single-parent household")
    OTHER = "other", pgettext_lazy("cause", "Other")


class HardshipLevel(models.TextChoices):
    DEEP = "deep", _("Deep hardship")
    RELATIVE = "relative", _("Relative hardship")
    SUDDEN = "sudden", _("Hardship after an accident")


class HardshipStatus(models.TextChoices):
    ACTIVE = "active", _("On the registry")
    EXITED = "exited", _("Left the registry")


class HardshipFile(models.Model):
    """困难职工档案: a worker's household in hardship. Personal and medical details are encrypted."""

    node = models.ForeignKey("orgs.Node", verbose_name=_("union"), on_delete=models.PROTECT,
                             related_name="hardship_files")
    member = models.ForeignKey("members.Member", verbose_name=_("member"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    name = EncryptedTextField(pgettext_lazy("person", "name"))
    id_number = EncryptedTextField(_("resident ID number"))
    person_hash = BlindIndexField()
    phone = EncryptedTextField(_("mobile"), blank=True)
    phone_hash = BlindIndexField(blank=True, db_index=True)
    cause = models.CharField(_("cause"), max_length=16, choices=HardshipCause.choices)
    level = models.CharField(_("level"), max_length=10, choices=HardshipLevel.choices)
    household_size = models.PositiveSmallIntegerField(_("household size"))
    income_per_head = models.DecimalField(_("household income per head (yuan a month)"), **MONEY)
    situation = EncryptedTextField(_("situation, incl. illness"), blank=True)
    status = models.CharField(_("status"), max_length=8, choices=HardshipStatus.choices,
                              default=HardshipStatus.ACTIVE)
    registered_on = models.DateField(pgettext_lazy("hardship", "registered on"))
    review_due_on = models.DateField(_("annual review due on"))
    reminded_for = models.DateField(null=True, blank=True, editable=False)  # the due date last reminded of
    exited_on = models.DateField(pgettext_lazy("hardship", "left on"), null=True, blank=True)
    exit_reason = models.CharField(_("reason for leaving"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = ScopedManager(tree="node__path__within")

    class Meta:
        verbose_name = _("hardship file")
        verbose_name_plural = _("hardship files")
        ordering = ["review_due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person_hash"], condition=Q(status="active"),
                                    name="hardship_one_active_file"),
            models.CheckConstraint(condition=Q(income_per_head__gte=0), name="hardship_income_not_negative"),
        ]

    def __str__(self) -> str:
        from gonghui.core.masking import mask_name

        return f"{mask_name(self.name)} ({self.pk})"


class HouseholdMember(models.Model):
    file = models.ForeignKey(HardshipFile, on_delete=models.CASCADE, related_name="household")
    name = EncryptedTextField(pgettext_lazy("person", "name"))
    relation = models.CharField(_("relation"), max_length=20)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    note = EncryptedTextField(_("health, school or work"), max_length=300, blank=True)

    objects = ScopedManager(tree="file__node__path__within")

    class Meta:
        verbose_name = pgettext_lazy("model", "household member")
        verbose_name_plural = pgettext_lazy("model", "household members")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.relation} · {self.file_id}"



class HardshipDocument(StoredFile):
    file = models.ForeignKey(HardshipFile, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("document"), max_length=100)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = ScopedManager(tree="file__node__path__within")

    class Meta:
        verbose_name = pgettext_lazy("model", "hardship document")
        verbose_name_plural = pgettext_lazy("model", "hardship documents")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.title



class HardshipEvent(ObjectEvent):
    """The file's history: registered, edited, reviewed, left the registry."""

    class Action(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        EDITED = "edited", _("Edited")
        REVIEWED = "reviewed", _("Annual review")
        EXITED = "exited", _("Left the registry")
        DOCUMENT = "document", _("Document added")

    file = models.ForeignKey(HardshipFile, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=12, choices=Action.choices)
    note = models.CharField(max_length=200, blank=True)

    objects = ScopedManager(tree="file__node__path__within")

    class Meta:
        verbose_name = pgettext_lazy("model", "hardship file event")
        verbose_name_plural = pgettext_lazy("model", "hardship file events")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.file_id}"



class Enrolment(models.Model):
    """A member's yearly enrolment in medical mutual aid (fee paid, period covered)."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="enrolments")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")
    node = models.ForeignKey("orgs.Node", on_delete=models.PROTECT, related_name="+")
    fee = models.DecimalField(_("fee"), **MONEY)
    covers_from = models.DateField(_("covers from"))
    covers_to = models.DateField(_("covers to"))
    enrolled_at = models.DateTimeField(auto_now_add=True)
    enrolled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = ScopedManager(tree="node__path__within")

    class Meta:
        verbose_name = _("enrolment")
        ordering = ["-enrolled_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["programme", "member"], name="enrolment_one_per_member")]

    def __str__(self) -> str:
        return f"{self.member_id}@{self.programme_id}"



class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for review")
    FIRST_PASSED = "first_passed", _("Passed first review")
    APPROVED = "approved", _("Approved, to be paid")
    PAID = "paid", _("Paid")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


LIVE_STATUSES = (Status.SUBMITTED, Status.FIRST_PASSED, Status.APPROVED, Status.PAID)


class Channel(models.TextChoices):
    WORKER = "worker", _("Worker's phone")
    CLERK = "clerk", _("Entered by a clerk")


class Application(models.Model):
    """An application for aid for one person (a member or a registered household)."""

    programme = models.ForeignKey(Programme, verbose_name=_("programme"), on_delete=models.PROTECT,
                                  related_name="applications")
    node = models.ForeignKey("orgs.Node", verbose_name=_("union"), on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey("members.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    hardship = models.ForeignKey(HardshipFile, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="applications")
    worker = models.ForeignKey("accounts.Worker", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="aid_applications")
    name = EncryptedTextField(pgettext_lazy("person", "name"))
    id_number = EncryptedTextField(_("resident ID number"))
    person_hash = BlindIndexField()
    repeatable = models.BooleanField(default=False, editable=False)  # medical claims: many per year
    reason = models.CharField(_("reason"), max_length=300)
    amount_requested = models.DecimalField(_("amount requested"), **MONEY)
    amount_approved = models.DecimalField(_("amount approved"), null=True, blank=True, **MONEY)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)
    first_reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                          on_delete=models.SET_NULL, related_name="+")
    first_reviewed_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("review note"), max_length=200, blank=True)
    budget = models.ForeignKey(Budget, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # Above the programme's standard amount only when a reviewer of the organizing union raised it.
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", editable=False)
    raised_at = models.DateTimeField(null=True, blank=True, editable=False)
    raise_reason = models.CharField(_("reason for the higher amount"), max_length=200, blank=True, editable=False)

    objects = ScopedManager(tree="node__path__within")

    class Meta:
        verbose_name = _("aid application")
        verbose_name_plural = _("aid applications")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "person_hash"],
                                    condition=Q(status__in=LIVE_STATUSES) & Q(repeatable=False),
                                    name="application_one_per_person"),
            models.CheckConstraint(condition=Q(amount_requested__gt=0), name="application_amount_positive"),
        ]
        indexes = [models.Index(fields=["programme", "status"], name="aid_app_programme_status")]

    def __str__(self) -> str:
        from gonghui.core.masking import mask_name

        return f"{mask_name(self.name)} · {self.programme_id}"


class MedicalClaim(models.Model):
    """The medical details of a mutual-aid claim: visible to aid officers and the worker only."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="claim")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="claims")
    hospital = models.CharField(_("hospital"), max_length=100)
    diagnosis = EncryptedTextField(_("diagnosis category"))
    admitted_on = models.DateField(_("admitted on"))
    discharged_on = models.DateField(_("discharged on"))
    bills_total = models.DecimalField(_("total of the bills"), **MONEY)
    eligible = models.DecimalField(_("eligible self-paid amount"), **MONEY)
    payout = models.DecimalField(_("computed payout"), **MONEY)
    steps = models.JSONField(_("computation"), default=list)

    objects = ScopedManager(tree="application__node__path__within")

    class Meta:
        verbose_name = pgettext_lazy("model", "medical mutual-aid claim")
        verbose_name_plural = pgettext_lazy("model", "medical mutual-aid claims")

    def __str__(self) -> str:
        return f"{self.hospital} · {self.application_id}"



class ClaimBill(models.Model):
    claim = models.ForeignKey(MedicalClaim, on_delete=models.CASCADE, related_name="bills")
    number = models.CharField(_("bill number"), max_length=40)
    amount = models.DecimalField(_("amount"), **MONEY)

    objects = ScopedManager(tree="claim__application__node__path__within")

    class Meta:
        verbose_name = pgettext_lazy("model", "medical bill")
        verbose_name_plural = pgettext_lazy("model", "medical bills")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.number}: {self.amount}"



class ClaimDocument(StoredFile):
    """A photo or PDF of a hospital bill or discharge summary: medical data, shown only to aid
    officers of the subtree and the worker; stored under a random name outside the web root."""

    claim = models.ForeignKey(MedicalClaim, on_delete=models.CASCADE, related_name="documents")

    objects = ScopedManager(tree="claim__application__node__path__within")

    class Meta:
        verbose_name = pgettext_lazy("model", "claim document")
        verbose_name_plural = pgettext_lazy("model", "claim documents")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.claim_id}: {self.stored_name}"


class ScholarshipLevel(models.TextChoices):
    UNDERGRADUATE = "undergraduate", _("Undergraduate")
    JUNIOR_COLLEGE = "junior_college", _("Junior college")
    VOCATIONAL = "vocational", _("Secondary vocational")
    SENIOR_HIGH = "senior_high", _("Senior high school")
    POSTGRADUATE = "postgraduate", _("Postgraduate")


class Scholarship(models.Model):

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="scholarship")
    student = EncryptedTextField(_("student"))
    school = models.CharField(_("school"), max_length=100)
    admission_year = models.PositiveSmallIntegerField(_("admission year"))
    level = models.CharField(_("level"), max_length=16, choices=ScholarshipLevel.choices)

    objects = ScopedManager(tree="application__node__path__within")

    class Meta:
        verbose_name = pgettext_lazy("model", "scholarship")
        verbose_name_plural = pgettext_lazy("model", "scholarships")

    def __str__(self) -> str:
        return f"{self.school} ({self.admission_year})"



class Method(models.TextChoices):
    BANK = "bank", _("Bank transfer")
    CASH = "cash", _("Cash")
    IN_KIND = "in_kind", _("Goods in kind")


class LedgerKind(models.TextChoices):
    PAYMENT = "payment", _("Payment")
    REVERSAL = "reversal", _("Reversal")


class Disbursement(AppendOnlyLog):
    """One line of the append-only disbursement ledger (a log of ``core.log``: ``seq``, ``hash``).
    A correction is a reversing line."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="ledger")
    entry_no = models.PositiveSmallIntegerField(editable=False)
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="ledger")
    node = models.ForeignKey("orgs.Node", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("entry"), max_length=8, choices=LedgerKind.choices)
    amount = models.DecimalField(_("amount"), **MONEY)  # negative for a reversal
    method = models.CharField(_("method"), max_length=8, choices=Method.choices)
    paid_on = models.DateField(_("paid on"))
    reverses = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    objects = ScopedManager(tree="node__path__within")

    log_label = "aid.disbursements"
    log_fields = ("application", "entry_no", "programme", "node", "kind", "amount", "method", "paid_on", "reverses",
                  "note", "recorded_at", "recorded_by")

    class Meta:
        verbose_name = _("disbursement")
        ordering = ["-seq"]
        constraints = [
            models.UniqueConstraint(fields=["application", "entry_no"], name="ledger_entry_no"),
            models.UniqueConstraint(fields=["reverses"], name="ledger_reversed_once"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.amount}"

    @property
    def mac(self) -> str:
        """The row's keyed hash (the column was called so before the logs were one)."""
        return self.hash

    def save(self, *args, **kwargs):
        if not kwargs.get("force_insert"):
            raise ValueError("the disbursement ledger is append-only: record a reversing entry instead")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("the disbursement ledger is append-only: record a reversing entry instead")



class Publicity(models.Model):
    """公示: the approved applications of a programme shown with masked names for an objection period."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="publicities")
    node = models.ForeignKey("orgs.Node", on_delete=models.PROTECT, related_name="+")
    published_on = models.DateField(_("published on"))
    objection_until = models.DateField(_("objections until"))
    applications = models.ManyToManyField(Application, related_name="publicities")
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = ScopedManager(tree="node__path__within")

    class Meta:
        verbose_name = _("publicity list")
        ordering = ["-published_on", "-id"]

    def __str__(self) -> str:
        return f"{self.programme_id} {self.published_on}"



class ObjectionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    UPHELD = "upheld", _("Upheld: the approval is revoked")
    DISMISSED = "dismissed", _("Dismissed")


class Objection(models.Model):
    """异议: someone with the publicity link objects to one entry during the objection period.

    Filed by a worker signed in by phone; decided by an aid officer of the entry's subtree. The
    objector's phone and reason are personal data (encrypted); one objection per person and entry."""

    publicity = models.ForeignKey(Publicity, on_delete=models.PROTECT, related_name="objections")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="objections")
    node = models.ForeignKey("orgs.Node", on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey("accounts.Worker", on_delete=models.PROTECT, related_name="aid_objections")
    reason = EncryptedTextField(_("reason"))
    evidence = models.CharField(max_length=200, blank=True, editable=False)
    evidence_type = models.CharField(max_length=50, blank=True, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=ObjectionStatus.choices,
                              default=ObjectionStatus.PENDING)
    filed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("decision"), max_length=300, blank=True)

    objects = ScopedManager(tree="node__path__within")

    class Meta:
        verbose_name = _("objection")
        ordering = ["-filed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["publicity", "application", "worker"], name="objection_once_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} ({self.status})"


class WishKind(models.TextChoices):
    MONEY = "money", _("An amount of money")
    ITEM = "item", _("An item")


class WishStatus(models.TextChoices):
    OPEN = "open", _("Waiting for a helper")
    CLAIMED = "claimed", _("Claimed")
    FULFILLED = "fulfilled", _("Fulfilled")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Wish(models.Model):
    """微心愿: a worker's small wish, claimed by a unit or a donor, fulfilment shown by a photo."""

    node = models.ForeignKey("orgs.Node", verbose_name=_("union"), on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey("accounts.Worker", null=True, on_delete=models.SET_NULL, related_name="wishes")
    name = EncryptedTextField(pgettext_lazy("person", "name"))
    title = models.CharField(_("wish"), max_length=60)
    story = models.CharField(_("why"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=6, choices=WishKind.choices)
    amount = models.DecimalField(_("amount"), null=True, blank=True, **MONEY)
    item = models.CharField(_("item"), max_length=60, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=WishStatus.choices, default=WishStatus.OPEN)
    posted_at = models.DateTimeField(auto_now_add=True)
    helper = models.CharField(_("helper (unit or donor)"), max_length=60, blank=True)
    helper_worker = models.ForeignKey("accounts.Worker", null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")
    claimed_at = models.DateTimeField(null=True, blank=True)
    fulfilled_at = models.DateTimeField(null=True, blank=True)
    photo = models.CharField(max_length=200, blank=True, editable=False)
    photo_type = models.CharField(max_length=50, blank=True, editable=False)

    objects = ScopedManager(tree="node__path__within")

    class Meta:
        verbose_name = _("micro-wish")
        verbose_name_plural = _("micro-wishes")
        ordering = ["-posted_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind="item") | Q(amount__gt=0), name="wish_money_positive"),
        ]

    def __str__(self) -> str:
        from gonghui.core.masking import mask_name

        return f"{mask_name(self.name)}: {self.title}"


class IdempotencyKey(models.Model):
    """A money-creating request already answered: the client's ``Idempotency-Key`` (API) or the
    form's one-time token (console), per user. The same key with the same request gets the first
    answer again; with a different request it is refused. Used by aid and funds (``idempotency.py``).

    The stored answer may hold personal data of the created record (masked names, a claim's
    details), so it is encrypted like the record itself."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    operation = models.CharField(max_length=60)
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    answer = EncryptedTextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "idempotency key")
        verbose_name_plural = pgettext_lazy("model", "idempotency keys")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_once_per_user")]

    def __str__(self) -> str:
        return f"{self.operation} · {self.user_id}"
