"""Figures of assistance for statistics and the work report, read from the disbursement ledger:
the net amount paid (payments minus reversals, by the day paid), people helped, and the medical
mutual aid and autumn scholarships within it — so every figure equals a sum of the ledger export.

People helped (帮扶人数) has one definition, ``people_helped``, used by this indicator, the aid
pages and the API: distinct people whose net payment in the records (payments minus reversals) is
above zero. A person helped by two programmes is one person; a payment reversed and not paid again
helped no one.
"""

from collections import Counter
from urllib.parse import urlencode

from django.db.models import Count, Q, Sum
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gonghui.core.indicators import MONEY, Indicator, Source, register
from gonghui.core.permissions import roles_for

from . import permissions  # noqa: F401  the declared actions, for the readers below
from .models import Disbursement, LedgerKind, ProgrammeKind

READERS = roles_for("aid.ledger.list")


def _paid_in(period) -> Q:
    return Q(paid_on__range=(period.start, period.end))


def people_helped(ledger, *, by=None):
    """People helped in ``ledger`` (a Disbursement queryset): their number, or ``{value of by: number}``."""
    fields = ["application__person_hash"] if by is None else ["bucket", "application__person_hash"]
    rows = ledger.order_by().values(*fields).annotate(net=Sum("amount")).filter(net__gt=0)
    if by is None:
        return rows.count()
    return dict(Counter(row["bucket"] for row in rows))


def _people(prefix, period, width):
    ledger = Disbursement.objects.filter(_paid_in(period), node__path__startswith=prefix)
    if width is None:
        return people_helped(ledger)
    return people_helped(ledger.annotate(bucket=Substr("node__path", 1, width)), by="bucket")


def _ledger(node, period):
    return reverse("aid:ledger") + "?" + urlencode({"node": node.pk, "year": period.end.year})


register(
    Source("aid.ledger", lambda: Disbursement.objects.all(), "node__path"),

    Indicator("aid.paid", _("Assistance paid"), pgettext_lazy("measure word", "yuan"), "aid", phrase=_("%(n)s of assistance paid"), kind=MONEY, order=10, as_of=False, headline=True,
              source="aid.ledger", aggregate=lambda p: Sum("amount", filter=_paid_in(p)),
              records_roles=READERS, records=_ledger),
    Indicator("aid.payments", _("Payments made"), pgettext_lazy("measure word", "payments"), "aid", phrase=_("in %(n)s payments"), order=11, as_of=False, source="aid.ledger",
              aggregate=lambda p: Count("id", filter=_paid_in(p) & Q(kind=LedgerKind.PAYMENT)),
              records_roles=READERS, records=_ledger),
    Indicator("aid.people", _("People helped"), pgettext_lazy("measure word", "people"), "aid", phrase=_("%(n)s people helped"), order=12, as_of=False,
              compute=_people, records_roles=READERS, records=_ledger),
    Indicator("aid.medical", _("Of it, medical mutual aid"), pgettext_lazy("measure word", "yuan"), "aid", phrase=_("of it %(n)s medical mutual aid"), kind=MONEY, order=20, as_of=False,
              source="aid.ledger",
              aggregate=lambda p: Sum("amount", filter=_paid_in(p) & Q(programme__kind=ProgrammeKind.MEDICAL)),
              records_roles=READERS, records=_ledger),
    Indicator("aid.scholarships", _("Of it, autumn scholarships"), pgettext_lazy("measure word", "yuan"), "aid", phrase=_("of it %(n)s autumn scholarships"), kind=MONEY, order=21,
              as_of=False, source="aid.ledger",
              aggregate=lambda p: Sum("amount", filter=_paid_in(p)
                                      & Q(programme__kind=ProgrammeKind.AUTUMN_SCHOLARSHIP)),
              records_roles=READERS, records=_ledger),
)
