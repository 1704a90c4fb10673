"""What a province needs from the snapshots: a dashboard of a fixed number of indexed reads whatever
the size of the tree, and a nightly refresh that recomputes only the days changes reach, giving the
same snapshots as a full one."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from gonghui.core import indicators as registry
from gonghui.core.indicators import parse_period
from gonghui.members.models import Member
from gonghui.orgs import services as orgs
from gonghui.orgs.models import Node, NodeKind
from gonghui.stats import dashboard as dash
from gonghui.stats import services
from gonghui.stats.models import Snapshot
from gonghui.stats.snapshots import ROWS, default_days
from tests.factories import make_employer
from tests.stats.conftest import _member

TODAY = datetime.date(2026, 11, 23)
DAY = datetime.date(2026, 11, 22)
D = datetime.date


def refresh(**kwargs):
    with scopes_disabled():
        return services.refresh_snapshots(days=default_days(DAY), today=TODAY, **kwargs)


def source_tables() -> set[str]:
    """Tables of the indicators' sources, bar the tree itself (the dashboard reads the node's children)."""
    with scopes_disabled():
        tables = {registry.source(key).queryset().model._meta.db_table for key in registry._registry.sources}
    return tables - {Node._meta.db_table}


def dashboard_queries(tree, spec="2025") -> list[str]:
    with scopes_disabled(), CaptureQueriesContext(connection) as queries:
        board = dash.build(tree.user("a_admin"), Node.objects.get(pk=tree.a.pk), parse_period(spec, today=TODAY),
                           today=TODAY)
    assert board.snapshot
    return [q["sql"] for q in queries.captured_queries]


def grow(tree, seq):
    """A new township with two enterprise unions and members under the county."""
    with scopes_disabled():
        town = orgs.create_node(parent=Node.objects.get(pk=tree.a.pk), actor=None, name=f"新镇{seq}总工会",
                                kind=NodeKind.TOWNSHIP_UNION, established_on=D(2020, 1, 1))
        for k in range(2):
            union = orgs.create_node(parent=Node.objects.get(pk=town.pk), actor=None, name=f"新企业{seq}-{k}工会",
                                     kind=NodeKind.ENTERPRISE, established_on=D(2021, 1, 1), worker_count=30)
            make_employer(Node.objects.get(pk=town.pk), union=union, name=f"新企业{seq}-{k}有限公司")
            Member.objects.bulk_create([_member(union, gender="F", joined=D(2024, 3, 1), seq=seq * 10 + k)])


@pytest.mark.parametrize("spec", ["2025", "2026"])
def test_the_snapshot_dashboard_reads_no_source_table_and_its_queries_do_not_grow_with_the_tree(
        known, settings, spec):
    """Every figure — the employer ledger, positions in service, model workers, people helped … —
    comes from the snapshot rows: no query touches a source table, and a larger tree costs no more."""
    refresh()
    settings.GONGHUI_STATS_LIVE_LIMIT = 0
    dashboard_queries(known, spec)  # the viewer's roles, read once and kept
    first = dashboard_queries(known, spec)
    tables = source_tables()
    assert [sql for sql in first if any(f'"{t}"' in sql for t in tables)] == []
    grow(known, 70)
    grow(known, 71)
    refresh()
    assert len(dashboard_queries(known, spec)) == len(first)


def test_figures_without_history_come_from_last_nights_measurement(known, settings):
    """A past year's employer ledger is today's (no history is kept): the snapshot dashboard reads it
    as last night measured it, equal to the live count when nothing changed since."""
    with scopes_disabled():
        live = dash.build(known.user("a_admin"), known.a, parse_period("2025", today=TODAY), today=TODAY)
    refresh()
    settings.GONGHUI_STATS_LIVE_LIMIT = 0
    with scopes_disabled():
        snap = dash.build(known.user("a_admin"), known.a, parse_period("2025", today=TODAY), today=TODAY)
    assert snap.snapshot
    assert snap.values == live.values
    assert snap.values["orgs.employers"] == 5 and snap.values["orgs.unionized_employers"] == 3


def snapshots() -> dict:
    """Every snapshot row's figures. ``_rows`` (records of all sources, the size that decides live or
    snapshot) is read from the latest day alone, which every night recomputes: past days may keep
    theirs when only a figure without history changed (a new employer)."""
    with scopes_disabled():
        return {(node_id, on): {k: v for k, v in values.items() if k != ROWS}
                for node_id, on, values in Snapshot.objects.values_list("node_id", "on", "values")}


def computed_at() -> dict:
    with scopes_disabled():
        return dict(((n, o), t) for n, o, t in Snapshot.objects.values_list("node_id", "on", "computed_at"))


def test_an_incremental_refresh_after_changes_on_a_past_day_equals_a_full_one(known):
    refresh(full=True)
    stamps = computed_at()
    with scopes_disabled():
        c = Node.objects.get(pk=known.c.pk)
        Member.objects.bulk_create([_member(c, gender="F", joined=D(2025, 3, 10), seq=40)])  # backdated join
        leaver = Member.objects.get(name="测试2")  # joined 10 February 2025
        leaver.status, leaver.status_changed_on = "left", D(2025, 6, 1)
        leaver.save()
        make_employer(Node.objects.get(pk=known.d.pk), name="河口镇新开物流有限公司")  # no history: today only
    refresh(full=False, within_nights=0)  # the days the changes reach alone
    incremental, after = snapshots(), computed_at()
    recomputed = {on for key, on in after if after[key, on] != stamps.get((key, on))}
    assert recomputed == {d for d in default_days(DAY) if d >= D(2025, 2, 10)}
    refresh(full=True)
    assert incremental == snapshots()


def test_a_night_without_changes_recomputes_only_the_day_just_ended(known):
    refresh(full=True)
    stamps = computed_at()
    refresh(full=False, within_nights=0)
    after = computed_at()
    assert {on for key, on in after if after[key, on] != stamps[key, on]} == {DAY}


def recomputed_by_a_night(**kwargs) -> set:
    stamps = computed_at()
    refresh(full=False, **kwargs)
    after = computed_at()
    return {on for key, on in after if after[key, on] != stamps.get((key, on))}


def test_the_full_refresh_is_spread_over_a_week_of_nights(known):
    """No night recomputes every day (the whole of them took 28 minutes at a province): each also
    does whole the seventh of the days computed longest ago, so within seven nights without changes
    every day has been recomputed, and what changes cannot reach is corrected."""
    days = default_days(DAY)
    refresh(full=True)
    share = -(-(len(days) - 1) // 7)
    nights = [recomputed_by_a_night() for _ in range(7)]
    assert all(night - {DAY} and len(night - {DAY}) == share for night in nights), nights
    assert set().union(*nights) == set(days)

    # A change no night can see: an old join moved later (the old date is not known, changes.py).
    with scopes_disabled():
        Member.objects.filter(name="测试2").update(joined_on=D(2026, 10, 1))  # no change stamp moved
    missed = snapshots()
    for _ in range(7):
        refresh(full=False)
    spread = snapshots()
    refresh(full=True)
    assert spread == snapshots() != missed


def test_a_deleted_record_reaches_every_day(known):
    refresh(full=True)
    with scopes_disabled():
        Member.objects.filter(name="测试7").delete()
    refresh(full=False)
    incremental = snapshots()
    refresh(full=True)
    assert incremental == snapshots()


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="pg_trgm is PostgreSQL's; on SQLite the members migration adds no index and names are scanned")
def test_a_name_search_can_read_the_trigram_index(known):
    """The roster's name search (``name LIKE '%…%'``) has the shape the trigram index serves: with
    whole-table reads ruled out, the plan reads member_name_trgm (on a province's ten million
    members the planner picks it by itself; a test's nine would be scanned)."""
    from django.db import transaction

    from gonghui.members import selectors as members

    with scopes_disabled():
        query = members.member_list(node=Node.objects.get(pk=known.a.pk), query="测试12").query
        sql, params = query.sql_with_params()
    assert "LIKE" in sql and "%测试12%" in params  # the selector's shape: name LIKE '%…%'
    with transaction.atomic(), connection.cursor() as cursor:
        # That predicate alone on the members, whole-table reads ruled out: what is left is the trigram
        # index (with the scope's joins, a test's nine members let the planner take the scope's own
        # indexes, which says nothing of a province's ten million).
        cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off; "
                       "SET LOCAL enable_indexonlyscan = off")
        cursor.execute("EXPLAIN SELECT id FROM members_member WHERE name LIKE %s", ["%测试12%"])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "member_name_trgm" in plan, plan


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="the two-character index is PostgreSQL's; on SQLite names are scanned")
def test_a_two_character_name_search_reads_the_two_character_index(known):
    """A two-character query has no trigram, so the trigram index cannot serve it and a province's
    ten million names were scanned (~1.8 s). The roster asks the two-character index too (members
    migration 0007): with whole-table reads ruled out, the plan reads member_name_bigrams, and the
    rows are those of the plain LIKE."""
    from django.db import transaction

    from gonghui.members import selectors as members

    with scopes_disabled():
        everyone = Node.objects.get(pk=known.a.pk)
        Member.objects.filter(pk=Member.objects.filter(node__path__startswith=everyone.path).first().pk).update(
            name="欧阳娜娜")
        for query in ("测试", "试1", "阳娜", "娜娜", "欧阳娜", "娜", "张三"):
            found = set(members.member_list(node=everyone, query=query).values_list("pk", flat=True))
            expected = set(Member.objects.filter(node__path__startswith=everyone.path, status="active",
                                                 name__contains=query).values_list("pk", flat=True))
            assert found == expected, query
        assert members.member_list(node=everyone, query="阳娜").count() == 1
        sql, params = members.member_list(node=everyone, query="阳娜").query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off; "
                       "SET LOCAL enable_indexonlyscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "member_name_bigrams" in plan, plan


