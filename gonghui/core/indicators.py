"""The indicator registry: the figures each module contributes to statistics and reports.

Each app declares its figures in its own ``indicators.py`` (imported by ``stats`` at start-up with
``autodiscover_modules("indicators")``), so ``stats`` knows no app and adding a module's figures is
a one-file change. A declaration says what a figure is (names, unit, kind) and how the database
counts it:

- a ``Source`` is a scoped queryset with the lookup of its node's materialized path
  (``"node__path"``). Every indicator on one source is computed in ONE aggregate query, for a
  subtree (``path LIKE 'prefix%'``) or for all the children of a node at once
  (``GROUP BY substr(path, 1, width)``): a ranking of children costs one query per source,
  whatever the number of children;
- an ``Indicator`` on a source gives ``aggregate(period)``, a Django aggregate (usually
  ``Count("id", filter=...)``) for the period; one with a custom ``compute(prefix, period, width)``
  returns a value, or ``{path bucket: value}`` when ``width`` is given; a rate names its numerator
  and denominator indicators;
- ``records(node, period)`` is the URL of the list of records the figure counts, inside the
  viewer's scope (None when no list shows exactly those records).

``Period`` is the reporting period (year, quarter, month or a range of days); "as of" figures are
stocks at the period's end (截至), the others flows within the period (全年新增).
"""

import calendar
import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from .errors import DomainError

COUNT, MONEY, RATE = "count", "money", "rate"

# Work areas: the headings of the dashboard and of the work report, in this order.
AREAS = {
    "organization": gettext_lazy("Organization building"),
    "members": gettext_lazy("Membership"),
    "staff": pgettext_lazy("report section", "Union staff"),
    "positions": gettext_lazy("Service positions"),
    "activities": gettext_lazy("Activities and training"),
    "aid": gettext_lazy("Assistance"),
    "rights": gettext_lazy("Rights protection"),
    "registration": gettext_lazy("Legal-person registration"),
    "funds": gettext_lazy("Funds and projects"),
}


# --- periods ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date
    kind: str  # year | quarter | month | range

    @property
    def spec(self) -> str:
        """The period as the query parameter writes it (``2025``, ``2025Q3``, ``2025-07``, range)."""
        if self.kind == "year":
            return str(self.start.year)
        if self.kind == "quarter":
            return f"{self.start.year}Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        return f"{self.start.isoformat()}~{self.end.isoformat()}"

    @property
    def label(self) -> str:
        if self.kind == "year":
            return _("%(year)s") % {"year": self.start.year}
        if self.kind == "quarter":
            return _("Q%(quarter)s %(year)s") % {"quarter": (self.start.month - 1) // 3 + 1, "year": self.start.year}
        if self.kind == "month":
            return _("%(month)s/%(year)s") % {"month": self.start.month, "year": self.start.year}
        return f"{self.start.isoformat()} – {self.end.isoformat()}"

    def until(self, today: datetime.date) -> "Period":
        """The period cut at ``today``: figures of the current year are "as of today"."""
        return self if self.end <= today else Period(self.start, max(today, self.start), self.kind)

    def a_year_earlier(self) -> "Period":
        """The same span a year before: this year vs last year, this quarter vs the same quarter."""
        return Period(_minus_year(self.start), _minus_year(self.end), self.kind)

    def months(self) -> list["Period"]:
        """Calendar months of the period (each cut to the period), at most the last 24."""
        out, year, month = [], self.start.year, self.start.month
        while datetime.date(year, month, 1) <= self.end:
            first = max(datetime.date(year, month, 1), self.start)
            last = min(datetime.date(year, month, calendar.monthrange(year, month)[1]), self.end)
            out.append(Period(first, last, "month"))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return out[-24:]


def _minus_year(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})\s*-?\s*[Qq]([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_RANGE = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})\s*(?:~|\.\.|/|to)\s*(\d{4}-\d{1,2}-\d{1,2})$")


def parse_period(spec: str, *, today: datetime.date) -> Period:
    """``2025``, ``2025Q3``, ``2025-07`` or ``2025-01-01~2025-03-31``; refuses nonsense.

    A period may run on past today (the current year), but may not start after it, nor end before
    it starts. Empty means this year.
    """
    spec = (spec or "").strip()
    if not spec:
        return Period(datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31), "year")
    try:
        if m := _YEAR.match(spec):
            year = int(m.group(1))
            period = Period(datetime.date(year, 1, 1), datetime.date(year, 12, 31), "year")
        elif m := _QUARTER.match(spec):
            year, quarter = int(m.group(1)), int(m.group(2))
            first = datetime.date(year, quarter * 3 - 2, 1)
            last_month = quarter * 3
            period = Period(first, datetime.date(year, last_month, calendar.monthrange(year, last_month)[1]),
                            "quarter")
        elif m := _MONTH.match(spec):
            year, month = int(m.group(1)), int(m.group(2))
            period = Period(datetime.date(year, month, 1),
                            datetime.date(year, month, calendar.monthrange(year, month)[1]), "month")
        elif m := _RANGE.match(spec):
            start, end = (datetime.date.fromisoformat(_pad(g)) for g in m.groups())
            if end < start:
                raise DomainError("period_reversed", _("The period ends before it starts."), field="period")
            period = Period(start, end, "range")
        else:
            raise ValueError(spec)
    except ValueError:
        raise DomainError("period_invalid", _("Enter a period such as 2025, 2025Q3, 2025-07 or "
                                              "2025-01-01~2025-06-30."), field="period") from None
    if period.start.year < 1949:
        raise DomainError("period_invalid", _("The period lies before any union records."), field="period")
    if period.start > today:
        raise DomainError("period_future", _("The period lies in the future."), field="period")
    return period


