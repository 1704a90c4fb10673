"""Dashboard benchmark: indicators of a city-sized tree, computed by the database, beside the naive way.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gh_bench_stats \\
        python3 bench/dashboard.py [--nodes 20000] [--members 1000000] [--runs 15]

Sets up its own Django (settings gonghui.settings.dev; PostgreSQL from DATABASE_URL, whose database
is dropped and re-created, or a fresh SQLite file in a temporary GONGHUI_DATA_DIR), generates a tree
(city → counties → townships → unions → branches) and members with bulk inserts (personal fields
hold a fixed placeholder: the benchmark measures counting, not encryption), then times in the same
run:

1. ``gonghui stats-refresh`` (the snapshots of every node for the default days);
2. the whole dashboard (``gonghui.stats.dashboard.build``: every indicator for the period and a
   year earlier, the children's table and ranking, breakdowns, monthly trend) of the full tree and
   of a township drill-down, read from the snapshots (what a subtree above the live limit does);
3. the same dashboard counted live (one grouped aggregate query per source);
4. the naive way: walking the children and counting each child's subtree with its own queries
   (members and the orgs roll-up only: less than the dashboard shows).

Prints p50 / p95 in milliseconds and the ratios live / snapshot and naive / snapshot.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django(data_dir: str, *, reuse: bool = False) -> None:
    os.environ["GONGHUI_DATA_DIR"] = data_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "gonghui.settings.dev"
    sys.path.insert(0, str(ROOT))
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        base, name = url.rsplit("/", 1)
        with psycopg.connect(base + "/postgres", autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not (reuse and exists):
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
                conn.execute(f'CREATE DATABASE "{name}"')
    import django
    from django.conf import settings

    django.setup()
    settings.DEBUG = False
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build(n_nodes: int, n_members: int, seed: int = 11) -> dict:
    """A city: 10 counties × 12 townships, the rest enterprise unions and branches under townships."""
    from django.db import connection

    from gonghui.orgs.models import Employer, Node, NodeKind

    rng = random.Random(seed)
    steplen, alphabet = Node.steplen, Node.alphabet

    def step(i: int) -> str:
        out = ""
        for _ in range(steplen):
            out = alphabet[i % len(alphabet)] + out
            i //= len(alphabet)
        return out

    nodes: list[Node] = []
    day = datetime.date(2015, 1, 1)

    def add(path: str, kind: str, name: str, workers: int = 0) -> str:
        nodes.append(Node(path=path, depth=len(path) // steplen, numchild=0, name=name, kind=kind, code=f"B{len(nodes):09d}",
                          established_on=day + datetime.timedelta(days=rng.randrange(0, 3650)), worker_count=workers))
        return path

    city = add(step(1), NodeKind.CITY, "青山市总工会")
    townships = []
    for c in range(10):
        county = add(city + step(c + 1), NodeKind.COUNTY, f"第{c + 1}县总工会")
        for t in range(12):
            townships.append(add(county + step(t + 1), NodeKind.TOWNSHIP_UNION, f"第{c + 1}县第{t + 1}镇总工会"))
    unions, counters = [], {}
    while len(nodes) < n_nodes:
        parent = rng.choice(townships) if not unions or rng.random() < 0.7 else rng.choice(unions)
        counters[parent] = counters.get(parent, 0) + 1
        kind = NodeKind.ENTERPRISE if len(parent) // steplen == 3 else NodeKind.BRANCH
        path = add(parent + step(counters[parent]), kind, f"企业{len(nodes)}工会", workers=rng.randrange(20, 400))
        if kind == NodeKind.ENTERPRISE:
            unions.append(path)
    for node in nodes:
        node.numchild = counters.get(node.path, 0)
    Node.objects.bulk_create(nodes, batch_size=5000)
    ids = dict(Node.objects.values_list("path", "pk"))
    union_pks = [ids[p] for p in unions]
    Employer.objects.bulk_create([
        Employer(node_id=ids[rng.choice(townships)], name=f"单位{i}", credit_code=f"91{i:016d}", sector="manufacturing",
                 employee_count=rng.randrange(10, 500), union_id=rng.choice(union_pks) if rng.random() < 0.7 else None)
        for i in range(n_nodes // 2)], batch_size=5000)
    # Members: placeholder personal fields (the benchmark measures counting, not encryption).
    started = time.perf_counter()
    if connection.vendor == "postgresql":
        _members_by_sql(union_pks, n_members)
    else:
        _members_by_orm(union_pks, n_members, rng)
    print(f"  members {n_members:,} in {time.perf_counter() - started:.0f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return {"city": Node.objects.get(path=city), "township": Node.objects.get(path=townships[0])}


def _members_by_sql(union_pks: list[int], n: int) -> None:
    """PostgreSQL generates the rows itself (INSERT ... SELECT generate_series), seeded."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.11)")
        cursor.execute("""
            INSERT INTO members_member (node_id, name, name_initials, gender, birth_date, ethnicity, id_number,
                id_hash, phone, phone_hash, phone_tail, education, political_status, household, is_migrant,
                employment_form, new_form_type, employer_name, member_type, card_number, card_version, joined_on,
                status, status_changed_on, source, created_at, updated_at)
            SELECT (%s::int[])[1 + floor(random() * %s)::int], '会员', '', CASE WHEN random() < 0.45 THEN 'F' ELSE 'M' END,
                   DATE '1990-01-01', '汉族', 'bench', lpad(i::text, 64, '0'), '', '', '', '', '', '',
                   random() < 0.4, CASE WHEN random() < 0.1 THEN 'new_form' ELSE 'contract' END, '', '', 'full',
                   'C' || lpad(i::text, 12, '0'), 1, j, CASE WHEN l THEN 'left' ELSE 'active' END,
                   CASE WHEN l THEN j + 200 END, 'import', now(), now()
            FROM (SELECT i, DATE '2015-01-01' + floor(random() * 4000)::int AS j, random() < 0.05 AS l
                  FROM generate_series(1, %s) AS i) AS g
        """, [union_pks, len(union_pks), n])


