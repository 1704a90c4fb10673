"""学员评价: after an activity, the workers who attended rate it (1–5) and may comment, once.

A rating needs a check-in (``Attendance``) of the worker's booking, and the first session to have
started; the database keeps one rating per person and activity (unique) and the score within 1–5
(CHECK). The organizer reads them, with the average, on the console page of the activity.
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.core.audit import audit
from gonghui.core.errors import DomainError
from gonghui.core.scoping import scopes_disabled

from ..models import Activity, Attendance, Booking, Rating, State

MAX_COMMENT = 500


def _clean_comment(value: str) -> str:
    """Trimmed, NFC; line breaks kept, other control and invisible characters refused."""
    text = unicodedata.normalize("NFC", str(value or "")).strip()
    if len(text) > MAX_COMMENT:
        raise ValidationError({"comment": [_("Keep the comment within %(n)d characters.") % {"n": MAX_COMMENT}]})
    for ch in text:
        if ch not in "\n\r" and unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn"):
            raise ValidationError({"comment": [_("The comment contains invisible or control characters.")]})
    return text.replace("\r\n", "\n")


def rate_booking(*, booking: Booking, worker, score, comment: str = "", now=None) -> Rating:
    now = now or timezone.now()
    if booking.worker_id != worker.pk:
        raise DomainError("not_yours", _("This booking is not yours."))
    if isinstance(score, str) and score.strip().isdigit():
        score = int(score)
    if not isinstance(score, int) or isinstance(score, bool) or not 1 <= score <= 5:
        raise DomainError("bad_score", _("Give a rating from 1 to 5 stars."), field="score")
    comment = _clean_comment(comment)
    with scopes_disabled():
        activity = Activity.objects.get(pk=booking.activity_id)
        if activity.state == State.CANCELLED:
            raise DomainError("cancelled", _("This activity was cancelled; there is nothing to rate."))
        if activity.starts_at > now:
            raise DomainError("not_yet", _("You can rate it once it has taken place."))
        if not Attendance.objects.filter(booking_id=booking.pk).exists():
            raise DomainError("not_attended", _("Only people who checked in at the activity can rate it."))
        try:
            with transaction.atomic():
                rating = Rating.objects.create(activity=activity, booking_id=booking.pk, worker=worker, score=score,
                                               comment=comment)
                audit("activities.rating.created", actor=worker, obj=rating,
                      data={"activity": activity.pk, "score": score})
        except IntegrityError:
            raise DomainError("rated", _("You have already rated this activity.")) from None
    return rating
