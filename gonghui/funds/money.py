"""Amounts of money as typed by people: exact decimals in yuan, two places at most, never floats."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from gonghui.core.errors import DomainError

# DecimalField(max_digits=14, decimal_places=2): up to 999,999,999,999.99 yuan.
LIMIT = Decimal("1000000000000")
CENT = Decimal("0.01")


def parse_amount(value, *, field: str = "amount", allow_zero: bool = False) -> Decimal:
    """The amount as a Decimal, or a DomainError saying what is wrong with it.

    Refused: empty, not a number, NaN or infinity, negative (or zero unless allowed), more than
    two decimal places (fen is the smallest unit; 0.001 yuan is a typing error, not rounding),
    and amounts beyond a trillion yuan. A float is refused too: it cannot carry an exact amount.
    """
    if isinstance(value, float):
        raise DomainError("amount_float", _("Give the amount as a decimal number."), field=field)
    text = str(value if value is not None else "").strip().replace(",", "").replace("，", "")
    if not text:
        raise DomainError("amount_missing", _("Enter an amount."), field=field)
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise DomainError("amount_invalid", _("“%(value)s” is not an amount of money.") % {"value": text[:20]},
                          field=field) from None
    if not amount.is_finite():
        raise DomainError("amount_invalid", _("“%(value)s” is not an amount of money.") % {"value": text[:20]},
                          field=field)
    if amount < 0 or (amount == 0 and not allow_zero):
        raise DomainError("amount_not_positive", _("The amount must be greater than zero."), field=field)
    if amount != amount.quantize(CENT):
        raise DomainError("amount_precision", _("Amounts have at most two decimal places (fen)."), field=field)
    if amount >= LIMIT:
        raise DomainError("amount_too_large", _("The amount is too large."), field=field)
    return amount.quantize(CENT)


def yuan(amount: Decimal | None) -> str:
    """12345.6 -> "12,345.60" for pages and messages."""
    if amount is None:
        return "—"
    return f"{amount:,.2f}"
