"""The application's state machine, declared once: states, transitions, which side fires each.

    draft ──submit──▶ submitted ──approve──▶ approved
      ▲                 │   ▲
      │              return  └──submit── returned
      └─ withdraw (from draft, submitted or returned) ──▶ withdrawn

The applicant side is an admin over the applying union (held at it or above); the office side
is an admin or reviewer over the registration office's node. ``fire`` is the only place that
changes ``Application.status``.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from gonghui.accounts.permissions import allowed, require
from gonghui.core.errors import DomainError


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("registration", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("registration", "Waiting for review")
    RETURNED = "returned", pgettext_lazy("registration", "Returned for correction")
    APPROVED = "approved", pgettext_lazy("registration", "Approved")
    WITHDRAWN = "withdrawn", pgettext_lazy("registration", "Withdrawn")


APPLICANT, OFFICE = "applicant", "office"


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset
    target: str
    side: str


S = ApplicationStatus
TRANSITIONS = {
    t.name: t for t in (
        Transition("submit", frozenset({S.DRAFT, S.RETURNED}), S.SUBMITTED, APPLICANT),
        Transition("approve", frozenset({S.SUBMITTED}), S.APPROVED, OFFICE),
        Transition("return", frozenset({S.SUBMITTED}), S.RETURNED, OFFICE),
        Transition("withdraw", frozenset({S.DRAFT, S.SUBMITTED, S.RETURNED}), S.WITHDRAWN, APPLICANT),
    )
}
# Who may edit the form and the materials, and when.
EDITABLE = frozenset({S.DRAFT, S.RETURNED})


def side_node(application, side: str):
    return application.node if side == APPLICANT else application.office.node


def may(actor, application, name: str) -> bool:
    """True when ``actor`` may fire ``name`` now (for showing buttons; services check again)."""
    transition = TRANSITIONS[name]
    if application.status not in transition.sources:
        return False
    return allowed(actor, f"registration.application.{name}", node=side_node(application, transition.side),
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
    """Check the source state, the side's role and the own-application rule; set the new state."""
    transition = TRANSITIONS[name]
    code, node = f"registration.application.{name}", side_node(application, transition.side)
    require(actor, code, node=node)
    if application.status not in transition.sources:
        raise DomainError("wrong_state", _("This application is %(status)s; it cannot be %(action)s now.") % {
            "status": application.get_status_display(), "action": ACTION_LABELS[name]})
    require(actor, code, node=node, done_by=_done_by(application))  # the declared exclusions, after the state
    application.status = transition.target
    return transition


ACTION_LABELS = {
    "submit": pgettext_lazy("registration action", "submitted"),
    "approve": pgettext_lazy("registration action", "approved"),
    "return": pgettext_lazy("registration action", "returned"),
    "withdraw": pgettext_lazy("registration action", "withdrawn"),
}
