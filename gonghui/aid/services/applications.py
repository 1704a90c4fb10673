"""Applications for aid: filed by a clerk or by the worker, reviewed at one or two levels,
approved within the budget, paid through the ledger, corrected by reversal.

Rules:
- one live application per person, programme and period (medical claims excepted): checked for a
  clear message, enforced by the partial unique constraint ``application_one_per_person``;
- the reviewer is never the clerk who entered the application, and the second level is never the
  first-level reviewer; the second level sits at the organizing union;
- approval locks the application row, then the budget row: two reviewers approving at once give
  one approval, and concurrent approvals never exceed the budget (the check constraint backs it);
- payments and reversals are rows of the append-only ledger (services/ledger.py).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from gonghui.accounts.permissions import require
from gonghui.core.audit import audit
from gonghui.core.errors import DomainError
from gonghui.core.limits import limit_of
from gonghui.core.notify import notify
from gonghui.core.text import clean_line, clean_name, clean_person_name
from gonghui.core.workdays import add_workdays
from gonghui.members.selectors import id_hash

from .. import workflow as wf
from ..models import (
    LIVE_STATUSES,
    Application,
    Budget,
    Channel,
    Disbursement,
    LedgerKind,
    Method,
    Programme,
    ProgrammeKind,
    Publicity,
    Scholarship,
    ScholarshipLevel,
    Status,
)
from ..money import parse_amount, yuan
from ..selectors import budget_for, done_by, payment_hold
from . import ledger


def _live_duplicate(programme: Programme, person_hash: str) -> Application | None:
    return (Application.objects.with_scopes_disabled()
            .filter(programme=programme, person_hash=person_hash, status__in=LIVE_STATUSES, repeatable=False)
            .first())


def _duplicate_error(existing: Application) -> DomainError:
    return DomainError("already_applied", _(
        "This person already has an application in this programme for this period (%(status)s, filed on %(date)s); "
        "a second one is not accepted.") % {"status": existing.get_status_display(),
                                             "date": date_format(timezone.localtime(existing.submitted_at).date())})


def _check_programme(programme: Programme, node) -> None:
    if not programme.is_open:
        raise DomainError("programme_closed", _("This programme is closed for applications."), field="programme")
    if not node.path.startswith(programme.node.path):
        raise DomainError("node_outside", _("The applicant's union is not covered by this programme."),
                          field="programme")


def _person_of(*, member=None, hardship=None) -> tuple:
    """(node, name, id_number) of the beneficiary: a member of the roster or a registered household."""
    if member is not None:
        if not member.is_active:
            raise DomainError("not_member", _("Only active members can be helped through the roster; register "
                                              "the household in the hardship registry instead."), field="member")
        return member.node, member.name, member.id_number
    if hardship is not None:
        if hardship.status != "active":
            raise DomainError("hardship_exited", _("This household has left the hardship registry."))
        return hardship.node, hardship.name, hardship.id_number
    raise DomainError("no_person", _("Choose the member or the registered household to help."), field="member")


def create_application(*, actor=None, programme: Programme, worker=None, member=None, hardship=None,
                       reason: str, amount=None, repeatable: bool = False, scholarship: dict | None = None,
                       extra=None) -> Application:
    """File an application. ``actor`` is the clerk (console, API) or None when ``worker`` files it
    from the phone. ``extra(application)`` writes the claim or scholarship details in the same
    transaction."""
    node, name, id_number = _person_of(member=member, hardship=hardship)
    if actor is not None:
        require(actor, "aid.application.create", node=node)
    _check_programme(programme, node)
    if programme.kind == ProgrammeKind.MEDICAL and not repeatable:
        raise DomainError("use_claim", _("Medical mutual aid is applied for with a claim and its bills."))
    if programme.kind == ProgrammeKind.MICRO_WISH:
        raise DomainError("use_wish", _("Micro-wishes are posted on the worker pages."))
    reason = clean_line(reason or "", Application, "reason") if (reason or "").strip() else ""
    if not reason:
        raise ValidationError({"reason": [_("Say briefly why the help is needed.")]})
    if amount in (None, "") and programme.standard_amount is not None:
        amount = programme.standard_amount
    amount = parse_amount(amount, field="amount")
    _within_standard(programme, amount)
    details = None
    if programme.kind == ProgrammeKind.AUTUMN_SCHOLARSHIP:
        details = _clean_scholarship(scholarship or {}, year=programme.year)
    person_hash = id_hash(id_number)
    if not repeatable:
        existing = _live_duplicate(programme, person_hash)
        if existing is not None:
            raise _duplicate_error(existing)
    application = Application(
        programme=programme, node=node, member=member, hardship=hardship, worker=worker, name=name,
        id_number=id_number, person_hash=person_hash, repeatable=repeatable, reason=reason,
        amount_requested=amount, channel=Channel.WORKER if actor is None else Channel.CLERK, entered_by=actor)
    try:
        with transaction.atomic():
            application.save()
            if details is not None:
                Scholarship.objects.create(application=application, **details)
            if extra is not None:
                extra(application)
            audit("aid.application.created", actor=actor or worker, obj=application,
                  data={"programme": programme.pk, "amount": str(amount), "channel": application.channel})
    except IntegrityError:
        existing = _live_duplicate(programme, person_hash)
        if existing is None:
            raise
        raise _duplicate_error(existing) from None
    return application


def _within_standard(programme: Programme, amount, *, raised: bool = False) -> None:
    """An application asks for at most the programme's standard amount, unless a reviewer of the
    organizing union raised it with a reason (``raise_amount``)."""
    if programme.standard_amount is not None and amount > programme.standard_amount and not raised:
        raise DomainError("above_standard", _(
            "The standard amount of this programme is %(standard)s yuan; an application asks for at most that. "
            "A higher amount is raised by a reviewer of %(owner)s, with the reason.")
            % {"standard": yuan(programme.standard_amount), "owner": programme.node.name}, field="amount")


@transaction.atomic
def raise_amount(*, actor, application: Application, amount, reason: str) -> Application:
    """A reviewer of the programme's organizing union raises an application above the standard
    amount, with the reason (recorded on the application, the raise audited). Not the clerk who
    entered it; only while the application waits for its decision."""
    application = _lock(application)
    require(actor, "aid.application.raise", node=application.programme.node, done_by=done_by(application))
    if application.status not in (Status.SUBMITTED, Status.FIRST_PASSED):
        raise DomainError("decided", _("This application is %(status)s; it cannot be changed that way.")
                          % {"status": application.get_status_display()})
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Give the reason for the higher amount; it is recorded.")]})
    reason = clean_line(reason, Application, "raise_reason")
    amount = parse_amount(amount, field="amount")
    standard = application.programme.standard_amount
    if standard is None or amount <= standard:
        raise DomainError("within_standard", _("This amount is within the programme's standard; no raise is needed."),
                          field="amount")
    was = application.amount_requested
    application.amount_requested = amount
    application.raised_by, application.raised_at, application.raise_reason = actor, timezone.now(), reason
    application.save(update_fields=["amount_requested", "raised_by", "raised_at", "raise_reason"])
    audit("aid.application.amount_raised", actor=actor, obj=application,
          data={"amount": f"{amount:.2f}", "standard": f"{standard:.2f}", "was": f"{was:.2f}"})
    return application


def _clean_scholarship(data: dict, *, year: int) -> dict:
    errors: dict[str, list] = {}
    out = {}
    try:
        out["student"] = clean_person_name(data.get("student") or "")
    except ValidationError as exc:
        errors["student"] = exc.messages
    try:
        out["school"] = clean_name(data.get("school") or "", max_length=limit_of(Scholarship, "school"))
    except ValidationError as exc:
        errors["school"] = exc.messages
    try:
        admission = int(data.get("admission_year") or 0)
    except (TypeError, ValueError):
        admission = 0
    if not year - 8 <= admission <= year:
        errors["admission_year"] = [_("Enter the year the student was admitted (up to %(year)s).") % {"year": year}]
    out["admission_year"] = admission
    if data.get("level") not in ScholarshipLevel.values:
        errors["level"] = [_("Choose the level of study.")]
    out["level"] = data.get("level")
    if errors:
        raise ValidationError(errors)
    return out


# --- review ------------------------------------------------------------------------------------------

def _lock(application: Application) -> Application:
    # Lock this row only: locking the joined programme and node rows would serialize every
    # approval of the programme and block tree operations.
    return (Application.objects.with_scopes_disabled().select_for_update(of=("self",))
            .select_related("programme", "programme__node", "node").get(pk=application.pk))


def _transition(application: Application, action: str, actor) -> str:
    """Make the declared move (workflow.MACHINE): its action at the union that decides, the state, its requirements."""
    where = application.programme.node if (action == wf.APPROVE and application.programme.review_levels == 2) \
        else application.node
    return wf.MACHINE.apply(
        application, action, permit=lambda move: require(actor, move.permission, node=where),
        # the declared exclusions: whoever entered does not decide, the second level is someone else,
        # whoever reviewed, raised or approved does not pay
        exclusions=lambda move: require(actor, move.permission, node=where, done_by=done_by(application))).target


@transaction.atomic
def pass_first_review(*, actor, application: Application, note: str = "") -> Application:
    """First level of a two-level review: the applicant's union checks the facts."""
    application = _lock(application)
    _transition(application, wf.FIRST_PASS, actor)
    application.first_reviewed_by, application.first_reviewed_at = actor, timezone.now()
    application.decision_note = clean_line(note, Application, "decision_note") if note.strip() else ""
    application.save(update_fields=["status", "first_reviewed_by", "first_reviewed_at", "decision_note"])
    audit("aid.application.first_passed", actor=actor, obj=application)
    return application