def _pad(iso: str) -> str:
    year, month, day = iso.split("-")
    return f"{year}-{int(month):02d}-{int(day):02d}"


def percent(part, whole) -> Decimal | None:
    """A percentage with one decimal, or None when there is nothing to divide by."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# --- declarations -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Source:
    """A scoped queryset and the lookup of its node's path; one aggregate query per source."""

    key: str
    queryset: Callable[[], Any]
    path: str


@dataclass(frozen=True)
class Indicator:
    key: str
    name: Any                      # gettext_lazy: 中文 by default, English on request
    unit: Any                      # the measure word: pgettext_lazy("measure word", …) → 个、人、家、项、件、次、人次 …
    area: str                      # a key of AREAS
    kind: str = COUNT
    source: str = ""
    aggregate: Callable[[Period], Any] | None = None
    compute: Callable[[str, Period, int | None], Any] | None = None
    numerator: str = ""
    denominator: str = ""
    records: Callable[[Any, Period], str | None] | None = None
    records_roles: frozenset[str] | None = None  # roles that may open that list; None: any cadre
    as_of: bool = True             # a stock at the period's end; False: a flow within the period
    current_only: bool = False     # no history kept: the figure of today whatever the period
    headline: bool = False         # one of the key figures at the top of the dashboard
    order: int = 100
    # How the work report says it: a gettext_lazy with %(n)s for the figure as reports write it
    # (counts with their measure word in the phrase: "开展活动和课程%(n)s次"; money and rates
    # bring their own unit: "发放帮扶资金%(n)s" → 61.97万元). None: "name n unit".
    phrase: Any = None

    def say(self, n: str) -> str:
        """The figure in a sentence of the work report (``n`` already formatted)."""
        if self.phrase is not None:
            return str(self.phrase) % {"n": n}
        unit = "" if self.kind in (RATE, MONEY) else str(self.unit)
        return f"{self.name}{n}{unit}"

    def __post_init__(self):
        if self.area not in AREAS:
            raise ValueError(f"indicator {self.key}: unknown area {self.area!r}")
        ways = [bool(self.source and self.aggregate), bool(self.compute), bool(self.numerator and self.denominator)]
        if sum(ways) != 1:
            raise ValueError(f"indicator {self.key}: give source+aggregate, compute, or numerator+denominator")
        if (self.kind == RATE) != bool(self.numerator):
            raise ValueError(f"indicator {self.key}: a rate, and only a rate, has a numerator and denominator")


@dataclass(frozen=True)
class Breakdown:
    """A figure split by a field's values (unions by type, members by employment form)."""

    key: str
    name: Any
    area: str
    source: str
    field: str
    labels: Callable[[], dict]
    filter: Callable[[Period], Any]
    records: Callable[[Any, Period, str], str | None] | None = None
    records_roles: frozenset[str] | None = None
    order: int = 100


@dataclass
class Registry:
    sources: dict[str, Source] = field(default_factory=dict)
    indicators: dict[str, Indicator] = field(default_factory=dict)
    breakdowns: dict[str, Breakdown] = field(default_factory=dict)


_registry = Registry()


def register(*items: Source | Indicator | Breakdown) -> None:
    """Declare sources, indicators and breakdowns; a key may be declared once."""
    for item in items:
        table = {Source: _registry.sources, Indicator: _registry.indicators,
                 Breakdown: _registry.breakdowns}[type(item)]
        if item.key in table and table[item.key] != item:
            raise ValueError(f"{type(item).__name__} {item.key!r} is declared twice")
        table[item.key] = item


def source(key: str) -> Source:
    return _registry.sources[key]


def get(key: str) -> Indicator:
    return _registry.indicators[key]


def all_indicators() -> list[Indicator]:
    area_order = list(AREAS)
    return sorted(_registry.indicators.values(), key=lambda i: (area_order.index(i.area), i.order, i.key))


def all_breakdowns() -> list[Breakdown]:
    return sorted(_registry.breakdowns.values(), key=lambda b: (b.order, b.key))
