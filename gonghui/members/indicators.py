"""Figures of the roster for statistics: members, migrant and women members, new employment forms, 入会率.

A member counts at the period's end when they had joined by then and were still a member: active
today, or left / transferred out / deceased after that day (``status_changed_on``). 入会率 divides
those members by the workers the unions declare (the figure orgs' roll-ups use today).
"""

from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gonghui.core.indicators import RATE, Breakdown, Indicator, Source, register
from gonghui.core.permissions import roles_for

from . import permissions  # noqa: F401  the declared actions, for the readers below
from .models import EmploymentForm, Member, MemberStatus, NewFormType

READERS = roles_for("members.member.list")


def member_at(end) -> Q:
    """Members on ``end``."""
    still = Q(status=MemberStatus.ACTIVE) | Q(status_changed_on__gt=end)
    return Q(joined_on__lte=end) & still


def _roster(**query):
    """The roster page filtered to the node's subtree (and the given filters)."""
    def url(node, period):
        return reverse("members:list") + "?" + urlencode({"node": node.pk, **query})
    return url


def _joined_in(node, period):
    return reverse("members:list") + "?" + urlencode({
        "node": node.pk, "status": "", "joined_from": period.start.isoformat(), "joined_to": period.end.isoformat()})


register(
    Source("members.members", lambda: Member.objects.all(), "node__path"),

    Indicator("members.total", _("Members"), pgettext_lazy("measure word", "people"), "members", phrase=_("%(n)s members"), order=10, headline=True,
              source="members.members", aggregate=lambda p: Count("id", filter=member_at(p.end)),
              records_roles=READERS, records=_roster(status=MemberStatus.ACTIVE)),
    Indicator("members.joined", _("Members joined in the period"), pgettext_lazy("measure word", "people"), "members", phrase=_("%(n)s new members"), order=11, as_of=False,
              source="members.members", aggregate=lambda p: Count("id", filter=Q(joined_on__range=(p.start, p.end))),
              records_roles=READERS, records=_joined_in),
    Indicator("members.women", _("Women members"), pgettext_lazy("measure word", "people"), "members", phrase=_("%(n)s women members"), order=20,
              source="members.members", aggregate=lambda p: Count("id", filter=member_at(p.end) & Q(gender="F")),
              records_roles=READERS, records=_roster(status=MemberStatus.ACTIVE, gender="F")),
    Indicator("members.migrant", _("Migrant worker members"), pgettext_lazy("measure word", "people"), "members", phrase=_("%(n)s migrant worker members"), order=21,
              source="members.members", aggregate=lambda p: Count("id", filter=member_at(p.end) & Q(is_migrant=True)),
              records_roles=READERS, records=_roster(status=MemberStatus.ACTIVE, migrant="1")),
    Indicator("members.new_form", _("New-employment-form members"), pgettext_lazy("measure word", "people"), "members", phrase=_("%(n)s new-employment-form members"), order=22,
              headline=True, source="members.members",
              aggregate=lambda p: Count("id", filter=member_at(p.end) & Q(employment_form=EmploymentForm.NEW_FORM)),
              records_roles=READERS, records=_roster(status=MemberStatus.ACTIVE, employment_form=EmploymentForm.NEW_FORM)),
    Indicator("members.membership_rate", _("Membership rate (入会率)"), "%", "members", phrase=_("a membership rate of %(n)s"), order=30, kind=RATE,
              headline=True, numerator="members.total", denominator="orgs.workers"),

    Breakdown("members.by_form", _("Members by employment form"), "members", "members.members", "employment_form",
              labels=lambda: dict(EmploymentForm.choices), filter=lambda p: member_at(p.end), order=20, records_roles=READERS,
              records=lambda node, period, value: _roster(status=MemberStatus.ACTIVE, employment_form=value)(
                  node, period)),
    Breakdown("members.by_new_form_type", _("New-employment-form members by occupation"), "members",
              "members.members", "new_form_type", labels=lambda: dict(NewFormType.choices), order=21, records_roles=READERS,
              filter=lambda p: member_at(p.end) & Q(employment_form=EmploymentForm.NEW_FORM),
              records=lambda node, period, value: _roster(status=MemberStatus.ACTIVE,
                                                          employment_form=EmploymentForm.NEW_FORM)(node, period)),
)
