"""Scan to join (扫码入会): node QR links, applications from the phone, review, prospects.

- A link is signed (django.core.signing, salted, time-stamped) and names a revocable JoinLink
  row: a tampered token fails the signature, an old poster expires, a revoked link stops at once.
- The phone is verified before the form is accepted: the applicant is a Worker signed in by
  one-time code, and the application carries that verified number.
- One pending application per ID number (a partial unique constraint): a double submit returns
  the application already waiting instead of a second one.
- Review locks the application row; two reviewers approving at once yield one membership (the
  second sees it decided), and the member table's constraint backs this up.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gonghui.accounts.permissions import require
from gonghui.core import printed, ratelimit
from gonghui.core.audit import audit
from gonghui.core.crypto import blind_index
from gonghui.core.errors import DomainError
from gonghui.core.ids import _strip, normalize_credit_code
from gonghui.core.limits import check_lengths
from gonghui.core.masking import mask_name
from gonghui.core.notify import notify
from gonghui.core.scoping import scopes_disabled
from gonghui.core.text import clean_line
from gonghui.core.workdays import add_workdays
from gonghui.orgs.models import Employer, Node, NodeKind, NodeStatus

from ..models import (
    ApplicationStatus,
    JoinApplication,
    JoinLink,
    Member,
    MemberEvent,
    Prospect,
    Source,
)
from ..selectors import active_conflict, id_hash
from ..validation import check_join_age, clean_member_fields, clean_person
from ..workflow import JOIN_APPLICATION
from .roster import _conflict_error, _event, build_member, save_new_member

LINK_SALT = "gonghui.members.join-link"


# --- links -------------------------------------------------------------------------------------

def make_link_token(*, link: JoinLink) -> str:
    # The printed-code key: rotating the session secret voids no poster (``core.printed``).
    return printed.dumps({"k": link.key}, salt=LINK_SALT)


@transaction.atomic
def prepare_link(*, actor, node) -> JoinLink:
    """The node's active join link, created on first use."""
    require(actor, "members.join_link.view", node=node)
    link = JoinLink.objects.filter(node=node, revoked_at__isnull=True).order_by("-created_at").first()
    if link is None:
        link = JoinLink.objects.create(node=node, created_by=actor)
        audit("members.join_link.created", actor=actor, obj=node, data={"link": link.pk})
    return link


@transaction.atomic
def revoke_link(*, actor, link: JoinLink) -> JoinLink:
    """Revoke (e.g. a poster in the wrong place); the next ``prepare_link`` issues a new one."""
    require(actor, "members.join_link.revoke", node=link.node)
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
        audit("members.join_link.revoked", actor=actor, obj=link.node, data={"link": link.pk})
    return link


def resolve_link(*, token: str) -> JoinLink:
    """The live link behind a scanned token, or a DomainError saying why it cannot be used."""
    max_age = datetime.timedelta(days=settings.GONGHUI_JOIN_LINK_MAX_AGE_DAYS)
    try:
        data = printed.loads(token, salt=LINK_SALT, max_age=max_age, legacy=True)
    except signing.SignatureExpired:
        raise DomainError("link_expired", _("This QR code has expired; ask the union for a new one.")) from None
    except signing.BadSignature:
        raise DomainError("link_invalid", _("This QR code is not valid.")) from None
    with scopes_disabled():
        link = JoinLink.objects.select_related("node").filter(key=str(data.get("k", ""))).first()
    if link is None:
        raise DomainError("link_invalid", _("This QR code is not valid."))
    if link.revoked_at is not None or not link.node.is_active:
        raise DomainError("link_revoked", _("This QR code has been withdrawn by the union."))
    return link


# --- applications ------------------------------------------------------------------------------

def _rate_limit(worker, ip: str, person_hash: str) -> None:
    """Count an attempt before anything is looked up by the number typed: per worker, per network
    and per ID number (its keyed hash), so the form cannot be used to probe other people."""
    limits = [
        ("members.join.phone", str(worker.pk), settings.GONGHUI_JOIN_PER_PHONE_PER_DAY, 86400,
         _("Too many applications from this phone today; try again tomorrow.")),
        ("members.join.ip", ip, settings.GONGHUI_JOIN_PER_IP_PER_HOUR, 3600,
         _("Too many applications from this network; try again later.")),
        ("members.join.id", person_hash, settings.GONGHUI_JOIN_PER_ID_PER_DAY, 86400,
         _("Too many applications with this ID number today; try again tomorrow.")),
    ]
    for name, who, limit, period, message in limits:
        ratelimit.check(name, who, limit=limit, period=period, code="join_rate_limited", message=message)
    for name, who, _limit, period, _message in limits:
        ratelimit.count(name, who, period=period)


