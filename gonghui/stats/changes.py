"""Which snapshot days a night must recompute: the days the changes since their computation reach.

A day's snapshots depend on the rows of the indicators' sources. When a day is computed, each table
those figures read is fingerprinted (``SnapshotDay.sources``: row count, highest id, latest change
stamp where the table keeps one). A later incremental refresh compares: a table unchanged since
reaches no day; a table with new or changed rows reaches the days from the earliest of those rows'
dates the figures filter on (a member joined, backdated to 3 March, reaches every kept day from 3
March on; one who joined yesterday, only yesterday); a table with deleted rows, or rows the figures
do not date, reaches every day. The day just ended is always recomputed (its figures without history
are measured then).

The dates a figure filters on are read from its declaration: the lookups of its aggregate's filter
whose value is the period's first or last day (``joined_on__lte``, ``paid_on__range`` …). Custom
figures (``compute``) declare no tables: their values are recomputed for a day when any table of
their app changed, and the day's rows rewritten only where they differ.

Known limits: a table without a change stamp (``updated_at``/``changed_at``: visits, the aid ledger,
volunteer hours, staff records …) is taken as append-only — corrections there are new rows, as in
a ledger; an edit of an old row in it is not seen. An edit that moves a record's date *later* (joined 3 March corrected to 3 May) leaves
the days between its old and new date as they were, since the old date is no longer known; so does
moving a union in the tree. Each night therefore also recomputes whole the seventh of the days
computed longest ago (GONGHUI_STATS_WHOLE_WITHIN_NIGHTS), so such an edit is corrected within a
week; ``gonghui stats-refresh --full`` recomputes every day at once (after such a correction), and
``gonghui stats-check`` lists what differs.
"""

import datetime
from functools import cache

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Max, Min, Q
from django.utils import timezone

from gonghui.core import indicators as registry
from gonghui.core.indicators import Period

EVERY_DAY = datetime.date.min  # a change reaching every day
_PROBE = Period(datetime.date(1901, 2, 3), datetime.date(1902, 3, 4), "range")
_STAMPS = ("updated_at", "changed_at")


@cache
def _plan() -> dict:
    """Per table (model label): ``{"dates": [lookups], "every_day": bool}``; custom figures' apps."""
    from .snapshots import snapshot_indicators

    tables: dict[str, dict] = {}

    def table(model) -> dict:
        return tables.setdefault(model._meta.label, {"dates": set(), "every_day": False})

    by_source: dict[str, list] = {}
    for ind in snapshot_indicators():
        if not ind.current_only:  # figures without history matter on the day just ended alone: always done
            by_source.setdefault(ind.source, []).append(ind.aggregate(_PROBE))
    for bd in registry.all_breakdowns():
        by_source.setdefault(bd.source, []).append(bd.filter(_PROBE))
    for key, expressions in by_source.items():
        model = registry.source(key).queryset().model
        entry = table(model)
        dated_every = True
        for expression in expressions:
            dates, paths = set(), set()
            _walk(expression, dates, paths)
            for lookup in paths | dates:
                for related in _many_models(model, lookup):
                    table(related)["every_day"] = True  # rows reached through a to-many relation: undated here
            entry["dates"] |= {d for d in (_field_path(model, lookup) for lookup in dates) if d}
            dated_every = dated_every and bool(dates)
        if not dated_every:
            entry["every_day"] = True  # some figure counts rows whatever their date
    custom = sorted({ind.key.split(".")[0] for ind in registry.all_indicators() if ind.compute})
    for label in custom:
        for model in apps.get_app_config(label).get_models():
            tables.setdefault(model._meta.label, {"dates": set(), "every_day": False, "custom_only": True})
    return {"tables": {k: {"dates": sorted(v["dates"]), "every_day": v["every_day"],
                           "custom_only": v.get("custom_only", False)} for k, v in tables.items()},
            "custom": custom}