@transaction.atomic
def approve_application(*, actor, application: Application, amount=None, note: str = "") -> Application:
    """Approve within the budget. Locks the application, then the budget row it draws on."""
    application = _lock(application)
    _transition(application, wf.APPROVE, actor)
    if application.repeatable:  # a medical claim: re-check the yearly cap under the lock
        from .medical import update_claim_payout

        amount = update_claim_payout(application=application)
    else:
        amount = parse_amount(amount, field="amount") if amount not in (None, "") else application.amount_requested
        if amount > application.amount_requested:
            raise DomainError("above_request", _("The approved amount cannot exceed the amount requested."),
                              field="amount")
        _within_standard(application.programme, amount, raised=application.raised_by_id is not None)
    budget = budget_for(application.programme, application.node)
    if budget is None:
        raise DomainError("no_budget", _("No budget is set for this programme at this union or above it."))
    budget = Budget.objects.with_scopes_disabled().select_for_update().get(pk=budget.pk)
    if amount > budget.free:
        raise DomainError("over_budget", _(
            "Approving %(amount)s yuan would exceed the budget: %(left)s yuan of %(budget)s is left.")
            % {"amount": amount, "left": budget.free, "budget": budget.amount}, field="amount")
    budget.committed += amount
    budget.save(update_fields=["committed"])
    application.amount_approved, application.budget = amount, budget
    application.decided_by, application.decided_at = actor, timezone.now()
    application.decision_note = clean_line(note, Application, "decision_note") if note.strip() \
        else application.decision_note
    application.save(update_fields=["status", "amount_approved", "budget", "decided_by", "decided_at",
                                    "decision_note"])
    audit("aid.application.approved", actor=actor, obj=application, data={"amount": str(amount), "budget": budget.pk})
    _tell(application, _("Your application for %(programme)s is approved: %(amount)s yuan.")
          % {"programme": application.programme.name, "amount": amount})
    return application


