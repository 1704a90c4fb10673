"""How rows of the funds ledger's old chain were hashed, before it became a log of ``core.log``:
registered with the log in ``apps.py``, which verifies those rows with it."""

import json
from decimal import Decimal

from gonghui.core.crypto import blind_index

from .models import LedgerEntry


def legacy_entry_hash(entry: LedgerEntry) -> str:
    """How rows of the old chain were hashed (HMAC over the row and the previous row's hash)."""
    payload = {
        "seq": entry.seq, "at": entry.at.isoformat(), "node": entry.node_id, "year": entry.year,
        "category": entry.category_id, "kind": entry.kind, "amount": f"{Decimal(entry.amount):.2f}",
        "payee": entry.payee_name, "memo": entry.memo, "payment": entry.payment_id,
        "reverses": entry.reverses_id, "actor": entry.actor_id, "prev": entry.prev_hash,
    }
    return blind_index(json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")),
                       purpose="funds-ledger")