def _walk(expression, dates: set, paths: set) -> None:
    """Lookups of an aggregate or Q: those compared with the probe period's days into ``dates``."""
    if isinstance(expression, Q):
        for child in expression.children:
            if isinstance(child, Q):
                _walk(child, dates, paths)
                continue
            lookup, value = child
            paths.add(lookup)
            values = value if isinstance(value, list | tuple) else [value]
            if any(isinstance(v, datetime.date) and v in (_PROBE.start, _PROBE.end) for v in values):
                dates.add(lookup)
            for v in values:
                if hasattr(v, "get_source_expressions"):
                    _walk(v, dates, paths)
        return
    name = getattr(expression, "name", None)
    if isinstance(name, str):  # an F()
        paths.add(name)
    flt = getattr(expression, "filter", None)
    if isinstance(flt, Q):
        _walk(flt, dates, paths)
    for sub in getattr(expression, "get_source_expressions", list)():
        if sub is not None:
            _walk(sub, dates, paths)


def _field_path(model, lookup: str) -> str | None:
    """``starts_at__date__range`` → ``starts_at``: the lookup's field path without transforms."""
    parts, kept = lookup.split("__"), []
    for part in parts:
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            break
        kept.append(part)
        if not field.is_relation:
            return "__".join(kept)
        model = field.related_model
    return None


def _many_models(model, lookup: str) -> list:
    out = []
    for part in lookup.split("__"):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            break
        if not field.is_relation or field.related_model is None:
            break
        if field.one_to_many or field.many_to_many:
            out.append(field.related_model)
        model = field.related_model
    return out


def _stamp_field(model) -> str | None:
    names = {f.name for f in model._meta.concrete_fields}
    return next((s for s in _STAMPS if s in names), None)


def fingerprints() -> dict[str, list]:
    """``{table: [rows, highest id, latest change stamp or None]}`` of every table the figures read."""
    out = {}
    for label in _plan()["tables"]:
        model = apps.get_model(label)
        stamp = _stamp_field(model)
        aggregates = {"n": Max("pk")}
        if stamp:
            aggregates["s"] = Max(stamp)
        row = model._base_manager.order_by().aggregate(**aggregates)
        count = model._base_manager.order_by().count()
        out[label] = [count, row["n"], row["s"].isoformat() if stamp and row["s"] else None]
    return out


def reach(before: dict | None, now: dict) -> tuple[datetime.date | None, bool]:
    """The earliest day the changes since ``before`` reach (None: none; EVERY_DAY: all), and whether
    a table of a custom figure's app changed."""
    if not before:
        return EVERY_DAY, True
    plan, earliest, custom = _plan(), None, False
    custom_tables = {m._meta.label for label in plan["custom"] for m in apps.get_app_config(label).get_models()}
    for label, fingerprint in now.items():
        old = before.get(label)
        if old == fingerprint:
            continue
        custom = custom or label in custom_tables
        day = _table_reach(label, old, fingerprint)
        if day is not None:
            earliest = day if earliest is None else min(earliest, day)
    return earliest, custom


def _table_reach(label: str, old, now) -> datetime.date | None:
    entry = _plan()["tables"][label]
    if entry["custom_only"]:
        return None  # read by custom figures alone: recounted for every day (``reach``'s second answer)
    if old is None or entry["every_day"] or not entry["dates"]:
        return EVERY_DAY
    model = apps.get_model(label)
    manager = model._base_manager.order_by()
    old_count, old_max, old_stamp = old
    new_rows = manager.filter(pk__gt=old_max) if old_max is not None else manager.all()
    if now[0] != old_count + new_rows.count():
        return EVERY_DAY  # rows deleted
    stamp = _stamp_field(model)
    changed = Q(pk__gt=old_max) if old_max is not None else Q()
    if stamp and old_stamp:
        changed |= Q(**{f"{stamp}__gt": datetime.datetime.fromisoformat(old_stamp)})
    row = manager.filter(changed).aggregate(**{f"d{n}": Min(path) for n, path in enumerate(entry["dates"])})
    days = [_as_date(v) for v in row.values() if v is not None]
    return min(days) if days else None


def _as_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value
