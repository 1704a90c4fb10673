"""The disbursement ledger: append-only, each row sealed by a keyed hash chained to the previous.

- A payment or a reversal is a new row; nothing is ever updated or deleted (PostgreSQL refuses
  by trigger; the model refuses in Python).
- ``mac`` = HMAC-SHA256 (the project's hash key, purpose ``aid-ledger``) over a canonical JSON of
  the row and the previous row's mac. Writers lock ``LedgerHead`` to extend the chain, so the order
  is one; ``verify_ledger`` recomputes it and reports changed, removed or reordered rows. Without
  the key a forger cannot recompute the chain after editing an amount.
- ``entry_no`` counts the entries of one application; it is unique with the application, so two
  payments racing for one approval cannot both be written.
"""

import json

from django.db import transaction
from django.utils import timezone

from gonghui.core.crypto import blind_index

from ..models import Disbursement, LedgerHead

GENESIS = "0" * 64


def _canonical(row: Disbursement) -> str:
    return json.dumps({
        "seq": row.seq, "application": row.application_id, "entry_no": row.entry_no, "programme": row.programme_id,
        "node": row.node_id, "kind": row.kind, "amount": f"{row.amount:.2f}", "method": row.method,
        "paid_on": row.paid_on.isoformat(), "reverses": row.reverses_id, "note": row.note,
        "recorded_at": row.recorded_at.isoformat(), "recorded_by": row.recorded_by_id, "prev": row.prev_mac,
    }, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def seal(row: Disbursement) -> str:
    return blind_index(_canonical(row), purpose="aid-ledger")


def append(*, application, kind: str, amount, method: str, paid_on, actor, note: str = "",
           reverses: Disbursement | None = None) -> Disbursement:
    """Write one ledger row at the end of the chain; the caller holds the transaction."""
    with transaction.atomic():
        head, _ = LedgerHead.objects.select_for_update().get_or_create(id=1)
        entry_no = Disbursement.objects.with_scopes_disabled().filter(application=application).count() + 1
        row = Disbursement(
            seq=head.seq + 1, application=application, entry_no=entry_no, programme_id=application.programme_id,
            node_id=application.node_id, kind=kind, amount=amount, method=method, paid_on=paid_on,
            reverses=reverses, note=note, recorded_at=timezone.now().replace(microsecond=0), recorded_by=actor,
            prev_mac=head.mac,
        )
        row.mac = seal(row)
        row.save(force_insert=True)
        head.seq, head.mac = row.seq, row.mac
        head.save(update_fields=["seq", "mac"])
    return row


def verify_ledger(*, batch: int = 5000) -> tuple[int, list[str]]:
    """Recompute every row's seal in order: (rows checked, problems)."""
    problems: list[str] = []
    expected_prev, expected_seq, checked = GENESIS, 1, 0
    qs = Disbursement.objects.with_scopes_disabled()
    while True:
        rows = list(qs.filter(seq__gte=expected_seq).order_by("seq")[:batch])
        if not rows:
            break
        for row in rows:
            if row.seq != expected_seq:
                problems.append(f"ledger rows {expected_seq}..{row.seq - 1} are missing (deleted)")
            if row.prev_mac != expected_prev:
                problems.append(f"ledger row {row.seq}: does not follow the previous row (chain broken)")
            if seal(row) != row.mac:
                problems.append(f"ledger row {row.seq}: content does not match its seal (changed)")
            expected_prev, expected_seq = row.mac, row.seq + 1
            checked += 1
    head = LedgerHead.objects.filter(id=1).first()
    if head is not None and (head.seq != expected_seq - 1 or head.mac != expected_prev):
        problems.append(f"the ledger tip says row {head.seq}, the ledger ends at row {expected_seq - 1}")
    return checked, problems
