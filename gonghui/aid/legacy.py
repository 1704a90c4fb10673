"""How rows of the disbursement ledger's old chain were sealed, before it became a log of
``core.log``: registered with the log in ``apps.py``, which verifies those rows with it."""

import json

from gonghui.core.crypto import blind_index

from .models import Disbursement


def _legacy_canonical(row: Disbursement) -> str:
    return json.dumps({
        "seq": row.seq, "application": row.application_id, "entry_no": row.entry_no, "programme": row.programme_id,
        "node": row.node_id, "kind": row.kind, "amount": f"{row.amount:.2f}", "method": row.method,
        "paid_on": row.paid_on.isoformat(), "reverses": row.reverses_id, "note": row.note,
        "recorded_at": row.recorded_at.isoformat(), "recorded_by": row.recorded_by_id, "prev": row.prev_hash,
    }, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def legacy_seal(row: Disbursement) -> str:
    """How rows of the old chain were sealed (HMAC over the row and the previous row's seal)."""
    return blind_index(_legacy_canonical(row), purpose="aid-ledger")
