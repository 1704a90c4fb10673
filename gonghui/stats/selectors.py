"""Reads of statistics: indicators computed by the database for a subtree and a period.

Every query runs inside the caller's scope (the sources are scoped managers) and is further cut
to the node's subtree by a path prefix. Indicators on one source share ONE aggregate query; the
children of a node are ranked by the same query grouped by ``substr(path, 1, width)``, so the cost
is a fixed number of queries whatever the size of the tree (see docs/stats.md).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count
from django.db.models.functions import Substr

from gonghui.core import editing
from gonghui.core import indicators as registry
from gonghui.core.indicators import MONEY, RATE, Indicator, Period, percent
from gonghui.orgs import selectors as orgs
from gonghui.orgs.models import Node, NodeStatus

from . import snapshots


def _zero(indicator: Indicator):
    return Decimal("0.00") if indicator.kind == MONEY else 0


def _clean(indicator: Indicator, value):
    if value is None:
        return _zero(indicator)
    return Decimal(value) if indicator.kind == MONEY else value


def evaluate(prefix: str, period: Period, *, width: int | None = None,
             indicators: list[Indicator] | None = None, known: dict | None = None) -> dict:
    """``{key: value}`` for the subtree under ``prefix``; with ``width``, ``{bucket: {key: value}}``.

    A bucket is the first ``width`` characters of a row's node path: the child of the node the row
    lies under, or the node's own path for rows at the node itself. ``known`` holds values already
    read from a snapshot (source indicators); only the others are computed.
    """
    chosen = indicators if indicators is not None else registry.all_indicators()
    wanted = {i.key: i for i in chosen}
    for ind in chosen:  # a rate needs its parts
        if ind.kind == RATE:
            for part in (ind.numerator, ind.denominator):
                wanted.setdefault(part, registry.get(part))
    by_source: dict[str, list[Indicator]] = defaultdict(list)
    grouped: dict[str, dict] = defaultdict(dict)
    total: dict = dict(known or {})
    for ind in wanted.values():
        if ind.source and ind.key not in total:
            by_source[ind.source].append(ind)
    for key, members in by_source.items():
        src = registry.source(key)
        aliases = {f"v{n}": ind for n, ind in enumerate(members)}
        aggregates = {alias: ind.aggregate(period) for alias, ind in aliases.items()}
        qs = src.queryset().filter(**{f"{src.path}__startswith": prefix}).order_by()
        if width is None:
            row = qs.aggregate(**aggregates)
            total.update({ind.key: _clean(ind, row[alias]) for alias, ind in aliases.items()})
        else:
            for row in qs.annotate(bucket=Substr(src.path, 1, width)).values("bucket").annotate(**aggregates):
                grouped[row["bucket"]].update({ind.key: _clean(ind, row[a]) for a, ind in aliases.items()})
    for ind in wanted.values():
        if ind.compute is not None and ind.key not in total:
            value = ind.compute(prefix, period, width)
            if width is None:
                total[ind.key] = _clean(ind, value)
            else:
                for bucket, v in value.items():
                    grouped[bucket][ind.key] = _clean(ind, v)
    results = [total] if width is None else list(grouped.values())
    for values in results:
        for ind in wanted.values():
            if ind.kind == RATE:
                values[ind.key] = percent(values.get(ind.numerator, 0), values.get(ind.denominator, 0))
            else:
                values.setdefault(ind.key, _zero(ind))
    return total if width is None else dict(grouped)


def evaluate_node(node: Node, period: Period, indicators=None, snap=None) -> dict:
    known = snap.values(node, period, indicators or registry.all_indicators()) if snap else None
    return evaluate(node.path, period, indicators=indicators, known=known)


@dataclass
class ChildRow:
    node: Node | None      # None: records held at the node itself (本级)
    values: dict


def child_rows(node: Node, period: Period, indicators=None, snap=None, children=None) -> list[ChildRow]:
    """Each child with its subtree's figures, plus a row for the node's own records if it has any.

    One query per source and one for the children, whatever their number (or, from a snapshot,
    the children's rows and the custom indicators).
    """
    width = (node.depth + 1) * Node.steplen
    children = children if children is not None else list(orgs.children_of(node).exclude(status=NodeStatus.MERGED))
    if snap is not None:
        grouped = _grouped_from_snapshot(node, children, period, indicators, snap, width)
    else:
        grouped = evaluate(node.path, period, width=width, indicators=indicators)
    empty = evaluate_empty(indicators)
    rows = [ChildRow(child, grouped.get(child.path, empty)) for child in children]
    own = grouped.get(node.path)
    if own and any(v for k, v in own.items() if registry.get(k).kind != RATE):
        rows.append(ChildRow(None, own))
    return rows


def _grouped_from_snapshot(node, children, period, indicators, snap, width) -> dict:
    chosen = indicators if indicators is not None else registry.all_indicators()
    wanted = {i.key: i for i in chosen}
    for ind in chosen:
        if ind.kind == RATE:
            for part in (ind.numerator, ind.denominator):
                wanted.setdefault(part, registry.get(part))
    # Source and custom figures; a custom flow of distinct people is no sum of the children's (the
    # node's own row is no difference), so a ranking by it counts it live.
    held = [i for i in wanted.values() if i.kind != RATE and not (i.compute and not snapshots.additive(i))]
    grouped = {child.path: snap.values(child, period, held) for child in children}
    own = snap.values(node, period, held)
    for values in grouped.values():
        for key, value in values.items():
            own[key] -= value
    grouped[node.path] = own
    others = [i for i in wanted.values() if i.kind != RATE and i.key not in own]  # counted live
    live = evaluate(node.path, period, width=width, indicators=others) if others else {}
    for bucket, values in grouped.items():
        values.update({k: v for k, v in live.get(bucket, {}).items()})
        for ind in others:
            values.setdefault(ind.key, _zero(ind))
        for ind in wanted.values():
            if ind.kind == RATE:
                values[ind.key] = percent(values.get(ind.numerator, 0), values.get(ind.denominator, 0))
    return grouped


def evaluate_empty(indicators=None) -> dict:
    chosen = indicators if indicators is not None else registry.all_indicators()
    return {i.key: (None if i.kind == RATE else _zero(i)) for i in chosen}


def breakdowns(node: Node, period: Period, snap=None) -> list[tuple[registry.Breakdown, list[tuple[str, str, int]]]]:
    """Each declared breakdown as (value, label, count) rows, largest first; one query each."""
    out = []
    for bd in registry.all_breakdowns():
        labels = bd.labels()
        if snap is not None:
            counts = snap.breakdown(node, period.end, bd)
        else:
            src = registry.source(bd.source)
            counts = dict(src.queryset().filter(bd.filter(period), **{f"{src.path}__startswith": node.path})
                          .order_by().values(bd.field).annotate(n=Count("id")).values_list(bd.field, "n"))
        rows = sorted(((value, n) for value, n in counts.items() if n), key=lambda item: (-item[1], item[0]))
        out.append((bd, [(value, str(labels.get(value, value or "—")), n) for value, n in rows]))
    return out


def trend_months(period: Period) -> list[Period]:
    months = period.months()
    if len(months) < 3:
        end = period.end
        first = datetime.date(end.year - 1, end.month, 1) + datetime.timedelta(days=31)
        months = Period(first.replace(day=1), end, "range").months()
    return months


def trend(node: Node, period: Period, indicators: list[Indicator], snap=None) -> tuple[list[Period], dict[str, list]]:
    """Month by month over the period (the 12 months to its end when it is shorter than a quarter).

    For each source, one query whose aggregates are the indicators computed for every month:
    "as of" figures at each month's end, flows within each month.
    """
    months = trend_months(period)
    series: dict[str, list] = {}
    if snap is not None:
        chosen = [i for i in indicators if i.source and not i.current_only]
        per_month = [snap.values(node, month, chosen) for month in months]
        return months, {i.key: [values[i.key] for values in per_month] for i in chosen}
    by_source: dict[str, list[Indicator]] = defaultdict(list)
    for ind in indicators:
        if ind.source and not ind.current_only:
            by_source[ind.source].append(ind)
    for key, members in by_source.items():
        src = registry.source(key)
        aggregates = {f"v{i}_{m}": ind.aggregate(month) for i, ind in enumerate(members)
                      for m, month in enumerate(months)}
        row = src.queryset().filter(**{f"{src.path}__startswith": node.path}).order_by().aggregate(**aggregates)
        for i, ind in enumerate(members):
            series[ind.key] = [_clean(ind, row[f"v{i}_{m}"]) for m in range(len(months))]
    return months, series


@dataclass
class Figure:
    indicator: Indicator
    value: object
    previous: object = None
    url: str | None = None

    @property
    def change(self):
        """Change against the same period a year earlier (points for rates)."""
        if self.indicator.current_only or self.previous is None or self.value is None:
            return None
        return self.value - self.previous

    @property
    def change_rate(self) -> Decimal | None:
        if self.indicator.kind == RATE or self.change is None or not self.previous:
            return None
        return percent(self.change, self.previous)


@dataclass
class Area:
    key: str
    name: str
    figures: list[Figure] = field(default_factory=list)


def figures(node: Node, period: Period, *, link, snap=None) -> tuple[list[Area], dict, dict]:
    """All indicators for the node and the period beside the same period a year earlier.

    ``link(indicator, node, period)`` returns the URL of the records behind a figure, or None.
    """
    current = evaluate_node(node, period, snap=snap)
    previous = evaluate_node(node, period.a_year_earlier(), snap=snap)
    areas: dict[str, Area] = {}
    for ind in registry.all_indicators():
        area = areas.setdefault(ind.area, Area(ind.area, str(registry.AREAS[ind.area])))
        area.figures.append(Figure(ind, current[ind.key], None if ind.current_only else previous[ind.key],
                                   link(ind, node, period)))
    return list(areas.values()), current, previous


def template_version(node: Node) -> str:
    """The version the template editor carries (``core.editing``): the node's own template row, or
    "none" while it has none."""
    from .models import ReportTemplate

    row = ReportTemplate.objects.filter(node=node).first()
    return editing.version_of(row) if row is not None else "none"


def report_template_for(node: Node):
    """The template set on the node or its nearest ancestor inside the scope, or None (the default)."""
    from .models import ReportTemplate

    paths = [node.path[:i] for i in range(Node.steplen, len(node.path) + 1, Node.steplen)]
    return (ReportTemplate.objects.filter(node__path__in=paths).select_related("node", "updated_by")
            .order_by("-node__depth").first())
