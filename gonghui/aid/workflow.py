"""The application state machine, declared once: states, actions, who may fire each.

``TRANSITIONS[(state, action)] = (next state, roles held at the application's union or above)``.
Services call ``next_state``; views and the API show the actions ``available_actions`` allows.
"""

from gonghui.accounts.models import Role

from .models import Status

REVIEWERS = frozenset({Role.ADMIN, Role.REVIEWER})
CLERKS = frozenset({Role.ADMIN, Role.CLERK})
OFFICERS = frozenset({Role.ADMIN, Role.CLERK, Role.REVIEWER})   # may see personal and medical details
PAYERS = frozenset({Role.ADMIN, Role.FINANCE, Role.CLERK})

FIRST_PASS, APPROVE, REJECT, WITHDRAW, PAY, REVERSE = "first_pass", "approve", "reject", "withdraw", "pay", "reverse"

TRANSITIONS: dict[tuple[str, str], tuple[str, frozenset]] = {
    (Status.SUBMITTED, FIRST_PASS): (Status.FIRST_PASSED, REVIEWERS),   # two-level programmes only
    (Status.SUBMITTED, APPROVE): (Status.APPROVED, REVIEWERS),          # one-level programmes only
    (Status.FIRST_PASSED, APPROVE): (Status.APPROVED, REVIEWERS),       # at the organizing union
    (Status.SUBMITTED, REJECT): (Status.REJECTED, REVIEWERS),
    (Status.FIRST_PASSED, REJECT): (Status.REJECTED, REVIEWERS),
    (Status.SUBMITTED, WITHDRAW): (Status.WITHDRAWN, CLERKS),
    (Status.APPROVED, PAY): (Status.PAID, PAYERS),
    (Status.PAID, REVERSE): (Status.APPROVED, PAYERS),                  # payment returned: pay again
}


def next_state(state: str, action: str) -> tuple[str, frozenset] | None:
    return TRANSITIONS.get((state, action))


def actions_from(state: str) -> list[str]:
    return [action for (source, action) in TRANSITIONS if source == state]