def submit_application(*, link: JoinLink, worker, name: str, id_number: str, employment_form: str,
                       new_form_type: str = "", employer_name: str = "", employer=None, consent: bool,
                       channel: str = "qr", ip: str = "") -> JoinApplication:
    """File an application for the link's node with the worker's verified phone.

    Returns the pending application of the same person when there already is one (idempotent).
    """
    if not consent:
        raise ValidationError({"consent": [_("Tick the box to agree to the processing of your personal data.")]})
    person = clean_person(name=name, id_number=id_number)
    fields = clean_member_fields({"employment_form": employment_form, "new_form_type": new_form_type,
                                  "employer_name": employer_name})
    check_join_age(person.birth_date, timezone.localdate())
    if not fields.get("employer_name") and employer is None:
        raise ValidationError({"employer_name": [_("Name your employer, or the platform you work through.")]})
    person_hash = id_hash(person.id_number)
    _rate_limit(worker, ip, person_hash)
    existing_member = active_conflict(person_hash)
    if existing_member is not None and existing_member.name == person.name:
        raise _conflict_error(existing_member)
    # A name that does not match is answered as any number that belongs to no member: the
    # application is filed and the reviewer, who sees the existing membership, decides it.
    with scopes_disabled():
        pending = JoinApplication.objects.filter(id_hash=person_hash, status=ApplicationStatus.PENDING).first()
    if pending is not None:
        if pending.worker_id == worker.pk:
            return pending
        raise _pending_elsewhere()
    now = timezone.now()
    application = JoinApplication(
        node=link.node, link=link, worker=worker, name=person.name, id_number=person.id_number, id_hash=person_hash,
        phone=worker.phone, phone_hash=worker.phone_hash, employer=employer,
        employer_name=fields.get("employer_name") or (employer.name if employer else ""),
        employment_form=fields["employment_form"], new_form_type=fields.get("new_form_type", ""),
        consent_version=settings.GONGHUI_JOIN_CONSENT_VERSION, consent_at=now, consent_channel=channel,
        due_on=add_workdays(timezone.localdate(), settings.GONGHUI_JOIN_REVIEW_WORKDAYS),
    )
    try:
        with transaction.atomic():
            application.save()
            audit("members.application.submitted", actor=worker, obj=application,
                  data={"node": link.node_id, "consent_version": application.consent_version, "channel": channel})
            _mark_prospect_applied(link.node, worker.phone_hash)
    except IntegrityError:
        with scopes_disabled():
            pending = JoinApplication.objects.filter(id_hash=person_hash, status=ApplicationStatus.PENDING).first()
        if pending is None:
            raise
        if pending.worker_id != worker.pk:
            raise _pending_elsewhere() from None
        return pending
    return application


def _pending_elsewhere() -> DomainError:
    """Another phone's application for this ID number is waiting: said without naming whose or where."""
    return DomainError("application_elsewhere", _("An application with this ID number is already waiting for "
                                                  "review. If it is not yours, ask your union for help."),
                       field="id_number")


def withdraw_application(*, application: JoinApplication, worker) -> JoinApplication:
    if application.worker_id != worker.pk:
        raise DomainError("not_yours", _("This is not your application."))
    with transaction.atomic():
        with scopes_disabled():
            application = JoinApplication.objects.select_for_update().get(pk=application.pk)
        JOIN_APPLICATION.apply(application, "withdraw")
        application.reviewed_at = timezone.now()
        application.save(update_fields=["status", "reviewed_at"])
        audit("members.application.withdrawn", actor=worker, obj=application)
    return application


def _decide(application: JoinApplication, name: str, actor) -> JoinApplication:
    """Lock the application and make the declared move (workflow.JOIN_APPLICATION): action, then state."""
    locked = (JoinApplication.objects.with_scopes_disabled().select_for_update(of=("self",)).select_related("node")
              .get(pk=application.pk))
    JOIN_APPLICATION.apply(locked, name, permit=lambda move: require(actor, move.permission, node=locked.node))
    return locked


