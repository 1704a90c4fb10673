"""The join application's and the transfer's state machines, declared once (core/statemachine.py).

Join application (扫码入会): pending until a reviewer of its union approves or rejects it, or the
worker withdraws it (their own application: checked by the service before the lock).

Transfer (转会): pending until both unions have approved — the outgoing one over the member's union,
the receiving one over the destination, each once and in either order (``approve_out``/``approve_in``
keep it pending) — and the second approval completes it; either side may reject it; the requester,
or an admin over the outgoing union, may cancel it.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from gonghui.core.errors import DomainError
from gonghui.core.statemachine import Machine, Move, Requirement

from .models import ApplicationStatus, TransferStatus


def _decided(application, move) -> DomainError:
    return DomainError("decided", _("This application has already been decided."))


A = ApplicationStatus
JOIN_APPLICATION = Machine(name="members.application", field="status", states=ApplicationStatus,
                           initial=[A.PENDING], wrong_state=_decided, moves=[
    Move("approve", {A.PENDING}, A.APPROVED, "members.application.approve"),
    Move("reject", {A.PENDING}, A.REJECTED, "members.application.reject"),
    Move("withdraw", {A.PENDING}, A.WITHDRAWN),  # by the worker who applied
])


def _transfer_decided(transfer, move) -> DomainError:
    return DomainError("decided", _("This transfer has already been decided."))


def _side_open(transfer, move, context):
    if getattr(transfer, f"{move.side}_approved_at"):
        return DomainError("already_approved", _("This side has already approved."))
    return None


def _both_sides(transfer, move, context):
    if not (transfer.out_approved_at and transfer.in_approved_at):
        return DomainError("one_side_missing", _("Both unions must approve the transfer."))
    return None


@dataclass(frozen=True)
class TransferMove(Move):
    side: str = "out"  # whose union the actor acts for: "out" (the member's) or "in" (the destination)


SIDE_OPEN = Requirement("side_not_yet_approved", _side_open)
T = TransferStatus
TRANSFER = Machine(name="members.transfer", field="status", states=TransferStatus, initial=[T.PENDING],
                   wrong_state=_transfer_decided, moves=[
    TransferMove("approve_out", {T.PENDING}, T.PENDING, "members.transfer.approve_out", requires=[SIDE_OPEN]),
    TransferMove("approve_in", {T.PENDING}, T.PENDING, "members.transfer.approve_in", requires=[SIDE_OPEN],
                 side="in"),
    TransferMove("complete", {T.PENDING}, T.APPROVED, requires=[Requirement("both_sides_approved", _both_sides)]),
    TransferMove("reject_out", {T.PENDING}, T.REJECTED, "members.transfer.reject_out"),
    TransferMove("reject_in", {T.PENDING}, T.REJECTED, "members.transfer.reject_in", side="in"),
    TransferMove("cancel", {T.PENDING}, T.CANCELLED, "members.transfer.cancel"),  # or by the requester
])
