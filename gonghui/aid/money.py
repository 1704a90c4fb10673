"""Amounts of money: exact decimals in yuan with at most two places, refused when not a real amount.

Every door (console form, worker page, API, demo) goes through ``parse_amount``: a negative, zero,
NaN, infinite, absurdly large (1e309) or over-precise (0.001) amount is refused with a message in
the user's language, never rounded or turned into a float.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("9999999999.99")  # fits DecimalField(max_digits=12, decimal_places=2)


def parse_amount(value, *, field: str = "amount", allow_zero: bool = False, maximum: Decimal = MAX_AMOUNT) -> Decimal:
    """A positive amount in yuan (Decimal, two places at most) or ValidationError on ``field``."""
    if isinstance(value, float):
        value = repr(value)  # JSON numbers arrive as floats; their shortest text is what was sent
    text = str(value if value is not None else "").strip().replace(",", "").replace("，", "").replace("¥", "")
    text = text.replace("元", "").strip()
    if not text:
        raise ValidationError({field: [_("Enter an amount.")]})
    try:
        amount = Decimal(text)
    except (InvalidOperation, ValueError):
        raise ValidationError({field: [_("Enter the amount as a number of yuan, e.g. 1200 or 1200.50.")]}) from None
    if not amount.is_finite():
        raise ValidationError({field: [_("Enter the amount as a number of yuan, e.g. 1200 or 1200.50.")]})
    if amount < 0 or (amount == 0 and not allow_zero):
        raise ValidationError({field: [_("The amount must be greater than zero.")]})
    if amount > maximum:
        raise ValidationError({field: [_("The amount is too large (at most %(max)s yuan).") % {"max": maximum}]})
    if amount != amount.quantize(CENT, rounding=ROUND_HALF_UP):
        raise ValidationError({field: [_("Amounts have at most two decimal places (fen).")]})
    return amount.quantize(CENT)


def yuan(value: Decimal | None) -> str:
    """1234567.5 -> '1,234,567.50' for pages and exports."""
    if value is None:
        return ""
    return f"{value:,.2f}"