@transaction.atomic
def approve_application(*, actor, application: JoinApplication, member_type: str = "full",
                        joined_on: datetime.date | None = None) -> Member:
    """Approve: the applicant becomes a member of the application's node; the worker is told."""
    application = _decide(application, "approve", actor)
    if not application.node.is_active:
        raise DomainError("node_inactive", _("Members cannot be added to a merged or dissolved union."))
    member = build_member(
        node=application.node, name=application.name, id_number=application.id_number, source=Source.SCAN,
        phone=application.phone, employment_form=application.employment_form,
        new_form_type=application.new_form_type, employer=application.employer,
        employer_name=application.employer_name, member_type=member_type,
        joined_on=joined_on or timezone.localdate(),
    )
    member = save_new_member(member=member)
    application.reviewed_at, application.reviewed_by, application.member = timezone.now(), actor, member
    application.save(update_fields=["status", "reviewed_at", "reviewed_by", "member"])
    _event(member, MemberEvent.Action.JOINED, actor, on=member.joined_on,
           data={"node": application.node_id, "source": Source.SCAN, "application": application.pk})
    audit("members.application.approved", actor=actor, obj=application, data={"member": member.pk})
    notify(phone=application.phone, text=_("Welcome to %(union)s! Your membership is approved; your member card "
                                           "is on the worker page.") % {"union": application.node.name},
           kind="member_approved", params={"union": application.node.name})
    return member


@transaction.atomic
def reject_application(*, actor, application: JoinApplication, reason: str) -> JoinApplication:
    require(actor, "members.application.reject", node=application.node)  # before the reason is read
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason, so the worker knows what to do.")]})
    reason = clean_line(reason, JoinApplication, "reason")
    application = _decide(application, "reject", actor)
    application.reviewed_at, application.reviewed_by, application.reason = timezone.now(), actor, reason
    application.save(update_fields=["status", "reviewed_at", "reviewed_by", "reason"])
    audit("members.application.rejected", actor=actor, obj=application, data={"reason": reason})
    notify(phone=application.phone, text=_("Your application to %(union)s was not approved: %(reason)s")
           % {"union": application.node.name, "reason": reason}, kind="member_rejected",
           params={"union": application.node.name, "reason": reason})
    return application


# --- prospects (先服务后入会) -------------------------------------------------------------------

# The words a worker agrees to when asking to be invited, shown next to the box they tick and
# stored with the prospect (in the language shown) together with this version: a change of the
# words is a new version.
PROSPECT_CONSENT_VERSION = "2026-12"
PROSPECT_CONSENT_TEXT = gettext_lazy("Invite me to join the union: I agree that the union keeps my phone "
                                     "number for this.")


def record_prospect(*, node, phone: str, service: str, consent_channel: str, consent: bool,
                    consent_text: str = "", consent_version: str = PROSPECT_CONSENT_VERSION,
                    name: str = "") -> Prospect | None:
    """A worker used a service of ``node`` without being a member and agreed to be invited to join:
    remember them, with the consent (the words shown, their version, time and channel) recorded.

    Nothing is recorded without ``consent`` (the worker ticked the box): a service used is not an
    agreement to be kept. ``phone`` must be verified (a worker signed in by one-time code): a number
    typed on a public page is nobody's consent. Returns None for members and without consent.
    """
    if not consent:
        return None
    consent_text = str(consent_text or PROSPECT_CONSENT_TEXT)
    phone_hash = blind_index(phone, purpose="phone")
    check_lengths(Prospect, consent_version=consent_version, consent_channel=consent_channel, service=service, name=name)
    consent_fields = {"consent_version": consent_version, "consent_at": timezone.now(),
                      "consent_channel": consent_channel, "consent_text": consent_text}
    with scopes_disabled():
        if Member.objects.filter(phone_hash=phone_hash, status="active").exists():
            return None
        prospect, created = Prospect.objects.get_or_create(
            node=node, phone_hash=phone_hash,
            defaults={"phone": phone, "service": service, "name": name, **consent_fields})
        if not created:
            prospect.times_served += 1
            prospect.service = service
            for key, value in consent_fields.items():
                setattr(prospect, key, value)
            prospect.save(update_fields=["times_served", "service", "last_served_at", *consent_fields])
    audit("members.prospect.consented", obj=prospect,
          data={"node": node.pk, "channel": consent_channel, "consent_version": consent_version})
    return prospect


@transaction.atomic
def invite_prospect(*, actor, prospect: Prospect) -> Prospect:
    """Send the prospect the node's join link by message."""
    require(actor, "members.prospect.invite", node=prospect.node)
    if prospect.consent_at is None:
        raise DomainError("no_consent", _("This person has not agreed to be invited; they can scan the union's "
                                          "code to join."))
    link = prepare_link(node=prospect.node, actor=actor)
    path = f"/w/join/{make_link_token(link=link)}/"
    prospect.invited_at = timezone.now()
    prospect.save(update_fields=["invited_at"])
    audit("members.prospect.invited", actor=actor, obj=prospect)
    notify(phone=prospect.phone, text=_("%(union)s invites you to join the union: %(path)s")
           % {"union": prospect.node.name, "path": path}, kind="member_invitation",
           params={"union": prospect.node.name, "path": path})
    return prospect


