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

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.permissions import require
from gonghui.core import ratelimit
from gonghui.core.audit import audit
from gonghui.core.crypto import blind_index
from gonghui.core.errors import DomainError
from gonghui.core.notify import notify
from gonghui.core.scoping import scopes_disabled
from gonghui.core.text import clean_name
from gonghui.core.workdays import add_workdays

from ..models import (
    ApplicationStatus,
    JoinApplication,
    JoinLink,
    Member,
    MemberEvent,
    Prospect,
    Source,
)
from ..validation import check_join_age, clean_member_fields, clean_person
from .roster import _event, active_conflict, build_member, conflict_error, id_hash, save_new_member

LINK_SALT = "gonghui.members.join-link"


# --- links -------------------------------------------------------------------------------------

def link_token(link: JoinLink) -> str:
    return signing.dumps({"k": link.key}, salt=LINK_SALT, compress=False)


@transaction.atomic
def current_link(*, node, actor) -> JoinLink:
    """The node's active join link, created on first use."""
    require(actor, "members.join_link.view", node=node)
    link = JoinLink.objects.filter(node=node, revoked_at__isnull=True).order_by("-created_at").first()
    if link is None:
        link = JoinLink.objects.create(node=node, created_by=actor)
        audit("members.join_link.created", actor=actor, obj=node, data={"link": link.pk})
    return link


@transaction.atomic
def revoke_link(*, link: JoinLink, actor) -> JoinLink:
    """Revoke (e.g. a poster in the wrong place); the next ``current_link`` issues a new one."""
    require(actor, "members.join_link.revoke", node=link.node)
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
        audit("members.join_link.revoked", actor=actor, obj=link.node, data={"link": link.pk})
    return link


def resolve_link(token: str) -> JoinLink:
    """The live link behind a scanned token, or a DomainError saying why it cannot be used."""
    max_age = datetime.timedelta(days=settings.GONGHUI_JOIN_LINK_MAX_AGE_DAYS)
    try:
        data = signing.loads(token, salt=LINK_SALT, max_age=max_age)
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
        raise conflict_error(existing_member)
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
        if application.status != ApplicationStatus.PENDING:
            raise DomainError("decided", _("This application has already been decided."))
        application.status = ApplicationStatus.WITHDRAWN
        application.reviewed_at = timezone.now()
        application.save(update_fields=["status", "reviewed_at"])
        audit("members.application.withdrawn", actor=worker, obj=application)
    return application


def _lock_pending(application: JoinApplication) -> JoinApplication:
    locked = (JoinApplication.objects.with_scopes_disabled().select_for_update().select_related("node")
              .get(pk=application.pk))
    if locked.status != ApplicationStatus.PENDING:
        raise DomainError("decided", _("This application has already been decided."))
    return locked


@transaction.atomic
def approve_application(*, application: JoinApplication, actor, member_type: str = "full",
                        joined_on: datetime.date | None = None) -> Member:
    """Approve: the applicant becomes a member of the application's node; the worker is told."""
    require(actor, "members.application.approve", node=application.node)
    application = _lock_pending(application)
    if not application.node.is_active:
        raise DomainError("node_inactive", _("Members cannot be added to a merged or dissolved union."))
    member = build_member(
        node=application.node, name=application.name, id_number=application.id_number, source=Source.SCAN,
        phone=application.phone, employment_form=application.employment_form,
        new_form_type=application.new_form_type, employer=application.employer,
        employer_name=application.employer_name, member_type=member_type,
        joined_on=joined_on or timezone.localdate(),
    )
    member = save_new_member(member)
    application.status = ApplicationStatus.APPROVED
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
def reject_application(*, application: JoinApplication, actor, reason: str) -> JoinApplication:
    require(actor, "members.application.reject", node=application.node)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason, so the worker knows what to do.")]})
    reason = clean_name(reason, max_length=200)
    application = _lock_pending(application)
    application.status = ApplicationStatus.REJECTED
    application.reviewed_at, application.reviewed_by, application.reason = timezone.now(), actor, reason
    application.save(update_fields=["status", "reviewed_at", "reviewed_by", "reason"])
    audit("members.application.rejected", actor=actor, obj=application, data={"reason": reason})
    notify(phone=application.phone, text=_("Your application to %(union)s was not approved: %(reason)s")
           % {"union": application.node.name, "reason": reason}, kind="member_rejected",
           params={"union": application.node.name, "reason": reason})
    return application


def is_overdue(application: JoinApplication, today: datetime.date | None = None) -> bool:
    return application.status == ApplicationStatus.PENDING and (today or timezone.localdate()) > application.due_on


# --- prospects (先服务后入会) -------------------------------------------------------------------

def record_prospect(*, node, phone: str, service: str, consent_channel: str, name: str = "") -> Prospect | None:
    """A worker used a service of ``node`` without being a member and agreed to be invited to join:
    remember them, with the consent (version, time, channel) recorded.

    ``phone`` must be verified (a worker signed in by one-time code): a number typed on a public
    page is nobody's consent. Returns None for members (nothing to record).
    """
    phone_hash = blind_index(phone, purpose="phone")
    consent = {"consent_version": settings.GONGHUI_JOIN_CONSENT_VERSION, "consent_at": timezone.now(),
               "consent_channel": consent_channel[:20]}
    with scopes_disabled():
        if Member.objects.filter(phone_hash=phone_hash, status="active").exists():
            return None
        prospect, created = Prospect.objects.get_or_create(
            node=node, phone_hash=phone_hash,
            defaults={"phone": phone, "service": service[:100], "name": name[:50], **consent})
        if not created:
            prospect.times_served += 1
            prospect.service = service[:100]
            for field, value in consent.items():
                setattr(prospect, field, value)
            prospect.save(update_fields=["times_served", "service", "last_served_at", *consent])
    return prospect


@transaction.atomic
def invite_prospect(*, prospect: Prospect, actor) -> Prospect:
    """Send the prospect the node's join link by message."""
    require(actor, "members.prospect.invite", node=prospect.node)
    if prospect.consent_at is None:
        raise DomainError("no_consent", _("This person has not agreed to be invited; they can scan the union's "
                                          "code to join."))
    link = current_link(node=prospect.node, actor=actor)
    path = f"/w/join/{link_token(link)}/"
    prospect.invited_at = timezone.now()
    prospect.save(update_fields=["invited_at"])
    audit("members.prospect.invited", actor=actor, obj=prospect)
    notify(phone=prospect.phone, text=_("%(union)s invites you to join the union: %(path)s")
           % {"union": prospect.node.name, "path": path}, kind="member_invitation",
           params={"union": prospect.node.name, "path": path})
    return prospect


def _mark_prospect_applied(node, phone_hash: str) -> None:
    Prospect.objects.with_scopes_disabled().filter(phone_hash=phone_hash).update(joined=True)

