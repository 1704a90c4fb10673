"""The audit log: every write and every view or export of personal data, hash-chained.

``audit()`` must run inside the caller's transaction so the record and the change commit
together. Writers serialize on the AuditHead row (SELECT ... FOR UPDATE); that is the price of a
single verifiable order, paid only by audited writes.
"""

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from .context import origin
from .models import AuditEntry, AuditHead

GENESIS = "0" * 64


def _canonical(entry: AuditEntry) -> bytes:
    payload = {
        "seq": entry.seq,
        "at": entry.at.isoformat(),
        "actor_type": entry.actor_type,
        "actor_id": entry.actor_id,
        "actor_label": entry.actor_label,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "object_repr": entry.object_repr,
        "data": entry.data,
        "ip": entry.ip,
        "channel": entry.channel,
        "prev_hash": entry.prev_hash,
    }
    if entry.node_path:  # rows from before the column existed hash as they always did
        payload["node_path"] = entry.node_path
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def compute_hash(entry: AuditEntry) -> str:
    return hashlib.sha256(_canonical(entry)).hexdigest()


def _actor_fields(actor) -> tuple[str, str, str]:
    if actor is None:
        return "system", "", ""
    kind = getattr(actor, "audit_actor_type", "user")
    label = getattr(actor, "audit_label", None) or str(actor)
    return kind, str(actor.pk), label[:150]


def _lock_head() -> tuple[int, str]:
    """The chain's tip, locked until the transaction ends (SELECT … FOR UPDATE; SQLite's
    IMMEDIATE transactions already have one writer). Plain SQL: every audited write runs it."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cur:
        cur.execute(f"SELECT seq, hash FROM {AuditHead._meta.db_table} WHERE id = 1{lock}")  # noqa: S608
        row = cur.fetchone()
    if row is None:  # the first record ever
        head, _ = AuditHead.objects.select_for_update().get_or_create(id=1)
        return head.seq, head.hash
    return row[0], row[1]


_COLUMNS = ("seq", "at", "actor_type", "actor_id", "actor_label", "action", "object_type", "object_id",
            "object_repr", "data", "ip", "channel", "prev_hash", "hash", "node_path")
_PG_APPEND = """
WITH e AS (
    INSERT INTO core_auditentry (seq, at, actor_type, actor_id, actor_label, action, object_type, object_id,
                                 object_repr, data, ip, channel, prev_hash, hash, node_path)
    VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s::jsonb, %s, %s, %s, %s, %s)
    RETURNING id)
UPDATE core_audithead SET seq = %s, hash = %s FROM e WHERE core_audithead.id = 1 RETURNING e.id
"""


def _append(entry: AuditEntry) -> None:
    """Write the record and move the tip: one statement on PostgreSQL, two elsewhere."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            values = [json.dumps(entry.data, ensure_ascii=False) if c == "data" else getattr(entry, c)
                      for c in _COLUMNS]
            cur.execute(_PG_APPEND, [*values, entry.seq, entry.hash])
            entry.pk = cur.fetchone()[0]
            entry._state.adding = False
            return
        entry.save(force_insert=True)
        cur.execute(f"UPDATE {AuditHead._meta.db_table} SET seq = %s, hash = %s WHERE id = 1",  # noqa: S608
                    [entry.seq, entry.hash])


def filters_used(filters) -> dict:
    """What the log keeps of a search or an export's filters: that a search was made and which
    filter fields were used, never their values (what a cadre types into a search box is often an
    ID number, a phone or a name, and the log can never forget it)."""
    if hasattr(filters, "lists"):  # a QueryDict: every value of each field
        items = filters.lists()
    else:
        items = ((key, [value]) for key, value in dict(filters).items())
    fields = sorted(str(key) for key, values in items if any(v not in ("", None, False, [], {}) for v in values))
    return {"fields": fields, "search": "q" in fields or "query" in fields}


def _without_typed_text(data: dict) -> dict:
    """``data["filters"]`` (any export's or list's filters) is reduced to ``filters_used`` here, so
    no caller can put a typed search into the log."""
    if isinstance(data.get("filters"), Mapping):
        return {**data, "filters": filters_used(data["filters"])}
    return data


def _node_path(obj, node) -> str:
    """The union the record belongs to (its tree path), so that the log can be read by subtree:
    the ``node`` given, the object itself when it is a union, or the object's ``node``."""
    if node is None and obj is not None:
        node = obj if hasattr(obj, "path") and hasattr(obj, "depth") else None
        if node is None and any(f.name == "node" and f.is_relation for f in obj._meta.concrete_fields):
            node = obj.node  # cached when the caller loaded it; else one indexed look-up
    return getattr(node, "path", "") or ""


def audit(action: str, *, actor=None, obj=None, data: dict | None = None, node=None) -> AuditEntry:
    """Append one record. ``obj`` is any model instance (its type, id and label are kept).
    ``data`` holds no personal data: ids, counts, codes; a "filters" entry keeps only the names of
    the filters used (``filters_used``).

    Inside the caller's transaction no savepoint is taken (two round trips saved on every audited
    write): a failure here must abort the caller's change anyway."""
    with transaction.atomic(savepoint=False):
        seq, prev_hash = _lock_head()
        actor_type, actor_id, actor_label = _actor_fields(actor)
        where = origin.get()
        entry = AuditEntry(
            seq=seq + 1,
            at=timezone.now(),
            actor_type=actor_type,
            actor_id=actor_id,
            actor_label=actor_label,
            action=action,
            object_type=obj._meta.label_lower if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
            object_repr=str(obj)[:200] if obj is not None else "",
            data=json.loads(json.dumps(_without_typed_text(data or {}), default=str)),
            ip=where.ip,
            channel=where.channel,
            prev_hash=prev_hash,
            node_path=_node_path(obj, node),
        )
        entry.hash = compute_hash(entry)
        _append(entry)
    return entry


@dataclass
class VerifyResult:
    checked: int
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_chain(*, batch: int = 5000) -> VerifyResult:
    """Recompute every hash in order; report changed rows, gaps (deleted rows) and a moved tip."""
    problems: list[str] = []
    expected_prev, expected_seq, checked = GENESIS, 1, 0
    while True:
        rows = list(AuditEntry.objects.filter(seq__gte=expected_seq).order_by("seq")[:batch])
        if not rows:
            break
        for entry in rows:
            if entry.seq != expected_seq:
                problems.append(f"rows {expected_seq}..{entry.seq - 1} are missing (deleted)")
            if entry.prev_hash != expected_prev:
                problems.append(f"row {entry.seq}: does not follow the previous row (chain broken)")
            if compute_hash(entry) != entry.hash:
                problems.append(f"row {entry.seq}: content does not match its hash (changed)")
            expected_prev, expected_seq = entry.hash, entry.seq + 1
            checked += 1
    head = AuditHead.objects.filter(id=1).first()
    if head is not None and (head.seq != expected_seq - 1 or head.hash != expected_prev):
        problems.append(f"the chain tip says row {head.seq}, the log ends at row {expected_seq - 1} "
                        "(rows removed from the end or the tip changed)")
    return VerifyResult(checked=checked, problems=problems)
