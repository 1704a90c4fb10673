"""Amounts of money as typed by people: exact decimals in yuan, two places at most, never floats."""

from decimal import Decimal

from gonghui.core import money as core_money
from gonghui.core.errors import DomainError
from gonghui.core.money import yuan  # noqa: F401 - the one format of amounts, re-exported for funds

# DecimalField(max_digits=14, decimal_places=2): up to 999,999,999,999.99 yuan.
LIMIT = Decimal("1000000000000")
CENT = core_money.CENT


def parse_amount(value, *, field: str = "amount", allow_zero: bool = False) -> Decimal:
    """The amount as a Decimal, or a DomainError saying what is wrong with it.

    The rule is ``gonghui.core.money.parse_amount`` (shared with aid and rights): refused are empty,
    not a number, NaN or infinity, negative (or zero unless allowed), more than two decimal places,
    a float (it cannot carry an exact amount) and amounts beyond a trillion yuan. Its error is turned
    into funds' DomainError with the same code (amount_missing, amount_invalid, amount_float,
    amount_not_positive, amount_precision, amount_too_large).
    """
    try:
        return core_money.parse_amount(value, field=field, allow_zero=allow_zero,
                                       maximum=core_money.max_for_digits(14))
    except core_money.AmountError as exc:
        raise DomainError(exc.code, exc.text, field=exc.field) from None
