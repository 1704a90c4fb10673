"""Figures of activities for statistics and the work report: activities held in the period (by
the day they start), seats booked, and participant-times (参与人次: check-ins at sessions);
volunteer teams (today), volunteers' participant-times and service hours (by the service's day).
"""

from urllib.parse import urlencode

from django.db.models import Count, FloatField, Q, Sum
from django.db.models.functions import Cast, Round
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gonghui.core.indicators import Breakdown, Indicator, Source, register

from .models import Activity, Attendance, Kind, ServiceHours, State, VolunteerTeam

HELD = Q(state__in=[State.PUBLISHED, State.CLOSED])


def _starting(period) -> Q:
    return HELD & Q(starts_at__date__range=(period.start, period.end))


def _activities(node, period):
    return reverse("activities:list") + "?" + urlencode({"node": node.pk})


def _teams(node, period):
    return reverse("activities:teams") + "?" + urlencode({"node": node.pk})


def _served(period) -> Q:
    return Q(service__on__range=(period.start, period.end))


register(
    Source("activities.activities", lambda: Activity.objects.all(), "node__path"),
    Source("activities.attendance", lambda: Attendance.objects.all(), "session__activity__node__path"),

    Indicator("activities.held", _("Activities and courses held"), pgettext_lazy("measure word", "activities"), "activities", phrase=_("held %(n)s activities and courses"), order=10,
              as_of=False, headline=True, source="activities.activities",
              aggregate=lambda p: Count("id", filter=_starting(p)), records=_activities),
    Indicator("activities.seats", _("Seats booked in them"), pgettext_lazy("measure word", "seats"), "activities", phrase=_("with %(n)s seats booked"), order=11, as_of=False,
              source="activities.activities", aggregate=lambda p: Sum("taken", filter=_starting(p)),
              records=_activities),
    Indicator("activities.participant_times", _("Participant-times"), pgettext_lazy("measure word", "worker-times"), "activities", phrase=_("%(n)s participant-times"), order=20,
              as_of=False, source="activities.attendance",
              aggregate=lambda p: Count("id", filter=Q(at__date__range=(p.start, p.end)))),
    Source("activities.teams", lambda: VolunteerTeam.objects.all(), "node__path"),
    Source("activities.volunteer_hours", lambda: ServiceHours.objects.all(), "service__team__node__path"),
    Indicator("activities.volunteer_teams", _("Volunteer service teams"), pgettext_lazy("measure word", "teams"), "activities", phrase=_("%(n)s volunteer service teams"), order=30,
              current_only=True, source="activities.teams", aggregate=lambda p: Count("id"), records=_teams),
    Indicator("activities.volunteer_times", _("Volunteer participant-times"), pgettext_lazy("measure word", "worker-times"), "activities", phrase=_("volunteers served %(n)s times"),
              order=31, as_of=False, source="activities.volunteer_hours",
              aggregate=lambda p: Count("id", filter=_served(p)), records=_teams),
    # Hours have one decimal; a float keeps the figure JSON-friendly for snapshots.
    Indicator("activities.volunteer_hours", _("Volunteer service hours"), pgettext_lazy("measure word", "hours"), "activities", phrase=_("%(n)s hours of volunteer service"), order=32,
              as_of=False, source="activities.volunteer_hours",
              aggregate=lambda p: Cast(Round(Sum("hours", filter=_served(p)), 1), FloatField()), records=_teams),
    Breakdown("activities.by_kind", _("Activities held by kind"), "activities", "activities.activities", "kind",
              labels=lambda: dict(Kind.choices), filter=_starting),
)
