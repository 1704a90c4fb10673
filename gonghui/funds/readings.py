"""Award indicators read from statistics: a call's indicator may name a registered figure
(``core.indicators``, by key) whose value for the nominee's subtree and the call's year becomes
its mark, in proportion to a target (value ≥ target: the top mark).

Read with the core registry directly (funds may not import ``stats``): the same declarations the
dashboard uses — one aggregate query on the figure's source cut to the nominee's path, a custom
``compute``, or a rate from its two parts — so a score sheet and the dashboard agree.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.core import indicators as registry
from gonghui.core.errors import DomainError
from gonghui.core.indicators import MONEY, RATE, Indicator, Period, percent
from gonghui.core.scoping import scopes_disabled

TARGET_LIMIT = Decimal("1000000000")


def choices() -> list[Indicator]:
    """The figures a call may read, in the dashboard's order."""
    return registry.all_indicators()


def indicator(key: str) -> Indicator:
    try:
        return registry.get(key)
    except KeyError:
        raise DomainError("indicator_unknown", _("“%(key)s” is not a figure of the statistics.") % {"key": key[:40]},
                          field="indicators") from None


def clean_target(value, ind: Indicator) -> Decimal:
    """The value that earns the top mark: positive, two decimals at most; a rate at most 100 (%)."""
    try:
        target = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        target = Decimal(0)
    if (not target.is_finite() or target <= 0 or target >= TARGET_LIMIT or target != target.quantize(Decimal("0.01"))
            or (ind.kind == RATE and target > 100)):
        raise DomainError("target_invalid", _("The target of “%(name)s” is a positive number (a rate: at most 100).")
                          % {"name": ind.name}, field="indicators")
    return target


def year_period(year: int, today: datetime.date | None = None) -> Period:
    """The call's year, as of today while it runs (stocks at that day, flows since 1 January)."""
    return Period(datetime.date(year, 1, 1), datetime.date(year, 12, 31), "year").until(today or timezone.localdate())


def value(key: str, node, period: Period):
    """The figure ``key`` for ``node``'s subtree in ``period`` (None for a rate with nothing to divide by)."""
    ind = registry.get(key)
    if ind.kind == RATE:
        return percent(value(ind.numerator, node, period) or 0, value(ind.denominator, node, period) or 0)
    if ind.compute is not None:
        result = ind.compute(node.path, period, None)
    else:
        src = registry.source(ind.source)
        result = (src.queryset().filter(**{f"{src.path}__startswith": node.path}).order_by()
                  .aggregate(v=ind.aggregate(period))["v"])
    if result is None:
        result = 0
    return Decimal(result).quantize(Decimal("0.01")) if ind.kind == MONEY else result


def mark(reading, target: Decimal, top: int) -> Decimal:
    """``top`` × reading / target, capped at ``top``, to one decimal (the scale of the scorers' marks)."""
    if reading is None or reading <= 0:
        return Decimal("0.0")
    share = min(Decimal(reading) / target, Decimal(1))
    return (share * top).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def read_for(node, *, indicators: list[dict], year: int, today: datetime.date | None = None) -> dict:
    """``{indicator name: {"indicator", "value", "target", "mark"}}`` for the read indicators of a call.

    System read (the organizer's subtree holds every nominee's; reading outside a request's scope
    keeps it the same for every caller)."""
    period = year_period(year, today)
    out = {}
    with scopes_disabled():
        for row in indicators:
            key = row.get("indicator")
            if not key:
                continue
            reading = value(key, node, period)
            target = Decimal(row["target"])
            out[row["name"]] = {"indicator": key, "value": None if reading is None else str(reading),
                                "target": str(target), "mark": str(mark(reading, target, int(row["max"]))),
                                "as_of": period.end.isoformat()}
    return out
