"""One append-only log mechanism for the audit log and the two money ledgers (aid disbursements,
funds payments): the same row hash, the same order, the same checkpoints, the same verification.

How a row is written (no lock shared by writers):

- its **order** is its ``seq``, taken from the table's own id sequence in the INSERT (``seq = id``
  for every row written since this module exists). Writers never wait for each other: there is no
  head row and no hash chain computed in the request;
- its **hash** is ``row_hash``: HMAC-SHA256 (the look-up hash key, ``crypto.blind_index``) over a
  canonical JSON of the log's name and the row's declared fields (``log_fields``). The position
  is not in the hash: the Merkle tree below fixes it;
- PostgreSQL refuses UPDATE, DELETE and TRUNCATE on every log table (triggers, see the
  migrations); the model and its queryset refuse them in Python.

How rows are sealed (``gonghui audit-checkpoint``, the sequencer, every few minutes by the timer):
``horizon`` finds the highest ``seq`` below which no row can still appear, the rows up to it are the
leaves of an RFC 6962 Merkle tree (``pymerkle``) and its root is signed with the Ed25519 key that
is not in the database (``core.checkpoints``). ``verify_log`` recomputes every row's hash, checks
every checkpoint (signature, then the rows up to it give its size and root: a rewritten row, a
deleted or inserted row, a truncated table are found) and counts the rows still pending.

The horizon on PostgreSQL: ids come from a sequence, so a transaction may take id 10, another id
11 and commit first; a checkpoint over 11 must not be signed while 10 may still commit. An INSERT
holds the table's ROW EXCLUSIVE lock from before it takes its id until it ends. So the sequencer
reads the sequence's last value S, then lists the transactions holding that lock, and waits (without
blocking anyone: it asks no lock) until each of them has ended; every id ≤ S is then committed or
gone for good. This is PostgreSQL's own "wait for lockers" step (CREATE INDEX CONCURRENTLY). On
SQLite a writer holds the whole database, so the highest committed ``seq`` is the horizon.

Rows written before this module (the hash chain of old) keep their ``prev_hash`` and are verified
with their log's ``legacy_hash``; the checkpoints signed over them stay valid.
"""

import bisect
import datetime as dt
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, models

GENESIS = "0" * 64


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError(f"{self.model._meta.verbose_name_plural} is append-only")

    def delete(self):
        raise PermissionError(f"{self.model._meta.verbose_name_plural} is append-only")


