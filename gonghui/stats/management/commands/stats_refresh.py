"""gonghui stats-refresh [--day 2025-12-31 ...] [--full]: recompute the statistics snapshots (nightly job).

Large subtrees (above GONGHUI_STATS_LIVE_LIMIT records) read their dashboards from these; see
docs/stats.md. Without --day: yesterday, the same day a year before and every month end since
December three years ago. Only the days that changes since their last computation reach are
recomputed (normally the day just ended; ``stats.changes``), and the seventh of the others computed
longest ago (every day within a week: GONGHUI_STATS_WHOLE_WITHIN_NIGHTS); ``--full`` recomputes
every day.
"""

import datetime
import sys

from django.core.management.base import BaseCommand
from django_scopes import scopes_disabled
from tqdm import tqdm

from gonghui.stats import services


class Command(BaseCommand):
    help = "Recompute the statistics snapshots of every union (nightly)."

    def add_arguments(self, parser):
        parser.add_argument("--day", action="append", type=datetime.date.fromisoformat, help="a day (repeatable)")
        parser.add_argument("--full", action="store_true", help="recompute every day, changed or not")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, day, full, no_progress, **options):
        bar = tqdm(unit="day", file=sys.stderr, disable=no_progress)

        def progress(done, total):
            bar.total = total
            bar.update(done - bar.n)

        with scopes_disabled():
            rows = services.refresh_snapshots(days=day, progress=progress, full=full)
        bar.close()
        self.stdout.write(self.style.SUCCESS(f"{rows} snapshot rows"))
