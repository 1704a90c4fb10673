"""Exports open in Excel/WPS and no cell runs as a formula."""

import io

import pytest
from django.utils.translation import gettext_lazy
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from gonghui.core.xlsx import build_workbook, safe_cell

DANGEROUS = ["=1+1", "=HYPERLINK(\"http://evil\",\"x\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)",
             "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("value", DANGEROUS)
def test_text_that_could_run_as_a_formula_is_prefixed(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["青山机械", "a=b", "1+1", "", "'quoted", " =1"])
def test_harmless_text_is_unchanged(value):
    assert safe_cell(value) == value


@pytest.mark.parametrize("value", [0, -5, 3.5, None])
def test_numbers_stay_numbers(value):
    assert safe_cell(value) == value


def _open(content: bytes):
    return load_workbook(io.BytesIO(content))


def test_the_workbook_opens_and_no_cell_is_a_formula():
    rows = [[v, -3, "普通文本"] for v in DANGEROUS]
    wb = _open(build_workbook(title="建会台账", headers=["=名称", "人数", "备注"], rows=rows, exported_by="张三"))
    ws = wb.active
    assert ws.title == "建会台账"
    assert ws.cell(1, 1).value == "'=名称"
    for row in ws.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.coordinate
    # The standard library's XML parser reads a stored CR back as LF, lxml keeps it (openpyxl uses
    # lxml when it is installed); the prefix is what matters.
    assert [ws.cell(r, 1).value.replace("\r", "\n") for r in range(2, 2 + len(DANGEROUS))] == [
        "'" + v.replace("\r", "\n") for v in DANGEROUS]
    assert ws.cell(2, 2).value == -3  # a negative number stays a number


def test_control_characters_in_data_do_not_break_the_export():
    content = build_workbook(title="t", headers=["备注"], rows=[["调查\x0b记录\x01"], ["\x00=1+1"]], exported_by="x")
    ws = _open(content).active
    assert ws.cell(2, 1).value == "调查记录"
    assert ws.cell(3, 1).value == "'=1+1"


def test_lazy_translations_and_awkward_titles_are_accepted():
    content = build_workbook(title="台账 2025/06: [全部]" * 3, headers=[gettext_lazy("Name")], rows=[],
                             exported_by="x")
    ws = _open(content).active
    assert len(ws.title) <= 31 and "/" not in ws.title


@settings(max_examples=50)
@given(st.lists(st.text(max_size=20), min_size=1, max_size=5))
def test_any_text_round_trips_without_becoming_a_formula(values):
    ws = _open(build_workbook(title="t", headers=["h"] * len(values), rows=[values], exported_by="x")).active
    for i in range(1, len(values) + 1):
        cell = ws.cell(2, i)
        assert cell.data_type != "f"
        assert not (isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@", "\t"))), cell.value
