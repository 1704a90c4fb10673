"""Results from the judges' submitted sheets: pure arithmetic, no database.

- An item's score is the mean of the judges' scores; where the contest's rules say so and at least
  three judges scored it, the highest and the lowest are dropped first (one of each).
- A part (theory, practical) is scored in percent of its items' highest scores, and the total is
  the parts weighted by the contest's weights (which add up to 100): a total out of 100.
- Ranking: by total, then by the practical part (a skills contest's usual tie-break); entries equal
  on both share a rank and the next rank is skipped (1, 2, 2, 4).
All in Decimal; totals are rounded half up to two places only at the end.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

TWO = Decimal("0.01")
HUNDRED = Decimal(100)


def item_score(values: Iterable[Decimal], *, drop_extremes: bool) -> Decimal | None:
    values = sorted(Decimal(v) for v in values)
    if not values:
        return None
    if drop_extremes and len(values) >= 3:
        values = values[1:-1]
    return sum(values, Decimal(0)) / len(values)


@dataclass
class Result:
    entry_id: int
    theory: Decimal
    practical: Decimal
    total: Decimal
    rank: int = 0
    complete: bool = True
    extra: dict = field(default_factory=dict)


def part_percent(items, scores: dict, part: str, *, drop_extremes: bool) -> tuple[Decimal, bool]:
    """(percent of the part's highest, whether every item of the part had a score)."""
    got, best, complete = Decimal(0), Decimal(0), True
    for item in items:
        if item.part != part:
            continue
        best += item.max_score - item.min_score
        value = item_score(scores.get(item.pk, []), drop_extremes=drop_extremes)
        if value is None:
            complete = False
            continue
        got += value - item.min_score
    if not best:
        return Decimal(0), complete
    return got * HUNDRED / best, complete


def result_of(entry_id: int, items, scores: dict, *, theory_weight: Decimal, practical_weight: Decimal,
              drop_extremes: bool) -> Result:
    """``scores``: item id → the submitted judges' values for this entry."""
    theory, ok_t = part_percent(items, scores, "theory", drop_extremes=drop_extremes)
    practical, ok_p = part_percent(items, scores, "practical", drop_extremes=drop_extremes)
    total = (theory * theory_weight + practical * practical_weight) / HUNDRED
    return Result(entry_id=entry_id, theory=theory.quantize(TWO, ROUND_HALF_UP),
                  practical=practical.quantize(TWO, ROUND_HALF_UP), total=total.quantize(TWO, ROUND_HALF_UP),
                  complete=ok_t and ok_p)


def rank(results: list[Result]) -> list[Result]:
    """Competition ranking (1, 2, 2, 4) by total, then practical; incomplete results are left out."""
    ranked = sorted((r for r in results if r.complete), key=lambda r: (-r.total, -r.practical, r.entry_id))
    previous = None
    for position, result in enumerate(ranked, start=1):
        key = (result.total, result.practical)
        result.rank = previous[1] if previous and previous[0] == key else position
        previous = (key, result.rank)
    return ranked


def tier_for(rank_: int, *, first: int, second: int, third: int) -> str | None:
    """The award for a rank: entries sharing a rank share the award (a tie at the edge widens it)."""
    if rank_ <= first:
        return "first"
    if rank_ <= first + second:
        return "second"
    if rank_ <= first + second + third:
        return "third"
    return None
