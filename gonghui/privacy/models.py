"""Personal-information rights (PIPL): the worker's consent to the privacy notice, by version, and
their requests (correction, deletion) that a cadre of their union reviews within 15 working days."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gonghui.core.fields import EncryptedTextField
from gonghui.core.scoping import ScopedManager


class Consent(models.Model):
    """One acceptance of one version of the privacy notice; a withdrawal closes it, nothing is deleted."""

    worker = models.ForeignKey("accounts.Worker", on_delete=models.CASCADE, related_name="privacy_consents")
    version = models.CharField(_("notice version"), max_length=20)
    accepted_at = models.DateTimeField(_("accepted at"))
    channel = models.CharField(max_length=20, default="worker")
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "privacy consent")
        verbose_name_plural = pgettext_lazy("model", "privacy consents")
        ordering = ["-accepted_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["worker", "version"], condition=Q(withdrawn_at__isnull=True),
                                               name="privacy_consent_one_live_per_version")]

    def __str__(self) -> str:
        return f"consent {self.version} · {self.worker_id}"


class RequestKind(models.TextChoices):
    CORRECTION = "correction", _("Correction of my data")
    DELETION = "deletion", _("Deletion of my data")


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    DONE = "done", _("Carried out")
    REJECTED = "rejected", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class PrivacyRequest(models.Model):
    """A worker's request about their personal information, reviewed by a cadre of their union."""

    node = models.ForeignKey("orgs.Node", verbose_name=_("union"), on_delete=models.PROTECT,
                             related_name="privacy_requests")
    worker = models.ForeignKey("accounts.Worker", on_delete=models.PROTECT, related_name="privacy_requests")
    kind = models.CharField(_("request"), max_length=12, choices=RequestKind.choices)
    details = EncryptedTextField(_("what should be corrected"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=RequestStatus.choices,
                              default=RequestStatus.PENDING)
    submitted_at = models.DateTimeField(_("submitted at"))
    due_on = models.DateField(_("answer due on"))
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decision_note = models.CharField(_("answer"), max_length=300, blank=True)
    result = models.JSONField(default=dict, blank=True)  # counts of records anonymised or kept, no personal data

    objects = ScopedManager(tree="node__path__within")

    class Meta:
        verbose_name = _("personal-information request")
        ordering = ["due_on", "id"]
        constraints = [models.UniqueConstraint(fields=["worker", "kind"], condition=Q(status="pending"),
                                               name="privacy_request_one_pending_per_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"
