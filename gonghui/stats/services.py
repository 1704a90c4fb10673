"""Writes of stats: the work-report template. Exports are audited in the views that stream them."""

import re

from django.conf import settings
from django.db import connection, transaction

from gonghui.accounts.permissions import require
from gonghui.core import editing
from gonghui.core.audit import audit
from gonghui.core.limits import check_lengths

from .models import ReportTemplate
from .report import check_template

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@transaction.atomic
def save_report_template(*, actor, node, text: str, expected_version: str | None = None) -> ReportTemplate:
    """An admin of the node sets the report template of its subtree; unknown placeholders are refused.
    An editor opened before another admin's save or reset is refused as stale (``core.editing``)."""
    require(actor, "stats.template.update", node=node)
    text = _CONTROL.sub("", text.replace("\r\n", "\n"))
    check_lengths(ReportTemplate, text=text)
    check_template(text)
    row = ReportTemplate.objects.select_for_update(of=("self",)).filter(node=node).first()
    current = editing.version_of(row) if row is not None else "none"
    if expected_version is not None and expected_version != current:
        raise editing.StaleEdit()
    template, created = ReportTemplate.objects.update_or_create(node=node, defaults={"text": text, "updated_by": actor})
    audit("stats.template.created" if created else "stats.template.updated", actor=actor, obj=template,
          data={"node": node.pk, "length": len(text)})
    return template


@transaction.atomic
def reset_report_template(*, actor, node) -> None:
    require(actor, "stats.template.update", node=node)
    deleted, _rows = ReportTemplate.objects.filter(node=node).delete()
    if deleted:
        audit("stats.template.reset", actor=actor, obj=node, data={"node": node.pk})


def refresh_snapshots(*, days=None, today=None, progress=None, full: bool = True,
                      within_nights: int | None = None) -> int:
    """Recompute the snapshots of every node for ``days`` (default: see snapshots.default_days).

    With ``full=False`` (the nightly job) a day is recomputed only when changes since its last
    computation reach it (``stats.changes``: normally the day just ended, which is always done),
    or when it is among the 1/``within_nights`` of the days computed whole longest ago
    (GONGHUI_STATS_WHOLE_WITHIN_NIGHTS, 7: the full refresh spread over a week, so what changes
    cannot reach is corrected within it and no night does every day); for the other days only the
    custom figures are recounted, and only when their app's tables changed. Returns the snapshot
    rows written.

    Runs outside any scope (a system job): figures are per node and read back inside the reader's
    scope. Each day is replaced in one transaction, so a reader sees the old or the new day whole.
    """
    import datetime

    from django.utils import timezone

    from . import changes
    from .models import Snapshot, SnapshotDay
    from .snapshots import add_computed, default_days, keep_measured, own_values, subtree_totals

    today = today or timezone.localdate()
    days = days or default_days(today - datetime.timedelta(days=1))
    sources = changes.fingerprints()
    before = {} if full else dict(SnapshotDay.objects.filter(on__in=days).values_list("on", "sources"))
    if within_nights is None:
        within_nights = settings.GONGHUI_STATS_WHOLE_WITHIN_NIGHTS
    stalest = set() if full else _stalest(days, today - datetime.timedelta(days=1), within_nights)
    written, done = 0, []
    for n, day in enumerate(days):
        reached, custom = changes.reach(before.get(day), sources)
        if (full or day >= today - datetime.timedelta(days=1) or day in stalest
                or (reached is not None and reached <= day)):
            totals = subtree_totals(own_values(day))
            add_computed(totals, day)
            old = dict(Snapshot.objects.filter(on=day).values_list("node_id", "values"))
            keep_measured(totals, day, today=today, old=old)
            now = timezone.now()
            with transaction.atomic():
                Snapshot.objects.filter(on=day).delete()
                Snapshot.objects.bulk_create([Snapshot(node_id=pk, on=day, values=values, computed_at=now)
                                              for pk, values in totals.items()], batch_size=5000)
                _remember(day, sources, now)
            written += len(totals)
            done.append(day)
        elif custom:
            written += _recount_custom(day, sources)
        if progress:
            progress(n + 1, len(days))
    if connection.vendor == "postgresql":  # fresh statistics, or the planner scans whole days
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE stats_snapshot")
    audit("stats.snapshots.refreshed", data={"days": [d.isoformat() for d in done], "rows": written,
                                             "full": full})
    return written


def _stalest(days, yesterday, within_nights: int) -> set:
    """The ceil(1/within_nights) share of ``days`` (bar yesterday, always done) computed whole longest
    ago, never computed first: taking them each night recomputes every day within that many nights."""
    from .models import SnapshotDay

    others = [d for d in days if d != yesterday]
    if within_nights <= 0 or not others:
        return set()
    whole = dict(SnapshotDay.objects.filter(on__in=others).values_list("on", "computed_at"))
    oldest = sorted(others, key=lambda d: (whole.get(d) is not None, whole.get(d) or 0, d))
    return set(oldest[:-(-len(others) // within_nights)])


def _remember(day, sources: dict, now, *, whole: bool = True) -> None:
    """The sources a day was computed from; ``computed_at`` is when it was last computed whole (a
    recount of its custom figures alone keeps it)."""
    from .models import SnapshotDay

    if whole:
        SnapshotDay.objects.update_or_create(on=day, defaults={"sources": sources, "computed_at": now})
    else:
        SnapshotDay.objects.update_or_create(on=day, defaults={"sources": sources},
                                             create_defaults={"sources": sources, "computed_at": now})


def _recount_custom(day, sources: dict) -> int:
    """The custom figures of ``day`` counted again; rows whose custom figures changed rewritten."""
    from django.utils import timezone

    from .models import Snapshot
    from .snapshots import COMPUTED, add_computed, custom_keys

    fresh: dict = {}
    with transaction.atomic():
        rows = {row.node_id: row for row in Snapshot.objects.select_for_update().filter(on=day)}
        fresh = {pk: {} for pk in rows}
        add_computed(fresh, day)
        changed = []
        for pk, row in rows.items():
            values = {k: v for k, v in row.values.items() if not custom_keys(k)}
            values.update({k: v for k, v in fresh.get(pk, {}).items() if k != COMPUTED})
            values[COMPUTED] = 1
            if values != row.values:
                row.values = values
                row.computed_at = timezone.now()
                changed.append(row)
        Snapshot.objects.bulk_update(changed, ["values", "computed_at"], batch_size=5000)
        _remember(day, sources, timezone.now(), whole=False)
    return len(changed)
