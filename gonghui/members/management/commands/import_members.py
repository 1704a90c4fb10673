"""gonghui import-members FILE --node CODE [--dry-run] [--as USERNAME] [--errors REPORT.xlsx]

Imports a roster file (xlsx or csv) into the union with the given code, with a progress bar. Without
``--as`` it acts as the system operator (the audit log says so); with it, as that cadre, whose
clerk or admin role over the node is checked.
"""

import sys
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _
from tqdm import tqdm

from gonghui.accounts.permissions import subtree_for
from gonghui.accounts.selectors import active_user
from gonghui.core.errors import DomainError, NotPermitted
from gonghui.core.scoping import tree_scope
from gonghui.members.limits import IMPORT_ERRORS_PRINTED
from gonghui.members.services import importing
from gonghui.orgs.selectors import access_node_by_code

STAGES = {"validate": "validating", "write": "writing"}


class Command(BaseCommand):
    help = "Import a member roster (xlsx or csv) into a union."
    leave_locale_alone = True  # messages in the site's language, not Django's untranslated default

    def execute(self, *args, **options):
        with translation.override(settings.LANGUAGE_CODE):
            return super().execute(*args, **options)

    def add_arguments(self, parser):
        parser.add_argument("file", help="the roster, .xlsx or .csv (UTF-8 or GBK)")
        parser.add_argument("--node", required=True, help="code of the union to import into")
        parser.add_argument("--dry-run", action="store_true", help="check the file and report; write nothing")
        parser.add_argument("--as", dest="username", help="act as this cadre (their role over the node is checked)")
        parser.add_argument("--errors", help="write the rows with errors to this xlsx file (with more errors than "
                                             "it prints, the command writes FILE.errors.xlsx next to the roster)")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, file, node, dry_run, username, errors, no_progress, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        limit = importing.read_limits().max_bytes
        if path.stat().st_size > limit:
            raise CommandError(_("The file is larger than %(mb)d MB; split it into several files.")
                               % {"mb": limit // importing.MB})
        actor = None
        if username:
            actor = active_user(username)
            if actor is None:
                raise CommandError(_("No active user %(name)s.") % {"name": username})
        bars: dict[str, tqdm] = {}

        def progress(stage, done, total):
            if no_progress or stage not in STAGES:
                return
            bar = bars.get(stage)
            if bar is None:
                bar = bars[stage] = tqdm(total=total, desc=STAGES[stage], unit="rows", file=sys.stderr)
            bar.update(done - bar.n)

        with tree_scope(subtree_for(actor) if actor else None):
            try:
                target = access_node_by_code(node.strip().upper())
            except Http404:
                raise CommandError(_("No union with code %(code)s (in your scope).") % {"code": node}) from None
            try:
                result = importing.import_roster(data=path.read_bytes(), filename=path.name, node=target,
                                                 actor=actor, dry_run=dry_run, progress=progress)
            except NotPermitted:
                raise CommandError(_("%(name)s may not import members into %(union)s.")
                                   % {"name": username, "union": target.name}) from None
            except (DomainError, ValidationError) as exc:
                raise CommandError(getattr(exc, "message", None) or "; ".join(exc.messages)) from None
            finally:
                for bar in bars.values():
                    bar.close()
        counts = result.counts
        printed = result.errors[:IMPORT_ERRORS_PRINTED]
        for e in printed:
            self.stdout.write(_("row %(row)d, %(column)s: %(reason)s")
                              % {"row": e.row, "column": e.column, "reason": e.reason})
        more = len(result.errors) - len(printed)
        if more and not errors:
            # Every error is in the report: one named with --errors, else one next to the roster.
            errors = path.with_name(f"{path.stem}.errors.xlsx")
        if errors and result.errors:
            try:
                Path(errors).write_bytes(importing.build_error_report(errors=result.errors,
                                                                      exported_by=username or "gonghui"))
            except OSError as exc:
                self.stdout.write(_("… and %(n)d more errors. The error report could not be written to %(path)s "
                                    "(%(reason)s); name another file with --errors.")
                                  % {"n": more, "path": errors, "reason": exc.strerror or exc})
            else:
                if more:
                    self.stdout.write(_("… and %(n)d more errors; all %(total)d are in the error report %(path)s")
                                      % {"n": more, "total": len(result.errors), "path": errors})
                else:
                    self.stdout.write(_("Error report written to %(path)s") % {"path": errors})
        summary = _("%(rows)d rows: %(new)d new, %(updated)d updated, %(unchanged)d unchanged, %(errors)d with "
                    "errors (%(seconds).1f s)") % {**counts, "errors": counts["error_rows"], "seconds": result.seconds}
        if dry_run:
            summary = _("Dry run, nothing written. %(summary)s") % {"summary": summary}
        self.stdout.write(self.style.SUCCESS(summary))
