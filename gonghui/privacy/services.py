"""Writes of personal-information rights: consent, the worker's own data as a file, requests and
their review, the phone number change, anonymisation (on a deletion request and when a record's
retention has expired). Every step is audited with ids and counts, never the data itself."""

import datetime
import hmac
import io
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from gonghui.accounts import services as accounts
from gonghui.accounts.models import PhoneCode, Worker
from gonghui.accounts.permissions import require
from gonghui.activities.models import Booking, Rating
from gonghui.aid.models import Application, Objection, Wish
from gonghui.aid.models import Status as AidStatus
from gonghui.core import crypto
from gonghui.core.audit import audit
from gonghui.core.errors import DomainError
from gonghui.core.phones import normalize_mobile
from gonghui.core.scoping import scopes_disabled
from gonghui.core.workdays import add_workdays
from gonghui.core.xlsx import safe_cell
from gonghui.members.models import JoinApplication, Member, MemberStatus, Prospect
from gonghui.orgs.models import Node
from gonghui.rights.models import Case
from gonghui.rights.workflow import ENDED_STAGES

from . import retention, selectors
from .models import Consent, PrivacyRequest, RequestKind, RequestStatus

ANON = "（已匿名）"
DETAILS_LIMIT = 1000
NOTE_LIMIT = 300


# --- consent -----------------------------------------------------------------------------------------------

def accept_notice(*, actor: Worker, channel: str = "worker") -> Consent:
    """Record the worker's consent to the current notice (a second accept changes nothing)."""
    version = settings.GONGHUI_PRIVACY_NOTICE_VERSION
    with transaction.atomic():
        consent = selectors.current_consent(actor)
        if consent is not None:
            return consent
        consent = Consent.objects.create(worker=actor, version=version, accepted_at=timezone.now(), channel=channel)
        audit("privacy.consent.given", actor=actor, obj=consent, data={"version": version, "channel": channel})
    return consent


def withdraw_consent(*, actor: Worker) -> int:
    """Withdraw every live consent; the records stay (with the time of withdrawal)."""
    with transaction.atomic():
        count = Consent.objects.filter(worker=actor, withdrawn_at__isnull=True).update(withdrawn_at=timezone.now())
        if not count:
            raise DomainError("no_consent", _("You have no consent to withdraw."))
        audit("privacy.consent.withdrawn", actor=actor, obj=actor, data={"consents": count})
    return count


# --- the worker's own data ----------------------------------------------------------------------------------

def export_own_data(*, actor: Worker) -> bytes:
    """Everything the platform holds about the worker, one sheet per kind of record (xlsx)."""
    sheets = selectors.personal_data(actor)
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in sheets:
        ws = wb.create_sheet(str(sheet.title)[:31])
        ws.append([safe_cell(str(h)) for h in sheet.headers])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in sheet.rows:
            ws.append([safe_cell(str(v)) if not isinstance(v, int | float) else v for v in row])
        ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    audit("privacy.data.exported", actor=actor, obj=actor,
          data={"sheets": len(sheets), "rows": sum(len(s.rows) for s in sheets)})
    return out.getvalue()


# --- requests -----------------------------------------------------------------------------------------------

def _home_union(worker) -> Node:
    """The union that reviews the worker's requests: their membership's, else the union of their latest
    claim, aid application or booking, else the top of the tree."""
    with scopes_disabled():
        member = Member.objects.filter(phone_hash=worker.phone_hash, status=MemberStatus.ACTIVE).first()
        if member is not None:
            return member.node
        for qs in (Case.objects.filter(worker=worker).order_by("-submitted_at"),
                   Application.objects.filter(worker=worker).order_by("-submitted_at"),
                   JoinApplication.objects.filter(worker=worker).order_by("-submitted_at")):
            row = qs.select_related("node").first()
            if row is not None:
                return row.node
        booking = Booking.objects.filter(worker=worker).select_related("activity__node").order_by("-created_at").first()
        if booking is not None:
            return booking.activity.node
    return Node.get_first_root_node()


def _new_request(*, actor: Worker, kind: str, details: str = "") -> PrivacyRequest:
    now = timezone.now()
    node = _home_union(actor)
    try:
        with transaction.atomic():
            request = PrivacyRequest.objects.create(
                node=node, worker=actor, kind=kind, details=details, submitted_at=now,
                due_on=add_workdays(timezone.localdate(), settings.GONGHUI_PRIVACY_REQUEST_WORKDAYS))
            audit("privacy.request.submitted", actor=actor, obj=request, node=node, data={"kind": kind})
    except IntegrityError:
        raise DomainError("request_pending", _("You already have a request of this kind waiting for review.")) from None
    return request


