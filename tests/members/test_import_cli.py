"""gonghui import-members FILE --node CODE [--dry-run]."""

from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django_scopes import scopes_disabled

from gonghui.core.models import AuditEntry
from gonghui.members.models import Member

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent.parent / "data"


def members() -> int:
    with scopes_disabled():
        return Member.objects.count()


def test_dry_run_then_import(tree, capsys):
    call_command("import_members", str(DATA / "roster_enterprise.xlsx"), node=tree.c.code, dry_run=True)
    assert members() == 0 and "24" in capsys.readouterr().out
    call_command("import_members", str(DATA / "roster_enterprise.xlsx"), node=tree.c.code.lower())
    captured = capsys.readouterr()
    assert members() == 24 and "24" in captured.out
    assert "rows" in captured.err  # the progress bar
    with scopes_disabled():
        entry = AuditEntry.objects.get(action="members.import")
    assert entry.actor_type == "system" and entry.channel == "cli"


def test_error_report_file(tree, tmp_path, capsys):
    report = tmp_path / "errors.xlsx"
    call_command("import_members", str(DATA / "roster_defects.xlsx"), node=tree.b.code, errors=str(report),
                 no_progress=True)
    assert members() == 6
    assert len(list(openpyxl.load_workbook(report).active.iter_rows())) == 21


def test_acting_as_a_cadre_checks_their_role(tree):
    with pytest.raises(CommandError):
        call_command("import_members", str(DATA / "roster_gbk.csv"), node=tree.d.code, username="b_clerk")
    assert members() == 0
    call_command("import_members", str(DATA / "roster_gbk.csv"), node=tree.d.code, username="d_admin",
                 no_progress=True)
    assert members() == 10


@pytest.mark.parametrize("name, node", [("fake_exe.xlsx", "c"), ("missing.xlsx", "c"), ("roster_gbk.csv", None)])
def test_bad_file_or_node_is_a_command_error(tree, name, node):
    with pytest.raises(CommandError):
        call_command("import_members", str(DATA / name), node=getattr(tree, node).code if node else "NOSUCH")
    assert members() == 0
