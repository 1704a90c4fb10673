"""Objections during the publicity period (公示异议), and the payment hold they imply.

- Anyone with the publicity link who signs in by phone (a worker) may object to one entry of the
  list until ``objection_until`` (working days, ``core.workdays``, counted at publication),
  with a reason and optionally a photo or PDF as evidence (``core.uploads``). One objection per
  person and entry (``objection_once_per_person``); an entry not on the list, or a list whose
  period has ended, is refused.
- An aid officer (admin, clerk, reviewer) of the entry's subtree decides: *upheld* revokes the
  approval — a paid entry gets a reversing ledger row, and the money returns to the budget either
  way, the application ends rejected; *dismissed* needs a reason. Both are audited, and the
  objector and the applicant are told.
- Payment is held (``selectors.payment_hold``) while an objection to the entry waits for a decision, and —
  for programmes that pay after publicity (``Programme.pay_after_publicity``) — until the entry
  has been on a published list whose objection period has ended. Filing and paying both lock the
  application row, so an objection and a payment racing are ordered one way or the other.
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
from gonghui.core.limits import excerpt
from gonghui.core.notify import notify
from gonghui.core.text import clean_line, clean_name
from gonghui.core.uploads import IMAGE, PDF, check_upload, store

from .. import workflow as wf
from ..models import (
    Application,
    Budget,
    Disbursement,
    LedgerKind,
    Objection,
    ObjectionStatus,
    Publicity,
    Status,
)
from . import ledger

REASON_MIN, REASON_MAX = 5, 500


def _day(value: datetime.date) -> str:
    return date_format(value, "Y-m-d")


@transaction.atomic
def file_objection(*, publicity: Publicity, application_id, worker, reason: str, evidence=None,
                   today: datetime.date | None = None) -> Objection:
    """A worker objects to one entry of a publicity list during its objection period."""
    today = today or timezone.localdate()
    if today > publicity.objection_until:
        raise DomainError("objection_period_over", _(
            "The objection period of this list ended on %(date)s; objections are no longer accepted.")
            % {"date": _day(publicity.objection_until)})
    try:
        application_id = int(application_id)
    except (TypeError, ValueError):
        application_id = 0
    if not Application.objects.with_scopes_disabled().filter(publicities=publicity, pk=application_id).exists():
        raise DomainError("not_on_list", _("This entry is not on the publicity list."), field="entry")
    text = (reason or "").strip()
    if len(text) < REASON_MIN:
        raise ValidationError({"reason": [_("Say what is wrong with this entry (at least %(n)d characters).")
                                          % {"n": REASON_MIN}]})
    reason = clean_name(text, max_length=REASON_MAX)
    checked = check_upload(evidence, kinds=(IMAGE, PDF), field="evidence") if evidence else None
    # The application row is the lock a payment takes too: either the payment sees this objection
    # (and is held), or the objection comes after the payment (and upholding it reverses it).
    application = Application.objects.with_scopes_disabled().select_for_update(of=("self",)).get(pk=application_id)
    if Objection.objects.with_scopes_disabled().filter(publicity=publicity, application=application,
                                                       worker=worker).exists():
        raise DomainError("already_objected", _("You have already raised an objection to this entry."),
                          field="entry")
    stored = store(checked.content, folder="aid/objections", extension=checked.extension) if checked else ""
    try:
        with transaction.atomic():
            objection = Objection.objects.create(
                publicity=publicity, application=application, node_id=application.node_id, worker=worker,
                reason=reason, evidence=stored, evidence_type=checked.content_type if checked else "")
    except IntegrityError:
        raise DomainError("already_objected", _("You have already raised an objection to this entry."),
                          field="entry") from None
    audit("aid.objection.filed", actor=worker, obj=application,
          data={"objection": objection.pk, "publicity": publicity.pk, "evidence": bool(stored)})
    return objection


def _revoke(application: Application, *, actor, reason: str) -> Disbursement | None:
    """Withdraw an approval (the caller holds the application's lock): a paid entry is reversed in
    the ledger; the approved amount returns to the budget; the application ends rejected (the
    declared move ``revoke``; the caller has checked ``aid.objection.decide``)."""
    row, was = None, application.status
    wf.MACHINE.apply(application, wf.REVOKE)
    if was == Status.PAID:
        payment = (Disbursement.objects.with_scopes_disabled()
                   .filter(application=application, kind=LedgerKind.PAYMENT).order_by("-entry_no").first())
        row = ledger.append_disbursement(application=application, kind=LedgerKind.REVERSAL, amount=-payment.amount,
                            method=payment.method, paid_on=timezone.localdate(), actor=actor,
                            note=excerpt(reason, Disbursement, "note"),  # the decision's note is kept whole
                            reverses=payment)
    if was in (Status.PAID, Status.APPROVED) and application.budget_id:
        budget = Budget.objects.with_scopes_disabled().select_for_update().get(pk=application.budget_id)
        budget.committed -= application.amount_approved
        budget.save(update_fields=["committed"])
    application.decision_note = excerpt(reason, Application, "decision_note")
    application.save(update_fields=["status", "decision_note"])
    return row


@transaction.atomic
def decide_objection(*, actor, objection: Objection, uphold: bool, note: str) -> Objection:
    """Uphold (the approval is revoked, a paid entry reversed) or dismiss, with the reason."""
    require(actor, "aid.objection.decide", node=objection.node)
    if not (note or "").strip():
        raise ValidationError({"note": [_("Give the reason for the decision; the objector is told.")]})
    note = clean_line(note, Objection, "decision_note")
    objection = (Objection.objects.with_scopes_disabled().select_for_update(of=("self",))
                 .select_related("worker", "publicity").get(pk=objection.pk))
    if objection.status != ObjectionStatus.PENDING:
        raise DomainError("objection_decided", _("This objection has already been decided."))
    application = (Application.objects.with_scopes_disabled().select_for_update(of=("self",))
                   .select_related("programme", "worker", "member").get(pk=objection.application_id))
    now = timezone.now()
    objection.status = ObjectionStatus.UPHELD if uphold else ObjectionStatus.DISMISSED
    objection.decided_by, objection.decided_at, objection.decision_note = actor, now, note
    objection.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    reversal = None
    if uphold:
        was = application.status
        reversal = _revoke(application, actor=actor, reason=_("Objection upheld: %(note)s") % {"note": note})
        # Other objections to the same entry are answered by this decision.
        (Objection.objects.with_scopes_disabled()
         .filter(application=application, status=ObjectionStatus.PENDING)
         .update(status=ObjectionStatus.UPHELD, decided_by=actor, decided_at=now, decision_note=note))
        if was in (Status.APPROVED, Status.PAID):
            from .applications import _tell

            _tell(application, _("Your approved aid from %(programme)s was revoked after an objection: %(note)s")
                  % {"programme": application.programme.name, "note": note})
    audit("aid.objection.upheld" if uphold else "aid.objection.dismissed", actor=actor, obj=application,
          data={"objection": objection.pk, "reversal": reversal.seq if reversal else None})
    notify(phone=objection.worker.phone, text=_("Your objection to the publicity list of %(programme)s was "
                                                "%(result)s: %(note)s") % {
        "programme": application.programme.name,
        "result": _("upheld") if uphold else _("dismissed"), "note": note}, kind="aid_objection_decided",
        params={"programme": application.programme.name, "result": _("upheld") if uphold else _("dismissed")})
    return objection


