"""Masks keep only the characters meant to be shown: never a birth date, never most of a number."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gonghui.core.masking import mask_name, mask_phone, mask_resident_id
from tests.factories import resident_id


def test_resident_id_keeps_the_area_code_and_last_four_only():
    number = resident_id("19900101", 123, area="330521")
    masked = mask_resident_id(number)
    assert masked == "330521********" + number[-4:]
    assert "19900101" not in masked


def test_lower_case_x_id_and_first_generation_ids_are_masked_the_same_way():
    assert mask_resident_id("11010519491231002X") == "110105********002X"
    assert mask_resident_id("110105491231002") == "110105*****1002"


@pytest.mark.parametrize("value", ["1", "1234", "1234567890", "12345678901", "11010519491231"])
def test_ids_of_unexpected_length_are_masked_whole(value):
    # 6 + 4 shown characters of an 11-character value would leave almost nothing hidden.
    assert mask_resident_id(value) == "*" * len(value)


@pytest.mark.parametrize("value", [None, ""])
def test_missing_values_mask_to_empty(value):
    assert mask_resident_id(value) == ""
    assert mask_phone(value) == ""
    assert mask_name(value) == ""


def test_mobile_keeps_the_first_three_and_last_four():
    assert mask_phone("13812345678") == "138****5678"


@pytest.mark.parametrize("value, masked", [
    ("1234567", "*******"),
    ("12345678", "****5678"),      # an 8-digit landline shows no more than half
    ("0571123456", "******3456"),
    ("057112345678", "057*****5678"),
])
def test_shorter_phone_numbers_never_show_more_than_half(value, masked):
    assert mask_phone(value) == masked


@given(st.text("0123456789X", min_size=1, max_size=30))
def test_masks_show_at_most_half_and_keep_the_length(value):
    for mask in (mask_resident_id, mask_phone):
        masked = mask(value)
        assert len(masked) == len(value)
        shown = sum(1 for a, b in zip(value, masked, strict=True) if b != "*")
        assert shown <= len(value) // 2 + 3  # 138****5678 shows 7 of 11
        assert all(b in ("*", a) for a, b in zip(value, masked, strict=True))


@given(st.text("0123456789", min_size=18, max_size=18))
def test_an_eighteen_character_id_never_shows_its_birth_date(value):
    assert mask_resident_id(value)[6:14] == "********"


@given(st.text("0123456789", min_size=11, max_size=11))
def test_a_mobile_number_never_shows_its_middle_four(value):
    assert mask_phone(value)[3:7] == "****"


@pytest.mark.parametrize("value, masked", [("张三", "张*"), ("欧阳娜娜", "欧***"), ("李", "李*"), (" 王五 ", "王*")])
def test_names_show_only_the_first_character(value, masked):
    assert mask_name(value) == masked


def test_the_development_notifier_logs_no_phone_number(caplog):
    import logging

    from gonghui.core.notify import LogNotifier

    # Its own logger, even after another test of the run reconfigured logging (dictConfig disables the
    # loggers that exist by then, and the project's "gonghui" logger need not propagate to the root).
    logger = logging.getLogger("gonghui.notify")
    disabled, logger.disabled = logger.disabled, False
    logger.addHandler(caplog.handler)
    try:
        with caplog.at_level("WARNING", logger="gonghui.notify"):
            LogNotifier().send(phone="13912345678", text="您的验证码 123456")
    finally:
        logger.removeHandler(caplog.handler)
        logger.disabled = disabled
    assert "139****5678" in caplog.text and "13912345678" not in caplog.text and "123456" in caplog.text
