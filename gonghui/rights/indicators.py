"""Figures of rights protection for statistics and the work report: claims received, cases closed,
disputes settled by mediation, the amount recovered (挽回经济损失), overdue cases, legal check-ups,
collective agreements in force and their coverage of unionized employers.

Claims count by the day they were filed, closings and the amount recovered by the day the case
was closed (a case closed in March counts in March's report). Overdue cases are a figure of today.
"""

from urllib.parse import urlencode

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gonghui.core.indicators import MONEY, RATE, Breakdown, Indicator, Source, register
from gonghui.core.permissions import roles_for

from . import permissions  # noqa: F401  the declared actions, for the readers below
from .models import Case, Category, Checkup, CollectiveAgreement, Finding
from .selectors import DUE_STAGES

ENDED = [*("closed", "visited")]


def _cases(**query):
    def url(node, period):
        return reverse("rights:cases") + "?" + urlencode({"node": node.pk, **query})
    return url


def _closed_in(period) -> Q:
    return Q(stage__in=ENDED, closed_on__range=(period.start, period.end))


register(
    Source("rights.cases", lambda: Case.objects.all(), "node__path"),
    Source("rights.checkups", lambda: Checkup.objects.all(), "node__path"),
    Source("rights.findings", lambda: Finding.objects.all(), "checkup__node__path"),
    Source("rights.agreements", lambda: CollectiveAgreement.objects.all(), "node__path"),

    Indicator("rights.claims", _("Workers' claims received"), pgettext_lazy("measure word", "claims"), "rights", phrase=_("%(n)s workers' claims received"), order=10, as_of=False,
              source="rights.cases", records=_cases(stage="all"), records_roles=roles_for("rights.case.read"),
              aggregate=lambda p: Count("id", filter=Q(submitted_at__date__range=(p.start, p.end)))),
    Indicator("rights.closed", _("Rights cases closed"), pgettext_lazy("measure word", "cases"), "rights", phrase=_("%(n)s rights cases closed"), order=11, as_of=False,
              source="rights.cases", aggregate=lambda p: Count("id", filter=_closed_in(p))),
    Indicator("rights.mediated", _("Disputes settled by mediation"), pgettext_lazy("measure word", "cases"), "rights", phrase=_("%(n)s of them settled by mediation"), order=12, as_of=False,
              headline=True, source="rights.cases",
              aggregate=lambda p: Count("id", filter=_closed_in(p) & Q(mediated=True))),
    Indicator("rights.mediation_rate", _("Share of closed cases settled by mediation"), "%", "rights", phrase=_("a mediation rate of %(n)s"), order=13,
              kind=RATE, as_of=False, numerator="rights.mediated", denominator="rights.closed"),
    Indicator("rights.recovered", _("Economic losses recovered for workers"), pgettext_lazy("measure word", "yuan"), "rights", phrase=_("%(n)s of economic losses recovered for workers"), kind=MONEY,
              order=14, as_of=False, headline=True, source="rights.cases",
              aggregate=lambda p: Sum("amount_recovered", filter=_closed_in(p))),
    Indicator("rights.overdue", _("Rights cases past their stage deadline"), pgettext_lazy("measure word", "cases"), "rights", phrase=_("%(n)s cases past their stage deadline"), order=15,
              current_only=True, source="rights.cases", records=_cases(overdue="on", stage="all"),
              records_roles=roles_for("rights.case.read"),
              aggregate=lambda p: Count("id", filter=Q(stage__in=DUE_STAGES, due_on__lt=timezone.localdate()))),
    Indicator("rights.checkups", _("Legal check-ups of employers"), pgettext_lazy("measure word", "visits"), "rights", phrase=_("%(n)s legal check-ups of employers"), order=20, as_of=False,
              source="rights.checkups", aggregate=lambda p: Count("id", filter=Q(visited_on__range=(p.start, p.end)))),
    Indicator("rights.risks_open", _("Legal risks found and not yet rectified"), pgettext_lazy("measure word", "items"), "rights", phrase=_("%(n)s legal risks found and not yet rectified"), order=21,
              current_only=True, source="rights.findings",
              aggregate=lambda p: Count("id", filter=Q(result=Finding.Result.RISK, rectified_on__isnull=True))),
    Indicator("rights.agreements", _("Collective agreements in force"), pgettext_lazy("measure word", "agreements"), "rights", phrase=_("%(n)s collective agreements in force"), order=30,
              source="rights.agreements",
              aggregate=lambda p: Count("id", filter=Q(signed_on__lte=p.end, expires_on__gte=p.end))),
    Indicator("rights.agreement_workers", _("Workers covered by collective agreements"), pgettext_lazy("measure word", "workers"), "rights", phrase=_("covering %(n)s workers"),
              order=31, source="rights.agreements",
              aggregate=lambda p: Sum("workers_covered", filter=Q(signed_on__lte=p.end, expires_on__gte=p.end))),
    Breakdown("rights.by_category", _("Claims by category"), "rights", source="rights.cases", field="category",
              labels=lambda: dict(Category.choices),
              filter=lambda p: Q(submitted_at__date__range=(p.start, p.end))),
)
