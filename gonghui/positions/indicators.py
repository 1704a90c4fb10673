"""Figures of service positions for statistics and the work report: positions in service (and by
type), worker's homes (and small ones) and how many are demonstration homes (and by level),
outdoor-worker stations, visits (服务人次) in the period — month by month in the dashboard's trend —
and how many of them came from members and from workers not yet in the union (先服务后入会).

Positions keep no history of opening and closing, so the counts of positions are figures of
today; visits count by the time of the scan.
"""

from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gonghui.core.indicators import Breakdown, Indicator, Source, register

from .models import Position, PositionKind, PositionLevel, PositionStatus, Visit, VisitorKind

HOMES = [PositionKind.WORKERS_HOME, PositionKind.SMALL_WORKERS_HOME]
STATIONS = [PositionKind.REST_STATION, PositionKind.LOVE_STATION, PositionKind.DRIVERS_HOME]
IN_SERVICE = Q(status=PositionStatus.OPEN)


def _positions(**query):
    def url(node, period):
        return reverse("positions:list") + "?" + urlencode({"node": node.pk, "status": PositionStatus.OPEN, **query})
    return url


def _visits(node, period):
    return reverse("positions:visits") + "?" + urlencode({"node": node.pk, "year": period.end.year})


def _in(period) -> Q:
    return Q(at__date__range=(period.start, period.end))


register(
    Source("positions.positions", lambda: Position.objects.all(), "node__path"),
    Source("positions.visits", lambda: Visit.objects.all(), "position__node__path"),

    Indicator("positions.open", _("Service positions in service"), pgettext_lazy("measure word", "positions"), "positions", phrase=_("%(n)s service positions in service"), order=10,
              current_only=True, headline=True, source="positions.positions",
              aggregate=lambda p: Count("id", filter=IN_SERVICE), records=_positions()),
    Indicator("positions.homes", _("Worker's homes (incl. small ones)"), pgettext_lazy("measure word", "positions"), "positions", phrase=_("%(n)s worker's homes (incl. small ones)"), order=11,
              current_only=True, source="positions.positions",
              aggregate=lambda p: Count("id", filter=IN_SERVICE & Q(kind__in=HOMES)),
              records=_positions(kind=PositionKind.WORKERS_HOME)),
    Indicator("positions.homes_demonstration", _("Of them, demonstration worker's homes"), pgettext_lazy("measure word", "positions"),
              "positions", phrase=_("%(n)s of them demonstration homes"), order=12, current_only=True, source="positions.positions",
              aggregate=lambda p: Count("id", filter=IN_SERVICE & Q(kind__in=HOMES) & ~Q(level=PositionLevel.NONE)),
              records=_positions(kind=PositionKind.WORKERS_HOME)),
    Indicator("positions.stations", _("Outdoor-worker stations and driver's homes"), pgettext_lazy("measure word", "positions"), "positions", phrase=_("%(n)s outdoor-worker stations and driver's homes"),
              order=13, current_only=True, source="positions.positions",
              aggregate=lambda p: Count("id", filter=IN_SERVICE & Q(kind__in=STATIONS)),
              records=_positions(kind=PositionKind.REST_STATION)),
    Indicator("positions.visits", _("Worker-times served at positions"), pgettext_lazy("measure word", "worker-times"), "positions", phrase=_("served workers %(n)s times at the positions"), order=20,
              as_of=False, source="positions.visits", aggregate=lambda p: Count("id", filter=_in(p)),
              records=_visits),
    Indicator("positions.visits_members", _("Of them, by members"), pgettext_lazy("measure word", "worker-times"),
              "positions", phrase=_("%(n)s times members"), order=21, as_of=False, source="positions.visits",
              aggregate=lambda p: Count("id", filter=_in(p) & Q(kind=VisitorKind.MEMBER)), records=_visits),
    Indicator("positions.visits_prospects", _("Of them, by workers not yet in the union"), pgettext_lazy("measure word", "worker-times"),
              "positions", phrase=_("%(n)s times workers not yet in the union"), order=22, as_of=False, source="positions.visits",
              aggregate=lambda p: Count("id", filter=_in(p) & Q(kind=VisitorKind.PROSPECT)), records=_visits),
    Breakdown("positions.by_kind", _("Positions in service by type"), "positions", "positions.positions", "kind",
              labels=lambda: dict(PositionKind.choices), filter=lambda p: IN_SERVICE,
              records=lambda node, p, value: reverse("positions:list") + "?" + urlencode(
                  {"node": node.pk, "status": PositionStatus.OPEN, "kind": value})),
    Breakdown("positions.homes_by_level", _("Worker's homes in service by demonstration level"), "positions",
              "positions.positions", "level", labels=lambda: dict(PositionLevel.choices),
              filter=lambda p: IN_SERVICE & Q(kind__in=HOMES),
              records=lambda node, p, value: reverse("positions:list") + "?" + urlencode(
                  {"node": node.pk, "status": PositionStatus.OPEN, "kind": PositionKind.WORKERS_HOME,
                   "level": value})),
)