def _mark_prospect_applied(node, phone_hash: str) -> None:
    Prospect.objects.with_scopes_disabled().filter(phone_hash=phone_hash).update(joined=True)



# --- joining without a poster: find my union, the catch-all union (兜底入会), industry federations --

# A union "accepts online joining" when it has a live join link (its clerks opened scan-to-join):
# the search offers only those, and the application goes through that link, so the review, the
# consent and the deadlines are the QR path's.
CATCH_ALL_KINDS = (NodeKind.TOWNSHIP_UNION, NodeKind.TOWNSHIP_FEDERATION, NodeKind.VILLAGE_FEDERATION,
                   NodeKind.JOINT_GRASSROOTS)
INDUSTRY_KINDS = (NodeKind.INDUSTRY, NodeKind.NEW_EMPLOYMENT)
AREA_KINDS = (NodeKind.COUNTY, NodeKind.TOWNSHIP_UNION, NodeKind.TOWNSHIP_FEDERATION)
SEARCH_MIN_CHARS = 2
SEARCH_MAX_CHARS = 50
SEARCH_LIMIT = 20
SEARCH_PER_IP_PER_HOUR = 60


@dataclass
class FoundUnion:
    node: Node
    contact: str = ""          # the chair's name, masked
    employer_name: str = ""    # the employer searched for, when found through it


@dataclass
class UnionSearch:
    query: str = ""
    unions: list[FoundUnion] = field(default_factory=list)        # the employer's own union, or a union by name
    catch_all: list[FoundUnion] = field(default_factory=list)     # employers without a union: 兜底入会
    without_union: list[str] = field(default_factory=list)        # those employers' names
    searched: bool = False


def _accepting() -> "models.QuerySet[Node]":
    live = JoinLink.objects.filter(node=OuterRef("pk"), revoked_at__isnull=True)
    return Node.objects.filter(Exists(live), status=NodeStatus.ACTIVE).order_by("path")


def _found(node: Node, employer_name: str = "") -> FoundUnion:
    return FoundUnion(node=node, contact=mask_name(node.chair_name) if node.chair_name else "",
                      employer_name=employer_name)


def _online_link(node: Node) -> JoinLink | None:
    """The node's live join link, if it accepts online joining (None otherwise)."""
    if node is None or not node.is_active:
        return None
    with scopes_disabled():
        return JoinLink.objects.filter(node=node, revoked_at__isnull=True).order_by("-created_at").first()


def find_accepting_node(*, code: str) -> tuple[Node, JoinLink]:
    """The union of ``code`` with its live link, or a DomainError when it does not take online joining."""
    with scopes_disabled():
        node = Node.objects.filter(code=str(code)[:12]).first()
    link = _online_link(node)
    if link is None:
        raise DomainError("not_online", _("This union does not take applications online; ask it for its QR code."))
    return node, link


def find_areas() -> list[Node]:
    """Counties and townships with at least one union that accepts online joining in them."""
    with scopes_disabled():
        paths = {p[:i] for p in _accepting().values_list("path", flat=True) for i in range(4, len(p) + 1, 4)}
        return list(Node.objects.filter(path__in=paths, kind__in=AREA_KINDS, status=NodeStatus.ACTIVE)
                    .order_by("path"))


def find_federations() -> list[FoundUnion]:
    """Industry federations and new-employment-form unions (riders, couriers, drivers, domestic
    workers…) that accept online joining."""
    with scopes_disabled():
        return [_found(n) for n in _accepting().filter(kind__in=INDUSTRY_KINDS)[:SEARCH_LIMIT]]


def _ancestor_paths(path: str) -> list[str]:
    return [path[:i] for i in range(Node.steplen, len(path) + 1, Node.steplen)]


def _clean_query(query: str) -> tuple[str, str]:
    """(kind, value): ("code", a valid credit code), ("text", 2–50 characters) or ("", "") for empty."""
    query = " ".join((query or "").split())
    if not query:
        return "", ""
    compact = _strip(query)
    if len(compact) == 18 and compact.isascii() and compact.isalnum():
        try:
            return "code", normalize_credit_code(compact)
        except ValidationError as exc:
            raise DomainError("bad_credit_code", exc.messages[0], field="q") from None
    if len(query) < SEARCH_MIN_CHARS:
        raise DomainError("query_too_short", _("Type at least %(n)d characters of the name.") % {"n": SEARCH_MIN_CHARS},
                          field="q")
    if len(query) > SEARCH_MAX_CHARS:
        raise DomainError("query_too_long", _("Type at most %(n)d characters.") % {"n": SEARCH_MAX_CHARS}, field="q")
    return "text", query


