"""The funds payment ledger is a log of ``core.log``: the same row hash, the same checkpoints and
verification as the audit log, and (new) PostgreSQL triggers refusing UPDATE, DELETE and TRUNCATE."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import translation
from django_scopes import scopes_disabled

from gonghui.core import checkpoints, log
from gonghui.funds.models import LedgerEntry
from gonghui.funds.services import ledger
from tests.funds.kit import setup
from tests.funds.test_ledger import _payment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The problems are read by their English words here (the interface language is Chinese)."""
    with translation.override("en"):
        yield
LABEL = "funds.ledger"


@pytest.fixture
def funds(tree, settings, tmp_path):
    settings.GONGHUI_AUDIT_CHECKPOINT_FILE = tmp_path / "checkpoints.txt"
    return setup(tree)


def _raw(sql, params=()):
    with transaction.atomic(), connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SET LOCAL session_replication_role = replica")
        cur.execute(sql, params)


def _paid(tree, funds, n=3):
    with scopes_disabled():
        for _i in range(n):
            ledger.approve_payment(payment=_payment(tree, funds, amount="100"), actor=tree.user("b_fin2"))
        return list(LedgerEntry.objects.order_by("seq"))


def test_rows_carry_the_common_hash_and_order(tree, funds):
    rows = _paid(tree, funds)
    for row in rows:
        assert row.prev_hash == "" and row.pk == row.seq and row.hash == log.row_hash(row)
    assert [r.seq for r in rows] == sorted(r.seq for r in rows)
    result = ledger.verify_ledger()
    assert isinstance(result, log.LogCheck) and result.ok and result.checked == 3


def test_a_rewritten_row_with_a_recomputed_hash_is_detected(tree, funds):
    rows = _paid(tree, funds)
    checkpoints.make_checkpoint(LABEL)
    row = rows[1]
    row.payee_name = "冒名者"
    _raw("UPDATE funds_ledgerentry SET payee_name = %s, hash = %s WHERE id = %s",
         [row.payee_name, log.row_hash(row), row.pk])
    result = ledger.verify_ledger(exported=[])
    assert not result.ok and result.verified_upto == 0
    with pytest.raises(CommandError):
        call_command("audit_verify")
    with pytest.raises(SystemExit):
        call_command("funds_verify_ledger")


def test_a_deleted_row_and_an_emptied_ledger_are_detected(tree, funds):
    rows = _paid(tree, funds)
    checkpoints.make_checkpoint(LABEL)
    _raw("DELETE FROM funds_ledgerentry WHERE id = %s", [rows[2].pk])
    assert any("removed" in p for p in ledger.verify_ledger().problems)
    _raw("DELETE FROM funds_ledgerentry")
    assert not ledger.verify_ledger().ok


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="triggers: PostgreSQL only")
def test_postgresql_refuses_update_delete_and_truncate(tree, funds):
    _paid(tree, funds, n=1)
    for sql in ("UPDATE funds_ledgerentry SET amount = 1", "DELETE FROM funds_ledgerentry",
                "TRUNCATE funds_ledgerentry CASCADE"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
            cur.execute("SET LOCAL gonghui.maintenance = ''")
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE refuses pending foreign-key checks first
            cur.execute(sql)
    with scopes_disabled():
        assert LedgerEntry.objects.count() == 1
