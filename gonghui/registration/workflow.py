"""The application's state machine, declared once: states, transitions, which side fires each.

    draft ──submit──▶ submitted ──approve──▶ approved
      ▲                 │   ▲
      │              return  └──submit── returned
      └─ withdraw (from draft, submitted or returned) ──▶ withdrawn

The applicant side is an admin over the applying union (held at it or above); the office side
is an admin or reviewer over the registration office's node. ``fire`` makes each move through the
one machine shape (core/statemachine.py); it is the only place that changes ``Application.status``.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from gonghui.accounts.permissions import allowed, require
from gonghui.core.errors import DomainError
from gonghui.core.statemachine import Machine, Move, Requirement


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("registration", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("registration", "Waiting for review")
    RETURNED = "returned", pgettext_lazy("registration", "Returned for correction")
    APPROVED = "approved", pgettext_lazy("registration", "Approved")
    WITHDRAWN = "withdrawn", pgettext_lazy("registration", "Withdrawn")


APPLICANT, OFFICE = "applicant", "office"


S = ApplicationStatus


def _wrong_state(application, move) -> DomainError:
    return DomainError("wrong_state", _("This application is %(status)s; it cannot be %(action)s now.") % {
        "status": application.get_status_display(), "action": ACTION_LABELS[move.name]})


def _not_own(application, move, context) -> None:
    """The declared own-application exclusion (permissions.py), checked after the state."""
    require(context["actor"], move.permission, node=side_node(application, move.side), done_by=_done_by(application))


@dataclass(frozen=True)
class Transition(Move):
    side: str = APPLICANT   # at whose node the actor must hold the move's action


NOT_OWN = Requirement("not_own_application", _not_own)
MACHINE = Machine(
    name="registration.application", field="status", states=ApplicationStatus, initial=[S.DRAFT],
    wrong_state=_wrong_state, moves=[
        Transition("submit", {S.DRAFT, S.RETURNED}, S.SUBMITTED, "registration.application.submit",
                   requires=[NOT_OWN], side=APPLICANT),
        Transition("approve", {S.SUBMITTED}, S.APPROVED, "registration.application.approve",
                   requires=[NOT_OWN], side=OFFICE),
        Transition("return", {S.SUBMITTED}, S.RETURNED, "registration.application.return",
                   requires=[NOT_OWN], side=OFFICE),
        Transition("withdraw", {S.DRAFT, S.SUBMITTED, S.RETURNED}, S.WITHDRAWN, "registration.application.withdraw",
                   requires=[NOT_OWN], side=APPLICANT),
    ])
TRANSITIONS = MACHINE.by_name
# Who may edit the form and the materials, and when.
EDITABLE = frozenset({S.DRAFT, S.RETURNED})


def side_node(application, side: str):
    return application.node if side == APPLICANT else application.office.node


def may(actor, application, name: str) -> bool:
    """True when ``actor`` may fire ``name`` now (for showing buttons; services check again)."""
    transition = MACHINE[name]
    if not MACHINE.allows(application.status, name):
        return False
    return allowed(actor, transition.permission, node=side_node(application, transition.side),
                   done_by=_done_by(application))


def _done_by(application) -> dict:
    """Who filed and who submitted, for the declared own-application exclusion (permissions.py)."""
    return {"registration.application.create": application.filed_by_id,
            "registration.application.submit": application.submitted_by_id}


def is_own(actor, application) -> bool:
    actor_id = getattr(actor, "pk", None)
    return actor_id is not None and actor_id in (application.filed_by_id, application.submitted_by_id)


def may_edit(actor, application) -> bool:
    return application.status in EDITABLE and allowed(actor, "registration.application.edit", node=application.node)


def fire(application, name: str, *, actor) -> Transition:
    """Check the side's role, the source state and the own-application rule; set the new state."""
    return MACHINE.apply(application, name, actor=actor, permit=lambda move: require(
        actor, move.permission, node=side_node(application, move.side)))


ACTION_LABELS = {
    "submit": pgettext_lazy("registration action", "submitted"),
    "approve": pgettext_lazy("registration action", "approved"),
    "return": pgettext_lazy("registration action", "returned"),
    "withdraw": pgettext_lazy("registration action", "withdrawn"),
}
