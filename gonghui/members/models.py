"""The real-name member roster (会员实名制): members, their history, join applications, transfers.

One person, one active membership: ``Member.id_hash`` (the keyed hash of the resident ID number)
is unique among active members by a partial unique constraint, so neither a form, an import nor
two reviewers racing can create a second active membership. A pending application per ID is
likewise unique, so a double submit yields one application.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gonghui.core.fields import BlindIndexField, EncryptedTextField
from gonghui.core.models import ObjectEvent
from gonghui.core.scoping import ScopedManager


class Gender(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class Household(models.TextChoices):
    URBAN = "urban", _("Urban household")
    RURAL = "rural", _("Rural household")


class Education(models.TextChoices):
    PRIMARY = "primary", _("Primary school or below")
    JUNIOR = "junior", _("Junior secondary")
    SENIOR = "senior", _("Senior secondary / vocational")
    COLLEGE = "college", _("Junior college")
    BACHELOR = "bachelor", _("Bachelor")
    POSTGRADUATE = "postgraduate", _("Postgraduate")


class Political(models.TextChoices):
    CPC = "cpc", _("Member of the Communist Party of China")
    PROBATIONARY_CPC = "cpc_probationary", _("Probationary Party member")
    LEAGUE = "league", _("Communist Youth League member")
    OTHER_PARTY = "other_party", _("Member of another party")
    MASSES = "masses", _("Ordinary citizen")


class EmploymentForm(models.TextChoices):
    CONTRACT = "contract", _("Labour contract")
    DISPATCH = "dispatch", _("Dispatched")
    FLEXIBLE = "flexible", _("Flexible employment")
    NEW_FORM = "new_form", _("New employment form")


class NewFormType(models.TextChoices):
    COURIER = "courier", _("Courier")
    FOOD_DELIVERY = "food_delivery", _("Food delivery rider")
    RIDE_HAILING = "ride_hailing", _("Ride-hailing driver")
    TRUCK_DRIVER = "truck_driver", _("Truck driver")
    DOMESTIC = "domestic", _("Domestic service worker")
    DESIGNATED_DRIVER = "designated_driver", _("Designated driver")
    ONLINE_MARKETING = "online_marketing", _("Online marketer / streamer")
    OTHER = "other", _("Other platform work")


class MemberStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    TRANSFERRED_OUT = "transferred_out", _("Transferred out")
    LEFT = "left", _("Left")
    DECEASED = "deceased", _("Deceased")


class MemberType(models.TextChoices):
    FULL = "full", _("Full member")
    PROBATIONARY = "probationary", _("Probationary member")


class Source(models.TextChoices):
    CLERK = "clerk", _("Entered by a clerk")
    SCAN = "scan", _("Scan to join")
    IMPORT = "import", _("Roster import")
    TRANSFER = "transfer", _("Transfer")


ETHNICITIES = [
    "汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族", "满族", "侗族",
    "瑶族", "白族", "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族", "佤族", "畲族", "高山族", "拉祜族",
    "水族", "东乡族", "纳西族", "景颇族", "柯尔克孜族", "土族", "达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族",
    "毛南族", "仡佬族", "锡伯族", "阿昌族", "普米族", "塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族",
    "德昂族", "保安族", "裕固族", "京族", "塔塔尔族", "独龙族", "鄂伦春族", "赫哲族", "门巴族", "珞巴族", "基诺族",
]


class Member(models.Model):
    """A membership on the roster. Personal data is encrypted; look-ups go through keyed hashes."""

    node = models.ForeignKey("orgs.Node", verbose_name=_("union"), on_delete=models.PROTECT, related_name="members")
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    # Byte order (C collation) and indexed with name, id on PostgreSQL: members migration 0008.
    name_initials = models.CharField(max_length=50, blank=True, editable=False)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"))
    ethnicity = models.CharField(_("ethnicity"), max_length=10, default="汉族")
    id_number = EncryptedTextField(_("resident ID number"))
    id_hash = BlindIndexField()
    phone = EncryptedTextField(_("mobile"), blank=True)
    phone_hash = BlindIndexField(blank=True, db_index=True)
    phone_tail = models.CharField(max_length=4, blank=True, editable=False, db_index=True)
    education = models.CharField(_("education"), max_length=16, choices=Education.choices, blank=True)
    political_status = models.CharField(_("political status"), max_length=16, choices=Political.choices,
                                        blank=True)
    household = models.CharField(_("household"), max_length=8, choices=Household.choices, blank=True)
    is_migrant = models.BooleanField(_("migrant worker"), default=False)
    employment_form = models.CharField(_("employment form"), max_length=12, choices=EmploymentForm.choices,
                                       default=EmploymentForm.CONTRACT)
    new_form_type = models.CharField(_("new employment form type"), max_length=20, choices=NewFormType.choices,
                                     blank=True)
    employer = models.ForeignKey("orgs.Employer", verbose_name=_("employer"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="members")
    employer_name = models.CharField(_("employer"), max_length=100, blank=True)
    member_type = models.CharField(_("member type"), max_length=12, choices=MemberType.choices,
                                   default=MemberType.FULL)
    card_number = models.CharField(_("member card number"), max_length=20, unique=True)
    card_version = models.PositiveIntegerField(default=1, editable=False)
    joined_on = models.DateField(_("joined on"))
    status = models.CharField(_("status"), max_length=16, choices=MemberStatus.choices,
                              default=MemberStatus.ACTIVE)
    status_changed_on = models.DateField(_("status changed on"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.CLERK)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(tree="node__path__within")

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["node_id", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["id_hash"], condition=Q(status="active"),
                                    name="member_one_active_membership"),
        ]
        indexes = [
            # A union's members by status, and in a county's scope an initials search: one probe per
            # union of the scope, the initials a range (C collation on PostgreSQL, migration 0008).
            models.Index(fields=["node", "status", "name_initials"], name="member_node_status_initials"),
            models.Index(fields=["id_hash"], name="member_id_hash"),
        ]

    def __str__(self) -> str:
        from gonghui.core.masking import mask_name

        return f"{mask_name(self.name)} ({self.card_number})"

    @property
    def is_active(self) -> bool:
        return self.status == MemberStatus.ACTIVE


class MemberEvent(ObjectEvent):
    """Status history: joined, edited, left, reinstated, transferred, deceased."""

    class Action(models.TextChoices):
        JOINED = "joined", _("Joined")
        EDITED = "edited", _("Edited")
        LEFT = "left", _("Left")
        DECEASED = "deceased", _("Deceased")
        REINSTATED = "reinstated", _("Reinstated")
        TRANSFERRED = "transferred", _("Transferred")
        IMPORTED = "imported", _("Updated by import")

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=12, choices=Action.choices)
    on = models.DateField()
    reason = models.CharField(max_length=200, blank=True)

    objects = ScopedManager(tree="member__node__path__within")

    class Meta:
        verbose_name = pgettext_lazy("model", "membership event")
        verbose_name_plural = pgettext_lazy("model", "membership events")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.member_id}"


def new_token() -> str:
    return secrets.token_urlsafe(18)


class JoinLink(models.Model):
    """What a node's QR code carries (signed, revocable, node-scoped)."""

    node = models.ForeignKey("orgs.Node", on_delete=models.CASCADE, related_name="join_links")
    key = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(tree="node__path__within")

    class Meta:
        verbose_name = pgettext_lazy("model", "join link")
        verbose_name_plural = pgettext_lazy("model", "join links")

    def __str__(self) -> str:
        return f"join link {self.pk} @ {self.node_id}"


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class JoinApplication(models.Model):
    """A worker's application to join, from the phone (scan to join) or an invitation."""

    node = models.ForeignKey("orgs.Node", verbose_name=_("union"), on_delete=models.PROTECT,
                             related_name="join_applications")
    link = models.ForeignKey(JoinLink, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    worker = models.ForeignKey("accounts.Worker", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="join_applications")
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    id_number = EncryptedTextField(_("resident ID number"))
    id_hash = BlindIndexField()
    phone = EncryptedTextField(_("mobile"))
    phone_hash = BlindIndexField(db_index=True)
    employer = models.ForeignKey("orgs.Employer", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    employer_name = models.CharField(_("employer"), max_length=100, blank=True)
    employment_form = models.CharField(_("employment form"), max_length=12, choices=EmploymentForm.choices)
    new_form_type = models.CharField(_("new employment form type"), max_length=20, choices=NewFormType.choices,
                                     blank=True)
    consent_version = models.CharField(max_length=20)
    consent_at = models.DateTimeField()
    consent_channel = models.CharField(max_length=20)
    status = models.CharField(_("status"), max_length=10, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.PENDING)
    submitted_at = models.DateTimeField(auto_now_add=True)
    due_on = models.DateField(_("review due on"))
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = ScopedManager(tree="node__path__within")

    class Meta:
        verbose_name = _("join application")
        verbose_name_plural = _("join applications")
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["id_hash"], condition=Q(status="pending"),
                                    name="application_one_pending_per_person"),
        ]

    def __str__(self) -> str:
        from gonghui.core.masking import mask_name

        return f"{mask_name(self.name)} → {self.node_id}"


