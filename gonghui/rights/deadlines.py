"""Whether a stage deadline was counted on the official holiday calendar or on weekdays only.

``core.workdays`` counts working days with the State Council's holiday and make-up-workday
schedule (``chinesecalendar``); for a year the installed package does not know yet (the schedule
is published each November for the next year) it counts Monday to Friday and logs a warning.
The people reading a deadline must see that too: this module says which years a case's current
deadline was counted without the schedule, and words the note shown beside it (console, the
worker's page, the API). Updating the package (``pip install -U chinesecalendar``) removes it.
"""

import datetime

from django.utils.translation import gettext as _

from gonghui.core.workdays import schedule_known


def weekday_only_years(start: datetime.date | None, end: datetime.date | None) -> list[int]:
    """The years between ``start`` and ``end`` counted Monday to Friday (no schedule known)."""
    if start is None or end is None:
        return []
    low, high = sorted((start, end))
    return [year for year in range(low.year, high.year + 1) if not schedule_known(year)]


def deadline_note(case) -> str:
    """Empty when the current deadline follows the official calendar; else the note to show."""
    years = weekday_only_years(case.stage_since, case.due_on)
    if not years:
        return ""
    return _("Counted Monday to Friday for %(years)s: the official holiday schedule of that year is not in "
             "this system yet, so the date may move once it is.") % {"years": "、".join(str(y) for y in years)}
