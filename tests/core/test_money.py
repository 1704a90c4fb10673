"""One rule for amounts of money (gonghui/core/money.py), used by aid, funds and rights."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from gonghui.core.money import MAX_AMOUNT, AmountError, max_for_digits, parse_amount


@pytest.mark.parametrize("value, expected", [
    ("1200", Decimal("1200.00")), ("1,200.5", Decimal("1200.50")), ("１２００.５", Decimal("1200.50")),
    ("¥300元", Decimal("300.00")), ("￥300", Decimal("300.00")), (" 42 ", Decimal("42.00")), (4200, Decimal("4200.00")),
    (Decimal("0.10"), Decimal("0.10")), ("1.000", Decimal("1.00")), ("1 200", Decimal("1200.00")),
    ("3，800元", Decimal("3800.00")), ("9999999999.99", MAX_AMOUNT),
])
def test_amounts_people_type_are_read_exactly(value, expected):
    amount = parse_amount(value)
    assert amount == expected and isinstance(amount, Decimal) and amount.as_tuple().exponent == -2


@pytest.mark.parametrize("value, code", [
    ("", "amount_missing"), (None, "amount_missing"), ("   ", "amount_missing"),
    ("-5", "amount_not_positive"), ("0", "amount_not_positive"), ("-0.00", "amount_not_positive"),
    (-1, "amount_not_positive"),
    ("NaN", "amount_invalid"), ("nan", "amount_invalid"), ("sNaN", "amount_invalid"), ("Infinity", "amount_invalid"),
    ("-inf", "amount_invalid"), ("abc", "amount_invalid"), ("十万", "amount_invalid"), ("1e3x", "amount_invalid"),
    (True, "amount_invalid"), (Decimal("NaN"), "amount_invalid"), ("1" * 41, "amount_invalid"),
    ("1e309", "amount_too_large"), ("1e400", "amount_too_large"), (10 ** 400, "amount_too_large"),
    ("10000000000", "amount_too_large"),
    ("0.001", "amount_precision"), ("12.345", "amount_precision"), ("99.999", "amount_precision"),
    (0.1, "amount_float"), (0.1 + 0.2, "amount_float"), (12.0, "amount_float"), (float("nan"), "amount_float"),
    (float("inf"), "amount_float"),
])
def test_bad_amounts_are_refused_with_a_code_and_the_field(value, code):
    with pytest.raises(AmountError) as err:
        parse_amount(value, field="fee")
    assert err.value.code == code and err.value.field == "fee"
    assert isinstance(err.value, ValidationError) and list(err.value.message_dict) == ["fee"]
    assert err.value.message_dict["fee"] == [err.value.text]


def test_zero_is_accepted_only_when_asked_and_negative_then_says_so():
    assert parse_amount("0", allow_zero=True) == Decimal("0.00")
    with translation.override("zh-hans"), pytest.raises(AmountError) as err:
        parse_amount("-1", allow_zero=True)
    assert err.value.text == "金额不能为负数。"


def test_optional_amounts_may_be_empty():
    assert parse_amount("", required=False) is None and parse_amount(None, required=False) is None


def test_a_lower_maximum_is_reported_with_the_maximum():
    with translation.override("zh-hans"), pytest.raises(AmountError) as err:
        parse_amount("100000000", maximum=max_for_digits(10))
    assert "99,999,999.99" in err.value.text and err.value.code == "amount_too_large"
    assert max_for_digits(12) == MAX_AMOUNT and max_for_digits(14) == Decimal("999999999999.99")


def test_messages_are_in_chinese():
    with translation.override("zh-hans"):
        for value in ("abc", "-1", "0.001", "", 0.5, "1e309"):
            with pytest.raises(AmountError) as err:
                parse_amount(value)
            assert any("\u4e00" <= ch <= "\u9fff" for ch in err.value.text), err.value.text


def test_sums_stay_exact():
    assert parse_amount("0.10") + parse_amount("0.20") == parse_amount("0.30")
