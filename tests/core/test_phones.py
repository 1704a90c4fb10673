"""Mainland mobile numbers as people type them."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from gonghui.core.phones import normalize_mobile


@pytest.mark.parametrize("typed", [
    "13800138000",
    "138 0013 8000",
    "138-0013-8000",
    "+86 13800138000",
    "+86-138-0013-8000",
    "+8613800138000",
    "0086 13800138000",
    "008613800138000",
    "(+86) 138 0013 8000",
    "１３８００１３８０００",          # full-width digits
    " 13800138000\t",
])
def test_typed_forms_of_one_number_all_normalize_to_eleven_digits(typed):
    assert normalize_mobile(typed) == "13800138000"


@pytest.mark.parametrize("typed", [
    "12012345678",        # 12x is not a mobile prefix
    "11012345678",
    "10086",
    "010-12345678",       # Beijing landline
    "0571-87654321",      # Hangzhou landline
    "057187654321",
    "1380013800",         # ten digits
    "138001380001",       # twelve digits
    "+85213800138000",    # not +86
    "86 13800138000",     # country code without + or 00
    "13٨00138000",        # Arabic-Indic digit
    "138001380OO",
    "",
])
def test_other_numbers_are_refused_with_the_chinese_message(typed):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as info:
        normalize_mobile(typed)
    assert info.value.code == "phone"
    with translation.override("zh-hans"):
        assert info.value.messages == ["请输入以13-19开头的11位大陆手机号码。"]


@given(st.sampled_from("3456789"), st.text("0123456789", min_size=9, max_size=9),
       st.sampled_from(["", "+86", "0086", "+86 "]), st.sampled_from(["", " ", "-"]))
def test_any_mobile_survives_formatting(second, rest, prefix, sep):
    number = "1" + second + rest
    typed = prefix + number[:3] + sep + number[3:7] + sep + number[7:]
    assert normalize_mobile(typed) == number
