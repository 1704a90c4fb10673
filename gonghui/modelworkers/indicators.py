"""Figures of the model-worker register: model workers and craftsmen (living) and by level, and the
care of the period — visited, given a check-up or a recuperation place, helped in hardship —
counting people, not visits; and the special allowances paid through the aid ledger in the period
(people paid, and the net amount: payments minus reversals, by the day paid). The register keeps no
history of status, so its counts are today's."""

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gonghui.core.indicators import MONEY, Breakdown, Indicator, Source, register

from .models import Allowance, Care, CareKind, HonourLevel, ModelWorker, ModelWorkerStatus

LIVING = ~Q(status=ModelWorkerStatus.DECEASED)


def _cared(kind):
    return lambda p: Count("person", filter=Q(kind=kind, on__range=(p.start, p.end)), distinct=True)


def _paid_in(p) -> Q:
    return Q(application__ledger__paid_on__range=(p.start, p.end))


register(
    Source("modelworkers.allowances", lambda: Allowance.objects.all(), "person__node__path"),
    Source("modelworkers.people", lambda: ModelWorker.objects.all(), "node__path"),
    Source("modelworkers.care", lambda: Care.objects.all(), "person__node__path"),

    Indicator("modelworkers.people", _("Model workers and craftsmen in the register"), pgettext_lazy("measure word", "people"), "members", phrase=_("%(n)s model workers and craftsmen in the register"),
              order=80, current_only=True, source="modelworkers.people", aggregate=lambda p: Count("id", filter=LIVING)),
    Indicator("modelworkers.visited", _("Model workers visited"), pgettext_lazy("measure word", "people"), "aid", phrase=_("%(n)s model workers visited"), order=80, as_of=False,
              source="modelworkers.care", aggregate=_cared(CareKind.VISIT)),
    Indicator("modelworkers.checked", _("Model workers given a health check-up"), pgettext_lazy("measure word", "people"), "aid", phrase=_("%(n)s model workers given a health check-up"), order=81,
              as_of=False, source="modelworkers.care", aggregate=_cared(CareKind.CHECKUP)),
    Indicator("modelworkers.recuperated", _("Model workers given a recuperation place"), pgettext_lazy("measure word", "people"), "aid", phrase=_("%(n)s model workers given a recuperation place"),
              order=82, as_of=False, source="modelworkers.care", aggregate=_cared(CareKind.RECUPERATION)),
    Indicator("modelworkers.helped", _("Model workers in hardship helped"), pgettext_lazy("measure word", "people"), "aid", phrase=_("%(n)s model workers in hardship helped"), order=83,
              as_of=False, source="modelworkers.care", aggregate=_cared(CareKind.HARDSHIP)),
    Indicator("modelworkers.allowance_people", _("Model workers paid a special allowance"),
              pgettext_lazy("measure word", "people"), "aid", phrase=_("%(n)s model workers paid a special allowance"),
              order=84, as_of=False, source="modelworkers.allowances",
              aggregate=lambda p: Count("person", filter=_paid_in(p) & Q(application__status="paid"), distinct=True)),
    Indicator("modelworkers.allowance_paid", _("Special allowances paid to model workers"),
              pgettext_lazy("measure word", "yuan"), "aid", phrase=_("%(n)s of special allowances to model workers"),
              kind=MONEY, order=85, as_of=False, source="modelworkers.allowances",
              aggregate=lambda p: Sum("application__ledger__amount", filter=_paid_in(p))),
    Breakdown("modelworkers.by_level", _("Model workers and craftsmen by level"), "members", "modelworkers.people",
              "level", labels=lambda: dict(HonourLevel.choices), filter=lambda p: LIVING),
)
