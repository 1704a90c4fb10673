"""``{% legal_services node %}``: upcoming legal micro-classes and the nearest legal-aid stations.

Legal micro-classes are activities and legal-aid stations are positions; the rights module may
not import either (import-linter layers), so its console pages show them through this tag of the
console, which sits above every domain app. Everything is read inside the cadre's scope: classes
held by unions of their subtree, stations of their subtree, nearest first from the union's
union (or the nearest union above it) with a location on record.
"""

from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils import timezone

from gonghui.accounts.permissions import subtree_for
from gonghui.activities import selectors as activities
from gonghui.activities.models import Kind, State
from gonghui.orgs import selectors as orgs
from gonghui.orgs.models import Node
from gonghui.positions import selectors as positions
from gonghui.positions.models import PositionKind, PositionStatus

register = template.Library()

LIMIT = 3


def _located(node):
    """``node`` or its nearest ancestor with a location on record (where "nearest" is measured from)."""
    if node is None:
        return None
    paths = [node.path[:i] for i in range(Node.steplen, len(node.path) + 1, Node.steplen)]
    return Node.objects.filter(path__in=paths, latitude__isnull=False, longitude__isnull=False).order_by("-depth").first()


@register.inclusion_tag("console/_legal_services.html", takes_context=True)
def legal_services(context, node=None):
    user = context["request"].user
    anchor = node or next(iter(orgs.scope_roots()), None)
    classes = list(activities.activity_list(node=node, kind=Kind.LEGAL_CLASS, state=State.PUBLISHED)
                   .filter(starts_at__gte=timezone.now()).order_by("starts_at", "id")[:LIMIT])
    area = _located(anchor)
    if area is not None:
        hits = positions.nearest(lat=float(area.latitude), lng=float(area.longitude), kind=PositionKind.LEGAL_AID,
                                 open_now=False, limit=LIMIT, within=subtree_for(user))
        stations = [(h.position, h.distance) for h in hits]
    else:
        stations = [(p, "") for p in positions.position_list(node=node, kind=PositionKind.LEGAL_AID,
                                                             status=PositionStatus.OPEN)[:LIMIT]]
    finder = {"kind": PositionKind.LEGAL_AID, "all": "on", **({"area": area.code} if area is not None else {})}
    return {
        "classes": classes, "stations": stations, "area": area,
        "classes_url": f"{reverse('activities:list')}?{urlencode({'kind': Kind.LEGAL_CLASS})}",
        "positions_url": f"{reverse('positions:list')}?{urlencode({'kind': PositionKind.LEGAL_AID})}",
        "finder_url": f"{reverse('worker:stations')}?{urlencode(finder)}",
    }
