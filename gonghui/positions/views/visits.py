"""Console page of visits (服务人次): per month, per station and per child union of a subtree."""

import datetime

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from gonghui.accounts.decorators import cadre_required
from gonghui.orgs import selectors as orgs

from .. import selectors


def _month(text: str) -> datetime.date | None:
    try:
        return datetime.datetime.strptime(text, "%Y-%m").date()
    except (TypeError, ValueError):
        return None


@cadre_required
def visit_stats(request):
    node = orgs.access_node(request.GET["node"]) if request.GET.get("node") else None
    roots = orgs.scope_roots()
    anchor = node or (roots[0] if len(roots) == 1 else None)
    today = timezone.localdate()
    month = _month(request.GET.get("month", "")) or today.replace(day=1)
    try:
        year = int(request.GET.get("year") or month.year)
    except ValueError:
        year = month.year
    year = min(max(year, 2000), today.year + 1)
    by_month = selectors.visits_by_month(node=anchor, year=year)
    page = Paginator(selectors.visits_by_position(node=anchor, month=month), 30).get_page(request.GET.get("page"))
    return render(request, "positions/visits.html", {
        "node": anchor, "month": month, "year": year, "by_month": by_month,
        "year_total": sum(n for _m, n, _k in by_month), "year_members": sum(k for _m, _n, k in by_month),
        "peak": max([n for _m, n, _k in by_month] + [1]), "page": page,
        "children": selectors.visits_by_child(node=anchor, month=month) if anchor is not None else [],
        "by_kind": selectors.positions_by_kind(node=anchor),
    })


urlpatterns = [
    path("visits/", visit_stats, name="visits"),
]
