"""Figures of legal-person registration for statistics: registered unions, new registrations,
cancellations, renewals due, and the registration rate. One source (the register), so the
dashboard pays one grouped query for this module; applications waiting for review are counted by
the module's own selectors (console register page, API ``registration/figures``).

A union counts as registered at the period's end when it was registered by then and not cancelled
before (``cancelled_on`` after that day). The rate divides those by the grassroots unions
(orgs' figure). Waiting applications and renewals due are figures of today.
"""

import datetime
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gonghui.core.indicators import RATE, Indicator, Source, register

from .models import Registration, RegistrationStatus
from .selectors import RENEWAL_NOTICE_DAYS


def registered_at(end) -> Q:
    return Q(registered_on__lte=end) & (Q(cancelled_on__isnull=True) | Q(cancelled_on__gt=end))


def _register(**query):
    def url(node, period):
        return reverse("registration:register") + "?" + urlencode({"node": node.pk, **query})
    return url


def _due(period) -> Q:
    limit = timezone.localdate() + datetime.timedelta(days=RENEWAL_NOTICE_DAYS)
    return Q(status=RegistrationStatus.REGISTERED, valid_until__lte=limit)


register(
    Source("registration.registrations", lambda: Registration.objects.all(), "node__path"),

    Indicator("registration.registered", _("Unions registered as legal persons"), pgettext_lazy("measure word", "unions"), "registration", phrase=_("%(n)s unions with legal-person status"),
              order=10, headline=False, source="registration.registrations",
              aggregate=lambda p: Count("id", filter=registered_at(p.end)),
              records=_register(status=RegistrationStatus.REGISTERED)),
    Indicator("registration.new", _("Legal-person registrations in the period"), pgettext_lazy("measure word", "unions"), "registration", phrase=_("%(n)s legal-person registrations"),
              order=11, as_of=False, source="registration.registrations",
              aggregate=lambda p: Count("id", filter=Q(registered_on__range=(p.start, p.end)))),
    Indicator("registration.cancelled", _("Registrations cancelled in the period"), pgettext_lazy("measure word", "unions"), "registration", phrase=_("%(n)s registrations cancelled"),
              order=12, as_of=False, source="registration.registrations",
              aggregate=lambda p: Count("id", filter=Q(cancelled_on__range=(p.start, p.end))),
              records=_register(status=RegistrationStatus.CANCELLED)),
    Indicator("registration.due", _("Registrations due for renewal within 30 days"), pgettext_lazy("measure word", "unions"), "registration", phrase=_("%(n)s certificates due for renewal within 30 days"),
              order=21, current_only=True, source="registration.registrations", aggregate=lambda p: Count(
                  "id", filter=_due(p)), records=_register(due="1")),
    Indicator("registration.rate", _("Legal-person registration rate"), "%", "registration", phrase=_("a registration rate of %(n)s"), order=30, kind=RATE,
              numerator="registration.registered", denominator="orgs.grassroots"),
)
