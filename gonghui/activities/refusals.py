"""The sign-up refusals that a course's state decides (not open, not yet, closed, full), the same
whether the database (``services.signup``) or the flash-sale state in Redis (``activities.flash``,
read by the worker's API) answers."""

import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from gonghui.core.errors import DomainError


def refusal(code: str, *, opens_at: datetime.datetime | None = None, capacity: int = 0) -> DomainError:
    if code == "not_open":
        return DomainError("not_open", _("Sign-up for this activity is not open."))
    if code == "not_yet":
        return DomainError("not_yet", _("Sign-up opens at %(at)s.")
                           % {"at": date_format(timezone.localtime(opens_at), "Y-m-d H:i")})
    if code == "window_over":
        return DomainError("window_over", _("Sign-up for this activity has closed."))
    return DomainError("full", _("All %(n)d seats are taken. Join the waiting list to get a seat if one frees.")
                       % {"n": capacity})
