"""The disbursement ledger is a log of ``core.log``: sealed by signed checkpoints with the audit
log, so a row rewritten with a recomputed hash, a deleted row or an emptied table is found by
``gonghui audit-verify``; PostgreSQL refuses UPDATE, DELETE and TRUNCATE."""

import itertools

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import translation

from gonghui.aid.models import Disbursement
from gonghui.aid.services import applications as apps
from gonghui.aid.services import ledger
from gonghui.core import checkpoints, log

from .conftest import make_member, make_programme

pytestmark = pytest.mark.usefixtures("unscoped")


@pytest.fixture(autouse=True)
def _english():
    """The problems are read by their English words here (the interface language is Chinese)."""
    with translation.override("en"):
        yield
LABEL = "aid.disbursements"
_people = itertools.count(500)


@pytest.fixture(autouse=True)
def _checkpoint_file(settings, tmp_path):
    settings.GONGHUI_AUDIT_CHECKPOINT_FILE = tmp_path / "checkpoints.txt"


def _raw(sql, params=()):
    """As someone with full database access: on PostgreSQL with the triggers switched off."""
    with transaction.atomic(), connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SET LOCAL session_replication_role = replica")
        cur.execute(sql, params)


def _paid(people, n=2, programme=None):
    programme = programme or make_programme(people, budget="100000")
    for _i in range(n):
        n = next(_people)
        member = make_member(people, seq=n, phone=f"1391234{n:04d}")
        application = apps.create_application(programme=programme, member=member,
                                              actor=people.user("b_clerk"), reason="家中老人重病", amount="800")
        apps.approve_application(application=application, actor=people.user("b_reviewer"))
        apps.pay_application(application=application, actor=people.user("a_finance"))
    people.programme = programme
    return list(Disbursement.objects.order_by("seq"))


def test_rows_carry_the_common_hash_and_order(people):
    rows = _paid(people)
    assert log.get(LABEL).model is Disbursement
    for row in rows:
        assert row.prev_hash == "" and row.pk == row.seq and row.hash == log.row_hash(row) == row.mac
    result = ledger.verify_ledger()
    assert isinstance(result, log.LogCheck) and result.ok and result.checked == 2 and result.pending == 2


def test_a_rewritten_row_with_a_recomputed_hash_is_detected(people, capsys):
    rows = _paid(people)
    checkpoint = checkpoints.make_checkpoint(LABEL)
    assert checkpoint.stream == LABEL and checkpoint.size == 2 and checkpoint.upto_seq == rows[-1].seq
    assert ledger.verify_ledger().ok and ledger.verify_ledger().pending == 0
    row = rows[0]
    row.amount = row.amount * 10
    _raw("UPDATE aid_disbursement SET amount = %s, hash = %s WHERE id = %s", [row.amount, log.row_hash(row), row.pk])
    assert not ledger.verify_ledger(exported=[]).problems == []
    assert any("root" in p for p in ledger.verify_ledger(exported=[]).problems)
    with pytest.raises(checkpoints.CheckpointRefused):
        checkpoints.make_checkpoint(LABEL)
    with pytest.raises(CommandError):
        call_command("audit_verify")
    assert LABEL in capsys.readouterr().err


def test_an_emptied_ledger_is_detected(people):
    _paid(people)
    checkpoints.make_checkpoint(LABEL)
    _raw("DELETE FROM aid_disbursement")
    result = ledger.verify_ledger()
    assert not result.ok and any("removed" in p for p in result.problems)


def test_audit_verify_reports_pending_ledger_rows(people, capsys):
    _paid(people, n=1)
    call_command("audit_checkpoint")
    out = capsys.readouterr().out
    assert f"log={LABEL} size=1" in out
    _paid(people, n=1, programme=people.programme)
    call_command("audit_verify")
    out = capsys.readouterr().out
    assert f"{LABEL}: rows 1–1" in out and "1 rows written since" in out


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="triggers: PostgreSQL only")
def test_postgresql_refuses_update_delete_and_truncate(people):
    _paid(people, n=1)
    for sql in ("UPDATE aid_disbursement SET note = 'x'", "DELETE FROM aid_disbursement",
                "TRUNCATE aid_disbursement CASCADE"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
            cur.execute("SET LOCAL gonghui.maintenance = ''")
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE refuses pending foreign-key checks first
            cur.execute(sql)
    assert Disbursement.objects.count() == 1
