"""The application state machine, declared once (core/statemachine.py): states, moves, who may make each.

Each move names its declared action (``aid/permissions.py``), checked at the applicant's union
(the approval of a two-level programme at the organizing union); the declared exclusions — whoever
entered does not decide, the second level is someone else, whoever reviewed, raised or approved
does not pay — are the requirement ``exclusions``, checked after the state. Services make every
change through ``MACHINE.apply``; views and the API show the actions ``actions_from`` lists.
"""

from django.utils.translation import gettext as _

from gonghui.core.errors import DomainError
from gonghui.core.statemachine import Machine, Move, Requirement

from .models import Status

FIRST_PASS, APPROVE, REJECT, WITHDRAW, PAY, REVERSE = "first_pass", "approve", "reject", "withdraw", "pay", "reverse"
REVERSE_RELEASE = "reverse_release"  # a reversal that also withdraws the approval (the API's ``release``)
REVOKE = "revoke"  # an objection to the publicity upheld (services/objections.py)

_A = "aid.application."


def _wrong_state(application, move) -> DomainError:
    return DomainError("decided", _("This application is %(status)s; it cannot be changed that way.")
                       % {"status": application.get_status_display()})


def _two_levels(application, move, context):
    if application.programme.review_levels != 2:
        return DomainError("one_level", _("This programme has a single review; approve or reject."))
    return None


def _first_level_done(application, move, context):
    if application.status == Status.SUBMITTED and application.programme.review_levels == 2:
        return DomainError("needs_first_level", _("The applicant's union must pass the first review first."))
    return None


def _exclusions(application, move, context):
    context["exclusions"](move)  # accounts.permissions.require with done_by, passed in by the service


TWO_LEVELS = Requirement("two_level_programme", _two_levels)
FIRST_LEVEL_DONE = Requirement("first_level_passed", _first_level_done)
EXCLUSIONS = Requirement("exclusions", _exclusions)

S = Status
MACHINE = Machine(name="aid.application", field="status", states=Status, initial=[S.SUBMITTED],
                  wrong_state=_wrong_state, moves=[
    Move(FIRST_PASS, {S.SUBMITTED}, S.FIRST_PASSED, _A + FIRST_PASS, requires=[TWO_LEVELS, EXCLUSIONS]),
    Move(APPROVE, {S.SUBMITTED, S.FIRST_PASSED}, S.APPROVED, _A + APPROVE, requires=[FIRST_LEVEL_DONE, EXCLUSIONS]),
    Move(REJECT, {S.SUBMITTED, S.FIRST_PASSED}, S.REJECTED, _A + REJECT, requires=[EXCLUSIONS]),
    Move(WITHDRAW, {S.SUBMITTED}, S.WITHDRAWN, _A + WITHDRAW, requires=[EXCLUSIONS]),
    Move(PAY, {S.APPROVED}, S.PAID, _A + PAY, requires=[EXCLUSIONS]),
    Move(REVERSE, {S.PAID}, S.APPROVED, _A + REVERSE, requires=[EXCLUSIONS]),          # payment returned: pay again
    Move(REVERSE_RELEASE, {S.PAID}, S.REJECTED, _A + REVERSE, requires=[EXCLUSIONS]),  # … and the approval withdrawn
    # an upheld objection revokes the approval (a paid entry is reversed); an entry already rejected keeps
    # that state with the objection's reason
    Move(REVOKE, {S.APPROVED, S.PAID, S.REJECTED}, S.REJECTED, "aid.objection.decide"),
])


def actions_from(state: str) -> list[str]:
    """The buttons of an application in ``state`` (a reversal's release is a choice of the reversal)."""
    return [m.name for m in MACHINE.available(state) if m.name not in (REVERSE_RELEASE, REVOKE)]
