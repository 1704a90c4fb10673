"""Figures of funds for statistics: money spent and handed down, projects by step, awards.

Spent is the payment ledger net of reversals, by the paying union; handed down is what unions of
the subtree allocated to unions below them. Both are flows within the period (by the entry's or
allocation's date); project counts are stocks at the period's end by their current step (a
project keeps no dated state history other than its events), so they are "as of today".
"""

from urllib.parse import urlencode

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gonghui.core.indicators import MONEY, Breakdown, Indicator, Source, register

from .models import Allocation, LedgerEntry, Nomination, NominationStatus, Project, ProjectState


def _page(name: str, **query):
    def url(node, period):
        return reverse(name) + "?" + urlencode({"node": node.pk, **query})
    return url


register(
    Source("funds.entries", lambda: LedgerEntry.objects.all(), "node__path"),
    Source("funds.allocations", lambda: Allocation.objects.all(), "from_node__path"),
    Source("funds.projects", lambda: Project.objects.all(), "node__path"),
    Source("funds.nominations", lambda: Nomination.objects.all(), "node__path"),

    Indicator("funds.spent", _("Funds spent"), pgettext_lazy("measure word", "yuan"), "funds", phrase=_("%(n)s of funds spent"), kind=MONEY, order=10, as_of=False, headline=True,
              source="funds.entries", aggregate=lambda p: Sum("amount", filter=Q(at__date__range=(p.start, p.end))),
              records=_page("funds:ledger")),
    Indicator("funds.allocated", _("Funds handed down"), pgettext_lazy("measure word", "yuan"), "funds", phrase=_("%(n)s handed down to subordinate unions"), kind=MONEY, order=11, as_of=False,
              source="funds.allocations",
              aggregate=lambda p: Sum("amount", filter=Q(created_at__date__range=(p.start, p.end))),
              records=_page("funds:allocations")),
    Indicator("funds.projects_open", _("Construction projects under way"), pgettext_lazy("measure word", "projects"), "funds", phrase=_("%(n)s construction projects under way"), order=20,
              current_only=True, source="funds.projects",
              aggregate=lambda p: Count("id", filter=~Q(state__in=[ProjectState.PAID, ProjectState.REJECTED])),
              records=_page("funds:projects")),
    Indicator("funds.projects_done", _("Construction projects finished and subsidized"), pgettext_lazy("measure word", "projects"), "funds", phrase=_("%(n)s finished and subsidized"),
              order=21, current_only=True, source="funds.projects",
              aggregate=lambda p: Count("id", filter=Q(state=ProjectState.PAID)),
              records=_page("funds:projects", state=ProjectState.PAID)),
    Indicator("funds.awarded", _("Demonstration units awarded"), pgettext_lazy("measure word", "units"), "funds", phrase=_("%(n)s demonstration units awarded"), order=30, current_only=True,
              source="funds.nominations",
              aggregate=lambda p: Count("id", filter=Q(status=NominationStatus.AWARDED))),
    Breakdown("funds.projects_by_step", _("Construction projects by step"), "funds", "funds.projects", "state",
              labels=lambda: dict(ProjectState.choices), filter=lambda p: Q(), order=20,
              records=lambda node, period, value: _page("funds:projects", state=value)(node, period)),
)