def test_an_initials_search_lists_exact_initials_first(known):
    """An initials search is listed by initials, then name: 赵四 (zs) before 张三丰 (zsf), though 张
    sorts before 赵 by name. That is the order of PostgreSQL's initials index (members migration 0008);
    the rows are every member whose initials start with the query, whatever the letters' case."""
    from gonghui.members import selectors as members

    with scopes_disabled():
        everyone = Node.objects.get(pk=known.a.pk)
        pks = list(Member.objects.filter(node__path__startswith=everyone.path, status="active")
                   .order_by("pk").values_list("pk", flat=True)[:4])
        for pk, (name, initials) in zip(pks, (("张三丰", "zsf"), ("赵四", "zs"), ("周松", "zs"), ("李四", "ls")),
                                        strict=True):
            Member.objects.filter(pk=pk).update(name=name, name_initials=initials)
        found = [m.name for m in members.member_list(node=everyone, query="ZS")]
        assert found == ["周松", "赵四", "张三丰"]
        assert [m.name for m in members.member_list(node=everyone, query="zsf")] == ["张三丰"]
        assert members.member_list(node=everyone, query="zx").count() == 0


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="the initials index is PostgreSQL's; SQLite sorts its few matches")
def test_an_initials_search_reads_its_page_from_the_initials_index(known):
    """A province's 1 % of matches for two initials were fetched and sorted whole for a page (900 ms
    at p95). With the roster's order the index's (members migration 0008): the plan reads
    member_initials_order as a range (the column in the C collation: a LIKE prefix is an index
    condition), with no sort step; the page's count can read the index alone (it holds the union and
    the status)."""
    from django.db import transaction

    from gonghui.members import selectors as members

    with scopes_disabled():
        everyone = Node.objects.get(pk=known.a.pk)
        page = members.member_list(node=everyone, query="zs")[:20].query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        # A tiny test table is cheaper to sort than to read in order: what is asked is that the order
        # can come from the index (on a province's ten million the planner takes it by itself).
        cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off; SET LOCAL enable_sort = off")
        cursor.execute("EXPLAIN " + page[0], page[1])
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'member_initials_order'")
        (definition,) = cursor.fetchone()
    assert "member_initials_order" in plan, plan
    assert "Index Cond: (((name_initials)::text >= 'zs'::text) AND ((name_initials)::text < 'zt'::text))" in plan, plan
    assert "Sort" not in plan, plan
    # The count's columns are all in the index (a tiny test table is not planned as a province is).
    assert definition.endswith("(name_initials, name, id) INCLUDE (node_id, status)"), definition
