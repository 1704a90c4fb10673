"""Figures of contests for statistics and the work report: contests held and entries in the period,
enterprise participation by size class against the employer ledger, prize winners.

"Above-scale" (规模以上) is defined by revenue, which the employer ledger does not record; it
records employees. An employer with ``ABOVE_SCALE_EMPLOYEES`` or more counts as above-scale here
(the industrial floor of a medium enterprise in the SME standard, 工信部联企业〔2011〕300号), the
others as small and micro. Participation counts each employer once in the period, whatever the
number of contests and rounds it entered; the ledger has no history, so its counts are today's.
"""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gonghui.core.indicators import RATE, Indicator, Source, register

from .models import Award, Contest, Entry, Participation

ABOVE_SCALE_EMPLOYEES = 300
ABOVE = Q(employer__employee_count__gte=ABOVE_SCALE_EMPLOYEES)


def _held(period, prefix: str = "") -> Q:
    return Q(**{f"{prefix}held_on__range": (period.start, period.end)})


register(
    Source("contests.contests", lambda: Contest.objects.all(), "node__path"),
    Source("contests.entries", lambda: Entry.objects.all(), "round__contest__node__path"),
    Source("contests.participations", lambda: Participation.objects.all(), "employer__node__path"),
    Source("contests.awards", lambda: Award.objects.all(), "entry__round__contest__node__path"),

    Indicator("contests.held", _("Skills and labour contests held"), pgettext_lazy("measure word", "contests"), "activities", phrase=_("%(n)s skills and labour contests held"), order=60,
              as_of=False, source="contests.contests",
              aggregate=lambda p: Count("id", filter=_held(p, "rounds__"), distinct=True)),
    Indicator("contests.entries", _("Contest entries (worker-times)"), pgettext_lazy("measure word", "worker-times"), "activities", phrase=_("%(n)s contest entries"), order=61,
              as_of=False, source="contests.entries", aggregate=lambda p: Count("id", filter=_held(p, "round__"))),
    Indicator("contests.winners", _("Contest prize winners"), pgettext_lazy("measure word", "people"), "activities", phrase=_("%(n)s contest prize winners"), order=62, as_of=False,
              source="contests.awards",
              aggregate=lambda p: Count("id", filter=Q(awarded_at__date__range=(p.start, p.end)))),
    Indicator("contests.enterprises_above", _("Above-scale enterprises in contests"), pgettext_lazy("measure word", "employers"), "activities", phrase=_("%(n)s above-scale enterprises in contests"),
              order=63, as_of=False, source="contests.participations",
              aggregate=lambda p: Count("employer", filter=_held(p, "round__") & ABOVE, distinct=True)),
    Indicator("contests.enterprises_small", _("Small and micro enterprises in contests"), pgettext_lazy("measure word", "employers"),
              "activities", phrase=_("%(n)s small and micro enterprises in contests"), order=64, as_of=False, source="contests.participations",
              aggregate=lambda p: Count("employer", filter=_held(p, "round__") & ~ABOVE, distinct=True)),
    Indicator("contests.ledger_above", _("Above-scale employers in the ledger"), pgettext_lazy("measure word", "employers"), "activities", phrase=_("%(n)s above-scale employers in the ledger"),
              order=65, current_only=True, source="orgs.employers",
              aggregate=lambda p: Count("id", filter=Q(employee_count__gte=ABOVE_SCALE_EMPLOYEES))),
    Indicator("contests.ledger_small", _("Small and micro employers in the ledger"), pgettext_lazy("measure word", "employers"), "activities", phrase=_("%(n)s small and micro employers in the ledger"),
              order=66, current_only=True, source="orgs.employers",
              aggregate=lambda p: Count("id", filter=Q(employee_count__lt=ABOVE_SCALE_EMPLOYEES))),
    Indicator("contests.participation_above", _("Contest participation of above-scale enterprises"), "%",
              "activities", phrase=_("above-scale enterprises took part at a rate of %(n)s"), order=67, kind=RATE, numerator="contests.enterprises_above",
              denominator="contests.ledger_above"),
    Indicator("contests.participation_small", _("Contest participation of small and micro enterprises"), "%",
              "activities", phrase=_("small and micro enterprises took part at a rate of %(n)s"), order=68, kind=RATE, numerator="contests.enterprises_small",
              denominator="contests.ledger_small"),
)