def request_correction(*, actor: Worker, details: str) -> PrivacyRequest:
    details = (details or "").strip()
    if not details:
        raise DomainError("details_required", _("Say what is wrong and what it should be."), field="details")
    if len(details) > DETAILS_LIMIT:
        raise DomainError("details_too_long", _("At most %(n)d characters.") % {"n": DETAILS_LIMIT}, field="details")
    return _new_request(actor=actor, kind=RequestKind.CORRECTION, details=details)


def request_deletion(*, actor: Worker) -> PrivacyRequest:
    """Refused, naming the record, while a claim is open or assistance is in review or approved unpaid."""
    blockers = selectors.deletion_blockers(actor)
    if blockers:
        raise DomainError(blockers[0].code, " ".join(b.message for b in blockers))
    return _new_request(actor=actor, kind=RequestKind.DELETION)


def withdraw_request(*, actor: Worker, request: PrivacyRequest) -> None:
    with transaction.atomic():
        locked = PrivacyRequest.objects.with_scopes_disabled().select_for_update().get(pk=request.pk)
        if locked.worker_id != actor.pk or locked.status != RequestStatus.PENDING:
            raise DomainError("not_pending", _("This request is no longer waiting for review."))
        locked.status = RequestStatus.WITHDRAWN
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "decided_at"])
        audit("privacy.request.withdrawn", actor=actor, obj=locked, node=locked.node)


def decide_request(*, actor, request: PrivacyRequest, approve: bool, note: str) -> PrivacyRequest:
    """A cadre of the worker's union answers: a correction is marked done (the data corrected where it
    lives), a deletion is carried out by anonymisation or refused with a reason."""
    note = (note or "").strip()
    if len(note) > NOTE_LIMIT:
        raise DomainError("note_too_long", _("At most %(n)d characters.") % {"n": NOTE_LIMIT}, field="note")
    if not approve and not note:
        raise DomainError("reason_required", _("Give the reason for refusing."), field="note")
    require(actor, "privacy.request.decide", node=request.node)
    with transaction.atomic():
        locked = PrivacyRequest.objects.with_scopes_disabled().select_for_update().get(pk=request.pk)
        if locked.status != RequestStatus.PENDING:
            raise DomainError("not_pending", _("This request is no longer waiting for review."))
        result = {}
        if approve and locked.kind == RequestKind.DELETION:
            blockers = selectors.deletion_blockers(locked.worker)
            if blockers:
                raise DomainError(blockers[0].code, " ".join(b.message for b in blockers))
            result = anonymise_worker(worker=locked.worker)
        locked.status = RequestStatus.DONE if approve else RequestStatus.REJECTED
        locked.decided_at = timezone.now()
        locked.decided_by = actor
        locked.decision_note = note
        locked.result = result
        locked.save(update_fields=["status", "decided_at", "decided_by", "decision_note", "result"])
        audit("privacy.request.decided", actor=actor, obj=locked, node=locked.node,
              data={"kind": locked.kind, "status": locked.status, **result})
    return locked


# --- anonymisation ------------------------------------------------------------------------------------------

def _anon_hash(prefix: str = "anon-") -> str:
    return prefix + secrets.token_hex(16)


def _anonymise_case(case: Case) -> None:
    case.claimant_name = ANON
    case.claimant_phone = ""
    case.claimant_phone_hash = ""
    case.facts = ANON
    case.parties = ""
    case.worker = None
    case.save(update_fields=["claimant_name", "claimant_phone", "claimant_phone_hash", "facts", "parties", "worker"])


def _anonymise_application(app: Application) -> None:
    app.name = ANON
    app.id_number = ANON
    app.person_hash = _anon_hash()
    app.worker = None
    app.member = None
    app.save(update_fields=["name", "id_number", "person_hash", "worker", "member"])


def _anonymise_join_application(app: JoinApplication) -> None:
    app.name = ANON
    app.id_number = ANON
    app.id_hash = _anon_hash()
    app.phone = ""
    app.phone_hash = _anon_hash()
    app.worker = None
    app.save(update_fields=["name", "id_number", "id_hash", "phone", "phone_hash", "worker"])


