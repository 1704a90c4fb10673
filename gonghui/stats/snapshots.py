"""Snapshots: subtree figures per node and day, for subtrees too large to aggregate on every view.

Below ``GONGHUI_STATS_LIVE_LIMIT`` records (default 200,000) a subtree is counted live, exactly, at
each view; above it the dashboard reads the latest snapshot (``gonghui stats-refresh``, nightly), a
few rows whatever the number of records. Snapshots are computed with the very same indicator
aggregates, grouped by node, then summed up the tree, so both ways give the same numbers
(``gonghui stats-check`` compares them).

Custom indicators (``compute``: staff targets) are held too, computed per tree depth (one call
each), so a large dashboard makes no query over their tables.

Days kept by a refresh on day D: D, D a year earlier, and every month end from December three years
before D: enough for this year / quarter / month to date, last year, and their comparisons. Other
periods are counted live.
"""

import calendar
import datetime
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.db.models import Count

from gonghui.core import indicators as registry
from gonghui.core.indicators import MONEY, Indicator, Period
from gonghui.orgs.models import Node

BEGINNING = datetime.date(1900, 1, 1)
ROWS = "_rows"  # records of all sources in the subtree: decides live or snapshot
# The day the figures without history (current_only: positions in service, the employer ledger,
# overdue cases …) were measured on: the nightly refresh measures them for the day just ended and
# later refreshes of that day keep them, so a report for a past period can show them as of its end.
MEASURED = "_measured_on"
COMPUTED = "_computed"  # the row holds the custom indicators too (rows written before do not)
FLOWS = "_flows"  # the row holds the custom flows of the periods to its day (``flow_starts``)


def live_limit() -> int:
    return settings.GONGHUI_STATS_LIVE_LIMIT


def default_days(day: datetime.date) -> list[datetime.date]:
    days = {day, registry._minus_year(day)}
    year, month = day.year - 3, 12
    while datetime.date(year, month, 1) <= day:
        end = datetime.date(year, month, calendar.monthrange(year, month)[1])
        if end <= day:
            days.add(end)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return sorted(days)


def snapshot_indicators() -> list[Indicator]:
    """Indicators a snapshot holds: those on a source (custom and rate ones are derived or live)."""
    return [i for i in registry.all_indicators() if i.source]


def own_values(day: datetime.date) -> dict[int, dict]:
    """Each node's own records on ``day`` (not its subtree): one grouped query per source and breakdown."""
    by_node: dict[int, dict] = defaultdict(dict)
    stock, cumulative = Period(day, day, "range"), Period(BEGINNING, day, "range")
    by_source: dict[str, list[Indicator]] = defaultdict(list)
    for ind in snapshot_indicators():
        by_source[ind.source].append(ind)
    for key, members in by_source.items():
        src = registry.source(key)
        node_id = src.path.removesuffix("path") + "id" if src.path != "path" else "id"
        aggregates = {f"v{n}": ind.aggregate(stock if ind.as_of or ind.current_only else cumulative)
                      for n, ind in enumerate(members)}
        for row in src.queryset().order_by().values(node_id).annotate(n_rows=Count("id"), **aggregates):
            values = by_node[row[node_id]]
            values[ROWS] = values.get(ROWS, 0) + row["n_rows"]
            for n, ind in enumerate(members):
                value = row[f"v{n}"]
                if value:
                    values[ind.key] = str(value) if ind.kind == MONEY else value
    for bd in registry.all_breakdowns():
        src = registry.source(bd.source)
        node_id = src.path.removesuffix("path") + "id" if src.path != "path" else "id"
        rows = (src.queryset().filter(bd.filter(stock)).order_by().values(node_id, bd.field)
                .annotate(n=Count("id")))
        for row in rows:
            by_node[row[node_id]][f"bd:{bd.key}:{row[bd.field]}"] = row["n"]
    return by_node


