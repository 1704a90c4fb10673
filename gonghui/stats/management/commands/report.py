"""gonghui report --node CODE [--period 2025] [--format docx|xlsx|txt] [--as USERNAME] [--output FILE]

Writes the work report (docx, txt) or the statistics table (xlsx) of a union and a period, with a
progress bar. Without ``--as`` it acts as the system operator over the whole tree (the audit log
says so); with it, inside that cadre's scope.
"""

import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _
from tqdm import tqdm

from gonghui.accounts.permissions import subtree_for
from gonghui.accounts.selectors import active_user
from gonghui.core.audit import audit
from gonghui.core.errors import DomainError
from gonghui.core.scoping import tree_scope
from gonghui.orgs.selectors import access_node_by_code
from gonghui.stats import dashboard as dash
from gonghui.stats import report
from gonghui.stats.docx import build_docx


class Command(BaseCommand):
    help = "Write the work report (docx, txt) or the statistics table (xlsx) of a union and a period."
    leave_locale_alone = True

    def execute(self, *args, **options):
        with translation.override(settings.LANGUAGE_CODE):
            return super().execute(*args, **options)

    def add_arguments(self, parser):
        parser.add_argument("--node", required=True, help="code of the union")
        parser.add_argument("--period", default="", help="2025, 2025Q3, 2025-07 or 2025-01-01~2025-06-30")
        parser.add_argument("--format", default="docx", choices=["docx", "xlsx", "txt"])
        parser.add_argument("--as", dest="username", help="act as this cadre (inside their scope)")
        parser.add_argument("--output", help="file to write (default: report-CODE-PERIOD.FORMAT)")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, node, period, format, username, output, no_progress, **options):
        actor = None
        if username:
            actor = active_user(username)
            if actor is None:
                raise CommandError(_("No active user %(name)s.") % {"name": username})
        with tree_scope(subtree_for(actor) if actor else None):
            try:
                target = access_node_by_code(node.strip().upper())
            except Http404:
                raise CommandError(_("No union with code %(code)s (in your scope).") % {"code": node}) from None
            bar = tqdm(total=4, unit="step", file=sys.stderr, disable=no_progress)
            try:
                wanted = dash.resolve_period(period)
                bar.set_description(_("figures"))
                board = dash.build(actor, target, wanted)
                bar.update(2)
                bar.set_description(_("writing"))
                if format == "xlsx":
                    content = dash.table_xlsx(board, exported_by=username or "gonghui")
                else:
                    blocks = dash.report_blocks(actor, board)
                    content = (report.plain_text(blocks).encode() if format == "txt" else
                               build_docx(blocks, title=blocks[0].text, author=username or "gonghui"))
                bar.update(1)
                path = Path(output or f"report-{target.code}-{wanted.spec}.{format}")
                path.write_bytes(content)
                audit("stats.report.exported" if format != "xlsx" else "stats.table.exported", actor=actor,
                      obj=target, data={"period": wanted.spec, "format": format, "channel": "cli"})
                bar.update(1)
            except DomainError as exc:
                raise CommandError(exc.message) from None
            finally:
                bar.close()
        self.stdout.write(self.style.SUCCESS(_("Written to %(path)s") % {"path": path}))
