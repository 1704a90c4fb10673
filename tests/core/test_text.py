"""Names typed by people: normalized, refused when they carry markup or invisible characters."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from gonghui.core.text import clean_name, clean_person_name


def _refused(func, value, **kwargs) -> tuple[str, str]:
    with translation.override("zh-hans"), pytest.raises(ValidationError) as info:
        func(value, **kwargs)
    with translation.override("zh-hans"):
        return info.value.code, " ".join(info.value.messages)


@pytest.mark.parametrize("typed, stored", [
    ("  青山精密机械有限公司  ", "青山精密机械有限公司"),
    ("\u3000城关镇总工会\u3000", "城关镇总工会"),                  # ideographic spaces around
    ("城关镇总工会\r\n", "城关镇总工会"),                          # pasted from a spreadsheet cell
    ("ＡＢＣ科技有限公司", "ABC科技有限公司"),                      # full-width letters
    ("青山第１２３中学工会", "青山第123中学工会"),                   # full-width digits
    ("ｓｈｅｎｚｈｅｎ　Ｘｉｎｇ", "shenzhen Xing"),
    ("华为技术有限公司（深圳）", "华为技术有限公司（深圳）"),         # full-width brackets stay
    ("Green   Valley  Co.", "Green Valley Co."),                 # runs of spaces become one
    ("张\u00a0三\u2003丰", "张 三 丰"),                             # no-break and em spaces
    ("阿卜杜\u30fb热合曼", "阿卜杜·热合曼"),                        # one kind of middle dot
    ("阿卜杜\u2022热合曼", "阿卜杜·热合曼"),
    ("e\u0301cole", "\u00e9cole"),                                 # NFC
])
def test_names_are_normalized(typed, stored):
    assert clean_name(typed) == stored


def test_full_width_and_half_width_spellings_give_the_same_name():
    assert clean_name("ＸＹＺ物流（青山）有限公司") == clean_name("XYZ物流（青山）有限公司")


@pytest.mark.parametrize("value", [
    "青山\u200b机械",      # zero-width space
    "青山\u200d机械",      # zero-width joiner
    "青山\ufeff机械",      # BOM
    "\u202e司公限有",       # right-to-left override disguising the text
    "青山\u2066机械\u2069",  # bidi isolates
    "青山\x00机械",
    "青山\x07机械",
    "青山\t机械",
    "青山\n机械",
    "青山\u2028机械",      # line separator
    "青山\u00ad机械",      # soft hyphen
    "青山\u3164机械",      # Hangul filler: a "letter" that shows nothing
    "青山\ue000机械",      # private use
])
def test_invisible_and_control_characters_are_refused(value):
    code, message = _refused(clean_name, value)
    assert code == "name_control"
    assert message == "名称包含不可见字符或控制字符。"


@pytest.mark.parametrize("value", [
    "<script>alert(1)</script>",
    "青山<b>机械</b>",
    "青山机械>",
    "&#60;script&#62;",
    "JavaScript:alert(1)",
])
def test_markup_is_refused(value):
    code, message = _refused(clean_name, value)
    assert code == "name_markup"
    assert message == "名称不能包含 < 或 > 等标记符号。"


@pytest.mark.parametrize("value", ["", "   ", "\u3000\u3000", "\u00a0"])
def test_empty_names_are_refused(value):
    assert _refused(clean_name, value) == ("name_empty", "名称不能为空。")


def test_length_limit_counts_characters_after_trimming():
    assert clean_name("工" * 100) == "工" * 100
    assert clean_name("  " + "工" * 100 + "  ") == "工" * 100
    assert _refused(clean_name, "工" * 101) == ("name_long", "名称不能超过 100 个字符。")
    assert clean_name("工" * 40, max_length=40) == "工" * 40
    assert _refused(clean_name, "工" * 41, max_length=40) == ("name_long", "名称不能超过 40 个字符。")


@pytest.mark.parametrize("value", ["张三1", "李四２", "王五 3号", "٣赵六"])
def test_person_names_cannot_contain_digits(value):
    assert _refused(clean_person_name, value) == ("name_digits", "姓名不能包含数字。")


@pytest.mark.parametrize("value", ["张三", "王五", "欧阳娜娜", "阿卜杜·热合曼", "李一二"])
def test_person_names_with_chinese_numerals_are_fine(value):
    assert clean_person_name(value) == value


def test_person_names_are_limited_to_fifty_characters():
    assert _refused(clean_person_name, "张" * 51) == ("name_long", "名称不能超过 50 个字符。")


@given(st.text(st.characters(categories=["Lo", "Lu", "Ll", "Nd", "Zs", "Po", "Pd"]), max_size=120))
def test_clean_name_either_refuses_or_returns_a_clean_stable_name(value):
    try:
        cleaned = clean_name(value)
    except ValidationError:
        return
    assert cleaned == cleaned.strip() and cleaned
    assert len(cleaned) <= 100
    assert "<" not in cleaned and ">" not in cleaned
    assert clean_name(cleaned) == cleaned  # idempotent


def test_a_line_over_its_fields_limit_is_refused_naming_the_field_and_its_limit():
    from gonghui.core.text import clean_line
    from gonghui.members.models import Transfer

    limit = Transfer._meta.get_field("reason").max_length
    with translation.override("zh-hans"), pytest.raises(ValidationError) as info:
        clean_line("调" * (limit + 1), Transfer, "reason")
    with translation.override("zh-hans"):
        assert info.value.code == "too_long"
        assert " ".join(info.value.messages) == f"原因不能超过 {limit} 个字（现有 {limit + 1} 个字）。"
    assert clean_line("  调动　原因 ", Transfer, "reason") == "调动 原因"
    assert clean_line("调" * limit, Transfer, "reason") == "调" * limit
