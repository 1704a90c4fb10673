"""The case state machine, declared once (core/statemachine.py): stages, moves, who may fire each, deadlines.

Services fire moves by name (``services.cases.move_case``); views and the API list the moves an actor
may fire from ``available_moves``. Nothing else compares stages.

Who:
- ``HANDLER``: a cadre allowed the move's declared action ``rights.move.<name>`` (rights/permissions.py:
  admin, clerk, reviewer of the case's union or above) runs the case;
- ``mediator``: the assigned handler or an invited outside partner; they record sessions and
  the agreement and may close a mediated case, nothing else;
- ``claimant``: the worker whose claim it is; may only withdraw while it is open.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from gonghui.core.errors import DomainError
from gonghui.core.statemachine import Machine, Requirement
from gonghui.core.statemachine import Move as BaseMove

from .models import Stage

HANDLER = "handler"        # allowed the move's declared action rights.move.<name>
MEDIATOR = "mediator"      # invited to the case, or its assigned handler
CLAIMANT = "claimant"

OPEN_STAGES = frozenset({Stage.SUBMITTED, Stage.ACCEPTED, Stage.ASSIGNED, Stage.INVESTIGATING, Stage.MEDIATING,
                         Stage.LEGAL_AID, Stage.ARBITRATION, Stage.LITIGATION})
ENDED_STAGES = frozenset({Stage.DECLINED, Stage.WITHDRAWN, Stage.CLOSED, Stage.VISITED})
HANDLING_STAGES = frozenset({Stage.MEDIATING, Stage.LEGAL_AID, Stage.ARBITRATION, Stage.LITIGATION})

# Working days allowed in each stage (Chinese calendar, make-up workdays count). Acceptance in 5
# days and mediation in 15 follow the Labour Dispute Mediation and Arbitration Law's time limits;
# arbitration 45 days; the rest are the union's own service promises.
STAGE_WORKDAYS = {
    Stage.SUBMITTED: 5,
    Stage.ACCEPTED: 3,
    Stage.ASSIGNED: 5,
    Stage.INVESTIGATING: 10,
    Stage.MEDIATING: 15,
    Stage.LEGAL_AID: 30,
    Stage.ARBITRATION: 45,
    Stage.LITIGATION: 90,
    Stage.CLOSED: 10,  # the follow-up visit
}


@dataclass(frozen=True)
class Move(BaseMove):
    who: frozenset = frozenset()  # HANDLER, MEDIATOR, CLAIMANT
    needs_reason: bool = False    # decline, withdraw: a reason the claimant reads
    closes: bool = False          # asks for the outcome and the amount recovered


# What the step records besides the stage (a reason, the handler, the outcome, the satisfaction), checked
# by the service's callback ``details`` after the stage and before it changes.
STEP_DETAILS = Requirement("step_details", lambda case, move, context: context["details"](move))


def _m(name, label, sources, target, who, **kw) -> Move:
    # a handler needs the declared action rights.move.<name> (rights/permissions.py)
    records = kw.get("needs_reason") or kw.get("closes") or name in ("assign", "visit")
    return Move(name, frozenset(sources), target, f"rights.move.{name}", label,
                requires=[STEP_DETAILS] if records else [], who=frozenset(who), **kw)


def _wrong_state(case, move) -> DomainError:
    return DomainError("move_not_allowed", gettext_now("“%(step)s” is not possible while the case is “%(stage)s”.")
                       % {"step": move.label, "stage": case.get_stage_display()}, field="action")


MACHINE = Machine(name="rights.case", field="stage", states=Stage, initial=[Stage.SUBMITTED],
                  wrong_state=_wrong_state, moves=[
    _m("accept", _("Accept"), {Stage.SUBMITTED}, Stage.ACCEPTED, {HANDLER}),
    _m("decline", _("Decline"), {Stage.SUBMITTED}, Stage.DECLINED, {HANDLER}, needs_reason=True),
    _m("assign", _("Assign a handler"), {Stage.ACCEPTED, Stage.ASSIGNED}, Stage.ASSIGNED, {HANDLER}),
    _m("investigate", _("Start investigating"), {Stage.ASSIGNED}, Stage.INVESTIGATING, {HANDLER, MEDIATOR}),
    _m("mediate", _("Mediate"), {Stage.INVESTIGATING}, Stage.MEDIATING, {HANDLER, MEDIATOR}),
    _m("legal_aid", _("Refer to legal aid"), {Stage.INVESTIGATING, Stage.MEDIATING}, Stage.LEGAL_AID, {HANDLER}),
    _m("arbitration", _("Refer to arbitration"), {Stage.INVESTIGATING, Stage.MEDIATING}, Stage.ARBITRATION,
       {HANDLER}),
    _m("litigation", _("Refer to court"), {Stage.INVESTIGATING, Stage.MEDIATING, Stage.ARBITRATION},
       Stage.LITIGATION, {HANDLER}),
    _m("close", _("Close the case"), {Stage.INVESTIGATING} | HANDLING_STAGES, Stage.CLOSED,
       {HANDLER, MEDIATOR}, closes=True),
    _m("visit", _("Record the follow-up visit"), {Stage.CLOSED}, Stage.VISITED, {HANDLER}),
    _m("withdraw", _("Withdraw"), OPEN_STAGES - {Stage.LITIGATION, Stage.ARBITRATION}, Stage.WITHDRAWN,
       {HANDLER, CLAIMANT}, needs_reason=True),
])
MOVES = MACHINE.by_name


def action_of(move: Move) -> str:
    """The declared action (rights/permissions.py) a handler needs for this move."""
    return move.permission