def anonymise_worker(*, worker: Worker) -> dict:
    """Carry out a deletion: every record of the worker loses what identifies them, except paid
    assistance (kept until its retention ends, then ``privacy-expire`` anonymises it) and an active
    membership or hardship file (the union's roster, ended by the union). Returns counts."""
    members = selectors.memberships_of(worker)
    counts = {}
    with scopes_disabled():
        cases = list(Case.objects.filter(selectors._case_q(worker), stage__in=ENDED_STAGES))
        for case in cases:
            _anonymise_case(case)
        counts["claims"] = len(cases)
        apps = list(Application.objects.filter(selectors._aid_q(worker, members)))
        kept = 0
        for app in apps:
            if app.status == AidStatus.PAID:
                kept += 1
                app.worker = None
                app.save(update_fields=["worker"])
            else:
                _anonymise_application(app)
        counts["aid"] = len(apps) - kept
        counts["aid_kept"] = kept
        counts["bookings"] = Booking.objects.filter(worker=worker).update(name=ANON, member=None)
        counts["ratings"] = Rating.objects.filter(worker=worker).update(comment="")
        wishes = list(Wish.objects.filter(worker=worker))
        for wish in wishes:
            wish.name = ANON
            wish.worker = None
            wish.save(update_fields=["name", "worker"])
        counts["wishes"] = len(wishes)
        Wish.objects.filter(helper_worker=worker).update(helper_worker=None)
        objections = list(Objection.objects.filter(worker=worker))
        for objection in objections:
            objection.reason = ANON
            objection.save(update_fields=["reason"])
        counts["objections"] = len(objections)
        joins = list(JoinApplication.objects.filter(worker=worker).exclude(status="pending"))
        for join in joins:
            _anonymise_join_application(join)
        counts["join_applications"] = len(joins)
        counts["prospects"] = Prospect.objects.filter(phone_hash=worker.phone_hash).delete()[0]
        ended = [m for m in members if m.status != MemberStatus.ACTIVE]
        for member in ended:
            member.name = ANON
            member.id_number = ANON
            member.id_hash = _anon_hash()
            member.phone = ""
            member.phone_hash = ""
            member.phone_tail = ""
            member.save(update_fields=["name", "id_number", "id_hash", "phone", "phone_hash", "phone_tail"])
        counts["memberships"] = len(ended)
        PhoneCode.objects.filter(phone_hash=worker.phone_hash).delete()
        Consent.objects.filter(worker=worker, withdrawn_at__isnull=True).update(withdrawn_at=timezone.now())
        worker.phone = ""
        worker.phone_hash = _anon_hash()
        worker.last_login = None
        worker.save(update_fields=["phone", "phone_hash", "last_login"])
    return counts


def expire_personal_data(*, today: datetime.date | None = None) -> dict[str, int]:
    """Anonymise every record whose retention has ended (the daily ``privacy-expire`` job); counts per
    record type, audited."""
    today = today or timezone.localdate()
    counts = dict.fromkeys(retention.RECORD_TYPES, 0)
    with scopes_disabled(), transaction.atomic():
        paid = list(Application.objects.filter(status=AidStatus.PAID).exclude(person_hash__startswith="anon-"))
        last_paid = selectors.paid_on_by_application(paid)
        for app in paid:
            ended = last_paid.get(app.pk) or timezone.localtime(app.decided_at or app.submitted_at).date()
            if retention.keep_until("aid_paid", ended) < today:
                _anonymise_application(app)
                counts["aid_paid"] += 1
        cut = retention.cutoff("aid_other", today)
        for app in (Application.objects.filter(status__in=[AidStatus.REJECTED, AidStatus.WITHDRAWN],
                                               decided_at__date__lt=cut).exclude(person_hash__startswith="anon-")):
            _anonymise_application(app)
            counts["aid_other"] += 1
        cut = retention.cutoff("claim_closed", today)
        for case in Case.objects.filter(stage__in=ENDED_STAGES, stage_since__lt=cut):
            if case.claimant_name != ANON:
                _anonymise_case(case)
                counts["claim_closed"] += 1
        cut = retention.cutoff("booking", today)
        counts["booking"] = (Booking.objects.filter(activity__ends_at__date__lt=cut).exclude(name=ANON)
                             .update(name=ANON))
        cut = retention.cutoff("wish", today)
        for wish in Wish.objects.filter(posted_at__date__lt=cut, status__in=["fulfilled", "withdrawn"]):
            if wish.name != ANON:
                wish.name = ANON
                wish.save(update_fields=["name"])
                counts["wish"] += 1
        cut = retention.cutoff("join_application", today)
        for join in JoinApplication.objects.filter(status__in=["rejected", "withdrawn"], submitted_at__date__lt=cut):
            if join.name != ANON:
                _anonymise_join_application(join)
                counts["join_application"] += 1
        cut = retention.cutoff("prospect", today)
        counts["prospect"] = Prospect.objects.filter(joined=False, last_served_at__date__lt=cut).delete()[0]
        audit("privacy.expired", data={"on": today.isoformat(), **counts})
    return counts