class AppendOnlyLog(models.Model):
    """A row of an append-only log. Subclasses set ``log_label`` (the log's name, e.g.
    ``"core.audit"``) and ``log_fields`` (the fields its hash covers) and are registered with
    ``register``; they write rows with ``append`` (or the audit log's one-statement INSERT)."""

    seq = models.PositiveBigIntegerField(unique=True, editable=False)
    # Only rows of the old hash chain have one; a row written since has "".
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, editable=False)

    log_label = ""
    log_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError(f"{self._meta.verbose_name_plural} is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError(f"{self._meta.verbose_name_plural} is append-only")


# --- the registry ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Log:
    label: str
    model: type
    legacy_hash: Callable | None = None  # how rows of the old chain (prev_hash set) were hashed


_LOGS: dict[str, Log] = {}


def register(model, *, legacy_hash: Callable | None = None) -> None:
    """An app declares its log in ``AppConfig.ready()``; core knows no app."""
    _LOGS[model.log_label] = Log(model.log_label, model, legacy_hash)


def logs() -> dict[str, Log]:
    return dict(_LOGS)


def get(label: str) -> Log:
    return _LOGS[label]


# --- the row hash ------------------------------------------------------------------------------------

def _value(model_field, value):
    if value is None:
        return None
    if isinstance(model_field, models.DecimalField):
        return f"{Decimal(value):.{model_field.decimal_places}f}"
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def canonical(row) -> str:
    payload = {"log": row.log_label}
    for name in row.log_fields:
        model_field = row._meta.get_field(name)
        payload[name] = _value(model_field, getattr(row, model_field.attname))
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def row_hash(row) -> str:
    """The row's keyed hash (HMAC-SHA256 with the look-up hash key, purpose ``log``)."""
    from .crypto import blind_index

    return blind_index(canonical(row), purpose="log")


def expected_hash(log: Log, row) -> str:
    if row.prev_hash and log.legacy_hash is not None:
        return log.legacy_hash(row)
    return row_hash(row)


# --- order ---------------------------------------------------------------------------------------------

_SEQUENCES: dict[tuple[str, str], str] = {}


def _sequence(model) -> str:
    """The PostgreSQL sequence behind the table's id (an identity column's)."""
    key = (connection.settings_dict["NAME"], model._meta.db_table)
    if key not in _SEQUENCES:
        with connection.cursor() as cur:
            cur.execute("SELECT pg_get_serial_sequence(%s, 'id')", [model._meta.db_table])
            _SEQUENCES[key] = cur.fetchone()[0]
    return _SEQUENCES[key]


def insert_values_sql(model) -> str:
    """SQL for the id of a new row, taken in the INSERT itself (PostgreSQL): ``SELECT n, n, …
    FROM (<this>) AS s`` gives ``id = seq = n`` in one statement, under the INSERT's table lock."""
    return f"SELECT nextval('{_sequence(model)}') AS n"  # noqa: S608 (a name from the catalogue)


def append(row) -> None:
    """Write ``row`` (a new ``AppendOnlyLog`` instance, its fields set) at the end of its log, inside
    the caller's transaction: its ``seq`` (= id) and its hash are set here. No lock shared by writers
    is taken (on PostgreSQL the table's ROW EXCLUSIVE lock, which writers do not share among
    themselves, is taken before the id, as an INSERT would; see ``horizon``)."""
    table = connection.ops.quote_name(row._meta.db_table)
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(f"LOCK TABLE {table} IN ROW EXCLUSIVE MODE")
            cur.execute(f"SELECT nextval('{_sequence(type(row))}')")  # noqa: S608
            seq = cur.fetchone()[0]
        else:  # SQLite: the writer holds the database until it commits
            cur.execute(f"SELECT max(id), max(seq) FROM {table}")  # noqa: S608
            seq = max(v or 0 for v in cur.fetchone()) + 1
    row.id = row.seq = seq
    row.prev_hash = ""
    row.hash = row_hash(row)
    row.save(force_insert=True)


def horizon(model, *, patience: float = 10.0) -> int | None:
    """The highest ``seq`` below which no row can still be committed (see the module's text), or
    None when a writer did not finish within ``patience`` seconds (try again later)."""
    table = model._meta.db_table
    with connection.cursor() as cur:
        if connection.vendor != "postgresql":
            cur.execute(f"SELECT max(seq) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            return cur.fetchone()[0] or 0
        cur.execute(f"SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM {_sequence(model)}")  # noqa: S608
        top = cur.fetchone()[0]
        lockers = """SELECT coalesce(array_agg(DISTINCT virtualtransaction), '{}') FROM pg_locks
            WHERE locktype = 'relation' AND relation = %s::regclass AND mode = 'RowExclusiveLock'
              AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND pid <> pg_backend_pid()"""
        cur.execute(lockers, [table])
        waiting = cur.fetchone()[0]
        deadline = time.monotonic() + patience
        while waiting:
            if time.monotonic() > deadline:
                return None
            time.sleep(0.01)
            cur.execute(lockers + " AND virtualtransaction = ANY(%s)", [table, list(waiting)])
            waiting = cur.fetchone()[0]
        cur.execute(f"SELECT max(seq) FROM {connection.ops.quote_name(table)} WHERE seq <= %s", [top])  # noqa: S608
        return cur.fetchone()[0] or 0


# --- the tree and verification -------------------------------------------------------------------------

def leaves(model, upto: int | None = None):
    """(seq, stored hash) of the rows in order, up to ``upto``."""
    rows = model._base_manager.order_by("seq").values_list("seq", "hash")
    if upto is not None:
        rows = rows.filter(seq__lte=upto)
    return rows.iterator(chunk_size=5000)


@dataclass
class LogCheck:
    """What ``verify_log`` found in one log (the audit log and both ledgers report the same way)."""

    label: str = ""
    rows: int = 0                # rows in the log
    verified_upto: int = 0       # rows covered by the latest checkpoint that matches
    upto_seq: int = 0            # … the highest seq among them
    latest_at: object = None     # when that checkpoint was signed
    checkpoints: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def checked(self) -> int:
        return self.rows

    @property
    def pending(self) -> int:
        """Rows written since the latest checkpoint (not yet covered by a signature)."""
        return max(self.rows - self.verified_upto, 0)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_log(label: str, *, rows: bool = True, checkpoints: bool = True, exported: list[str] | None = None,
               batch: int = 2000) -> LogCheck:
    """Recompute every row's hash (``rows``); check every signed checkpoint of the log and the
    exported copies (``checkpoints``; ``exported`` None reads the checkpoint file, [] skips it)."""
    from . import checkpoints as signed

    log = get(label)
    result = LogCheck(label=label)
    seqs: list[int] = []
    digests: list[str] = []
    if rows:
        for row in log.model._base_manager.order_by("seq").iterator(chunk_size=batch):
            if expected_hash(log, row) != row.hash:
                result.problems.append(f"{label} row {row.seq}: content does not match its hash (changed)")
            seqs.append(row.seq)
            digests.append(row.hash)
    else:
        for seq, digest in leaves(log.model):
            seqs.append(seq)
            digests.append(digest)
    result.rows = len(seqs)
    if checkpoints:
        signed.check_log(result, seqs, digests, exported=exported)
    return result


def covered(seqs: list[int], upto: int) -> int:
    """How many rows have seq ≤ upto (``seqs`` ascending)."""
    return bisect.bisect_right(seqs, upto)
