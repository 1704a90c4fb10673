"""Signed checkpoints make the audit log tamper-evident against someone with full database access
(and the application's hash key): a rewritten row with a recomputed hash, a truncated table, a
forged or removed checkpoint."""

import base64
import os

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import translation

from gonghui.core import checkpoints
from gonghui.core.audit import audit, compute_hash, verify_chain
from gonghui.core.models import AuditCheckpoint, AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The problems are read by their English words here (the interface language is Chinese)."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _checkpoint_file(settings, tmp_path):
    settings.GONGHUI_AUDIT_CHECKPOINT_FILE = tmp_path / "audit-checkpoints.txt"
    return settings.GONGHUI_AUDIT_CHECKPOINT_FILE


def _write(n, start=0):
    for i in range(start, start + n):
        audit("test.event", data={"i": i})


def _raw(sql, params=()):
    """SQL as someone with full database access runs it: on PostgreSQL with triggers switched off."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SET LOCAL session_replication_role = replica")
        cur.execute(sql, params)


def _nth(n):
    """The seq of the n-th row (1-based)."""
    return AuditEntry.objects.order_by("seq").values_list("seq", flat=True)[n - 1]


def _rewrite_and_recompute(n, data):
    """Change the n-th row and recompute its hash with the application's own key: the row hash
    alone cannot tell."""
    with transaction.atomic():
        entry = AuditEntry.objects.get(seq=_nth(n))
        entry.data = data
        entry.hash = compute_hash(entry)
        _raw("UPDATE core_auditentry SET data = %s, hash = %s WHERE seq = %s",
             [__import__("json").dumps(entry.data), entry.hash, entry.seq])


def test_a_checkpoint_covers_every_row_and_later_rows_are_pending():
    _write(5)
    checkpoint = checkpoints.make_checkpoint()
    assert checkpoint.size == AuditEntry.objects.count() == 5
    assert checkpoints.make_checkpoint() is None  # nothing new
    _write(2, start=5)
    result = checkpoints.verify_checkpoints()
    assert result.ok and result.verified_upto == 5 and result.pending == 2


def test_a_rewritten_row_with_a_recomputed_chain_is_detected():
    _write(6)
    checkpoints.make_checkpoint()
    _rewrite_and_recompute(3, {"i": 999})
    assert verify_chain().ok  # the hash was recomputed: it alone cannot see the change
    result = checkpoints.verify_checkpoints()
    assert not result.ok and result.verified_upto == 0
    with pytest.raises(checkpoints.CheckpointRefused):  # never signs over a tampered log
        checkpoints.make_checkpoint()
    with pytest.raises(CommandError):
        call_command("audit_verify")


def test_an_emptied_log_with_its_tip_reset_is_detected():
    _write(4)
    checkpoints.make_checkpoint()
    with transaction.atomic():
        _raw("DELETE FROM core_auditentry")
    assert verify_chain().ok  # an empty log has no row to find changed
    result = checkpoints.verify_checkpoints()
    assert not result.ok and result.verified_upto == 0


def test_a_forged_checkpoint_is_detected(settings):
    _write(3)
    checkpoints.make_checkpoint()
    _rewrite_and_recompute(2, {"i": "forged"})
    # The attacker signs a new head with a key of their own and replaces the checkpoint.
    settings.GONGHUI_AUDIT_SIGNING_KEY = base64.b64encode(os.urandom(32)).decode()
    tree = checkpoints._tree(list(AuditEntry.objects.order_by("seq").values_list("hash", flat=True)))
    forged_key = checkpoints.signing_key()
    with transaction.atomic():
        row = AuditCheckpoint.objects.get()
        root = tree.get_root(row.size).hex()
        signature = forged_key.sign(checkpoints.statement(row.size, root, row.signed_at, row.stream,
                                                          row.upto_seq)).hex()
        _raw("UPDATE core_auditcheckpoint SET root = %s, signature = %s WHERE id = %s", [root, signature, row.pk])
    settings.GONGHUI_AUDIT_SIGNING_KEY = "dGVzdC1hdWRpdC1zaWduaW5nLWtleS0wMTIzNDU2Nzg="
    result = checkpoints.verify_checkpoints()
    assert not result.ok and result.verified_upto == 0


def test_checkpoints_removed_from_the_database_are_found_in_the_exported_copies():
    _write(3)
    line = checkpoints.export_line(checkpoints.make_checkpoint())
    with transaction.atomic():
        _raw("DELETE FROM core_auditcheckpoint")
    result = checkpoints.verify_checkpoints()  # the checkpoint file outside the database
    assert not result.ok
    assert not checkpoints.verify_checkpoints(exported=[line]).ok  # a copy kept on another system


def test_the_command_prints_the_line_and_verify_reports_pending_rows(capsys):
    _write(3)
    call_command("audit_checkpoint")
    line = capsys.readouterr().out.strip().splitlines()[0]
    assert line.startswith(checkpoints.STATEMENT_V2) and "log=core.audit size=3" in line
    _write(1, start=3)
    call_command("audit_verify")
    out = capsys.readouterr().out
    assert "3" in out and "1" in out


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="triggers: PostgreSQL only")
def test_postgresql_refuses_truncate_of_the_log_and_its_checkpoints():
    from django.db.utils import DatabaseError

    _write(1)
    checkpoints.make_checkpoint()
    for table in ("core_auditentry", "core_auditcheckpoint", "aid_disbursement", "funds_ledgerentry"):
        with pytest.raises(DatabaseError, match="TRUNCATE refused"), transaction.atomic(), connection.cursor() as cur:
            cur.execute("SET LOCAL gonghui.maintenance = ''")
            cur.execute(f"TRUNCATE {table} CASCADE")  # noqa: S608 - fixed table names
    assert AuditEntry.objects.count() >= 1


def test_rows_and_checkpoints_of_the_old_hash_chain_stay_valid():
    """A database written before the logs were one: rows 1..3 chained (prev_hash, unkeyed SHA-256)
    and a checkpoint of the old format over them; new rows and checkpoints follow on."""
    from django.utils import timezone

    from gonghui.core.audit import legacy_hash

    prev = "0" * 64
    for seq in (1, 2, 3):
        entry = AuditEntry(id=seq, seq=seq, at=timezone.now(), actor_type="system", action="old.event",
                           data={"seq": seq}, prev_hash=prev)
        entry.hash = legacy_hash(entry)
        entry.save(force_insert=True)
        prev = entry.hash
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT setval(pg_get_serial_sequence('core_auditentry', 'id'), 3)")
    key = checkpoints.signing_key()
    tree = checkpoints._tree(list(AuditEntry.objects.order_by("seq").values_list("hash", flat=True)))
    old = AuditCheckpoint(size=3, root=tree.get_root(3).hex(), signed_at=timezone.now(),
                          key_id=checkpoints.key_id(key.public_key()))
    old.signature = key.sign(checkpoints.statement(old.size, old.root, old.signed_at)).hex()
    old.save(force_insert=True)
    old_line = checkpoints.export_line(old)
    assert old_line.startswith(checkpoints.STATEMENT + " ")
    _write(2)
    assert verify_chain().ok
    new = checkpoints.make_checkpoint()
    assert new.size == 5 and new.upto_seq == AuditEntry.objects.order_by("-seq").first().seq
    result = checkpoints.verify_checkpoints(exported=[old_line, checkpoints.export_line(new)])
    assert result.ok and result.verified_upto == 5 and result.checkpoints == 2
    _rewrite_and_recompute(2, {"seq": "changed"})  # an old row, its old-formula hash recomputed
    assert not checkpoints.verify_checkpoints(exported=[]).ok