def _members_by_orm(union_pks: list[int], n: int, rng) -> None:
    from gonghui.members.models import Member

    batch = []
    for i in range(n):
        joined = datetime.date(2015, 1, 1) + datetime.timedelta(days=rng.randrange(0, 4000))
        left = rng.random() < 0.05
        batch.append(Member(node_id=rng.choice(union_pks), name="会员", gender="F" if rng.random() < 0.45 else "M",
                            birth_date=datetime.date(1990, 1, 1), id_number="bench", id_hash=f"{i:064d}",
                            is_migrant=rng.random() < 0.4,
                            employment_form="new_form" if rng.random() < 0.1 else "contract",
                            card_number=f"C{i:012d}", joined_on=joined, status="left" if left else "active",
                            status_changed_on=joined + datetime.timedelta(days=200) if left else None))
        if len(batch) == 20000:
            Member.objects.bulk_create(batch)
            batch = []
    Member.objects.bulk_create(batch)


def timed(fn, runs: int) -> list[float]:
    fn()  # warm
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def p(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--nodes", type=int, default=20000)
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--naive-runs", type=int, default=3)
    parser.add_argument("--reuse", action="store_true",
                        help="PostgreSQL only: keep the data and snapshots of a previous run of the same size")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        setup_django(data_dir, reuse=args.reuse)
        from django.conf import settings
        from django.db import connection
        from django_scopes import scopes_disabled

        from gonghui.accounts.models import User
        from gonghui.core.indicators import parse_period
        from gonghui.core.scoping import Subtree, tree_scope
        from gonghui.members.models import Member
        from gonghui.orgs import selectors as orgs
        from gonghui.orgs.models import Node
        from gonghui.stats import dashboard as dash
        from gonghui.stats import services
        from gonghui.stats.models import Snapshot
        from gonghui.stats.snapshots import default_days

        t = time.perf_counter()
        with scopes_disabled():
            reused = args.reuse and Member.objects.count() == args.members
            if reused:
                nodes = {"city": Node.objects.get(depth=1), "township": Node.objects.filter(depth=3).order_by("path")[0]}
            else:
                nodes = build(args.nodes, args.members)
        print(f"{connection.vendor}: {args.nodes:,} nodes, {args.members:,} members "
              f"{'reused' if reused else 'built'} in {time.perf_counter() - t:.0f} s")
        today = datetime.date(2026, 11, 23)
        period = parse_period("2025", today=today)
        user = User.objects.filter(username="bench").first() or User.objects.create_superuser(
            "bench", password="Bench-2026-gonghui!")

        def dashboard(node):
            dash.build(user, node, period, today=today)

        def naive(node):
            """The per-node loop: every child's subtree counted with its own queries."""
            for child in orgs.children_of(node):
                Member.objects.filter(node__path__startswith=child.path, status="active").count()
                orgs.node_rollup(child)

        if not (reused and Snapshot.objects.exists()):
            t = time.perf_counter()
            with scopes_disabled():
                rows = services.refresh_snapshots(days=default_days(today - datetime.timedelta(days=1)))
            refresh = time.perf_counter() - t
            print(f"snapshots: {rows:,} rows ({rows // args.nodes} days) refreshed in {refresh:.0f} s "
                  f"({refresh / (rows // args.nodes):.1f} s a day)")
        results = {}
        with tree_scope(Subtree([nodes["city"].path])):  # as a city cadre: the scope filter is on
            for label, node in (("full tree", nodes["city"]), ("township drill-down", nodes["township"])):
                settings.GONGHUI_STATS_LIVE_LIMIT = 0
                snap = timed(lambda n=node: dashboard(n), args.runs)
                settings.GONGHUI_STATS_LIVE_LIMIT = 10**12
                live = timed(lambda n=node: dashboard(n), args.naive_runs)
                base = timed(lambda n=node: naive(n), args.naive_runs)
                results[label] = (snap, live, base)
        print(f"{'whole dashboard':22} {'snapshot p50':>13} {'p95':>7} {'live p50':>9} {'naive p50':>10} "
              f"{'live/snap':>10} {'naive/snap':>11}")
        for label, (snap, live, base) in results.items():
            print(f"{label:22} {p(snap, .5):11.0f}ms {p(snap, .95):5.0f}ms {statistics.median(live):7.0f}ms "
                  f"{statistics.median(base):8.0f}ms {statistics.median(live) / p(snap, .5):9.1f}x "
                  f"{statistics.median(base) / p(snap, .5):10.1f}x")
        print("target: full tree p95 < 150 ms (SPEC §13)")


if __name__ == "__main__":
    main()
