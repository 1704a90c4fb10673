"""The daily digest of overdue rights cases, per handling union.

    gonghui rights_digest            # print it (as often as you like; nothing is recorded)
    gonghui rights_digest --send     # also send each union's part to its staff (SMS/WeChat), once a day

Schedule ``--send`` each working morning (cron or a systemd timer: docs/rights.md). It is safe to
run again: a second ``--send`` the same day sends nothing and is recorded (``DigestRun.repeats``
and the audit log). Sent through ``core.notify`` to the mobile numbers of the union's current
staff on record (orgs.UnionStaff); a union without one is only printed.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.rights import selectors
from gonghui.rights.services.digest import send_digest


class Command(BaseCommand):
    help = "Overdue rights cases per union (printed; --send also notifies the union's staff, once a day)."

    def add_arguments(self, parser):
        parser.add_argument("--send", action="store_true", help="send each union its list (once a day)")

    def handle(self, *args, send=False, **options):
        today = timezone.localdate()
        groups = selectors.overdue_by_node()
        total = sum(len(cases) for _node, cases in groups)
        self.stdout.write(_("Overdue rights cases on %(date)s: %(n)d") % {"date": today, "n": total})
        for node, cases in groups:
            lines = [f"{c.tracking_code} {c.get_category_display()} · {c.get_stage_display()} · "
                     + _("due %(date)s") % {"date": c.due_on} + (f" · {c.handler}" if c.handler_id else "")
                     for c in cases]
            self.stdout.write(f"\n{node.name} ({len(cases)})\n  " + "\n  ".join(lines))
        if not send:
            return
        result = send_digest(groups=groups, today=today)
        if result.sent:
            self.stdout.write("\n" + _("Sent: %(n)d messages.") % {"n": result.run.messages})
        else:
            self.stdout.write("\n" + _("Today's digest was already sent at %(time)s; nothing sent this time "
                                       "(repeat %(n)d recorded).")
                              % {"time": timezone.localtime(result.run.sent_at).strftime("%H:%M"),
                                 "n": result.run.repeats})
