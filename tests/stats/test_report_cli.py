"""The work report from the command line, and the report's rounding and optional paragraphs."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_scopes import scopes_disabled

from gonghui.core.indicators import parse_period
from gonghui.stats import report

from .test_views import _docx_text


def test_cli_writes_a_docx_report_and_an_xlsx_table(known, tmp_path):
    out = tmp_path / "report.docx"
    call_command("report", "--node", known.a.code, "--period", "2025", "--output", str(out), "--no-progress",
                 stdout=StringIO())
    assert "青山县总工会2025年工会工作情况报告" in _docx_text(out.read_bytes())
    table = tmp_path / "table.xlsx"
    call_command("report", "--node", known.a.code, "--period", "2025", "--format", "xlsx", "--output", str(table),
                 "--no-progress", stdout=StringIO())
    assert table.read_bytes()[:2] == b"PK"


def test_cli_refuses_a_node_outside_the_cadre_scope_and_a_bad_period(known, tmp_path):
    with pytest.raises(CommandError):
        call_command("report", "--node", known.d.code, "--as", "b_admin", "--output", str(tmp_path / "x"),
                     "--no-progress")
    with pytest.raises(CommandError, match="结束日期早于开始日期"):
        call_command("report", "--node", known.a.code, "--period", "2025-12-01~2025-01-01", "--no-progress",
                     "--output", str(tmp_path / "y"))
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("n, text", [(213, "213"), (9987, "9900余"), (9900, "9900"), (126480, "12.6万余"),
                                     (120000, "12万"), (999, "999")])
def test_counts_are_rounded_as_union_reports_round(n, text):
    assert report.round_count(n) == text


def test_money_is_written_in_ten_thousand_yuan():
    assert report.round_money(Decimal("619700.00")) == "61.97万元"
    assert report.round_money(Decimal("3500.5")) == "0.35万元"
    assert report.round_money(Decimal("5")) == "0.00万元" and report.round_money(Decimal("50")) == "0.01万元"


def test_an_optional_paragraph_with_only_zeros_is_left_out(known):
    text = "# {node}\n? 本年度下达配备任务{orgs.staff_targets}项。\n会员{members.total}人。"
    with scopes_disabled():
        from gonghui.stats import selectors

        period = parse_period("2024", today=parse_period("2026", today=timezone.localdate(known.a.created_at)).end)
        values = selectors.evaluate_node(known.a, period)
    blocks = report.write(text=text, node=known.a, period=period, values=values, previous=values)
    assert [b.text for b in blocks if b.kind != "cover"] == ["青山县总工会", "会员4人。"]
