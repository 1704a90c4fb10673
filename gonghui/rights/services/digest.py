"""The daily digest of overdue cases, sent once a day to each union's staff.

Rules enforced here:
- one sending per calendar day (``DigestRun.day`` is unique): the day is claimed in the same
  transaction that queues the messages, and the messages leave only after it commits
  (``core.notify``), so two runs at once or a run repeated by cron send one digest; a run that
  crashes before committing claims nothing and the next run sends;
- a repeated run sends nothing and is recorded (``repeats``, and the audit log);
- each union gets its own cases only, at the mobile numbers of its current staff on record.
"""

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.core.audit import audit
from gonghui.core.notify import notify
from gonghui.core.scoping import scopes_disabled

from .. import selectors
from ..models import DigestRun


@dataclass
class DigestResult:
    run: DigestRun
    sent: bool          # False: today's digest had already gone out; nothing was sent


def _message(node, cases) -> str:
    return _("%(n)d rights cases of %(union)s are overdue: %(codes)s") % {
        "n": len(cases), "union": node.name, "codes": ", ".join(c.tracking_code for c in cases[:10])}


def _phones(node) -> list[str]:
    with scopes_disabled():
        return [s.phone for s in node.staff.filter(ended_on__isnull=True) if getattr(s, "phone", "")]


def send_digest(*, groups=None, today: datetime.date | None = None) -> DigestResult:
    """Send today's digest unless it has gone out already. ``groups``: ``selectors.overdue_by_node()``."""
    today = today or timezone.localdate()
    groups = selectors.overdue_by_node() if groups is None else groups
    now = timezone.now()
    try:
        with transaction.atomic():
            run = DigestRun.objects.create(day=today, sent_at=now, unions=len(groups),
                                           cases=sum(len(cases) for _node, cases in groups))
            messages = 0
            for node, cases in groups:
                text = _message(node, cases)
                for phone in _phones(node):
                    notify(phone=phone, text=text, kind="rights_digest", params={"count": len(cases)},
                           dedupe_key=f"rights-digest:{today}:{node.pk}:{phone}")
                    messages += 1
            run.messages = messages
            run.save(update_fields=["messages"])
            audit("rights.digest.sent", obj=run, data={"day": today.isoformat(), "unions": run.unions,
                                                       "cases": run.cases, "messages": messages})
    except IntegrityError:  # today's digest is claimed already (by an earlier run, or one racing this one)
        with transaction.atomic():
            DigestRun.objects.filter(day=today).update(repeats=F("repeats") + 1, last_repeat_at=now)
            run = DigestRun.objects.get(day=today)
            audit("rights.digest.repeat_skipped", obj=run, data={"day": today.isoformat(), "repeat": run.repeats})
        return DigestResult(run=run, sent=False)
    return DigestResult(run=run, sent=True)
