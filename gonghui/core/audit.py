"""The audit log: every write and every view or export of personal data, append-only.

``audit()`` runs inside the caller's transaction so the record and the change commit together.
It takes no lock that other writers share: the row's order is its ``seq`` from the table's
sequence and its hash covers only its own content (``core.log``); the sequencer
(``gonghui audit-checkpoint``) seals the rows later in signed checkpoints.
"""

import hashlib
import json
from collections.abc import Mapping

from django.db import connection, transaction
from django.utils import timezone

from . import log, prepared
from .context import origin
from .models import AuditEntry

GENESIS = log.GENESIS


def _legacy_canonical(entry: AuditEntry) -> bytes:
    """How rows of the old hash chain were hashed (unkeyed SHA-256 over the row and the previous hash)."""
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


def legacy_hash(entry: AuditEntry) -> str:
    return hashlib.sha256(_legacy_canonical(entry)).hexdigest()


def compute_hash(entry: AuditEntry) -> str:
    """The hash a row must carry (``core.log.row_hash``; the old formula for rows of the old chain)."""
    return log.expected_hash(log.get(AuditEntry.log_label), entry)


def _actor_fields(actor) -> tuple[str, str, str]:
    if actor is None:
        return "system", "", ""
    kind = getattr(actor, "audit_actor_type", "user")
    label = getattr(actor, "audit_label", None) or str(actor)
    return kind, str(actor.pk), label[:150]


_COLUMNS = ("at", "actor_type", "actor_id", "actor_label", "action", "object_type", "object_id",
            "object_repr", "data", "ip", "channel", "prev_hash", "hash", "node_path")
_PG_INSERT = """
INSERT INTO core_auditentry (id, seq, at, actor_type, actor_id, actor_label, action, object_type, object_id,
                             object_repr, data, ip, channel, prev_hash, hash, node_path)
SELECT s.n, s.n, %s, %s, %s, %s, %s, %s, %s, %s, %s::jsonb, %s, %s, %s, %s, %s FROM ({sequence}) AS s
RETURNING id
"""


def _append(entry: AuditEntry) -> None:
    """Write the record: one statement on PostgreSQL (its id and seq from the table's sequence,
    taken under the INSERT's own table lock, see ``core.log.horizon``); ``log.append`` elsewhere."""
    if connection.vendor != "postgresql":
        log.append(entry)
        return
    entry.prev_hash = ""
    entry.hash = log.row_hash(entry)
    values = [json.dumps(entry.data, ensure_ascii=False) if c == "data" else getattr(entry, c) for c in _COLUMNS]
    with prepared.cursor() as cur:
        cur.execute(_PG_INSERT.replace("{sequence}", log.insert_values_sql(AuditEntry)), values)
        entry.pk = entry.seq = cur.fetchone()[0]
    entry._state.adding = False


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
        actor_type, actor_id, actor_label = _actor_fields(actor)
        where = origin.get()
        entry = AuditEntry(
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
            node_path=_node_path(obj, node),
        )
        _append(entry)
    return entry


VerifyResult = log.LogCheck  # one result type for the audit log and the ledgers


def verify_chain(*, batch: int = 2000) -> log.LogCheck:
    """Recompute every row's hash: changed rows are reported. Removed, inserted or reordered rows
    are the checkpoints' part (``core.checkpoints.verify_checkpoints``)."""
    return log.verify_log(AuditEntry.log_label, checkpoints=False, batch=batch)
