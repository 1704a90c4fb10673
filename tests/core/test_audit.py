import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import translation

from gonghui.core import checkpoints, log
from gonghui.core.audit import audit, verify_chain
from gonghui.core.models import AuditEntry


@pytest.fixture(autouse=True)
def _english():
    """The problems are read by their English words here (the interface language is Chinese)."""
    with translation.override("en"):
        yield



def _tamper(sql, params):
    """Change the table behind the application's back, as an intruder with database access would."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")  # bypasses the append-only trigger
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")


@pytest.fixture
def chain(db, settings, tmp_path):
    settings.GONGHUI_AUDIT_CHECKPOINT_FILE = tmp_path / "checkpoints.txt"
    return [audit("test.event", data={"n": i}) for i in range(5)]


def test_intact_log_verifies(chain, capsys):
    result = verify_chain()
    assert result.ok and result.checked == 5
    call_command("audit_verify")
    assert "5" in capsys.readouterr().out


def test_rows_take_their_order_from_the_sequence_without_a_chain(chain):
    """No head row, no previous hash computed in the request: the order is the table's sequence."""
    for previous, entry in zip(chain, chain[1:], strict=False):
        assert entry.seq > previous.seq and entry.pk == entry.seq and entry.prev_hash == ""
    stored = AuditEntry.objects.get(pk=chain[2].pk)
    assert stored.hash == log.row_hash(stored) == chain[2].hash


def test_application_cannot_change_or_delete_rows(chain):
    entry = AuditEntry.objects.get(seq=chain[1].seq)
    entry.action = "changed"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(seq=chain[1].seq).update(action="x")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(seq=chain[1].seq).action == "test.event"


def test_a_changed_row_is_detected(chain):
    _tamper("UPDATE core_auditentry SET data = %s WHERE seq = %s", ['{"n": 99}', chain[2].seq])
    result = verify_chain()
    assert not result.ok
    assert any(f"row {chain[2].seq}" in p and "changed" in p for p in result.problems)
    with pytest.raises(CommandError):
        call_command("audit_verify")


def test_a_deleted_row_is_detected_by_the_checkpoint(chain):
    checkpoints.make_checkpoint()
    _tamper("DELETE FROM core_auditentry WHERE seq = %s", [chain[1].seq])
    result = checkpoints.verify_checkpoints()
    assert any("removed" in p for p in result.problems)
    with pytest.raises(CommandError):
        call_command("audit_verify")


def test_a_deleted_last_row_is_detected_by_the_checkpoint(chain):
    checkpoints.make_checkpoint()
    _tamper("DELETE FROM core_auditentry WHERE seq = %s", [chain[-1].seq])
    assert not checkpoints.verify_checkpoints().ok


@pytest.mark.django_db(transaction=True)
def test_database_refuses_updates_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger exists on PostgreSQL only; SQLite relies on audit-verify")
    from django.db import DatabaseError

    audit("test.event")
    with pytest.raises(DatabaseError), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditentry SET action = 'x'")
