"""API of stats (mounted under /api/v1/); same scoping as the console, same numbers as the dashboard.

Provincial platforms pull the indicators of a node and a period, and of its children, as JSON.
Values: integers for counts, decimal strings for money ("619700.00") and rates ("60.0").
"""

from django.utils.translation import gettext as _
from ninja import Router, Schema

from gonghui.accounts.permissions import roles_of
from gonghui.core import indicators as registry
from gonghui.core.dbrouting import replica_reads
from gonghui.core.errors import NotPermitted
from gonghui.core.schemas import Id

from . import dashboard as dash
from . import selectors

router = Router(tags=["stats"])


class IndicatorOut(Schema):
    key: str
    name: str
    unit: str
    area: str
    kind: str
    as_of: bool
    current_only: bool


class StatsFigureOut(Schema):
    key: str
    value: int | str | None
    previous: int | str | None
    records_url: str | None


class ChildOut(Schema):
    node_id: int | None
    code: str | None
    name: str
    values: dict[str, int | str | None]


class StatsIndicatorsOut(Schema):
    node_id: int
    code: str
    name: str
    period: str
    start: str
    as_of: str
    previous_period: str
    figures: list[StatsFigureOut]
    children: list[ChildOut]


def _json(value):
    if value is None or isinstance(value, int):
        return value
    return str(value)


def _require_cadre(request):
    if not request.user.is_superuser and not roles_of(request.user):
        raise NotPermitted("stats.indicators.view")


@router.get("/stats/indicators/catalogue", response=list[IndicatorOut])
def list_stat_indicators(request):
    """What each indicator is (name in the request's language, unit, kind, stock or flow); no data."""
    return [IndicatorOut(key=i.key, name=str(i.name), unit=str(i.unit), area=i.area, kind=i.kind, as_of=i.as_of,
                         current_only=i.current_only) for i in registry.all_indicators()]


@router.get("/stats/indicators", response=StatsIndicatorsOut)
@replica_reads
def get_stat_indicators(request, node: Id | None = None, period: str = ""):
    """Every indicator for the node (default: the first root of the token's scope) and the period
    (``2025``, ``2025Q3``, ``2025-07``, ``2025-01-01~2025-06-30``; default this year), with the same
    period a year earlier and one row per child union. A node outside the scope answers 404."""
    _require_cadre(request)
    target = dash.resolve_node(node)
    requested = dash.resolve_period(period)
    chosen = dash.plan(target, requested, trend=False)
    cut, snap = chosen.cut, chosen.snap
    link = dash.linker(request.user)
    current = selectors.evaluate_node(target, cut, snap=snap)
    previous = selectors.evaluate_node(target, cut.a_year_earlier(), snap=snap)
    children = []
    for row in selectors.child_rows(target, cut, snap=snap, children=chosen.children):
        children.append(ChildOut(node_id=row.node.pk if row.node else None, code=row.node.code if row.node else None,
                                 name=row.node.name if row.node else _("Held at this level"),
                                 values={k: _json(v) for k, v in row.values.items()}))
    figures = [StatsFigureOut(key=i.key, value=_json(current[i.key]),
                         previous=None if i.current_only else _json(previous[i.key]),
                         records_url=link(i, target, cut)) for i in registry.all_indicators()]
    return StatsIndicatorsOut(node_id=target.pk, code=target.code, name=target.name, period=requested.spec,
                         start=cut.start.isoformat(), as_of=cut.end.isoformat(),
                         previous_period=cut.a_year_earlier().spec, figures=figures, children=children)
