"""Staff actions on someone's place in the waiting list, beside services/signup.py.

``remove_from_waitlist``: staff take a person off the waiting list on their behalf (they phoned to
say so), with the reason. Same lock order as the rush: the activity row, then the booking row,
then the audit head.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.permissions import require
from gonghui.core.audit import audit
from gonghui.core.errors import DomainError
from gonghui.core.notify import notify
from gonghui.core.scoping import scopes_disabled
from gonghui.core.text import clean_name

from ..limits import CANCEL_REASON
from ..models import Activity, Booking, BookingState


@transaction.atomic
def remove_from_waitlist(*, actor, booking: Booking, reason: str) -> Booking:
    require(actor, "activities.waitlist.remove", node=booking.activity.node)
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Give the reason for taking the person off the list.")]})
    try:
        reason = clean_name(reason, max_length=CANCEL_REASON, label=_("Reason"))
    except ValidationError as exc:
        raise ValidationError({"reason": exc.messages}) from None
    with scopes_disabled():
        activity = Activity.objects.select_for_update(of=("self",)).get(pk=booking.activity_id)
        current = Booking.objects.select_for_update(of=("self",)).select_related("worker").get(pk=booking.pk)
        if current.state != BookingState.WAITING:
            raise DomainError("not_waiting", _("This person is no longer on the waiting list."))
        current.state, current.ended_at = BookingState.LEFT, timezone.now()
        current.save(update_fields=["state", "ended_at"])
        Activity.objects.filter(pk=activity.pk).update(waiting=F("waiting") - 1)
    audit("activities.waitlist.removed", actor=actor, obj=current, data={"activity": activity.pk, "reason": reason})
    notify(phone=current.worker.phone, text=_("You have been taken off the waiting list of “%(title)s”: %(reason)s")
           % {"title": activity.title, "reason": reason}, kind="waitlist_removed",
           params={"title": activity.title, "reason": reason})
    return current
