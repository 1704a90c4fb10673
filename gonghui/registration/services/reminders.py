"""Renewal reminders (换领): from 30 days before the validity ends, once per registration and term.

The reminder is recorded in the audit log (the record that it was sent) and shown in the console
(register page, "due for renewal"); the union's cadres have no phone on file, so no SMS is sent.
"""

from django.db import transaction

from gonghui.core.audit import audit
from gonghui.core.models import AuditEntry

from .. import selectors
from ..models import Registration


@transaction.atomic
def send_renewal_reminders() -> list[Registration]:
    """Run inside scopes_disabled (a system job)."""
    sent = []
    for registration in selectors.due_for_renewal().select_related("node").order_by("valid_until", "id"):
        marker = str(registration.valid_until)
        if AuditEntry.objects.filter(action="registration.renewal_reminder", object_id=str(registration.pk),
                                     data__valid_until=marker).exists():
            continue
        audit("registration.renewal_reminder", obj=registration, data={"valid_until": marker})
        sent.append(registration)
    return sent
