"""Figures of the organization network for statistics: unions by type, 建会率, union staff.

Unions are counted as they stood at the period's end: established on or before it (the creation
date when the establishment date is unknown) and not yet merged or dissolved. The employer ledger
and the declared worker counts keep no history, so their figures are today's whatever the period
(``current_only``).
"""

from collections import Counter
from urllib.parse import urlencode

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gonghui.core.indicators import RATE, Breakdown, Indicator, Source, register

from .models import GRASSROOTS_KINDS, Employer, Node, NodeKind, StaffKind, StaffTarget, UnionStaff


def exists_at(end) -> Q:
    """Nodes that existed on ``end``."""
    established = Q(established_on__lte=end) | Q(established_on__isnull=True, created_at__date__lte=end)
    return established & (Q(ended_on__isnull=True) | Q(ended_on__gt=end))


def in_post_at(end) -> Q:
    return Q(started_on__lte=end) & (Q(ended_on__isnull=True) | Q(ended_on__gt=end))


def _node_page(node, period):
    return reverse("orgs:node", args=[node.pk])


def _ledger(**query):
    def url(node, period):
        return reverse("orgs:ledger") + "?" + urlencode({"node": node.pk, **query})
    return url


def _staff_page(node, period):
    return reverse("orgs:staff", args=[node.pk])


def _targets(prefix: str, period, width: int | None, *, met_only: bool):
    """Staff targets of the period's year set on nodes under ``prefix``; with ``met_only`` those met.

    Two queries: the targets, then the staff in post under them counted per union and kind. Each
    count is added to every ancestor's path (the tree is a few levels deep), so a target reads its
    subtree's staff in one look-up: linear in staff and targets, not their product.
    """
    year = period.end.year
    targets = list(StaffTarget.objects.filter(node__path__startswith=prefix, year=year)
                   .values_list("node__path", "kind", "target"))
    counted: dict[str, int] = {}
    if targets:
        in_post: Counter[tuple[str, str]] = Counter()
        staff = (UnionStaff.objects.filter(in_post_at(period.end), node__path__startswith=prefix)
                 .values("node__path", "kind").annotate(n=Count("id")).order_by())
        for row in staff:
            path = row["node__path"]
            for end in range(Node.steplen, len(path) + 1, Node.steplen):
                in_post[path[:end], row["kind"]] += row["n"]
        for path, kind, target in targets:
            if met_only and in_post[path, kind] < target:
                continue
            bucket = path[:width] if width else ""
            counted[bucket] = counted.get(bucket, 0) + 1
    return counted if width else counted.get("", 0)