# --- phone number change ------------------------------------------------------------------------------------

def _phone_hash(phone: str) -> str:
    return crypto.blind_index(phone, purpose="phone")


def start_phone_change(*, actor: Worker, new_phone: str, ip: str = "") -> str:
    """Send a code to the current number and one to the new number; a number that already belongs to
    another worker is refused before anything is sent."""
    try:
        new_phone = normalize_mobile(new_phone)
    except ValidationError as exc:
        raise DomainError("phone_invalid", exc.messages[0], field="new_phone") from None
    if new_phone == actor.phone:
        raise DomainError("phone_same", _("This is already your number."), field="new_phone")
    if Worker.objects.filter(phone_hash=_phone_hash(new_phone)).exclude(pk=actor.pk).exists():
        raise DomainError("phone_taken", _("This number belongs to another account; it cannot be moved to yours."),
                          field="new_phone")
    accounts.send_phone_code(phone=actor.phone, ip=ip)
    accounts.send_phone_code(phone=new_phone, ip=ip)
    return new_phone


def _consume_code(phone: str, code: str) -> bool:
    """Check (and spend) the newest code sent to ``phone``; a wrong code counts an attempt."""
    phone_hash = _phone_hash(phone)
    pending = (PhoneCode.objects.select_for_update()
               .filter(phone_hash=phone_hash, used_at__isnull=True, expires_at__gt=timezone.now())
               .order_by("-created_at").first())
    if pending is None or pending.attempts >= settings.GONGHUI_OTP_MAX_ATTEMPTS:
        return False
    expected = crypto.blind_index(f"{phone}:{str(code).strip()}", purpose="otp")
    if hmac.compare_digest(pending.code_hash, expected):
        pending.used_at = timezone.now()
        pending.save(update_fields=["used_at"])
        return True
    pending.attempts += 1
    pending.save(update_fields=["attempts"])
    return False


def confirm_phone_change(*, actor: Worker, new_phone: str, old_code: str, new_code: str) -> Worker:
    """Both codes right: the account, and the roster rows and claims filed with the old number, move to
    the new number. A wrong code changes nothing (and counts an attempt)."""
    new_phone = normalize_mobile(new_phone)
    old_phone = actor.phone
    old_hash, new_hash = actor.phone_hash, _phone_hash(new_phone)
    with transaction.atomic():
        ok_old = _consume_code(old_phone, old_code)
        ok_new = _consume_code(new_phone, new_code)
    if not (ok_old and ok_new):
        raise DomainError("otp_invalid", _("A code is wrong or has expired."),
                          field="old_code" if not ok_old else "new_code")
    try:
        with transaction.atomic(), scopes_disabled():
            if Worker.objects.filter(phone_hash=new_hash).exclude(pk=actor.pk).exists():
                raise DomainError("phone_taken", _("This number belongs to another account; it cannot be moved "
                                                   "to yours."), field="new_phone")
            actor.phone = new_phone
            actor.phone_hash = new_hash
            actor.save(update_fields=["phone", "phone_hash"])
            members = list(Member.objects.filter(phone_hash=old_hash))
            for member in members:
                member.phone = new_phone
                member.phone_hash = new_hash
                member.phone_tail = new_phone[-4:]
                member.save(update_fields=["phone", "phone_hash", "phone_tail"])
            cases = list(Case.objects.filter(claimant_phone_hash=old_hash))
            for case in cases:
                case.claimant_phone = new_phone
                case.claimant_phone_hash = new_hash
                case.save(update_fields=["claimant_phone", "claimant_phone_hash"])
            audit("privacy.phone.changed", actor=actor, obj=actor,
                  data={"memberships": len(members), "claims": len(cases)})
    except IntegrityError:
        raise DomainError("phone_taken", _("This number belongs to another account; it cannot be moved to yours."),
                          field="new_phone") from None
    return actor
