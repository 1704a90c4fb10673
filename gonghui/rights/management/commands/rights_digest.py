"""The daily digest of overdue rights cases, per handling union.

    gonghui rights_digest            # print it
    gonghui rights_digest --send     # also send each union's part to its admins and clerks (SMS/WeChat)

Run it each morning from cron or a systemd timer. Sent through ``core.notify`` to the mobile
numbers of the union's staff on record (orgs.UnionStaff); without one, it is only printed.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.core.notify import notify
from gonghui.core.scoping import scopes_disabled
from gonghui.rights import selectors


class Command(BaseCommand):
    help = "Overdue rights cases per union (printed; --send also notifies the union's staff)."

    def add_arguments(self, parser):
        parser.add_argument("--send", action="store_true", help="send each union its list")

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
            if send:
                text = _("%(n)d rights cases of %(union)s are overdue: %(codes)s") % {
                    "n": len(cases), "union": node.name, "codes": ", ".join(c.tracking_code for c in cases[:10])}
                with scopes_disabled():
                    phones = [s.phone for s in node.staff.filter(ended_on__isnull=True) if getattr(s, "phone", "")]
                for phone in phones:
                    notify(phone=phone, text=text)
