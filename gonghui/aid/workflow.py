"""The application state machine, declared once: states, actions, who may fire each.

``TRANSITIONS[(state, action)] = (next state, declared action code)``; who may fire each move is the
action's declaration in ``aid/permissions.py``.
Services call ``next_state``; views and the API show the actions ``available_actions`` allows.
"""

from .models import Status

FIRST_PASS, APPROVE, REJECT, WITHDRAW, PAY, REVERSE = "first_pass", "approve", "reject", "withdraw", "pay", "reverse"

_A = "aid.application."
TRANSITIONS: dict[tuple[str, str], tuple[str, str]] = {
    (Status.SUBMITTED, FIRST_PASS): (Status.FIRST_PASSED, _A + FIRST_PASS),   # two-level programmes only
    (Status.SUBMITTED, APPROVE): (Status.APPROVED, _A + APPROVE),              # one-level programmes only
    (Status.FIRST_PASSED, APPROVE): (Status.APPROVED, _A + APPROVE),          # at the organizing union
    (Status.SUBMITTED, REJECT): (Status.REJECTED, _A + REJECT),
    (Status.FIRST_PASSED, REJECT): (Status.REJECTED, _A + REJECT),
    (Status.SUBMITTED, WITHDRAW): (Status.WITHDRAWN, _A + WITHDRAW),
    (Status.APPROVED, PAY): (Status.PAID, _A + PAY),
    (Status.PAID, REVERSE): (Status.APPROVED, _A + REVERSE),                  # payment returned: pay again
}


def next_state(state: str, action: str) -> tuple[str, str] | None:
    return TRANSITIONS.get((state, action))


def actions_from(state: str) -> list[str]:
    return [action for (source, action) in TRANSITIONS if source == state]
