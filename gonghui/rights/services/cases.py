"""Case handling: the declared moves (accept → … → follow-up visit), deadlines and their extensions,
comments and documents, joint mediation (invitations, sessions, the agreement).

Rules enforced here for every caller:
- a move is fired only from a stage it is declared for and by someone it is declared for
  (``workflow.MACHINE``, the one machine shape of core/statemachine.py); anything else changes nothing;
- a move is a conditional update (``WHERE stage = <the stage we saw>``): of two cadres closing
  the same case at once, one closes it and the other is told it has just changed;
- mediators act only on cases they are invited to or assigned; an invitation goes only to an
  account holding the mediator role over the case's union;
- every step, comment, document, extension, invitation, session and agreement is a line of the
  case history and an audit record; the claimant is told of each step by SMS.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.permissions import allowed
from gonghui.core.audit import audit
from gonghui.core.errors import DomainError, NotPermitted
from gonghui.core.limits import limit_of
from gonghui.core.notify import notify
from gonghui.core.uploads import check_upload
from gonghui.core.workdays import add_workdays

from .. import limits
from ..models import Case, CaseEvent, Invitation, MediationAgreement, MediationSession, Satisfaction, Stage
from ..selectors import format_code, is_handler, is_mediator_of, may_fire_move, may_read_case
from ..workflow import ENDED_STAGES, MACHINE, STAGE_WORKDAYS, Move
from .claims import _title, check_files, clean_amount, clean_text, save_files

MAX_EXTENSION_WORKDAYS = 30


# --- moves -------------------------------------------------------------------------------------------

def _due(stage: str, start: datetime.date) -> datetime.date | None:
    days = STAGE_WORKDAYS.get(stage)
    return add_workdays(start, days) if days is not None else None


def _move_fields(move: Move, case: Case, *, reason, handler, outcome, amount_recovered, satisfaction) -> dict:
    """The fields a move writes besides the stage, checked; ValidationError names the wrong ones."""
    fields = {}
    if move.needs_reason:
        reason = clean_text(value=reason, field="reason", max_length=limit_of(Case, "decline_reason"))
        if move.name == "decline":
            fields["decline_reason"] = reason
    if move.name == "assign":
        if handler is None:
            raise ValidationError({"handler": [_("Choose who handles the case.")]})
        if not (allowed(handler, "rights.case.read", node=case.node)
                or allowed(handler, "rights.case.mediate", node=case.node)):
            raise ValidationError({"handler": [_("The handler must hold a role over this union.")]})
        fields["handler"] = handler
    if move.closes:
        fields["outcome"] = clean_text(value=outcome, field="outcome", max_length=limits.OUTCOME)
        agreed = getattr(case, "agreement", None) if case.pk else None
        amount = clean_amount(value=amount_recovered, field="amount_recovered")
        if amount is None:
            amount = agreed.amount if agreed is not None else case.amount_recovered
        fields["amount_recovered"] = amount
        fields["mediated"] = case.stage == Stage.MEDIATING or agreed is not None
    if move.name == "visit":
        if satisfaction not in Satisfaction.values:
            raise ValidationError({"satisfaction": [_("Record how satisfied the worker is.")]})
        fields["satisfaction"] = satisfaction
    return fields


@transaction.atomic
def move_case(*, actor, case: Case, name: str, claimant=None, reason: str = "", handler=None, outcome: str = "",
         amount_recovered=None, satisfaction: str = "", note: str = "") -> Case:
    """Fire the declared move ``name`` on ``case``."""
    if name not in MACHINE:
        raise DomainError("unknown_move", _("Unknown step."), field="action")
    seen, fields = case.stage, {}

    def permit(move):
        if not may_fire_move(move, case, actor, claimant):
            raise NotPermitted(f"rights.case.{name}")

    def details(move):  # the move's requirement "step_details", after the stage is checked
        fields.update(_move_fields(move, case, reason=reason, handler=handler, outcome=outcome,
                                   amount_recovered=amount_recovered, satisfaction=satisfaction))

    declared = MACHINE.apply(case, name, permit=permit, details=details)
    today = timezone.localdate()
    fields.update(stage=case.stage, stage_since=today, due_on=_due(declared.target, today))
    if declared.target == Stage.CLOSED:
        fields["closed_on"] = today
    changed = Case.objects.with_scopes_disabled().filter(pk=case.pk, stage=seen).update(
        **fields, updated_at=timezone.now())
    if not changed:
        case.stage = seen  # nothing was written: the caller's case stays as it was read
        raise DomainError("case_changed", _("Someone else has just changed this case; reload the page."))
    for field, value in fields.items():
        setattr(case, field, value)
    text = reason or note or fields.get("outcome", "")
    data = {k: str(v) for k, v in fields.items() if k in ("amount_recovered", "satisfaction")}
    if name == "assign":
        data["handler_name"] = str(handler)
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.STEP, actor=actor, by_claimant=claimant is not None,
                             from_stage=seen, to_stage=declared.target, text=text, data=data)
    audit(f"rights.case.{name}", actor=claimant or actor, obj=case,
          data={"from": seen, "to": declared.target, **data})
    if claimant is None:
        notify(phone=case.claimant_phone, text=_("Your claim %(code)s: %(stage)s.") % {
            "code": format_code(case.tracking_code), "stage": case.get_stage_display()},
            kind="claim_stage", params={"code": format_code(case.tracking_code), "stage": case.get_stage_display()})
    return case


@transaction.atomic
def extend_deadline(*, actor, case: Case, workdays: int, reason: str) -> Case:
    """Give the current stage more working days; the reason stays in the history."""
    if not is_handler(actor, case):
        raise NotPermitted("rights.case.extend")
    if case.stage in ENDED_STAGES - {Stage.CLOSED} or case.due_on is None:
        raise DomainError("no_deadline", _("This stage has no deadline to extend."))
    try:
        workdays = int(workdays)
    except (TypeError, ValueError):
        workdays = 0
    if not 1 <= workdays <= MAX_EXTENSION_WORKDAYS:
        raise ValidationError({"workdays": [_("Extend by 1 to %(n)d working days.") % {"n": MAX_EXTENSION_WORKDAYS}]})
    reason = clean_text(value=reason, field="reason", max_length=limits.EXTENSION_REASON)
    old = case.due_on
    case.due_on = add_workdays(max(old, timezone.localdate()), workdays)
    case.save(update_fields=["due_on", "updated_at"])
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.EXTENSION, actor=actor, text=reason,
                             visible_to_claimant=False, data={"from": str(old), "to": str(case.due_on),
                                                              "workdays": workdays})
    audit("rights.case.deadline_extended", actor=actor, obj=case,
          data={"from": old, "to": case.due_on, "workdays": workdays, "reason": reason})
    return case


@transaction.atomic
def comment_on_case(*, actor, case: Case, text: str = "", files=(), visible_to_claimant: bool = False) -> CaseEvent:
    """A note or documents on the case, by its handlers or its mediators."""
    if not may_read_case(actor, case):
        raise NotPermitted("rights.case.comment")
    text = clean_text(value=text, field="text", max_length=limits.COMMENT, required=not files)
    checked = check_files(files=files)
    kind = CaseEvent.Kind.DOCUMENT if checked else CaseEvent.Kind.COMMENT
    event = CaseEvent.objects.create(case=case, kind=kind, actor=actor, text=text,
                                     visible_to_claimant=bool(visible_to_claimant))
    save_files(case=case, checked=checked, event=event, by_claimant=False, actor=actor)
    audit("rights.case.commented", actor=actor, obj=case, data={"files": len(checked), "kind": kind})
    return event


# --- joint mediation -----------------------------------------------------------------------------------

@transaction.atomic
def invite_mediator(*, actor, case: Case, mediator, partner: str) -> Invitation:
    """Invite an outside partner's mediator account to this one case."""
    if not allowed(actor, "rights.case.invite", node=case.node):
        raise NotPermitted("rights.case.invite")
    if case.stage in ENDED_STAGES:
        raise DomainError("case_ended", _("The case is finished."))
    if partner not in Invitation.Partner.values:
        raise ValidationError({"partner": [_("Choose the partner organization.")]})
    if mediator is None or not allowed(mediator, "rights.case.mediate", node=case.node):
        raise ValidationError({"mediator": [_("Only an account holding the mediator role over this union can be "
                                              "invited.")]})
    invitation, created = Invitation.objects.get_or_create(
        case=case, mediator=mediator, defaults={"partner": partner, "invited_by": actor})
    if not created and invitation.revoked_at is None:
        return invitation
    if not created:
        invitation.revoked_at, invitation.partner = None, partner
        invitation.save(update_fields=["revoked_at", "partner"])
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.INVITATION, actor=actor,
                             data={"mediator": mediator.pk, "mediator_name": str(mediator), "partner": partner})
    audit("rights.case.mediator_invited", actor=actor, obj=case, data={"mediator": mediator.pk, "partner": partner})
    return invitation


