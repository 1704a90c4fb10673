"""Amounts of money as people and programs send them: exact yuan, at most two decimals, never floats.

One rule for every module and every door (console forms, worker pages, API, imports, demo):
``parse_amount`` turns the text or integer into a ``Decimal`` quantized to the fen, or raises
``AmountError`` — a Django ``ValidationError`` keyed by the field, with a message in the user's
language and a stable ``code`` for callers that speak ``DomainError`` (the funds module).

Accepted: "1200", "1,200.50", "１２００.５" (full width), "¥300元", an int, a Decimal.
Refused, with the code in brackets:

- nothing at all, when an amount is required (``amount_missing``);
- a float (``amount_float``): a JSON number with a fraction has already been turned into a binary
  fraction before we see it (0.1 + 0.2 arrives as 0.30000000000000004, and 17+ significant digits
  are silently rounded), so the exact amount the sender meant is lost — send a string or a whole
  number of yuan instead; a bool is no amount either (``amount_invalid``);
- text that is no number, NaN, ±Infinity, over-long input (``amount_invalid``);
- a negative amount, and zero unless ``allow_zero`` (``amount_not_positive``);
- more than two decimal places, judged by value: "1.001" is refused, "1.000" is 1.00
  (``amount_precision``);
- more than ``maximum`` — by default what a ``DecimalField(max_digits=12, decimal_places=2)``
  holds, so 1e309 is refused here and never reaches the database (``amount_too_large``).

This module imports no app (import-linter's core contract).
"""

import unicodedata
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

__all__ = ["CENT", "MAX_AMOUNT", "AmountError", "exact_or_refused", "parse_amount", "max_for_digits"]

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("9999999999.99")  # DecimalField(max_digits=12, decimal_places=2)
MAX_TEXT = 40  # longer input is no amount anyone typed
_STRIP = str.maketrans("", "", ",¥元 \t\u00a0\u3000")


def max_for_digits(max_digits: int, decimal_places: int = 2) -> Decimal:
    """The largest amount a DecimalField(max_digits, decimal_places) holds: 12 -> 9999999999.99."""
    return Decimal(10) ** (max_digits - decimal_places) - Decimal(10) ** -decimal_places


class AmountError(ValidationError):
    """A refused amount: a ValidationError ``{field: [message]}`` that also carries ``code``,
    ``field`` and ``text`` (the message), for callers that raise their own error type."""

    def __init__(self, code: str, text: str, *, field: str):
        super().__init__({field: [ValidationError(text, code=code)]})
        self.code, self.field, self.text = code, field, text


def exact_or_refused(value, *, field: str = "amount"):
    """``value`` unchanged unless it is a float (a JSON number with a fraction), which is refused
    with ``amount_float``: for an API's door when the service applies ``parse_amount`` itself."""
    if isinstance(value, float):
        raise AmountError("amount_float", _(
            "Send the amount as text such as \"1200.50\" or as a whole number of yuan: a number with a "
            "fraction is not exact once it is sent."), field=field)
    return value


def parse_amount(value, *, field: str = "amount", allow_zero: bool = False, maximum: Decimal = MAX_AMOUNT,
                 required: bool = True) -> Decimal | None:
    """The amount in yuan as a Decimal with two places, or ``AmountError`` on ``field``.

    With ``required=False`` an empty value gives None instead of an error."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if not required:
            return None
        raise AmountError("amount_missing", _("Enter an amount."), field=field)
    not_a_number = _("Enter the amount as a number of yuan, e.g. 1200 or 1200.50.")
    if isinstance(value, bool):
        raise AmountError("amount_invalid", not_a_number, field=field)
    exact_or_refused(value, field=field)
    try:
        if isinstance(value, Decimal | int):
            amount = Decimal(value)
        else:
            text = unicodedata.normalize("NFKC", str(value)).translate(_STRIP)
            if len(text) > MAX_TEXT:
                raise ValueError(text)
            amount = Decimal(text)
    except (InvalidOperation, ValueError):
        raise AmountError("amount_invalid", not_a_number, field=field) from None
    if not amount.is_finite():
        raise AmountError("amount_invalid", not_a_number, field=field)
    if amount < 0 or (amount == 0 and not allow_zero):
        message = _("The amount cannot be negative.") if allow_zero else _("The amount must be greater than zero.")
        raise AmountError("amount_not_positive", message, field=field)
    if amount > maximum:  # before any quantize: 1e309 has no place in a 28-digit context
        raise AmountError("amount_too_large", _("The amount is too large (at most %(max)s yuan).")
                          % {"max": f"{maximum:,.2f}"}, field=field)
    if amount.as_tuple().exponent < -2 and amount != amount.quantize(CENT):
        raise AmountError("amount_precision", _("Amounts have at most two decimal places (fen)."), field=field)
    return amount.quantize(CENT)


# --- showing amounts -------------------------------------------------------------------------------
# One format on every page, export and message (the template filter ``{% load core_money %}
# {{ amount|yuan }}`` is this function): thousands separators and two decimals whatever the locale,
# the ¥ sign on pages, and "—" for no amount (never an empty cell that reads as zero).

NO_AMOUNT = "—"


def yuan(amount, *, sign: bool = False) -> str:
    """12345.6 → "12,345.60" (``sign``: "¥12,345.60"); a negative → "-12,345.60"; None or "" → "—"."""
    if amount is None or amount == "":
        return NO_AMOUNT
    try:
        value = amount if isinstance(amount, Decimal) else Decimal(str(amount))
    except (InvalidOperation, ValueError):
        return NO_AMOUNT
    if not value.is_finite():
        return NO_AMOUNT
    text = f"{abs(value):,.2f}"
    return ("-" if value < 0 else "") + ("¥" if sign else "") + text
