"""Figures of activities for statistics and the work report: activities held in the period (by
the day they start), seats booked, and participant-times (参与人次: check-ins at sessions).
"""

from urllib.parse import urlencode

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gonghui.core.indicators import Breakdown, Indicator, Source, register

from .models import Activity, Attendance, Kind, State

HELD = Q(state__in=[State.PUBLISHED, State.CLOSED])


def _starting(period) -> Q:
    return HELD & Q(starts_at__date__range=(period.start, period.end))


def _activities(node, period):
    return reverse("activities:list") + "?" + urlencode({"node": node.pk})


register(
    Source("activities.activities", lambda: Activity.objects.all(), "node__path"),
    Source("activities.attendance", lambda: Attendance.objects.all(), "session__activity__node__path"),

    Indicator("activities.held", _("Activities and courses held"), _("activities"), "activities", order=10,
              as_of=False, headline=True, source="activities.activities",
              aggregate=lambda p: Count("id", filter=_starting(p)), records=_activities),
    Indicator("activities.seats", _("Seats booked in them"), _("seats"), "activities", order=11, as_of=False,
              source="activities.activities", aggregate=lambda p: Sum("taken", filter=_starting(p)),
              records=_activities),
    Indicator("activities.participant_times", _("Participant-times"), _("worker-times"), "activities", order=20,
              as_of=False, source="activities.attendance",
              aggregate=lambda p: Count("id", filter=Q(at__date__range=(p.start, p.end)))),
    Breakdown("activities.by_kind", _("Activities held by kind"), "activities", "activities.activities", "kind",
              labels=lambda: dict(Kind.choices), filter=_starting),
)
