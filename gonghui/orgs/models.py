"""The union tree (materialized path), the employer ledger and union staff."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from treebeard.mp_tree import MP_Node, MP_NodeManager

from gonghui.core.fields import BlindIndexField, EncryptedTextField
from gonghui.core.models import ObjectEvent
from gonghui.core.scoping import ScopedManager

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_node_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


class NodeKind(models.TextChoices):
    PROVINCE = "province", _("Provincial federation of trade unions")
    CITY = "city", _("City federation of trade unions")
    COUNTY = "county", _("County federation of trade unions")
    TOWNSHIP_UNION = "township_union", _("Township / street union")
    TOWNSHIP_FEDERATION = "township_federation", _("Township union federation")
    VILLAGE_FEDERATION = "village_federation", _("Village / community union federation")
    ENTERPRISE = "enterprise", _("Enterprise union")
    INDUSTRY = "industry", _("Industry union federation")
    DISTRICT_JOINT = "district_joint", _("Business-district joint union")
    BUILDING_JOINT = "building_joint", _("Building joint union")
    PARK_JOINT = "park_joint", _("Industrial-park joint union")
    NEW_EMPLOYMENT = "new_employment", _("New-employment-form union")
    SOCIAL_ORG = "social_org", _("Social-organization union")
    JOINT_GRASSROOTS = "joint_grassroots", _("Joint grassroots union")
    BRANCH = "branch", _("Branch union")
    GROUP = "group", _("Union group")


FEDERATION_KINDS = {NodeKind.PROVINCE, NodeKind.CITY, NodeKind.COUNTY}
# Kinds that count as a grassroots union (基层工会) in 建会 statistics.
GRASSROOTS_KINDS = {
    NodeKind.ENTERPRISE, NodeKind.DISTRICT_JOINT, NodeKind.BUILDING_JOINT, NodeKind.PARK_JOINT,
    NodeKind.NEW_EMPLOYMENT, NodeKind.SOCIAL_ORG, NodeKind.JOINT_GRASSROOTS, NodeKind.VILLAGE_FEDERATION,
}

SIX_HAVES = [
    ("sign", _("has a nameplate")),
    ("seal", _("has a seal")),
    ("venue", _("has a venue")),
    ("staff", _("has staff")),
    ("funds", _("has funds")),
    ("rules", _("has rules")),
]


class NodeStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    MERGED = "merged", _("Merged")
    DISSOLVED = "dissolved", _("Dissolved")


class Node(MP_Node):
    """A union organization. Its subtree (path prefix) is the scope of the cadres who hold roles on it.

    ``objects`` stays the plain treebeard manager because treebeard's tree operations need the
    whole tree; reads for people go through selectors, which use ``Node.scoped``.
    """

    steplen = 4
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    node_order_by = []

    code = models.CharField(_("code"), max_length=12, unique=True, default=new_node_code, editable=False)
    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.CharField(_("type"), max_length=24, choices=NodeKind.choices)
    status = models.CharField(_("status"), max_length=12, choices=NodeStatus.choices, default=NodeStatus.ACTIVE)
    region_code = models.CharField(_("administrative region code"), max_length=12, blank=True)
    region_name = models.CharField(_("administrative region"), max_length=60, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True,
                                   validators=[MinValueValidator(-90), MaxValueValidator(90)])
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True,
                                    validators=[MinValueValidator(-180), MaxValueValidator(180)])
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    established_on = models.DateField(_("established on"), null=True, blank=True)
    chair_name = models.CharField(_("chair"), max_length=50, blank=True)
    full_time_staff = models.PositiveIntegerField(_("full-time staff"), default=0)
    is_legal_person = models.BooleanField(_("legal person"), default=False)
    is_registration_office = models.BooleanField(_("registers legal persons of its subtree"), default=False)
    six_haves = models.JSONField(_("six haves"), default=dict, blank=True)
    worker_count = models.PositiveIntegerField(_("workers (declared)"), default=0)
    member_count = models.PositiveIntegerField(_("members (declared)"), default=0)
    pinyin_initials = models.CharField(max_length=100, blank=True, db_index=True, editable=False)
    pinyin = models.CharField(max_length=400, blank=True, editable=False)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scoped = ScopedManager(_manager_class=MP_NodeManager, tree="path__within")

    class Meta:
        verbose_name = _("union organization")
        verbose_name_plural = _("union organizations")
        constraints = [
            models.UniqueConstraint(fields=["credit_code"], condition=~models.Q(credit_code=""),
                                    name="node_credit_code_unique"),
        ]
        indexes = [
            models.Index(fields=["kind", "status"]),
            # Lets PostgreSQL answer "path LIKE 'prefix%'" (subtree) with an index range scan
            # whatever the database collation; other databases ignore the operator class.
            models.Index(fields=["path"], name="node_path_prefix", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == NodeStatus.ACTIVE

    @property
    def is_federation(self) -> bool:
        return self.kind in FEDERATION_KINDS


class NodeEvent(ObjectEvent):
    """History of the tree: created, renamed, edited, moved, merged, dissolved."""

    class Action(models.TextChoices):
        CREATED = "created", pgettext_lazy("union history", "Created")
        UPDATED = "updated", _("Edited")
        RENAMED = "renamed", _("Renamed")
        MOVED = "moved", _("Moved")
        MERGED = "merged", _("Merged")
        ABSORBED = "absorbed", _("Absorbed another union")
        DISSOLVED = "dissolved", _("Dissolved")

    node = models.ForeignKey(Node, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=12, choices=Action.choices)

    objects = ScopedManager(tree="node__path__within")

    class Meta:
        verbose_name = pgettext_lazy("model", "union event")
        verbose_name_plural = pgettext_lazy("model", "union events")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.node_id}"


class Sector(models.TextChoices):
    MANUFACTURING = "manufacturing", _("Manufacturing")
    CONSTRUCTION = "construction", _("Construction")
    RETAIL = "retail", _("Wholesale and retail")
    LOGISTICS = "logistics", _("Transport, logistics and courier")
    CATERING = "catering", _("Accommodation and catering")
    IT = "it", _("Information technology")
    FINANCE = "finance", pgettext_lazy("sector", "Finance")
    PROPERTY = "property", _("Real estate and property management")
    BUSINESS = "business", _("Business services")
    PLATFORM = "platform", _("Platform economy")
    EDUCATION = "education", pgettext_lazy("sector", "Education")
    HEALTH = "health", _("Health and social work")
    CULTURE = "culture", _("Culture, sports and entertainment")
    AGRICULTURE = "agriculture", _("Agriculture")
    SOCIAL_ORG = "social_org", _("Social organization")
    OTHER = "other", _("Other")


class Employer(models.Model):
    """An employer or social organization in a union's jurisdiction (建会台账)."""

    node = models.ForeignKey(Node, verbose_name=_("jurisdiction"), on_delete=models.PROTECT,
                             related_name="ledger")
    name = models.CharField(_("name"), max_length=100)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    sector = models.CharField(_("sector"), max_length=16, choices=Sector.choices)
    employee_count = models.PositiveIntegerField(_("employees"))
    address = models.CharField(_("address"), max_length=200, blank=True)
    union = models.ForeignKey(Node, verbose_name=_("union"), null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="employers")
    follow_up_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("followed up by"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="followed_employers")
    notes = models.TextField(_("survey notes"), blank=True)
    pinyin_initials = models.CharField(max_length=100, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(tree="node__path__within")

    class Meta:
        verbose_name = _("employer")
        verbose_name_plural = _("employer ledger")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def unionized(self) -> bool:
        return self.union_id is not None


class StaffKind(models.TextChoices):
    VICE_CHAIR = "vice_chair", _("Full-time vice-chair")
    SOCIALIZED = "socialized", _("Socialized union worker")
    CADRE = "cadre", _("Full-time union cadre")


class UnionStaff(models.Model):
    node = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="staff")
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    kind = models.CharField(_("kind"), max_length=16, choices=StaffKind.choices)
    phone = EncryptedTextField(_("mobile"), blank=True)
    phone_hash = BlindIndexField(blank=True, db_index=True)
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    objects = ScopedManager(tree="node__path__within")

    class Meta:
        verbose_name = _("union staff member")
        verbose_name_plural = _("union staff")
        ordering = ["node_id", "kind", "name"]

    def __str__(self) -> str:
        return self.name


class StaffTarget(models.Model):
    """A yearly target, e.g. one more socialized union worker in each township."""

    node = models.ForeignKey(Node, on_delete=models.CASCADE, related_name="staff_targets")
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=16, choices=StaffKind.choices)
    target = models.PositiveIntegerField(_("target"))

    objects = ScopedManager(tree="node__path__within")

    class Meta:
        verbose_name = pgettext_lazy("model", "staffing target")
        verbose_name_plural = pgettext_lazy("model", "staffing targets")
        constraints = [models.UniqueConstraint(fields=["node", "year", "kind"], name="staff_target_unique")]

    def __str__(self) -> str:
        return f"{self.year} {self.get_kind_display()}: {self.target}"
