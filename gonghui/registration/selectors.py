"""Reads of registration. Every query runs inside the caller's scope (django-scopes), except the
public verification, which shows public fields only."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gonghui.accounts.permissions import allowed
from gonghui.core import editing
from gonghui.core.scoping import scopes_disabled
from gonghui.orgs import selectors as orgs
from gonghui.orgs.models import GRASSROOTS_KINDS, Node, NodeStatus

from . import pdf
from . import signing as office_signing
from .materials import required_items
from .models import (
    FORM_FIELDS,
    Application,
    Certificate,
    Kind,
    Material,
    Registration,
    RegistrationOffice,
    RegistrationStatus,
)
from .workflow import ApplicationStatus

RENEWAL_NOTICE_DAYS = 30

# A certificate's standing, as the public verification page tells it.
VALID, SUPERSEDED, EXPIRED, CANCELLED = "valid", "superseded", "expired", "cancelled"
STATUS_LABELS = {
    VALID: gettext_lazy("Valid — this is the current certificate"),
    SUPERSEDED: gettext_lazy("Superseded — a newer certificate replaces this one"),
    EXPIRED: gettext_lazy("Expired — the registration's validity has ended"),
    CANCELLED: gettext_lazy("Cancelled — the union's legal-person registration was cancelled"),
}


def application_list(*, status: str = "", kind: str = "", node=None, office_node=None) -> QuerySet[Application]:
    qs = Application.objects.select_related("node", "office", "filed_by")
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if node is not None:
        qs = qs.filter(node__path__startswith=node.path)
    if office_node is not None:
        qs = qs.filter(office__node=office_node)
    return qs.order_by("-submitted_at", "-created_at", "-id")


def access_application(pk) -> Application:
    application = (Application.objects.select_related("node", "office__node", "registration", "filed_by",
                                                      "submitted_by", "decided_by")
                   .filter(pk=pk).first())
    if application is None:
        raise Http404
    return application


def application_detail(application: Application) -> dict:
    return {
        "events": list(application.events.select_related("actor")),
        "materials": list(application.materials.select_related("uploaded_by").order_by("item", "-uploaded_at")),
    }


def access_material(pk):
    material = Material.objects.select_related("application__node").filter(pk=pk).first()
    if material is None:
        raise Http404
    return material


def _version_fields() -> list[str]:
    return [f for f in editing.fields_of(Application) if f != "updated_at"]


VERSION_FIELDS = _version_fields()


def application_version(application: Application) -> str:
    """The version an edit form of an application carries (``core.editing``): every column but
    ``updated_at`` (adding a material to the file is no conflict with editing the form)."""
    return editing.version_of(application, VERSION_FIELDS)


def changed_fields(application: Application) -> list[str]:
    """Form fields where a change application differs from the register."""
    if application.registration_id is None:
        return []
    registration = application.registration
    return [f for f in FORM_FIELDS if getattr(application, f) != getattr(registration, f)]


def checklist(application: Application) -> list[str]:
    return required_items(application.kind, changed_fields(application) if application.kind == Kind.CHANGE else ())


def current_materials(application: Application) -> dict[str, Material]:
    return {m.item: m for m in application.materials.all() if m.replaced_at is None}


def missing_items(application: Application) -> list[str]:
    have = current_materials(application)
    return [item for item in checklist(application) if item not in have]


def register_list(*, status: str = "", node=None, query: str = "", due: bool = False) -> QuerySet[Registration]:
    qs = Registration.objects.select_related("node", "office")
    if status:
        qs = qs.filter(status=status)
    if node is not None:
        qs = qs.filter(node__path__startswith=node.path)
    query = (query or "").strip()
    if query:
        qs = qs.filter(Q(name__contains=query) | Q(credit_code__iexact=query))
    if due:
        qs = due_for_renewal(qs)
    return qs.order_by("name", "id")


def due_for_renewal(qs=None, *, today: datetime.date | None = None) -> QuerySet[Registration]:
    """Registered unions whose validity ends within 30 days or has ended (换领 reminders)."""
    today = today or timezone.localdate()
    qs = Registration.objects.all() if qs is None else qs
    return qs.filter(status=RegistrationStatus.REGISTERED, valid_until__lte=renewal_notice_date(today))


def renewal_notice_date(today: datetime.date | None = None) -> datetime.date:
    """Registrations valid until this day or earlier are due for renewal."""
    return (today or timezone.localdate()) + datetime.timedelta(days=RENEWAL_NOTICE_DAYS)


def reminded(registrations) -> set[tuple[int, datetime.date]]:
    """(registration id, validity end) pairs already reminded, for the given registrations: one query."""
    from .models import RenewalReminder

    ids = [r.pk for r in registrations]
    if not ids:
        return set()
    return set(RenewalReminder.objects.filter(registration_id__in=ids).values_list("registration_id", "valid_until"))


def staff_phones(node_ids) -> dict[int, list[str]]:
    """Mobile numbers of the staff in post of each union (orgs union staff), for reminders: one query."""
    from gonghui.orgs.models import UnionStaff

    out: dict[int, list[str]] = {}
    if not node_ids:
        return out
    for staff in UnionStaff.objects.filter(node_id__in=set(node_ids), ended_on__isnull=True).order_by("node_id", "id"):
        if staff.phone and staff.phone not in out.get(staff.node_id, []):
            out.setdefault(staff.node_id, []).append(staff.phone)
    return out


def access_registration(pk) -> Registration:
    registration = Registration.objects.select_related("node", "office__node").filter(pk=pk).first()
    if registration is None:
        raise Http404
    return registration


def registration_history(registration: Registration) -> dict:
    certificates = list(registration.certificates.select_related("issued_by"))
    return {
        "versions": list(registration.versions.select_related("actor", "application")),
        "certificates": certificates,
        "latest_certificate_id": certificates[0].pk if certificates else None,
    }


def access_certificate(pk) -> Certificate:
    certificate = Certificate.objects.select_related("registration__node").filter(pk=pk).first()
    if certificate is None:
        raise Http404
    return certificate


def certificate_status(certificate: Certificate, *, latest_id: int | None = None) -> str:
    """VALID, SUPERSEDED (a later certificate or version), EXPIRED or CANCELLED."""
    registration = certificate.registration
    if registration.is_cancelled:
        return CANCELLED
    if latest_id is None:
        with scopes_disabled():  # the public page asks too, with no scope or a stranger's
            latest_id = (Certificate.objects.filter(registration=registration).order_by("-issued_at", "-id")
                         .values_list("id", flat=True).first())
    if certificate.pk != latest_id or certificate.version != registration.version:
        return SUPERSEDED
    if registration.valid_until < timezone.localdate():
        return EXPIRED
    return VALID


def can_issue(office: RegistrationOffice) -> bool:
    """The certificate font and the office's signing key are both available."""
    return pdf.font_available() and office_signing.has_key(office.node.code)


