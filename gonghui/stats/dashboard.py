"""The dashboard of a node and a period: what the console home, /stats/, the xlsx table and the API show.

One function builds it so the page, the export and the API quote the same numbers.
"""

import datetime
from dataclasses import dataclass

from django.urls import NoReverseMatch
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gonghui.accounts.permissions import has_role
from gonghui.core import indicators as registry
from gonghui.core.indicators import Indicator, Period, parse_period
from gonghui.core.xlsx import build_workbook
from gonghui.orgs import selectors as orgs
from gonghui.orgs.models import Node, NodeStatus

from . import report, selectors, snapshots

# Columns of the children's table and the trend chart.
TABLE_KEYS = ("orgs.unions", "orgs.grassroots", "members.total", "members.new_form", "orgs.employers",
              "orgs.unionization_rate", "members.membership_rate")
TREND_KEYS = ("members.total", "members.joined")
DEFAULT_RANK = "members.total"


def resolve_node(node_pk) -> Node:
    """The requested node inside the scope (404 otherwise), or the first root of the scope."""
    if node_pk:
        return orgs.access_node(node_pk)
    roots = orgs.scope_roots()
    if not roots:
        from django.http import Http404

        raise Http404
    return roots[0]


def resolve_period(spec: str | None, today: datetime.date | None = None) -> Period:
    """Raises DomainError for a period that is malformed, reversed or in the future."""
    return parse_period(spec or "", today=today or timezone.localdate())


_SENTINEL = 987654321


class _Stub:
    """Stands for a node while a records URL is built once per indicator (records use node.pk)."""

    pk = id = _SENTINEL
    code = "STUBCODE"


def linker(user):
    """URLs of the records behind figures, only where the user may open that list.

    Each indicator's URL is built once per period with a stand-in node and the real node's id put
    in its place: reversing a URL per cell of a table of hundreds of unions would cost more than the
    figures themselves. Records functions may use ``node.pk`` (and ``node.code``).
    """
    templates: dict = {}

    def build(indicator, node, period, value):
        try:
            return indicator.records(node, period) if value is None else indicator.records(node, period, value)
        except NoReverseMatch:  # the module's list page is not there (yet): the figure stays, unlinked
            return None

    def link(indicator, node, period, value=None):
        if indicator.records is None:
            return None
        if indicator.records_roles is not None and not has_role(user, node, indicator.records_roles):
            return None
        key = (indicator.key, period, value)
        if key not in templates:
            templates[key] = build(indicator, _Stub(), period, value)
        template = templates[key]
        if template is None:
            return None
        if str(_SENTINEL) in template and "STUBCODE" not in template:
            return template.replace(str(_SENTINEL), str(node.pk))
        return build(indicator, node, period, value)
    return link


def _known(keys) -> list[Indicator]:
    known = {i.key: i for i in registry.all_indicators()}
    return [known[k] for k in keys if k in known]


@dataclass
class Dashboard:
    node: Node
    period: Period             # as asked
    cut: Period                # cut at today: the figures are "as of" its end
    previous: Period
    ancestors: list
    roots: list
    areas: list
    values: dict
    headline: list
    columns: list
    children: list
    rank: Indicator
    ranking: list
    breakdowns: list
    months: list
    trend: dict
    trend_indicators: list
    snapshot: bool = False     # read from the latest snapshot (large subtrees), not counted live
    previous_values: dict | None = None
    measured: frozenset = frozenset()  # figures without history read as measured on the period's end

    @property
    def as_of(self) -> datetime.date:
        return self.cut.end


@dataclass
class Plan:
    cut: Period
    snap: object          # a SnapshotSet, or None: counted live
    children: list


def plan(node: Node, period: Period, *, today: datetime.date | None = None, trend: bool = True) -> Plan:
    """Live counting for subtrees below the live limit; the latest snapshot above it, when it covers
    every day the dashboard needs (else live, whatever the size)."""
    today = today or timezone.localdate()
    children = list(orgs.children_of(node).exclude(status=NodeStatus.MERGED))
    day, size = snapshots.latest_day(node)
    if day is not None and size >= snapshots.live_limit() and period.start <= day:
        cut = period.until(day)
        days = [*snapshots.days_for(cut), *snapshots.days_for(cut.a_year_earlier())]
        if trend:
            days += [d for month in selectors.trend_months(cut) for d in snapshots.days_for(month)]
        snap = snapshots.load([node, *children], days, latest=day)
        if snap is not None:
            return Plan(cut, snap, children)
    return Plan(period.until(today), None, children)


