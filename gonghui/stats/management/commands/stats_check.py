"""gonghui stats-check [--sample 50]: compare the snapshots with a live count (consistency check).

Takes the latest snapshot day, the root and a sample of nodes, recounts their figures live and
lists every difference; exits with status 1 when there is one (records changed since the refresh
show up here too: run it right after stats-refresh to test the computation itself).
"""

import random

from django.core.management.base import BaseCommand, CommandError
from django_scopes import scopes_disabled

from gonghui.core.indicators import Period
from gonghui.orgs.models import Node
from gonghui.stats import selectors, snapshots
from gonghui.stats.models import Snapshot


class Command(BaseCommand):
    help = "Compare the statistics snapshots with a live count."

    def add_arguments(self, parser):
        parser.add_argument("--sample", type=int, default=50)

    def handle(self, *args, sample, **options):
        with scopes_disabled():
            day = Snapshot.objects.order_by("-on").values_list("on", flat=True).first()
            if day is None:
                raise CommandError("No snapshot yet: run gonghui stats-refresh.")
            nodes = list(Node.objects.filter(depth=1)) + random.Random(day.toordinal()).sample(
                list(Node.objects.all()), min(sample, Node.objects.count()))
            period = Period(day.replace(month=1, day=1), day, "range")
            indicators = [i for i in snapshots.registry.all_indicators() if i.source or i.compute]
            problems = []
            for node in nodes:
                snap = snapshots.load([node], snapshots.days_for(period))
                if snap is None:
                    continue
                stored = snap.values(node, period, indicators)
                live = selectors.evaluate_node(node, period, indicators=indicators)
                problems += [f"{node.code} {node.name} {k}: snapshot {v}, live {live[k]}"
                             for k, v in stored.items() if live[k] != v]
        for line in problems:
            self.stdout.write(line)
        if problems:
            raise CommandError(f"{len(problems)} differences")
        self.stdout.write(self.style.SUCCESS(f"{len(nodes)} nodes checked on {day}: snapshots match."))
