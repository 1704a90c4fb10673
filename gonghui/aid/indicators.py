"""Figures of assistance for statistics and the work report, read from the disbursement ledger:
the net amount paid (payments minus reversals, by the day paid), people helped, and the medical
mutual aid and autumn scholarships within it — so every figure equals a sum of the ledger export.
"""

from urllib.parse import urlencode

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gonghui.core.indicators import MONEY, Indicator, Source, register

from .models import Disbursement, LedgerKind, ProgrammeKind

READERS = frozenset({"admin", "clerk", "reviewer", "finance"})


def _paid_in(period) -> Q:
    return Q(paid_on__range=(period.start, period.end))


def _ledger(node, period):
    return reverse("aid:ledger") + "?" + urlencode({"node": node.pk, "year": period.end.year})


register(
    Source("aid.ledger", lambda: Disbursement.objects.all(), "node__path"),

    Indicator("aid.paid", _("Assistance paid"), _("yuan"), "aid", kind=MONEY, order=10, as_of=False, headline=True,
              source="aid.ledger", aggregate=lambda p: Sum("amount", filter=_paid_in(p)),
              records_roles=READERS, records=_ledger),
    Indicator("aid.payments", _("Payments made"), _("payments"), "aid", order=11, as_of=False, source="aid.ledger",
              aggregate=lambda p: Count("id", filter=_paid_in(p) & Q(kind=LedgerKind.PAYMENT)),
              records_roles=READERS, records=_ledger),
    Indicator("aid.people", _("People helped"), _("people"), "aid", order=12, as_of=False, source="aid.ledger",
              aggregate=lambda p: Count("application__person_hash", distinct=True,
                                        filter=_paid_in(p) & Q(kind=LedgerKind.PAYMENT)),
              records_roles=READERS, records=_ledger),
    Indicator("aid.medical", _("Of it, medical mutual aid"), _("yuan"), "aid", kind=MONEY, order=20, as_of=False,
              source="aid.ledger",
              aggregate=lambda p: Sum("amount", filter=_paid_in(p) & Q(programme__kind=ProgrammeKind.MEDICAL)),
              records_roles=READERS, records=_ledger),
    Indicator("aid.scholarships", _("Of it, autumn scholarships"), _("yuan"), "aid", kind=MONEY, order=21,
              as_of=False, source="aid.ledger",
              aggregate=lambda p: Sum("amount", filter=_paid_in(p)
                                      & Q(programme__kind=ProgrammeKind.AUTUMN_SCHOLARSHIP)),
              records_roles=READERS, records=_ledger),
)
