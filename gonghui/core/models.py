from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .log import AppendOnlyLog, AppendOnlyQuerySet


class StoredFile(models.Model):
    """The shape every kept file shares (a claim's attachment, an application's material, a project's file,
    a hardship document, a medical claim's receipt): the name it is stored under in ``core.storage`` (never
    the uploader's file name as a path), its type and size as checked from its bytes (``core.uploads``),
    and when it came. Each module adds what it is to the file (its object, title, who uploaded it)."""

    stored_name = models.CharField(max_length=200, editable=False)
    content_type = models.CharField(max_length=50, editable=False)
    size = models.PositiveIntegerField(default=0, editable=False)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class ObjectEvent(models.Model):
    """The shape of an object's own history (a union's, a member's, a case's, a hardship file's, a registration
    application's, a project's): when, who, and what the step carried. Unlike the audit log — which records
    every access and change for accountability and holds no personal data — these are the domain's history
    shown on the object's page and read by the domain: a member's joined/left dates for statistics as of a
    date, a case's stages and what the claimant may see, who approved a project (the approver-pays rule)."""

    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        abstract = True


class TwoPersonDecision(models.Model):
    """The shape of a record one person prepares and another decides (a payment, an allocation order):
    who prepared it and when, who approved or rejected it and when, and the reason given with a
    rejection. Each model keeps its own ``status`` (its states differ); the rule that the decider is
    never the preparer is the workflow's (``core.statemachine``, ``done_by``)."""

    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    prepared_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        abstract = True


class AuditEntry(AppendOnlyLog):
    """One audited event: a row of the append-only log of ``core.log`` (its order is ``seq``, its
    hash covers ``log_fields``; signed checkpoints seal the rows, ``gonghui audit-verify`` checks them).
    """

    at = models.DateTimeField(db_index=True)
    actor_type = models.CharField(max_length=16)  # "user", "worker", "system"
    actor_id = models.CharField(max_length=64, blank=True)
    actor_label = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=80, db_index=True)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    data = models.JSONField(default=dict, blank=True)
    ip = models.CharField(max_length=45, blank=True)
    channel = models.CharField(max_length=16, blank=True)
    # The union the record belongs to (tree path; empty for sign-ins and other account events):
    # the log is read by subtree. Covered by the hash.
    node_path = models.CharField(max_length=255, blank=True, db_index=True)

    objects = AppendOnlyQuerySet.as_manager()

    log_label = "core.audit"
    log_fields = ("at", "actor_type", "actor_id", "actor_label", "action", "object_type", "object_id",
                  "object_repr", "data", "ip", "channel", "node_path")

    class Meta:
        ordering = ["seq"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"


class KeyFingerprint(models.Model):
    """A key this database was written with, by its fingerprint (``crypto.fingerprint``), never the key.

    Recorded on the first migrate and when a new newest field key is added (rotation); the
    application refuses to start with keys that match none of them (``core.keycheck``).
    """

    setting = models.CharField(max_length=40)  # GONGHUI_FIELD_KEYS or GONGHUI_HASH_KEY
    fingerprint = models.CharField(max_length=64)
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = pgettext_lazy("model", "key fingerprint")
        verbose_name_plural = pgettext_lazy("model", "key fingerprints")
        constraints = [models.UniqueConstraint(fields=["setting", "fingerprint"], name="core_key_fingerprint_once")]

    def __str__(self) -> str:
        return f"{self.setting} {self.fingerprint}"


class AuditCheckpoint(models.Model):
    """A signed tree head over the audit log: the Merkle root (RFC 6962/9162) of the first ``size``
    rows' hashes, signed with an Ed25519 key kept outside the database (``core.checkpoints``).

    Someone who rewrites rows and recomputes the hash chain, or truncates the table, cannot sign a
    new head: ``gonghui audit-verify`` checks every row up to the latest checkpoint against it."""

    # The log it seals (``core.log``: "core.audit", "aid.disbursements", "funds.ledger") and the
    # highest seq among its ``size`` rows (empty on the audit log's first checkpoints: rows 1..size).
    stream = models.CharField(max_length=40, default="core.audit")
    size = models.PositiveBigIntegerField()
    upto_seq = models.PositiveBigIntegerField(null=True, blank=True)
    root = models.CharField(max_length=64)
    signed_at = models.DateTimeField()
    key_id = models.CharField(max_length=16)
    signature = models.CharField(max_length=128)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["stream", "size"]
        constraints = [models.UniqueConstraint(fields=["stream", "size"], name="core_checkpoint_stream_size")]
        verbose_name = _("audit checkpoint")
        verbose_name_plural = _("audit checkpoints")

    def __str__(self) -> str:
        return f"checkpoint {self.stream} {self.size} {self.root[:12]}"