def certificate_label(certificate: Certificate) -> str:
    return _("certificate %(serial)s") % {"serial": certificate.serial}


def unregistered_unions(*, limit: int = 200):
    """Grassroots unions of the scope without a registration, for the "file an application" picker."""
    return (Node.scoped.filter(kind__in=GRASSROOTS_KINDS, status=NodeStatus.ACTIVE, legal_registration__isnull=True)
            .order_by("path")[:limit])


def offices_in_scope() -> QuerySet[RegistrationOffice]:
    """The designated offices of the scope, with what waits for them and what they registered."""
    return (RegistrationOffice.objects.select_related("node").filter(node__is_registration_office=True)
            .annotate(waiting=Count("applications", filter=Q(applications__status=ApplicationStatus.SUBMITTED),
                                    distinct=True),
                      registered=Count("registrations", filter=Q(registrations__status=RegistrationStatus.REGISTERED),
                                       distinct=True))
            .order_by("node__path"))


def office_candidates(*, limit: int = 500):
    """Active unions of the scope that may be made offices: federations and unions with a subtree
    (a grassroots union registers no one), not yet designated."""
    return (Node.scoped.filter(status=NodeStatus.ACTIVE, is_registration_office=False)
            .exclude(kind__in=GRASSROOTS_KINDS, numchild=0).order_by("path")[:limit])


def authority_for(node: Node, known: list[Node]) -> Node | None:
    """The registration authority over ``node`` among ``known`` (``services.offices.find_authorities``):
    itself or its nearest ancestor that is one, or None."""
    over = [a for a in known if node.path.startswith(a.path)]
    return max(over, key=lambda a: a.depth) if over else None


def may_designate(user, node: Node, *, known: list[Node]) -> bool:
    """An admin of the registration authority over the union (or above it) may make the union an
    office or withdraw that; nobody below the authority may, whatever their role. ``known``: the
    authorities (``services.offices.find_authorities``), read once when asking for many unions."""
    authority = authority_for(node, known)
    return authority is not None and allowed(user, "registration.office.designate", node=authority)


@dataclass
class Figures:
    unions: int          # active grassroots unions (the base of the rate)
    registered: int      # of them, registered as legal persons
    cancelled: int
    pending: int         # applications waiting for the office
    due: int             # registrations due for renewal within 30 days

    @property
    def rate(self) -> Decimal | None:  # 法人资格登记率
        return orgs.rate(self.registered, self.unions)


def figures(node) -> Figures:
    """Indicators of a subtree: a fixed number of queries whatever its size."""
    today = timezone.localdate()
    within = Q(path__startswith=node.path)
    unions = Node.scoped.filter(within, kind__in=GRASSROOTS_KINDS, status=NodeStatus.ACTIVE).aggregate(
        n=Count("id"),
        registered=Count("id", filter=Q(legal_registration__status=RegistrationStatus.REGISTERED)))
    regs = Registration.objects.filter(node__path__startswith=node.path).aggregate(
        cancelled=Count("id", filter=Q(status=RegistrationStatus.CANCELLED)),
        due=Count("id", filter=Q(status=RegistrationStatus.REGISTERED,
                                 valid_until__lte=today + datetime.timedelta(days=RENEWAL_NOTICE_DAYS))))
    pending = Application.objects.filter(node__path__startswith=node.path, status=ApplicationStatus.SUBMITTED).count()
    return Figures(unions=unions["n"], registered=unions["registered"], cancelled=regs["cancelled"], pending=pending,
                   due=regs["due"])


def child_figures(node) -> list[tuple]:
    """(child, unions, registered, rate) for each child of ``node``: two grouped queries."""
    children = list(orgs.children_of(node))
    if not children:
        return []
    length = len(children[0].path)
    rows = (Node.scoped.filter(path__startswith=node.path, depth__gt=node.depth, kind__in=GRASSROOTS_KINDS,
                               status=NodeStatus.ACTIVE)
            .annotate(branch=Substr("path", 1, length)).values("branch")
            .annotate(n=Count("id"), registered=Count("id", filter=Q(
                legal_registration__status=RegistrationStatus.REGISTERED))))
    by_branch = {r["branch"]: r for r in rows}
    out = []
    for child in children:
        row = by_branch.get(child.path, {"n": 0, "registered": 0})
        out.append((child, row["n"], row["registered"], orgs.rate(row["registered"], row["n"])))
    return out