@transaction.atomic
def reject_application(*, actor, application: Application, note: str) -> Application:
    if not (note or "").strip():
        raise ValidationError({"note": [_("Give the reason, so the applicant knows what to do.")]})
    note = clean_line(note, Application, "decision_note")
    application = _lock(application)
    _transition(application, wf.REJECT, actor)
    application.decided_by, application.decided_at = actor, timezone.now()
    application.decision_note = note
    application.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit("aid.application.rejected", actor=actor, obj=application, data={"note": note})
    _tell(application, _("Your application for %(programme)s was not approved: %(reason)s")
          % {"programme": application.programme.name, "reason": note})
    return application


@transaction.atomic
def withdraw_application(*, actor=None, application: Application, worker=None) -> Application:
    """The worker withdraws their own application, or a clerk withdraws one entered by mistake."""
    application = _lock(application)
    if worker is not None:
        if application.worker_id != worker.pk:
            raise DomainError("not_yours", _("This is not your application."))
        wf.MACHINE.apply(application, wf.WITHDRAW, exclusions=lambda move: None,
                         wrong_state=lambda row, move: DomainError(
                             "decided", _("This application has already been decided.")))
    else:
        _transition(application, wf.WITHDRAW, actor)
    application.save(update_fields=["status"])
    audit("aid.application.withdrawn", actor=actor or worker, obj=application)
    return application


