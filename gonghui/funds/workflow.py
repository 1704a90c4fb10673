"""The seven steps of a construction project and the steps of an award call, declared once as machines
(core/statemachine.py): states, moves, who makes each.

基层申报 → 市总审核 → 联合评议 → 立项公示 → 组织实施 → 达标验收 → 下拨补助

``side`` says at which union the actor must be allowed the declared ``action``: "applicant" (the applying
union or above) or "reviewer" (the reviewing union or above; it also pays the subsidy).
Everything else — a skipped step, an action out of turn — is refused by ``PROJECT.apply``.
An award call moves open → scoring → publicity → awarded by ``funds.award.step`` at its organizing union.
"""

from dataclasses import dataclass

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gonghui.core.errors import DomainError
from gonghui.core.statemachine import Machine, Move, Requirement

from .models import AllocationOrderStatus, AwardCallState, ProjectState
from .models import ProjectState as S

STEPS = [
    (1, _("Application by the grassroots union")),   # 基层申报
    (2, _("Review by the higher union")),            # 市总审核
    (3, _("Joint appraisal")),                       # 联合评议
    (4, _("Approval and publicity")),                # 立项公示
    (5, _("Implementation")),                        # 组织实施
    (6, _("Acceptance against the standard")),       # 达标验收
    (7, _("Subsidy paid")),                          # 下拨补助
]

# The step a project in this state is at (the one in progress or waiting); 8 = all seven done.
STEP_OF_STATE = {
    S.APPLIED: 2, S.REVIEWED: 3, S.APPRAISED: 4, S.PUBLICITY: 4, S.IMPLEMENTING: 5, S.COMPLETED: 6,
    S.ACCEPTED: 7, S.SUBSIDY_PENDING: 7, S.PAID: 8, S.REJECTED: 0,
}



@dataclass(frozen=True)
class Transition(Move):
    side: str = "reviewer"  # at which union the actor must hold the move's action: "applicant" or "reviewer"
    step: int = 0


def _t(name, source, target, side, step, label) -> Transition:
    # the declared action (funds/permissions.py) that says who may make this move
    return Transition(name, frozenset(source), target, f"funds.project.{name}", label, side=side, step=step)


def _out_of_turn(project, move) -> DomainError:
    return DomainError("out_of_turn", gettext("“%(action)s” cannot be done now: the project is at “%(state)s”.")
                       % {"action": move.label, "state": ProjectState(project.state).label})


PROJECT = Machine(name="funds.project", field="state", states=ProjectState, initial=[S.APPLIED],
                  wrong_state=_out_of_turn, moves=[
    _t("review", {S.APPLIED}, S.REVIEWED, "reviewer", 2, _("Passed the review")),
    _t("reject", {S.APPLIED}, S.REJECTED, "reviewer", 2, _("Rejected at review")),
    _t("appraisal_passed", {S.REVIEWED}, S.APPRAISED, "reviewer", 3, _("Passed the joint appraisal")),
    _t("appraisal_failed", {S.REVIEWED}, S.REJECTED, "reviewer", 3,
       _("Below the pass mark of the joint appraisal")),
    _t("publicize", {S.APPRAISED}, S.PUBLICITY, "reviewer", 4, _("Publicity started")),
    _t("objection_upheld", {S.PUBLICITY}, S.REJECTED, "reviewer", 4, _("Objection upheld")),
    _t("approve", {S.PUBLICITY}, S.IMPLEMENTING, "reviewer", 4, _("Approved after publicity")),
    _t("complete", {S.IMPLEMENTING}, S.COMPLETED, "applicant", 5,
       _("Works completed, acceptance requested")),
    _t("acceptance_failed", {S.COMPLETED}, S.IMPLEMENTING, "reviewer", 6,
       _("Not accepted: to be put right")),
    _t("accept", {S.COMPLETED}, S.ACCEPTED, "reviewer", 6, _("Accepted against the standard")),
    _t("request_subsidy", {S.ACCEPTED}, S.SUBSIDY_PENDING, "reviewer", 7, _("Subsidy payment prepared")),
    _t("subsidy_paid", {S.SUBSIDY_PENDING}, S.PAID, "reviewer", 7, _("Subsidy paid")),
    _t("subsidy_refused", {S.SUBSIDY_PENDING}, S.ACCEPTED, "reviewer", 7,
       _("Subsidy payment rejected")),
    _t("subsidy_reversed", {S.PAID}, S.ACCEPTED, "reviewer", 7,
       _("Subsidy payment reversed")),
])
TRANSITIONS = PROJECT.by_name


def _call_out_of_turn(call, move) -> DomainError:
    return DomainError("out_of_turn", gettext("%(what)s is not possible now: the call is at “%(state)s”.")
                       % {"what": move.label, "state": AwardCallState(call.state).label})


def _publicity_over(call, move, context):
    if context["on"] <= call.publicity_until:
        return DomainError("publicity_running", gettext("The publicity runs until %(day)s; award after it.")
                           % {"day": call.publicity_until})
    return None


C = AwardCallState
AWARD_CALL = Machine(name="funds.award_call", field="state", states=AwardCallState, initial=[C.OPEN],
                     wrong_state=_call_out_of_turn, moves=[
    Move("close_nominations", {C.OPEN}, C.SCORING, "funds.award.step", _("Closing the nominations")),
    Move("rank", {C.SCORING}, C.PUBLICITY, "funds.award.step", _("Ranking")),
    Move("award", {C.PUBLICITY}, C.AWARDED, "funds.award.step", _("Awarding"),
         requires=[Requirement("publicity_over", _publicity_over)]),
])


# Labels of the history lines that are not transitions.
EVENT_LABELS = {
    "apply": _("Applied"),
    "objection": _("Objection recorded"),
    "objection_dismissed": _("Objection dismissed"),
    "progress": _("Progress reported"),
    "position": _("Position registered"),
    "position_pending": _("Position to be registered"),
}


def _order_decided(order, move) -> DomainError:
    return DomainError("allocation_decided", gettext("This allocation order has already been decided."))


# An allocation order (下拨单, services/allocations.py): prepared by one manager of the giving union, approved
# (booked) or rejected by another — funds.allocation.approve excludes whoever prepared it (own_allocation).
A = AllocationOrderStatus
ALLOCATION_ORDER = Machine(
    name="funds.allocation_order", field="status", states=AllocationOrderStatus, initial=[A.PREPARED],
    wrong_state=_order_decided, moves=[
        Move("approve", {A.PREPARED}, A.APPROVED, "funds.allocation.approve", label=_("Approve and hand down")),
        Move("reject", {A.PREPARED}, A.REJECTED, "funds.allocation.reject"),
    ])


def event_label(action: str) -> str:
    if action in TRANSITIONS:
        return TRANSITIONS[action].label
    return EVENT_LABELS.get(action, action)
