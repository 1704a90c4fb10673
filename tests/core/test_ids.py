"""Resident ID numbers (GB 11643) and unified social credit codes (GB 32100)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import example, given
from hypothesis import strategies as st

from gonghui.core.ids import (
    ID_CHECK,
    USCC_ALPHABET,
    USCC_AUTHORITIES,
    normalize_credit_code,
    normalize_resident_id,
    parse_resident_id,
    resident_id_check_char,
    uscc_check_char,
)
from tests.factories import credit_code, resident_id

TODAY = datetime.date(2025, 6, 1)
DIGITS = "0123456789"


def _error(func, value, **kwargs) -> ValidationError:
    with translation.override("zh-hans"), pytest.raises(ValidationError) as info:
        func(value, **kwargs)
    return info.value


def _zh(exc: ValidationError) -> str:
    with translation.override("zh-hans"):
        return " ".join(exc.messages)


# --- strategies --------------------------------------------------------------------------------

@st.composite
def resident_ids(draw) -> str:
    area = draw(st.sampled_from(["110105", "330521", "440305", "510107", "650102", "820000"]))
    birth = draw(st.dates(min_value=datetime.date(1900, 1, 1), max_value=TODAY))
    seq = draw(st.text(DIGITS, min_size=3, max_size=3))
    first17 = f"{area}{birth:%Y%m%d}{seq}"
    return first17 + resident_id_check_char(first17)


@st.composite
def credit_codes(draw) -> str:
    authority = draw(st.sampled_from(sorted(USCC_AUTHORITIES)))
    kind = draw(st.sampled_from(USCC_ALPHABET))
    area = draw(st.text(DIGITS, min_size=6, max_size=6))
    body = draw(st.text(USCC_ALPHABET, min_size=9, max_size=9))
    first17 = authority + kind + area + body
    return first17 + uscc_check_char(first17)


# --- resident ID -------------------------------------------------------------------------------

@given(resident_ids())
def test_any_well_formed_resident_id_is_accepted_unchanged(number):
    parsed = parse_resident_id(number, today=TODAY)
    assert parsed.number == number
    assert parsed.birth_date == datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    assert parsed.gender == ("M" if int(number[16]) % 2 else "F")


@given(resident_ids(), st.integers(0, 16), st.sampled_from(DIGITS))
def test_any_single_digit_change_is_caught_by_the_check_character(number, position, digit):
    changed = number[:position] + digit + number[position + 1:]
    if changed == number:
        return
    assert resident_id_check_char(changed[:17]) != changed[17]
    with pytest.raises(ValidationError):
        parse_resident_id(changed, today=TODAY)


@given(resident_ids(), st.sampled_from(ID_CHECK))
def test_a_wrong_check_character_is_refused_with_the_checksum_message(number, check):
    if check == number[17]:
        return
    exc = _error(parse_resident_id, number[:17] + check, today=TODAY)
    assert exc.code == "id_checksum"
    assert _zh(exc) == "身份证号码校验位错误，请核对。"


@given(resident_ids(), st.integers(0, 16))
def test_any_transposition_of_adjacent_distinct_characters_is_caught(number, position):
    a, b = number[position], number[position + 1]
    if a == b:
        return
    swapped = number[:position] + b + a + number[position + 2:]
    if swapped[:17].isdigit():
        assert resident_id_check_char(swapped[:17]) != swapped[17]
    with pytest.raises(ValidationError):
        parse_resident_id(swapped, today=TODAY)


@given(resident_ids())
def test_lower_case_x_spaces_dashes_and_full_width_digits_are_normalized(number):
    spaced = f" {number[:6]} {number[6:14]}-{number[14:].lower()} "
    assert normalize_resident_id(spaced) == number
    full_width = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in number)
    assert normalize_resident_id(full_width) == number


def test_known_numbers_in_the_standard_format():
    parsed = parse_resident_id("11010519491231002X", today=TODAY)  # the example printed in GB 11643
    assert parsed.birth_date == datetime.date(1949, 12, 31)
    assert parsed.gender == "F"
    assert parsed.area_code == "110105" and parsed.area_known
    assert normalize_resident_id("11010519491231002x") == "11010519491231002X"
    assert normalize_resident_id(resident_id("19900101", 123)) == resident_id("19900101", 123)


def test_an_unknown_province_is_accepted_but_flagged():
    number = resident_id(area="990101")
    parsed = parse_resident_id(number, today=TODAY)
    assert not parsed.area_known


@pytest.mark.parametrize("value, code, chinese", [
    ("1101051949123100", "id_length", "居民身份证号码应为18位。"),
    ("11010519491231002X1", "id_length", "居民身份证号码应为18位。"),
    ("", "id_length", "居民身份证号码应为18位。"),
    ("11010519491231002A", "id_chars", "居民身份证号码应为17位数字加1位数字或X。"),
    ("1101051949123100X2", "id_chars", "居民身份证号码应为17位数字加1位数字或X。"),
    # Arabic-Indic digits pass str.isdigit() and NFKC keeps them: they must not pass as an ID.
    ("١١٠١٠٥١٩٤٩١٢٣١٠٠٢X", "id_chars", "居民身份证号码应为17位数字加1位数字或X。"),
    ("110105" "19490230" "0021", "id_date", "身份证号码中的出生日期不存在。"),
    ("110105" "19491331" "0021", "id_date", "身份证号码中的出生日期不存在。"),
    ("440524188001010014", "id_date", "身份证号码中的出生日期不合理。"),  # born 1880: GB 11643's own example
    (resident_id("20300101"), "id_date", "身份证号码中的出生日期不合理。"),
    ("110105194912310021", "id_checksum", "身份证号码校验位错误，请核对。"),
])
def test_each_malformed_resident_id_gets_its_own_chinese_message(value, code, chinese):
    exc = _error(parse_resident_id, value, today=TODAY)
    assert exc.code == code
    assert _zh(exc) == chinese


# --- unified social credit code ----------------------------------------------------------------

@given(credit_codes())
def test_any_well_formed_credit_code_is_accepted_unchanged(code):
    assert normalize_credit_code(code) == code


@given(credit_codes(), st.integers(0, 17), st.sampled_from(USCC_ALPHABET))
def test_any_single_character_change_of_a_credit_code_is_caught(code, position, char):
    changed = code[:position] + char + code[position + 1:]
    if changed == code:
        return
    assert uscc_check_char(changed[:17]) != changed[17]
    with pytest.raises(ValidationError):
        normalize_credit_code(changed)


@given(credit_codes(), st.integers(0, 16))
@example("91350100M000100Y43", 8)
def test_any_transposition_of_adjacent_distinct_characters_of_a_credit_code_is_caught(code, position):
    a, b = code[position], code[position + 1]
    if a == b:
        return
    swapped = code[:position] + b + a + code[position + 2:]
    assert uscc_check_char(swapped[:17]) != swapped[17]
    with pytest.raises(ValidationError):
        normalize_credit_code(swapped)


@given(credit_codes())
def test_credit_codes_typed_in_lower_case_with_spaces_or_full_width_are_normalized(code):
    assert normalize_credit_code(f" {code[:8].lower()} {code[8:].lower()}\t") == code
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in code)
    assert normalize_credit_code(full_width) == code


@pytest.mark.parametrize("code", [
    "91350100M000100Y43",   # the example printed in GB 32100
    "914403001922038216",   # a Shenzhen enterprise
    "9144030071526726XG",   # a Shenzhen enterprise whose code has an X inside
    "91110000100006485K",   # a Beijing enterprise
])
def test_real_credit_codes_are_accepted(code):
    assert normalize_credit_code(code) == code


def test_trade_union_and_other_authorities_are_accepted():
    for authority in ("8", "A", "N", "Y"):  # 8 = trade unions register their own legal persons
        code = credit_code(authority=authority)
        assert normalize_credit_code(code) == code


@pytest.mark.parametrize("value, code, chinese", [
    ("91350100M000100Y4", "uscc_length", "统一社会信用代码应为18位。"),
    ("91350100M000100Y433", "uscc_length", "统一社会信用代码应为18位。"),
    ("91350100M000100I43", "uscc_chars", "统一社会信用代码不能包含 I。"),
    ("91350100M0001OOS43", "uscc_chars", "统一社会信用代码不能包含 OS。"),
    ("91350100M000100中43", "uscc_chars", "统一社会信用代码不能包含 中。"),
    ("B1350100M000100Y43", "uscc_authority", "信用代码第1位不是有效的登记管理部门代码。"),
    ("9135A100M000100Y43", "uscc_area", "信用代码第3至8位应为行政区划代码。"),
    ("91350100M000100Y44", "uscc_checksum", "信用代码校验位错误，请核对。"),
])
def test_each_malformed_credit_code_gets_its_own_chinese_message(value, code, chinese):
    exc = _error(normalize_credit_code, value)
    assert exc.code == code
    assert _zh(exc) == chinese


def test_factory_credit_codes_are_valid_and_distinct():
    codes = {credit_code(n) for n in range(1, 200)}
    assert len(codes) == 199
    assert all(normalize_credit_code(c) == c for c in codes)
