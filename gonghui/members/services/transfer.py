"""转会: a membership moves between unions when both approve, each on its own side.

The outgoing union (reviewers/admins over the member's node) and the receiving union
(reviewers/admins over the destination) approve separately, in either order; the second approval
moves the member, keeping card number, member type and join date. Either side may reject with
a reason; the requester may cancel while pending. One pending transfer per member (a constraint).
Every move is the declared machine's (workflow.TRANSFER), made on the locked transfer row.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.permissions import allowed, require
from gonghui.core.audit import audit
from gonghui.core.errors import DomainError
from gonghui.core.limits import limit_of
from gonghui.core.scoping import scopes_disabled
from gonghui.core.text import clean_line, clean_name

from ..models import Member, MemberEvent, MemberStatus, Transfer
from ..workflow import TRANSFER
from .roster import _event


@transaction.atomic
def request_transfer(*, actor, member: Member, to_node, reason: str = "", to_employer_name: str = "") -> Transfer:
    """Requested by the outgoing union (a clerk or admin over the member) or the receiving one."""
    if not (allowed(actor, "members.transfer.request", node=member.node)
            or allowed(actor, "members.transfer.request", node=to_node)):
        require(actor, "members.transfer.request", node=member.node)
    if not member.is_active:
        raise DomainError("not_active", _("Only an active membership can be transferred."))
    if not to_node.is_active:
        raise DomainError("node_inactive", _("A membership cannot move to a merged or dissolved union."))
    if to_node.pk == member.node_id:
        raise DomainError("same_node", _("The member already belongs to this union."), field="to_node")
    reason = clean_line(reason, Transfer, "reason") if reason.strip() else ""
    to_employer_name = clean_name(to_employer_name, max_length=limit_of(Transfer, "to_employer_name")) if to_employer_name.strip() else ""
    transfer = Transfer(member=member, from_node=member.node, to_node=to_node, requested_by=actor, reason=reason,
                        to_employer_name=to_employer_name)
    try:
        with transaction.atomic():
            transfer.save()
    except IntegrityError:
        raise DomainError("transfer_pending", _("A transfer of this member is already waiting for approval.")) \
            from None
    audit("members.transfer.requested", actor=actor, obj=transfer,
          data={"member": member.pk, "from": member.node_id, "to": to_node.pk})
    return transfer


def _lock(transfer: Transfer) -> Transfer:
    with scopes_disabled():
        return (Transfer.objects.select_for_update(of=("self",))
                .select_related("member", "from_node", "to_node").get(pk=transfer.pk))


def _permit(transfer: Transfer, actor):
    """The move's declared action at its side's union."""
    return lambda move: require(actor, move.permission,
                                node=transfer.from_node if move.side == "out" else transfer.to_node)


@transaction.atomic
def approve_transfer(*, actor, transfer: Transfer, side: str) -> Transfer:
    """``side`` is "out" (the outgoing union) or "in" (the receiving union)."""
    if side not in ("out", "in"):
        raise ValueError(side)
    transfer = _lock(transfer)
    TRANSFER.apply(transfer, f"approve_{side}", permit=_permit(transfer, actor))
    now = timezone.now()
    if side == "out":
        transfer.out_approved_at, transfer.out_approved_by = now, actor
    else:
        transfer.in_approved_at, transfer.in_approved_by = now, actor
    audit(f"members.transfer.approved_{side}", actor=actor, obj=transfer)
    if transfer.out_approved_at and transfer.in_approved_at:
        _complete(transfer, actor)
    transfer.save()
    return transfer


def _complete(transfer: Transfer, actor) -> None:
    with scopes_disabled():
        member = Member.objects.select_for_update().get(pk=transfer.member_id)
    if member.status != MemberStatus.ACTIVE or member.node_id != transfer.from_node_id:
        raise DomainError("member_changed", _("The membership changed since the transfer was requested."))
    member.node = transfer.to_node
    if transfer.to_employer_name:
        member.employer, member.employer_name = None, transfer.to_employer_name
    member.save(update_fields=["node", "employer", "employer_name", "updated_at"])
    TRANSFER.apply(transfer, "complete")
    transfer.completed_at = timezone.now()
    _event(member, MemberEvent.Action.TRANSFERRED, actor, reason=transfer.reason,
           data={"from": transfer.from_node_id, "to": transfer.to_node_id, "transfer": transfer.pk})


@transaction.atomic
def reject_transfer(*, actor, transfer: Transfer, side: str, reason: str) -> Transfer:
    if side not in ("out", "in"):
        raise ValueError(side)
    transfer = _lock(transfer)
    TRANSFER.apply(transfer, f"reject_{side}", permit=_permit(transfer, actor))
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Give the reason for rejecting the transfer.")]})
    transfer.decided_reason = clean_line(reason, Transfer, "decided_reason")
    transfer.save(update_fields=["status", "decided_reason"])
    audit(f"members.transfer.rejected_{side}", actor=actor, obj=transfer, data={"reason": transfer.decided_reason})
    return transfer


@transaction.atomic
def cancel_transfer(*, actor, transfer: Transfer) -> Transfer:
    transfer = _lock(transfer)
    requester = transfer.requested_by_id == getattr(actor, "pk", None)
    TRANSFER.apply(transfer, "cancel", permit=None if requester else _permit(transfer, actor))
    transfer.save(update_fields=["status"])
    audit("members.transfer.cancelled", actor=actor, obj=transfer)
    return transfer
