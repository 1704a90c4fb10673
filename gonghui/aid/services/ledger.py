"""The disbursement ledger: append-only, a log of ``core.log`` like the audit log and the funds ledger.

- A payment or a reversal is a new row; nothing is ever updated or deleted (PostgreSQL refuses
  UPDATE, DELETE and TRUNCATE by trigger; the model refuses in Python).
- Each row carries ``core.log``'s keyed hash over its content; its order is its ``seq`` from the
  table's sequence. No head row is locked: payments of different applications do not wait for
  each other. Signed checkpoints (``gonghui audit-checkpoint``) seal the rows; ``verify_ledger``
  recomputes every hash and checks the checkpoints (changed, removed, inserted rows).
- ``entry_no`` counts the entries of one application; it is unique with the application, so two
  payments racing for one approval cannot both be written.
"""


from django.db import transaction
from django.utils import timezone

from gonghui.core import log

from ..models import Disbursement

LABEL = Disbursement.log_label


def append_disbursement(*, actor, application, kind: str, amount, method: str, paid_on, note: str = "",
           reverses: Disbursement | None = None) -> Disbursement:
    """Write one ledger row; the caller holds the transaction (and the application's row lock)."""
    with transaction.atomic():
        entry_no = Disbursement.objects.with_scopes_disabled().filter(application=application).count() + 1
        row = Disbursement(
            application=application, entry_no=entry_no, programme_id=application.programme_id,
            node_id=application.node_id, kind=kind, amount=amount, method=method, paid_on=paid_on,
            reverses=reverses, note=note, recorded_at=timezone.now().replace(microsecond=0), recorded_by=actor,
        )
        log.append(row)
    return row


def verify_ledger(*, exported: list[str] | None = None) -> log.LogCheck:
    """Every row's hash and the ledger's signed checkpoints (``core.log.verify_log``)."""
    return log.verify_log(LABEL, exported=exported)