def find_unions(*, query: str = "", area: str = "", ip: str = "") -> UnionSearch:
    """Find the union to join by the employer's name or credit code, a union's name, or an area.

    Only unions that accept online joining are offered, each with its chair's name masked. An
    employer found without a union of its own leads to the catch-all union of its township or
    community (the nearest one above it that accepts online joining). Bad input (one character, a
    credit code whose check character is wrong) is a DomainError and nothing is looked up; every
    search counts against the network's hourly limit.
    """
    kind, value = _clean_query(query)
    area_node = None
    if area:
        with scopes_disabled():
            area_node = Node.objects.filter(code=str(area)[:12], kind__in=AREA_KINDS).first()
        if area_node is None:
            raise DomainError("bad_area", _("Choose the area from the list."), field="area")
    result = UnionSearch(query=value)
    if not kind and area_node is None:
        return result
    ratelimit.hit("members.join_search.ip", ip or "-", limit=SEARCH_PER_IP_PER_HOUR, period=3600,
                  code="search_rate_limited", message=_("Too many searches from this network; try again later."))
    result.searched = True
    with scopes_disabled():
        accepting = _accepting()
        if area_node is not None:
            accepting = accepting.filter(path__startswith=area_node.path)
        employers = Employer.objects.select_related("union", "node")
        if kind == "code":
            employers = employers.filter(credit_code=value)
            named = accepting.filter(credit_code=value)
        elif kind == "text":
            employers = employers.filter(name__contains=value)
            named = accepting.filter(Q(name__contains=value) | Q(short_name__contains=value))
        else:
            employers, named = Employer.objects.none(), accepting.exclude(kind__in=INDUSTRY_KINDS)
        if area_node is not None:
            employers = employers.filter(node__path__startswith=area_node.path)
        employers = list(employers.order_by("name", "pk")[:SEARCH_LIMIT])
        live = set(_accepting().filter(pk__in=[e.union_id for e in employers if e.union_id])
                   .values_list("pk", flat=True))
        seen = set()
        for employer in employers:
            if employer.union_id in live and employer.union_id not in seen:
                seen.add(employer.union_id)
                result.unions.append(_found(employer.union, employer.name))
        for node in named[:SEARCH_LIMIT]:
            if node.pk not in seen:
                seen.add(node.pk)
                result.unions.append(_found(node))
        orphans = [e for e in employers if e.union_id is None or not e.union.is_active]
        paths = {p for e in orphans for p in _ancestor_paths(e.node.path)}
        catch_alls = {n.path: n for n in _accepting().filter(path__in=paths, kind__in=CATCH_ALL_KINDS)}
        for employer in orphans:
            result.without_union.append(employer.name)
            nearest = next((catch_alls[p] for p in reversed(_ancestor_paths(employer.node.path)) if p in catch_alls),
                           None)
            if nearest is not None and nearest.pk not in {f.node.pk for f in result.catch_all}:
                result.catch_all.append(_found(nearest, employer.name))
    return result


# --- serve first, join later: the offer shown after a service -------------------------------------

OFFER_SALT = "gonghui.members.join-offer"
OFFER_MAX_AGE_DAYS = 30


def offer_token(*, node, service: str, channel: str) -> str:
    """A signed offer to be invited by ``node`` after using ``service`` (shown to non-members)."""
    return signing.dumps({"n": node.pk, "s": str(service)[:100], "c": channel[:20]}, salt=OFFER_SALT, compress=True)


def accept_offer(*, token: str, worker, consent: bool) -> Prospect | None:
    """The worker ticked "invite me" under an offer: a prospect of the offer's union, with the
    consent words and version stored. Without the tick nothing is recorded (a ValidationError)."""
    try:
        data = signing.loads(token, salt=OFFER_SALT, max_age=datetime.timedelta(days=OFFER_MAX_AGE_DAYS))
    except signing.BadSignature:
        raise DomainError("offer_invalid", _("This offer is no longer valid.")) from None
    if not consent:
        raise ValidationError({"consent": [_("Tick the box to agree, or just close this page.")]})
    with scopes_disabled():
        node = Node.objects.filter(pk=data.get("n"), status=NodeStatus.ACTIVE).first()
    if node is None:
        raise DomainError("offer_invalid", _("This offer is no longer valid."))
    return record_prospect(node=node, phone=worker.phone, service=data.get("s", ""), consent=True,
                           consent_channel=data.get("c", "offer"), consent_text=str(PROSPECT_CONSENT_TEXT))