def build(user, node: Node, period: Period, *, rank: str = "", today: datetime.date | None = None) -> Dashboard:
    chosen = plan(node, period, today=today)
    cut, snap = chosen.cut, chosen.snap
    link = linker(user)
    areas, values, previous_values = selectors.figures(node, cut, link=link, snap=snap)
    measured = _measured_at_end(node, cut, values, areas, today or timezone.localdate())
    headline = [f for area in areas for f in area.figures if f.indicator.headline]
    columns = _known(TABLE_KEYS)
    try:
        rank_ind = registry.get(rank or DEFAULT_RANK)
    except KeyError:
        rank_ind = registry.get(DEFAULT_RANK)
    wanted = columns if rank_ind in columns else [*columns, rank_ind]
    children = []
    for row in selectors.child_rows(node, cut, indicators=wanted, snap=snap, children=chosen.children):
        cells = [(ind, row.values.get(ind.key), link(ind, row.node, cut) if row.node else None) for ind in columns]
        children.append((row.node, cells, row.values))
    ranking = sorted(((child, values_.get(rank_ind.key)) for child, _cells, values_ in children if child is not None),
                     key=lambda item: (item[1] is None, -(item[1] or 0)))
    breakdown_rows = []
    for bd, rows in selectors.breakdowns(node, cut, snap=snap):
        breakdown_rows.append((bd, [(value, label, n, _breakdown_link(user, bd, node, cut, value))
                                    for value, label, n in rows]))
    trend_inds = _known(TREND_KEYS)
    months, trend = selectors.trend(node, cut, trend_inds, snap=snap)
    return Dashboard(node=node, period=period, cut=cut, previous=cut.a_year_earlier(), snapshot=snap is not None,
                     previous_values=previous_values, measured=measured,
                     ancestors=orgs.ancestors_in_scope(node), roots=orgs.scope_roots(), areas=areas, values=values,
                     headline=headline, columns=columns, children=children, rank=rank_ind, ranking=ranking,
                     breakdowns=breakdown_rows, months=months, trend=trend, trend_indicators=trend_inds)


def _measured_at_end(node, cut: Period, values: dict, areas: list, today: datetime.date) -> frozenset:
    """For a period that ended before today, the figures without history (the employer ledger,
    positions in service …) as the nightly snapshot measured them on its last day, in place of
    today's; the rates made of them follow. Returns the keys so replaced (none without a snapshot)."""
    if cut.end >= today:
        return frozenset()
    held = snapshots.measured(node, cut.end)
    if not held:
        return frozenset()
    values.update(held)
    keys = set(held)
    for ind in registry.all_indicators():
        if ind.kind == registry.RATE and ind.numerator in keys and ind.denominator in keys:
            values[ind.key] = registry.percent(values[ind.numerator], values[ind.denominator])
            keys.add(ind.key)
    for area in areas:
        for f in area.figures:
            if f.indicator.key in keys:
                f.value = values[f.indicator.key]
    return frozenset(keys)


def _breakdown_link(user, bd, node, period, value):
    if bd.records is None:
        return None
    if bd.records_roles is not None and not has_role(user, node, bd.records_roles):
        return None
    try:
        return bd.records(node, period, value)
    except NoReverseMatch:
        return None


def rankable() -> list[Indicator]:
    """Indicators a ranking of children may sort by."""
    return registry.all_indicators()


def _cell(value):
    return "" if value is None else value


def table_xlsx(board: Dashboard, *, exported_by: str) -> bytes:
    """The node's indicators beside a year earlier, then the children's table; formula-safe."""
    rows = [[area.name, str(f.indicator.name), str(f.indicator.unit), _cell(f.value), _cell(f.previous),
             _cell(f.change)] for area in board.areas for f in area.figures]
    rows.append([])
    rows.append([_("Union"), *[str(i.name) for i in board.columns]])
    for child, cells, _values in board.children:
        rows.append([child.name if child else _("Held at this level"), *[_cell(v) for _i, v, _u in cells]])
    title = _("Statistics %(node)s %(period)s") % {"node": board.node.name, "period": board.cut.label}
    headers = [_("Area"), _("Indicator"), _("Unit"), board.cut.label, board.previous.label,
               pgettext("compared", "Change")]
    return build_workbook(title=title, exported_by=exported_by, headers=headers, rows=rows)


def report_blocks(user, board: Dashboard):
    """The work report of the dashboard's node and period, in Chinese, from the template that applies.

    Raises DomainError when the template names a figure that does not exist.
    """
    template = selectors.report_template_for(board.node)
    previous = board.previous_values
    with translation.override("zh-hans"):
        return report.write(text=template.text if template else report.DEFAULT_TEMPLATE, node=board.node,
                            period=board.cut, values=board.values, previous=previous, link=linker(user),
                            measured=board.measured)