@transaction.atomic
def revoke_invitation(*, actor, invitation: Invitation) -> Invitation:
    if not is_handler(actor, invitation.case):
        raise NotPermitted("rights.case.invite")
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        CaseEvent.objects.create(case=invitation.case, kind=CaseEvent.Kind.INVITATION, actor=actor,
                                 visible_to_claimant=False,
                                 data={"revoked": invitation.mediator_id, "partner": invitation.partner,
                                       "mediator_name": str(invitation.mediator)})
        audit("rights.case.mediator_uninvited", actor=actor, obj=invitation.case,
              data={"mediator": invitation.mediator_id})
    return invitation


def _mediation_actor(case: Case, actor, permission: str) -> None:
    if not (is_handler(actor, case) or is_mediator_of(actor, case)):
        raise NotPermitted(permission)
    if case.stage != Stage.MEDIATING:
        raise DomainError("not_mediating", _("The case is not in mediation."))


def _past_date(value, field: str, case: Case) -> datetime.date:
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value.strip())
        except ValueError:
            raise ValidationError({field: [_("Enter a valid date.")]}) from None
    if not isinstance(value, datetime.date):
        raise ValidationError({field: [_("Enter a valid date.")]})
    if value > timezone.localdate():
        raise ValidationError({field: [_("The date cannot be in the future.")]})
    if value < timezone.localtime(case.submitted_at).date():
        raise ValidationError({field: [_("The date cannot be before the claim was filed.")]})
    return value


