"""The append-only logs under concurrent writers, for real on PostgreSQL: audited writes do not
wait for each other (no head row), and the sequencer never seals past a row that may still commit
with a lower id (a transaction took id n, another took n+1 and committed first)."""

import threading

import pytest
from django.db import connection, connections, transaction

from gonghui.core import checkpoints, log
from gonghui.core.audit import audit
from gonghui.core.models import AuditEntry
from tests.concurrency import POSTGRESQL_ONLY

pytestmark = [pytest.mark.django_db(transaction=True), POSTGRESQL_ONLY]


@pytest.fixture(autouse=True)
def _checkpoint_file(settings, tmp_path):
    settings.GONGHUI_AUDIT_CHECKPOINT_FILE = tmp_path / "checkpoints.txt"


class Held:
    """A transaction on its own connection that writes an audit row and stays open until released."""

    def __init__(self, action="test.held"):
        self.written, self.release, self.done = threading.Event(), threading.Event(), threading.Event()
        self.error, self.entry = None, None
        self.thread = threading.Thread(target=self._run, args=(action,))
        self.thread.start()
        assert self.written.wait(10), self.error

    def _run(self, action):
        try:
            with transaction.atomic():
                self.entry = audit(action)
                self.written.set()
                self.release.wait(20)
        except Exception as exc:  # noqa: BLE001 - reported by the test
            self.error = exc
            self.written.set()
        finally:
            connections.close_all()
            self.done.set()

    def commit(self):
        self.release.set()
        self.thread.join(20)
        assert self.error is None


def _in_thread(fn):
    result = {}

    def run():
        try:
            result["value"] = fn()
        except Exception as exc:  # noqa: BLE001
            result["error"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(30)
    if "error" in result:
        raise result["error"]
    return result.get("value")


def _audit_with_lock_timeout():
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET LOCAL lock_timeout = '2s'")  # a shared head row would make this fail
        return audit("test.free")


def test_audited_writes_do_not_wait_for_each_other():
    held = Held()
    try:
        other = _in_thread(_audit_with_lock_timeout)  # commits while the first transaction is still open
        assert other.seq > held.entry.seq
        assert AuditEntry.objects.filter(action="test.free").exists()
    finally:
        held.commit()
    assert log.verify_log("core.audit", exported=[]).ok


def test_the_sequencer_waits_for_a_lower_id_still_running():
    """id n is taken and not committed, n+1 commits: no checkpoint may cover n+1 before n is decided."""
    held = Held()
    later = _in_thread(lambda: audit("test.later"))
    assert later.seq > held.entry.seq
    try:
        assert checkpoints.make_checkpoint(patience=0.3) is None  # the lower id is still running
        assert not AuditEntry.objects.filter(seq=held.entry.seq).exists()
    finally:
        held.commit()
    checkpoint = checkpoints.make_checkpoint()
    assert checkpoint.upto_seq == later.seq and checkpoint.size == AuditEntry.objects.count() == 2
    result = log.verify_log("core.audit", exported=[])
    assert result.ok and result.verified_upto == 2 and result.pending == 0


def test_a_sequencer_that_waits_covers_the_row_once_it_commits():
    held = Held()
    later = _in_thread(lambda: audit("test.later"))
    timer = threading.Timer(0.3, held.release.set)  # the lower id commits while the sequencer waits
    timer.start()
    checkpoint = checkpoints.make_checkpoint(patience=10)
    held.thread.join(20)
    assert checkpoint is not None and checkpoint.upto_seq >= later.seq and checkpoint.size == 2
    assert log.verify_log("core.audit", exported=[]).ok


def test_a_rolled_back_id_leaves_a_gap_that_is_no_problem():
    def rolled_back():
        with pytest.raises(RuntimeError), transaction.atomic():
            audit("test.rolled-back")
            raise RuntimeError

    _in_thread(rolled_back)
    first = audit("test.kept")
    checkpoints.make_checkpoint()
    audit("test.after")
    result = log.verify_log("core.audit", exported=[])
    assert result.ok and result.verified_upto == 1 and result.upto_seq == first.seq and result.pending == 1
