"""Legal-person registration (工会法人资格登记): offices, applications, the register, certificates.

The application form's blocks (facts, legal representative, funding, funds, premises) are one
abstract model shared by the application (what the union asks for) and the register (what the
office approved), so an approval copies field by field and the history records the differences.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gonghui.core.fields import EncryptedTextField
from gonghui.core.models import ObjectEvent, StoredFile
from gonghui.core.scoping import ScopedManager

from .workflow import ApplicationStatus


class RegistrationOffice(models.Model):
    """A union that registers the legal persons of its subtree (a node flag kept in this app).

    An application goes to the nearest office above the applying union.
    """

    node = models.OneToOneField("orgs.Node", verbose_name=_("union"), on_delete=models.PROTECT,
                                related_name="registration_office")
    issuer_name = models.CharField(_("issuing authority"), max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(tree="node__path__within")

    class Meta:
        verbose_name = _("registration office")
        verbose_name_plural = _("registration offices")

    def __str__(self) -> str:
        return self.issuer_name


class Kind(models.TextChoices):
    ESTABLISH = "establish", _("Establishment registration")
    CHANGE = "change", _("Change registration")
    RENEW = "renew", _("Renewal of certificate")
    REISSUE = "reissue", _("Reissue of lost certificate")
    CANCEL = "cancel", _("Cancellation of registration")


class FormBlocks(models.Model):
    """The registration form: the union's facts, legal representative, funding, funds and premises."""

    name = models.CharField(_("union name"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    elected_on = models.DateField(_("committee elected on"), null=True, blank=True)
    term_years = models.PositiveSmallIntegerField(_("term (years)"), null=True, blank=True)
    approving_body = models.CharField(_("approving body"), max_length=100, blank=True)
    approval_doc_no = models.CharField(_("approval document number"), max_length=60, blank=True)
    worker_count = models.PositiveIntegerField(_("workers"), default=0)
    member_count = models.PositiveIntegerField(_("members"), default=0)
    full_time_cadres = models.PositiveIntegerField(_("full-time cadres"), default=0)
    chair_name = models.CharField(_("chair"), max_length=50, blank=True)
    legal_rep_name = models.CharField(_("legal representative"), max_length=50, blank=True)
    legal_rep_id_number = EncryptedTextField(_("legal representative's ID number"), blank=True)
    funding_source = models.CharField(_("funding source"), max_length=100, blank=True)
    last_year_balance = models.DecimalField(_("last year's balance (yuan)"), max_digits=14, decimal_places=2,
                                            default=0)
    dues_income = models.DecimalField(_("membership dues (yuan)"), max_digits=14, decimal_places=2, default=0)
    retained_funds = models.DecimalField(_("retained share of union funds (yuan)"), max_digits=14, decimal_places=2,
                                         default=0)
    other_income = models.DecimalField(_("other income (yuan)"), max_digits=14, decimal_places=2, default=0)
    fixed_funds = models.DecimalField(_("fixed funds (yuan)"), max_digits=14, decimal_places=2, default=0)
    working_funds = models.DecimalField(_("working funds (yuan)"), max_digits=14, decimal_places=2, default=0)
    premises_m2 = models.DecimalField(_("premises (m²)"), max_digits=10, decimal_places=2, default=0)

    class Meta:
        abstract = True


# The form fields in the order of the paper form; the register copies exactly these.
FORM_FIELDS = [f.name for f in FormBlocks._meta.fields]
MONEY_FIELDS = ["last_year_balance", "dues_income", "retained_funds", "other_income", "fixed_funds", "working_funds"]
PERSONAL_FIELDS = {"legal_rep_id_number"}


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", pgettext_lazy("registration", "Registered")
    CANCELLED = "cancelled", pgettext_lazy("registration", "Cancelled")


class Registration(FormBlocks):
    """A union's current record in the register. Cancelled records stay, marked cancelled."""

    node = models.OneToOneField("orgs.Node", verbose_name=_("union"), on_delete=models.PROTECT,
                                related_name="legal_registration")
    office = models.ForeignKey(RegistrationOffice, verbose_name=_("registration office"), on_delete=models.PROTECT,
                               related_name="registrations")
    status = models.CharField(_("status"), max_length=12, choices=RegistrationStatus.choices,
                              default=RegistrationStatus.REGISTERED)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    registered_on = models.DateField(pgettext_lazy("registration", "registered on"))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    cancelled_on = models.DateField(_("cancelled on"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(tree="node__path__within")

    class Meta:
        verbose_name = _("registered union")
        verbose_name_plural = _("register of union legal persons")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["status", "valid_until"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_cancelled(self) -> bool:
        return self.status == RegistrationStatus.CANCELLED


class RegistrationVersion(models.Model):
    """One entry of a registration's history: what an approved application changed."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    application = models.ForeignKey("Application", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    changes = models.JSONField(default=dict, blank=True)   # field -> [old, new]; personal data masked
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = ScopedManager(tree="registration__node__path__within")

    class Meta:
        verbose_name = pgettext_lazy("model", "registration version")
        verbose_name_plural = pgettext_lazy("model", "registration versions")
        ordering = ["-version", "-id"]
        constraints = [models.UniqueConstraint(fields=["registration", "version"], name="registration_version_unique")]

    def __str__(self) -> str:
        return f"{self.registration_id} v{self.version}"


OPEN_STATUSES = [ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED, ApplicationStatus.RETURNED]


class Application(FormBlocks):
    """An application to the registration office; its status moves only through workflow.TRANSITIONS."""

    node = models.ForeignKey("orgs.Node", verbose_name=_("applying union"), on_delete=models.PROTECT,
                             related_name="registration_applications")
    office = models.ForeignKey(RegistrationOffice, verbose_name=_("registration office"), on_delete=models.PROTECT,
                               related_name="applications")
    registration = models.ForeignKey(Registration, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="applications")
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=12, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.DRAFT)
    changed_on = models.DateField(_("date of the change"), null=True, blank=True)
    reason = models.TextField(_("reason / explanation"), blank=True, max_length=1000)
    loss_notice = models.CharField(_("loss notice (where and when published)"), max_length=200, blank=True)
    filed_late = models.BooleanField(_("filed late"), default=False)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    submissions = models.PositiveSmallIntegerField(default=0)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    return_reasons = models.JSONField(default=dict, blank=True)  # checklist item (or "form") -> reason

    objects = ScopedManager(tree="node__path__within")

    class Meta:
        verbose_name = _("registration application")
        verbose_name_plural = _("registration applications")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One open application per union: a double submit or a second tab cannot file twice.
            models.UniqueConstraint(fields=["node"], condition=Q(status__in=OPEN_STATUSES),
                                    name="registration_one_open_application"),
        ]
        indexes = [models.Index(fields=["office", "status"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.name or self.node_id}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class Material(StoredFile):
    """An uploaded document of the checklist. A replaced upload is kept (replaced_at) for the history."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="materials")
    item = models.CharField(_("item"), max_length=32)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    replaced_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(tree="application__node__path__within")

    class Meta:
        verbose_name = pgettext_lazy("model", "application material")
        verbose_name_plural = pgettext_lazy("model", "application materials")
        ordering = ["item", "-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.original_name or self.item


class ApplicationEvent(ObjectEvent):
    """The application's history: every transition, upload and edit, with reasons when returned."""

    class Action(models.TextChoices):
        CREATED = "created", pgettext_lazy("registration", "Created")
        EDITED = "edited", _("Form edited")
        UPLOADED = "uploaded", _("Material uploaded")
        SUBMITTED = "submitted", pgettext_lazy("registration", "Submitted")
        RETURNED = "returned", _("Returned for correction")
        APPROVED = "approved", _("Approved")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=12, choices=Action.choices)
    submission = models.PositiveSmallIntegerField(default=0)

    objects = ScopedManager(tree="application__node__path__within")

    class Meta:
        verbose_name = pgettext_lazy("model", "application event")
        verbose_name_plural = pgettext_lazy("model", "application events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.application_id}"


class Certificate(models.Model):
    """A signed PDF certificate of one version of a registration. Its status is derived, never stored:
    valid while it is the latest certificate of the current version of a registered union."""

    registration = models.ForeignKey(Registration, on_delete=models.PROTECT, related_name="certificates")
    serial = models.CharField(_("certificate number"), max_length=32, unique=True)
    version = models.PositiveIntegerField(_("registration version"))
    reason = models.CharField(max_length=12, choices=Kind.choices)
    issued_at = models.DateTimeField(_("issued"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    stored_name = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64, db_index=True)
    valid_until = models.DateField(_("valid until"))

    objects = ScopedManager(tree="registration__node__path__within")

    class Meta:
        verbose_name = _("certificate")
        ordering = ["-issued_at", "-id"]

    def __str__(self) -> str:
        return self.serial


class RenewalReminder(models.Model):
    """A renewal reminder (换领) sent for one registration and one validity end: the unique constraint
    makes the daily job idempotent, even when two runs overlap."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="reminders")
    valid_until = models.DateField(_("valid until"))
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveSmallIntegerField(_("people notified"), default=0)

    objects = ScopedManager(tree="registration__node__path__within")

    class Meta:
        verbose_name = pgettext_lazy("model", "renewal reminder")
        verbose_name_plural = pgettext_lazy("model", "renewal reminders")
        ordering = ["-sent_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["registration", "valid_until"],
                                               name="registration_reminder_once")]

    def __str__(self) -> str:
        return f"{self.registration_id} · {self.valid_until}"
