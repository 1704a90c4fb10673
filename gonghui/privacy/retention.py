"""The retention schedule (``GONGHUI_PRIVACY_RETENTION``): how many years after it ended each type
of record keeps the person's name, ID number and phone before ``gonghui privacy-expire``
anonymises it."""

import datetime

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

# Record type → what it is and why it is kept (shown to the worker and in the job's report).
RECORD_TYPES = {
    "aid_paid": (_("Paid assistance"), _("accounting records are kept as the Accounting Archives Measures require")),
    "aid_other": (_("Assistance not paid (refused or withdrawn)"), _("to answer questions about the decision")),
    "claim_closed": (_("Ended claims"), _("to answer a follow-up or a new claim on the same facts")),
    "booking": (_("Course and activity bookings"), _("attendance records of the course")),
    "wish": (_("Micro-wishes"), _("the record of who was helped")),
    "join_application": (_("Join applications not approved"), _("to answer questions about the decision")),
    "prospect": (_("Served before joining"), _("to invite the worker to join, with their consent")),
}


def schedule() -> dict[str, int]:
    """Years per record type, from the setting (``type=years`` items); a type left out keeps the default."""
    years = {"aid_paid": 30, "aid_other": 1, "claim_closed": 3, "booking": 2, "wish": 2, "join_application": 1,
             "prospect": 2}
    for item in settings.GONGHUI_PRIVACY_RETENTION:
        name, _sep, value = item.partition("=")
        name = name.strip()
        if name not in RECORD_TYPES or not value.strip().isdigit():
            raise ImproperlyConfigured(f"GONGHUI_PRIVACY_RETENTION: bad item {item!r} (type=years, types: "
                                       f"{', '.join(RECORD_TYPES)})")
        years[name] = int(value)
    return years


def keep_until(record_type: str, ended: datetime.date) -> datetime.date:
    """The last day a record that ended on ``ended`` is kept: the end of the year ``years`` later."""
    return datetime.date(ended.year + schedule()[record_type], 12, 31)


def cutoff(record_type: str, today: datetime.date) -> datetime.date:
    """Records that ended before this date have expired (their keep-until day is past)."""
    return datetime.date(today.year - schedule()[record_type], 1, 1)