register(
    Source("orgs.nodes", lambda: Node.scoped.all(), "path"),
    Source("orgs.employers", lambda: Employer.objects.all(), "node__path"),
    Source("orgs.staff", lambda: UnionStaff.objects.all(), "node__path"),

    Indicator("orgs.unions", _("Union organizations"), pgettext_lazy("measure word", "unions"), "organization", phrase=_("%(n)s union organizations at all levels"), order=10,
              source="orgs.nodes", aggregate=lambda p: Count("id", filter=exists_at(p.end)), records=_node_page),
    Indicator("orgs.grassroots", _("Grassroots unions"), pgettext_lazy("measure word", "unions"), "organization", phrase=_("%(n)s grassroots unions"), order=11, headline=True,
              source="orgs.nodes", records=_node_page,
              aggregate=lambda p: Count("id", filter=exists_at(p.end) & Q(kind__in=GRASSROOTS_KINDS))),
    Indicator("orgs.new_unions", _("Unions established in the period"), pgettext_lazy("measure word", "unions"), "organization", phrase=_("%(n)s union organizations newly established"), order=12,
              as_of=False, source="orgs.nodes", records=_node_page,
              aggregate=lambda p: Count("id", filter=Q(established_on__range=(p.start, p.end)))),
    Indicator("orgs.new_employment_unions", _("New-employment-form unions"), pgettext_lazy("measure word", "unions"), "organization", phrase=_("%(n)s unions of new-employment-form workers"),
              order=13, source="orgs.nodes", records=_node_page,
              aggregate=lambda p: Count("id", filter=exists_at(p.end) & Q(kind=NodeKind.NEW_EMPLOYMENT))),
    # Unions with legal-person status: one definition, the register (registration.registered); the
    # node's flag follows it, and a second count here gave a second figure (109 beside 90).
    Indicator("orgs.employers", _("Employers in the ledger"), pgettext_lazy("measure word", "employers"), "organization", phrase=_("%(n)s employers in the unionization ledger"), order=20,
              current_only=True, source="orgs.employers", records=_ledger(),
              aggregate=lambda p: Count("id")),
    Indicator("orgs.unionized_employers", _("Employers with a union"), pgettext_lazy("measure word", "employers"), "organization", phrase=_("%(n)s of them with a union"), order=21,
              current_only=True, source="orgs.employers", records=_ledger(unionized="1"),
              aggregate=lambda p: Count("id", filter=Q(union__isnull=False))),
    Indicator("orgs.employers_to_organize", _("Employers still to organize"), pgettext_lazy("measure word", "employers"), "organization", phrase=_("%(n)s still to organize"),
              order=22, current_only=True, source="orgs.employers", records=_ledger(unionized="0"),
              aggregate=lambda p: Count("id", filter=Q(union__isnull=True))),
    Indicator("orgs.unionization_rate", _("Unionization rate (建会率)"), "%", "organization", phrase=_("a unionization rate of %(n)s"), order=23,
              kind=RATE, headline=True, current_only=True, numerator="orgs.unionized_employers",
              denominator="orgs.employers"),
    Indicator("orgs.workers", _("Workers (declared by the unions)"), pgettext_lazy("measure word", "people"), "members", phrase=_("%(n)s workers declared by the unions"), order=90,
              current_only=True, source="orgs.nodes", records=_node_page,
              aggregate=lambda p: Sum("worker_count", filter=Q(status="active"))),

    Indicator("orgs.socialized_staff", _("Socialized union workers in post"), pgettext_lazy("measure word", "people"), "staff", phrase=_("%(n)s socialized union workers in post"), order=10,
              source="orgs.staff", records=_staff_page,
              aggregate=lambda p: Count("id", filter=in_post_at(p.end) & Q(kind=StaffKind.SOCIALIZED))),
    Indicator("orgs.vice_chairs", _("Full-time vice-chairs in post"), pgettext_lazy("measure word", "people"), "staff", phrase=_("%(n)s full-time vice-chairs in post"), order=11,
              source="orgs.staff", records=_staff_page,
              aggregate=lambda p: Count("id", filter=in_post_at(p.end) & Q(kind=StaffKind.VICE_CHAIR))),
    Indicator("orgs.staff_targets", _("Staff targets set for the year"), pgettext_lazy("measure word", "targets"), "staff", phrase=_("%(n)s staff targets set"), order=20,
              records=_staff_page, compute=lambda prefix, p, width: _targets(prefix, p, width, met_only=False)),
    Indicator("orgs.staff_targets_met", _("Staff targets met"), pgettext_lazy("measure word", "targets"), "staff", phrase=_("%(n)s of them met"), order=21,
              records=_staff_page, compute=lambda prefix, p, width: _targets(prefix, p, width, met_only=True)),
    Indicator("orgs.staff_target_rate", _("Share of staff targets met"), "%", "staff", phrase=_("a completion rate of %(n)s"), order=22, kind=RATE,
              numerator="orgs.staff_targets_met", denominator="orgs.staff_targets"),

    Breakdown("orgs.by_kind", _("Unions by type"), "organization", "orgs.nodes", "kind",
              labels=lambda: dict(NodeKind.choices), filter=lambda p: exists_at(p.end),
              records=lambda node, period, value: reverse("orgs:node", args=[node.pk]), order=10),
)