def _tell(application: Application, text: str) -> None:
    phone = application.worker.phone if application.worker_id else (
        application.member.phone if application.member_id else "")
    notify(phone=phone, text=text, kind="aid_update", params={"programme": application.programme.name})


# --- disbursement ---------------------------------------------------------------------------------

@transaction.atomic
def pay_application(*, actor, application: Application, method: str = Method.BANK, paid_on: datetime.date | None = None,
        note: str = "") -> Disbursement:
    """Record the payment of an approved application: one ledger row for the approved amount.

    Held while an objection to the entry is pending and, for programmes that pay after publicity,
    until the entry's objection period has ended (services/objections.py)."""
    application = _lock(application)
    _transition(application, wf.PAY, actor)
    held = payment_hold(application)
    if held:
        raise DomainError("payment_held", held)
    if method not in Method.values:
        raise ValidationError({"method": [_("Choose how the money was paid.")]})
    paid_on = paid_on or timezone.localdate()
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": [_("The payment date cannot be in the future.")]})
    row = ledger.append_disbursement(application=application, kind=LedgerKind.PAYMENT, amount=application.amount_approved,
                        method=method, paid_on=paid_on, actor=actor, note=clean_line(note, Disbursement, "note")
                        if note.strip() else "")
    application.save(update_fields=["status"])
    audit("aid.disbursement.paid", actor=actor, obj=application,
          data={"seq": row.seq, "amount": str(row.amount), "method": method})
    return row


@transaction.atomic
def reverse_disbursement(*, actor, application: Application, reason: str, release: bool = False) -> Disbursement:
    """Undo the last payment by a reversing row (the bank returned it, a wrong account …).

    The application goes back to "approved, to be paid"; with ``release`` the approval itself is
    withdrawn too and its money returns to the budget (the application ends rejected)."""
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Say why the payment is reversed.")]})
    reason = clean_name(reason, max_length=min(limit_of(Disbursement, "note"), limit_of(Application, "decision_note")))
    application = _lock(application)
    _transition(application, wf.REVERSE_RELEASE if release else wf.REVERSE, actor)
    payment = (Disbursement.objects.with_scopes_disabled().filter(application=application, kind=LedgerKind.PAYMENT)
               .order_by("-entry_no").first())
    row = ledger.append_disbursement(application=application, kind=LedgerKind.REVERSAL, amount=-payment.amount,
                        method=payment.method, paid_on=timezone.localdate(), actor=actor, note=reason,
                        reverses=payment)
    fields = ["status"]
    if release:
        budget = Budget.objects.with_scopes_disabled().select_for_update().get(pk=application.budget_id)
        budget.committed -= application.amount_approved
        budget.save(update_fields=["committed"])
        application.decision_note = reason
        fields.append("decision_note")
    application.save(update_fields=fields)
    audit("aid.disbursement.reversed", actor=actor, obj=application,
          data={"seq": row.seq, "reverses": payment.seq, "release": release})
    return row


# --- publicity (公示) ------------------------------------------------------------------------------

@transaction.atomic
def publish_publicity(*, actor, programme: Programme, node) -> Publicity:
    """Publish the approved and paid applications of ``node``'s subtree with masked names."""
    require(actor, "aid.publicity.publish", node=node)
    if not node.path.startswith(programme.node.path) and not programme.node.path.startswith(node.path):
        raise DomainError("node_outside", _("The union is not inside the programme's organizing union."))
    rows = list(Application.objects.with_scopes_disabled()
                .filter(programme=programme, status__in=(Status.APPROVED, Status.PAID),
                        node__path__startswith=node.path).values_list("pk", flat=True))
    if not rows:
        raise DomainError("nothing_to_publish", _("No approved application to publish yet."))
    today = timezone.localdate()
    publicity = Publicity.objects.create(programme=programme, node=node, published_on=today, published_by=actor,
                                         objection_until=add_workdays(today, programme.objection_workdays))
    publicity.applications.set(rows)
    audit("aid.publicity.published", actor=actor, obj=programme, data={"publicity": publicity.pk, "rows": len(rows)})
    return publicity


