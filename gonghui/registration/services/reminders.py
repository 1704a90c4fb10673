"""Renewal reminders (换领): from 30 days before the validity ends, once per registration and term.

Each reminder is a ``RenewalReminder`` row, unique per registration and validity end, so the daily
job reminds once per window however often it runs (two overlapping runs included: the second
insert fails and that run skips the union). The message goes through ``core.notify`` after commit
to the union's staff on record with a mobile number (orgs union staff: full-time vice-chair,
cadres, socialized workers) — cadre accounts carry no phone; a union with none on file is still
recorded (and listed on the register page), with 0 people notified. Every reminder is audited.
"""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from gonghui.core.audit import audit
from gonghui.core.notify import notify

from .. import selectors
from ..models import Registration, RenewalReminder


def _reminder_text(registration: Registration) -> str:
    return _("The legal-person registration of %(union)s (credit code %(code)s) is valid until %(date)s. "
             "Apply to %(office)s for the renewal of the certificate before then.") % {
        "union": registration.name, "code": registration.credit_code, "date": registration.valid_until,
        "office": registration.office.issuer_name}


@transaction.atomic
def send_renewal_reminders(*, today=None) -> list[Registration]:
    """Remind every registration due within 30 days that was not yet reminded for its current
    validity end. Runs inside scopes_disabled (a system job). Returns those reminded now."""
    due = list(selectors.due_for_renewal(today=today).select_related("node", "office").order_by("valid_until", "id"))
    done = selectors.reminded(due)
    phones = selectors.staff_phones([r.node_id for r in due if (r.pk, r.valid_until) not in done])
    sent = []
    for registration in due:
        if (registration.pk, registration.valid_until) in done:
            continue
        recipients = phones.get(registration.node_id, [])
        try:
            with transaction.atomic():
                reminder = RenewalReminder.objects.create(registration=registration,
                                                          valid_until=registration.valid_until,
                                                          recipients=len(recipients))
        except IntegrityError:  # another run reminded it a moment ago
            continue
        text = _reminder_text(registration)
        for phone in recipients:
            notify(phone=phone, text=text, kind="registration_renewal", params={
                "union": registration.name, "date": str(registration.valid_until)})
        audit("registration.renewal_reminder", obj=registration,
              data={"valid_until": str(registration.valid_until), "recipients": len(recipients),
                    "reminder": reminder.pk})
        registration.notified = len(recipients)
        sent.append(registration)
    return sent
