"""Figures of counselling for statistics and the work report — counts only, never who or what: one-to-one
sessions held, the people they were held with, the hours, hotline calls taken, and mental-health
lectures (activities of the "counselling" kind, published or closed and begun) with their
participants. A session counts where its counselling room is, on the day it was held; a call on the
day it was taken. The same figures as ``selectors.counts`` shows on the counselling page."""

import datetime
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gonghui.core.indicators import Indicator, Source, register
from gonghui.orgs.models import Node

from .models import HotlineCall, Session, SessionStatus
from .selectors import LECTURE_KIND

ROOM = "counsellor__position__node__path"


def _held(p) -> Q:
    return Q(status=SessionStatus.DONE, starts_at__date__range=(p.start, p.end))


def _hours(prefix: str, p, width: int | None):
    """Hours of the sessions held (their booked length), one decimal: a total or ``{bucket: hours}``."""
    rows = Session.objects.filter(_held(p), **{f"{ROOM}__startswith": prefix}).order_by()
    rows = rows.annotate(bucket=Substr(ROOM, 1, width or 1), length=F("ends_at") - F("starts_at"))
    totals: dict[str, datetime.timedelta] = defaultdict(datetime.timedelta)
    for bucket, length in rows.values_list("bucket", "length"):
        totals[bucket] += length
    hours = {b: (Decimal(t.total_seconds()) / 3600).quantize(Decimal("0.1"), ROUND_HALF_UP) for b, t in totals.items()}
    return hours if width is not None else sum(hours.values(), Decimal("0.0"))


def _lectures(p) -> Q:
    return Q(activities__kind=LECTURE_KIND, activities__state__in=("published", "closed"),
             activities__starts_at__date__range=(p.start, p.end), activities__starts_at__lte=timezone.now())


register(
    Source("counselling.sessions", lambda: Session.objects.all(), ROOM),
    Source("counselling.calls", lambda: HotlineCall.objects.all(), ROOM),
    Source("counselling.lectures", lambda: Node.scoped.all(), "path"),

    Indicator("counselling.sessions", _("Counselling sessions held"), pgettext_lazy("measure word", "sessions"),
              "positions", phrase=_("%(n)s one-to-one counselling sessions held"), order=70, as_of=False,
              source="counselling.sessions", aggregate=lambda p: Count("id", filter=_held(p))),
    Indicator("counselling.people", _("Workers counselled"), pgettext_lazy("measure word", "people"), "positions",
              phrase=_("%(n)s workers counselled"), order=71, as_of=False, source="counselling.sessions",
              aggregate=lambda p: Count("worker", filter=_held(p), distinct=True)),
    Indicator("counselling.hours", _("Counselling hours"), pgettext_lazy("measure word", "hours"), "positions",
              phrase=_("%(n)s hours of counselling"), order=72, as_of=False, compute=_hours),
    Indicator("counselling.calls", _("Counselling hotline calls"), pgettext_lazy("measure word", "calls"),
              "positions", phrase=_("%(n)s counselling hotline calls"), order=73, as_of=False,
              source="counselling.calls",
              aggregate=lambda p: Count("id", filter=Q(called_at__date__range=(p.start, p.end)))),
    Indicator("counselling.lectures", _("Mental-health lectures"), pgettext_lazy("measure word", "lectures"),
              "positions", phrase=_("%(n)s mental-health lectures"), order=74, as_of=False,
              source="counselling.lectures", aggregate=lambda p: Count("activities", filter=_lectures(p),
                                                                        distinct=True)),
    Indicator("counselling.lecture_people", _("Mental-health lecture participants"),
              pgettext_lazy("measure word", "participant-times"), "positions",
              phrase=_("%(n)s participant-times at mental-health lectures"), order=75, as_of=False,
              source="counselling.lectures",
              aggregate=lambda p: Count("activities__bookings", filter=_lectures(p)
                                        & Q(activities__bookings__state="booked"), distinct=True)),
)
