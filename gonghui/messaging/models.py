"""The outbox: one row per message to a person, written in the transaction of the change that causes it."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gonghui.core.fields import BlindIndexField, EncryptedTextField


class State(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed, will retry")
    PARKED = "parked", _("Parked")


class Message(models.Model):
    """A message to one number (and the worker with that number, in their inbox).

    ``state`` moves queued/failed → sending (claimed by one sender, one attempt) → sent, failed
    (retried at ``next_try_at``) or parked (given up: the provider refused it, or N attempts failed,
    or its sender died mid-send; staff see it and may queue it again).
    """

    kind = models.CharField(_("kind"), max_length=40)
    # Indexed by message_inbox, which begins with it; phone_hash by message_phone (looked up whole, so
    # without the pattern-ops twin PostgreSQL adds to an indexed text field). Every index here is written
    # by every sign-up of a rush (its confirmation).
    worker = models.ForeignKey("accounts.Worker", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="messages", db_index=False)
    phone = EncryptedTextField(_("mobile"))
    phone_hash = BlindIndexField()
    text = EncryptedTextField(_("text"))
    params = EncryptedTextField(_("template parameters"), blank=True)  # JSON
    dedupe_key = models.CharField(max_length=120, unique=True)
    urgent = models.BooleanField(default=False)
    in_inbox = models.BooleanField(default=True)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_try_at = models.DateTimeField(db_index=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    provider_answer = models.CharField(_("provider's answer"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "message")
        verbose_name_plural = pgettext_lazy("model", "messages")
        indexes = [models.Index(fields=["state", "next_try_at"], name="message_due"),
                   models.Index(fields=["worker", "in_inbox", "read_at"], name="message_inbox"),
                   models.Index(fields=["phone_hash"], name="message_phone")]

    def __str__(self) -> str:
        return f"message {self.pk} ({self.kind}, {self.state})"


class ScheduledRun(models.Model):
    """One run of a periodic job in one slot (e.g. rights-digest on 2026-12-07): the row is the claim,
    so two schedulers never run the same slot."""

    job = models.CharField(max_length=60)
    slot = models.CharField(max_length=40)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "scheduled run")
        verbose_name_plural = pgettext_lazy("model", "scheduled runs")
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="scheduled_run_unique")]

    def __str__(self) -> str:
        return f"{self.job} @ {self.slot}"


class Segment(models.TextChoices):
    MEMBERS = "members", _("Members of the union and the unions below it")
    PARTICIPANTS = "participants", _("Participants of an activity or course")
    WAITING = "waiting", _("Waiting list of an activity or course")
    HARDSHIP = "hardship", _("Hardship households of the union and the unions below it")
    VOLUNTEERS = "volunteers", _("Volunteers of a team")
    UNORGANIZED = "unorganized", _("Staff of employers without a union (employer ledger)")


class NoticeState(models.TextChoices):
    PENDING_REVIEW = "pending_review", _("Waiting for review")
    SENT = "sent", _("Sent")


class Notice(models.Model):
    """A cadre's notice to a segment of their subtree, sent through the outbox in batches."""

    node = models.ForeignKey("orgs.Node", on_delete=models.PROTECT, related_name="notices")
    author = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    reviewer = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    segment = models.CharField(_("recipients"), max_length=16, choices=Segment.choices)
    activity_id = models.PositiveIntegerField(null=True, blank=True)
    team_id = models.PositiveIntegerField(null=True, blank=True)
    title = models.CharField(_("title"), max_length=35)
    body = models.TextField(_("text"), max_length=500)
    essential = models.BooleanField(_("essential (sent also to those who opted out)"), default=False)
    submit_key = models.CharField(max_length=64, unique=True)
    state = models.CharField(max_length=16, choices=NoticeState.choices)
    recipients = models.PositiveIntegerField(default=0)
    skipped_invalid = models.PositiveIntegerField(default=0)
    skipped_opted_out = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "group notice")
        verbose_name_plural = pgettext_lazy("model", "group notices")

    def __str__(self) -> str:
        return f"notice {self.pk}: {self.title}"


class OptOut(models.Model):
    """A number that wants no non-essential notices."""

    phone_hash = BlindIndexField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "opt-out")
        verbose_name_plural = pgettext_lazy("model", "opt-outs")

    def __str__(self) -> str:
        return f"opt-out {self.pk}"


class BulletinKind(models.TextChoices):
    NEWS = "news", _("Union news")
    ANNOUNCEMENT = "announcement", _("Announcement")


class Bulletin(models.Model):
    """A union's news item or announcement (工会动态, 公告) on its members' worker pages; a public one also
    on the pages of the members of every union below it."""

    node = models.ForeignKey("orgs.Node", on_delete=models.PROTECT, related_name="bulletins")
    kind = models.CharField(_("kind"), max_length=16, choices=BulletinKind.choices, default=BulletinKind.NEWS)
    title = models.CharField(_("title"), max_length=60)
    body = models.TextField(_("text"), max_length=2000)
    public = models.BooleanField(_("public: also for the members of the unions below"), default=False)
    author = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    submit_key = models.CharField(max_length=64, unique=True)
    published_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "union news item")
        verbose_name_plural = pgettext_lazy("model", "union news items")
        indexes = [models.Index(fields=["node", "published_at"], name="bulletin_node_time")]

    def __str__(self) -> str:
        return f"bulletin {self.pk}: {self.title}"