# Where a prospect agreed to be invited (Prospect.consent_channel), as the console shows it.
PROSPECT_CHANNELS = {"station": _("at a service station"), "course": _("after a course"), "wish": _("after a micro-wish"),
                     "claim": _("after a claim"), "qr": _("by a join code"), "offer": _("on the worker pages")}


class Prospect(models.Model):
    """A worker served before joining (先服务后入会), who can be invited to join."""

    node = models.ForeignKey("orgs.Node", verbose_name=_("union"), on_delete=models.CASCADE,
                             related_name="prospects")
    phone = EncryptedTextField(_("mobile"))
    phone_hash = BlindIndexField()
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50, blank=True)
    service = models.CharField(_("service used"), max_length=100)
    first_served_at = models.DateTimeField(auto_now_add=True)
    last_served_at = models.DateTimeField(auto_now=True)
    times_served = models.PositiveIntegerField(default=1)
    invited_at = models.DateTimeField(null=True, blank=True)
    joined = models.BooleanField(default=False)
    # The worker's consent to be kept and invited (from a verified phone): none, no invitation.
    consent_version = models.CharField(max_length=20, blank=True)
    consent_at = models.DateTimeField(null=True, blank=True)
    consent_channel = models.CharField(max_length=20, blank=True)
    # The words the worker agreed to, as shown (in the language shown), with ``consent_version``.
    consent_text = models.TextField(blank=True)

    objects = ScopedManager(tree="node__path__within")

    class Meta:
        verbose_name = _("prospect")
        verbose_name_plural = _("prospects")
        ordering = ["-last_served_at"]
        constraints = [models.UniqueConstraint(fields=["node", "phone_hash"], name="prospect_unique")]

    def __str__(self) -> str:
        return f"prospect {self.pk} @ {self.node_id}"

    @property
    def consent_channel_label(self) -> str:
        return str(PROSPECT_CHANNELS.get(self.consent_channel, self.consent_channel))


class TransferStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for both unions")
    APPROVED = "approved", _("Completed")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


class Transfer(models.Model):
    """转会: the outgoing and the receiving union approve separately; both approvals move the member."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="transfers")
    from_node = models.ForeignKey("orgs.Node", verbose_name=_("from"), on_delete=models.PROTECT, related_name="+")
    to_node = models.ForeignKey("orgs.Node", verbose_name=_("to"), on_delete=models.PROTECT, related_name="+")
    to_employer_name = models.CharField(_("new employer"), max_length=100, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=TransferStatus.choices,
                              default=TransferStatus.PENDING)
    requested_at = models.DateTimeField(auto_now_add=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="+")
    out_approved_at = models.DateTimeField(null=True, blank=True)
    out_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="+")
    in_approved_at = models.DateTimeField(null=True, blank=True)
    in_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="+")
    decided_reason = models.CharField(max_length=200, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    # Visible to either end: a custom filter in selectors (the manager scopes by the outgoing end).
    objects = ScopedManager(tree="from_node__path__within")

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["member"], condition=Q(status="pending"),
                                    name="transfer_one_pending_per_member"),
        ]

    def __str__(self) -> str:
        return f"transfer {self.pk}: {self.from_node_id} → {self.to_node_id}"
