"""Numbers typed on the contests' pages or sent to their API (weights, score ranges, scores)."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_SCORE = Decimal("1000")


def decimal_of(value, field: str, *, low: Decimal = Decimal(0), high: Decimal = MAX_SCORE) -> Decimal:
    """A number typed or sent as a string or integer; a float or anything over two decimals is refused."""
    if isinstance(value, float) or isinstance(value, bool):
        raise ValidationError({field: [_("Send numbers as strings or integers, not as floating point.")]})
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({field: [_("Enter a number.")]}) from None
    if not number.is_finite():
        raise ValidationError({field: [_("Enter a number.")]})
    if not low <= number <= high:
        raise ValidationError({field: [_("Enter a number from %(low)s to %(high)s.") % {"low": low, "high": high}]})
    if number != number.quantize(Decimal("0.01")):
        raise ValidationError({field: [_("Enter a number with at most two decimals.")]})
    return number