def add_computed(totals: dict[int, dict], day: datetime.date) -> None:
    """The custom indicators (staff targets …) of every node's subtree on ``day``, into ``totals``.

    A custom indicator computes ``{path bucket: value}`` for all buckets of one width at once, so
    one call per indicator and tree depth gives every node at that depth its subtree's value (a
    bucket shorter than the width is a record of a shallower node, counted at its own depth).
    """
    nodes = Node.objects.values_list("pk", "path")
    by_path = {path: pk for pk, path in nodes}
    depths = sorted({len(path) // Node.steplen for path in by_path})
    stock = Period(day, day, "range")
    for ind in registry.all_indicators():
        if ind.compute is None or not additive(ind):
            continue
        period = stock
        for depth in depths:
            width = depth * Node.steplen
            for bucket, value in ind.compute("", period, width).items():
                if value and len(bucket) == width and bucket in by_path:
                    totals[by_path[bucket]][ind.key] = str(value) if ind.kind == MONEY else value
    for ind in registry.all_indicators():
        if ind.compute is None or additive(ind):
            continue
        # A custom flow (people helped: distinct people) is no difference of two days' totals: it is
        # held for the periods a dashboard asks that end on this day (its year, quarter and month to
        # date), each subtree's own value, one call per period and tree depth.
        for start in flow_starts(day):
            for depth in depths:
                width = depth * Node.steplen
                for bucket, value in ind.compute("", Period(start, day, "range"), width).items():
                    if value and len(bucket) == width and bucket in by_path:
                        totals[by_path[bucket]][flow_key(ind.key, start)] = \
                            str(value) if isinstance(value, Decimal) else value
    for values in totals.values():
        values[COMPUTED] = 1
        values[FLOWS] = 1


def flow_starts(day: datetime.date) -> list[datetime.date]:
    """The first days of the periods to ``day`` a snapshot holds custom flows for: year, quarter, month."""
    return sorted({day.replace(month=1, day=1), day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1),
                   day.replace(day=1)})


def flow_key(key: str, start: datetime.date) -> str:
    return f"{key}@{start.isoformat()}"


def custom_keys(key: str) -> bool:
    """Whether a snapshot value's key is a custom figure's (``add_computed`` writes those)."""
    custom = {i.key for i in registry.all_indicators() if i.compute is not None}
    return key in (COMPUTED, FLOWS) or key.split("@")[0] in custom


def additive(ind: Indicator) -> bool:
    """Whether a snapshot can hold the figure: a source figure (summed up the tree, flows as the
    difference of two days), or a custom stock. A custom flow (people helped: distinct people) is
    neither a sum of its parts nor a difference of totals, so it is counted live."""
    return bool(ind.source) or (ind.compute is not None and (ind.as_of or ind.current_only))


def current_keys() -> list[str]:
    return [i.key for i in snapshot_indicators() if i.current_only]


def keep_measured(totals: dict[int, dict], day: datetime.date, *, today: datetime.date, old: dict[int, dict]) -> None:
    """Figures without history in ``totals`` (just computed) are those of today: right for the day
    just ended (the nightly run), unknown for an earlier day — there the values measured on that day
    by an earlier refresh are kept, or none."""
    if day >= today - datetime.timedelta(days=1):
        for values in totals.values():
            values[MEASURED] = day.isoformat()
        return
    keys = current_keys()
    for pk, values in totals.items():
        before = old.get(pk) or {}
        for key in keys:
            values.pop(key, None)
        if before.get(MEASURED) == day.isoformat():
            values.update({key: before[key] for key in keys if key in before})
            values[MEASURED] = before[MEASURED]


def measured(node, day: datetime.date) -> dict:
    """The figures without history of ``node``'s subtree as measured on ``day``, or {} if none was."""
    from .models import Snapshot

    row = Snapshot.objects.filter(node=node, on=day).values_list("values", flat=True).first()
    if not row or row.get(MEASURED) != day.isoformat():
        return {}
    by_key = {i.key: i for i in snapshot_indicators() if i.current_only}
    return {key: _typed(ind, row.get(key)) for key, ind in by_key.items()}


def subtree_totals(own: dict[int, dict]) -> dict[int, dict]:
    """Sum each node's own values into all its ancestors: deepest first, each node into its parent."""
    nodes = list(Node.objects.order_by("-depth").values_list("pk", "path"))
    by_path = {path: pk for pk, path in nodes}
    totals: dict[int, dict] = {pk: dict(own.get(pk, {})) for pk, _path in nodes}
    for pk, path in nodes:
        parent = by_path.get(path[:-Node.steplen]) if len(path) > Node.steplen else None
        if parent is None:
            continue
        target = totals[parent]
        for key, value in totals[pk].items():
            if isinstance(value, str):
                target[key] = str(Decimal(target.get(key, "0")) + Decimal(value))
            else:
                target[key] = target.get(key, 0) + value
    return totals


class SnapshotSet:
    """The snapshots of some nodes on some days, read in one query."""

    def __init__(self, as_of: datetime.date, rows: dict[tuple[int, datetime.date], dict],
                 latest: datetime.date | None = None):
        self.as_of = as_of
        self.rows = rows
        self.latest = latest  # the last night's day: figures without history as measured then

    def has(self, nodes, days) -> bool:
        return all((n.pk, d) in self.rows for n in nodes for d in days)

    def values(self, node, period: Period, indicators: list[Indicator]) -> dict:
        end, before = self.rows[(node.pk, period.end)], self.rows.get((node.pk, period.start - datetime.timedelta(1)))
        out = {}
        for ind in indicators:
            if ind.compute and not additive(ind):
                if FLOWS in end and period.start in flow_starts(period.end):  # held for this very period
                    value = end.get(flow_key(ind.key, period.start))
                    out[ind.key] = Decimal(value) if isinstance(value, str) else _typed(ind, value)
                continue  # else counted live, as rates are derived
            if not (ind.source or (ind.compute and COMPUTED in end)):
                continue  # rates are derived; custom figures of older rows are counted live
            if ind.current_only and MEASURED not in end:
                # Not measured on that day: the figure of today, which is last night's measurement
                # (what the whole snapshot dashboard is as of); counted live when there is none.
                latest = self.rows.get((node.pk, self.latest)) if self.latest else None
                if latest and MEASURED in latest:
                    out[ind.key] = _typed(ind, latest.get(ind.key))
                continue
            value = _typed(ind, end.get(ind.key))
            if not (ind.as_of or ind.current_only):
                value -= _typed(ind, (before or {}).get(ind.key))
            out[ind.key] = value
        return out

    def breakdown(self, node, day, bd) -> dict[str, int]:
        prefix = f"bd:{bd.key}:"
        return {k[len(prefix):]: v for k, v in self.rows[(node.pk, day)].items() if k.startswith(prefix)}


def _typed(ind, value):
    if ind.kind == MONEY:
        return Decimal(value or "0")
    return value or 0


def days_for(period: Period) -> list[datetime.date]:
    return [period.end, period.start - datetime.timedelta(1)]


def load(nodes: list, days: list[datetime.date], latest: datetime.date | None = None) -> SnapshotSet | None:
    """Snapshots of ``nodes`` on ``days`` (and on ``latest``, the last night's day, whose figures
    without history stand for today's); None when any of ``days`` is missing (the caller counts live)."""
    from .models import Snapshot

    wanted = set(days) | ({latest} if latest else set())
    rows = {(node_id, on): values for node_id, on, values in
            Snapshot.objects.filter(node__in=[n.pk for n in nodes], on__in=wanted)
            .values_list("node_id", "on", "values")}
    snap = SnapshotSet(max(days), rows, latest)
    return snap if snap.has(nodes, set(days)) else None


def latest_day(node) -> tuple[datetime.date | None, int]:
    """The latest snapshot day of the node and the number of records its subtree held then."""
    from .models import Snapshot

    row = Snapshot.objects.filter(node=node).order_by("-on").values_list("on", "values").first()
    if row is None:
        return None, 0
    return row[0], row[1].get(ROWS, 0)