@transaction.atomic
def record_session(*, actor, case: Case, held_on, place: str, participants: str, result: str,
                   notes: str = "") -> MediationSession:
    _mediation_actor(case, actor, "rights.case.session")
    errors, data = {}, {}
    for field, check in {
        "held_on": lambda: _past_date(held_on, "held_on", case),
        "place": lambda: clean_text(value=place, field="place", max_length=limit_of(MediationSession, "place")),
        "participants": lambda: clean_text(value=participants, field="participants",
                                                    max_length=limit_of(MediationSession, "participants")),
        "notes": lambda: clean_text(value=notes, field="notes", max_length=limits.SESSION_NOTES, required=False),
    }.items():
        try:
            data[field] = check()
        except ValidationError as exc:
            errors[field] = exc.messages
    if result not in MediationSession.Result.values:
        errors["result"] = [_("Choose the result of the session.")]
    if errors:
        raise ValidationError(errors)
    session = MediationSession.objects.create(case=case, result=result, recorded_by=actor, **data)
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.SESSION, actor=actor,
                             data={"session": session.pk, "held_on": str(session.held_on), "place": session.place,
                                   "result": result, "participants": session.participants})
    audit("rights.case.session_recorded", actor=actor, obj=case, data={"session": session.pk, "result": result})
    return session


@transaction.atomic
def record_agreement(*, actor, case: Case, signed_on, terms: str, amount, document=None) -> MediationAgreement:
    """The mediation agreement and the amount it recovers (挽回经济损失), once per case."""
    _mediation_actor(case, actor, "rights.case.agreement")
    if MediationAgreement.objects.with_scopes_disabled().filter(case=case).exists():
        raise DomainError("agreement_exists", _("This case already has its agreement."))
    errors, data = {}, {}
    for field, check in {
        "signed_on": lambda: _past_date(signed_on, "signed_on", case),
        "terms": lambda: clean_text(value=terms, field="terms", max_length=limits.TERMS),
        "amount": lambda: clean_amount(value=amount, field="amount", required=True),
    }.items():
        try:
            data[field] = check()
        except ValidationError as exc:
            errors[field] = exc.messages
    if errors:
        raise ValidationError(errors)
    checked = [(check_upload(document, field="document"), _title(document))] if document else []
    event = CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.AGREEMENT, actor=actor,
                                     data={"amount": str(data["amount"])})
    saved = save_files(case=case, checked=checked, event=event, by_claimant=False, actor=actor)
    agreement = MediationAgreement.objects.create(case=case, recorded_by=actor,
                                                  document=saved[0] if saved else None, **data)
    case.amount_recovered, case.mediated = agreement.amount, True
    case.save(update_fields=["amount_recovered", "mediated", "updated_at"])
    audit("rights.case.agreement_recorded", actor=actor, obj=case, data={"amount": agreement.amount})
    return agreement

