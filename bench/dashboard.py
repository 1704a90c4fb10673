"""Dashboard benchmark: indicators of a city-sized tree, computed by the database, beside the naive way.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gh_bench_stats \\
        python3 bench/dashboard.py [--nodes 20000] [--members 1000000] [--runs 15]

Sets up its own Django (settings gonghui.settings.dev; PostgreSQL from DATABASE_URL, whose database
is dropped and re-created, or a fresh SQLite file in a temporary GONGHUI_DATA_DIR), generates a tree
(city → counties → townships → unions → branches) and members with bulk inserts (personal fields
hold a fixed placeholder: the benchmark measures counting, not encryption), and service positions
with their visits, activities with sessions, bookings and attendance, rights cases, union staff and
staff targets in proportion to the members (``PROPORTIONS`` below, after the demo county and the figures county reports quote),
then times in the same run:

1. ``gonghui stats-refresh`` (the snapshots of every node for the default days);
2. the whole dashboard (``gonghui.stats.dashboard.build``: every indicator for the period and a
   year earlier, the children's table and ranking, breakdowns, monthly trend) of the full tree and
   of a township drill-down, read from the snapshots (what a subtree above the live limit does);
3. the same dashboard counted live (one grouped aggregate query per source);
4. the naive way: walking the children and counting each child's subtree with its own queries
   (members, the orgs roll-up, positions, visits, activities, participant-times and cases: less
   than the dashboard shows).

Prints the records generated, the city's figures for the period, p50 / p95 in milliseconds and the
ratios live / snapshot and naive / snapshot.
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

# Records per 10,000 members, after the demo county (10,000 members: 79 positions, ~22,000 visits,
# 20 activities a term) and what county reports quote ("20 worker's homes", "10+ events serving
# 10,000 worker-times", "24 disputes mediated" a year for ~10,000 members). Dated over HISTORY.
PROPORTIONS = {
    "positions": 80,              # in all, 90% in service
    "visits": 10_000,             # scans at positions over the history: one per member
    "activities": 60,             # 20 a year; 20-120 seats, 60-100% booked, 1-6 sessions, 85% attend
    "cases": 120,                 # 40 a year; 70% closed, most of them by mediation
}
HISTORY = (datetime.date(2024, 1, 1), datetime.date(2026, 11, 22))


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
    started = time.perf_counter()
    made = build_services([ids[p] for p in townships], union_pks, n_members, rng)
    made.update(build_staff([ids[p] for p in townships], rng))
    print("  " + ", ".join(f"{k} {v:,}" for k, v in made.items()) + f" in {time.perf_counter() - started:.0f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return {"city": Node.objects.get(path=city), "township": Node.objects.get(path=townships[0])}


def build_staff(township_pks: list[int], rng) -> dict[str, int]:
    """Per township, as in the demo county: 1-5 socialized union workers and a full-time vice-chair
    (some have left), and staff targets for each year of HISTORY (the figures computed live)."""
    from gonghui.orgs.models import StaffTarget, UnionStaff

    staff, targets = [], []
    for pk in township_pks:
        for kind, count in (("socialized", rng.randrange(1, 6)), ("vice_chair", rng.randrange(0, 2))):
            for _ in range(count):
                started = datetime.date(2019, 1, 1) + datetime.timedelta(days=rng.randrange(2500))
                ended = started + datetime.timedelta(days=rng.randrange(200, 900)) if rng.random() < 0.1 else None
                staff.append(UnionStaff(node_id=pk, name=f"工作者{len(staff)}", kind=kind, started_on=started,
                                        ended_on=ended))
        for year in range(HISTORY[0].year, HISTORY[1].year + 1):
            targets.append(StaffTarget(node_id=pk, year=year, kind="socialized", target=rng.randrange(2, 6)))
            targets.append(StaffTarget(node_id=pk, year=year, kind="vice_chair", target=1))
    UnionStaff.objects.bulk_create(staff, batch_size=5000)
    StaffTarget.objects.bulk_create(targets, batch_size=5000)
    return {"staff": len(staff), "staff targets": len(targets)}


def _moment(rng, tz) -> datetime.datetime:
    """A random time in HISTORY, in the site's time zone."""
    first, last = HISTORY
    day = first + datetime.timedelta(days=rng.randrange((last - first).days + 1))
    return datetime.datetime.combine(day, datetime.time(rng.randrange(8, 20), rng.randrange(60)), tzinfo=tz)


def build_services(township_pks: list[int], union_pks: list[int], n_members: int, rng) -> dict[str, int]:
    """Positions and visits, activities with sessions, bookings and attendance, rights cases.

    Small tables through the ORM (defaults and generated keys filled as in the app); the large ones
    (visits, workers, bookings, attendance) by INSERT ... SELECT on PostgreSQL, in batches elsewhere.
    """
    from django.db import connection
    from django.utils import timezone

    from gonghui.accounts.models import Worker
    from gonghui.activities.models import Activity, Attendance, Booking, Session
    from gonghui.positions.models import Position, Visit
    from gonghui.rights.models import Case

    tz = timezone.get_current_timezone()
    share = n_members / 10_000
    hosts = township_pks + union_pks
    made: dict[str, int] = {}

    kinds = ["workers_home"] * 3 + ["small_workers_home"] * 2 + ["rest_station"] * 3 + ["love_station",
             "drivers_home", "bookroom", "counselling", "mother_baby", "legal_aid"]
    positions = [Position(node_id=rng.choice(hosts), name=f"服务阵地{i}", kind=rng.choice(kinds),
                          status="open" if rng.random() < 0.9 else rng.choice(["suspended", "closed"]),
                          address="青山市", lat=30 + rng.random(), lng=119 + rng.random())
                 for i in range(round(PROPORTIONS["positions"] * share))]
    Position.objects.bulk_create(positions, batch_size=5000)
    position_pks = list(Position.objects.values_list("pk", flat=True))
    made["positions"] = len(position_pks)

    n_visits = round(PROPORTIONS["visits"] * share)
    days = (HISTORY[1] - HISTORY[0]).days + 1
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT setseed(0.12)")
            cursor.execute("""
                INSERT INTO positions_visit (position_id, person_key, kind, hour, at)
                SELECT (%s::bigint[])[1 + floor(random() * %s)::int], 'v' || i,
                       CASE WHEN random() < 0.15 THEN 'prospect' ELSE 'member' END, date_trunc('hour', t), t
                FROM (SELECT i, (%s::date + floor(random() * %s)::int + time '08:00'
                                 + random() * interval '12 hours') AT TIME ZONE %s AS t
                      FROM generate_series(1, %s) AS i) AS g
            """, [position_pks, len(position_pks), HISTORY[0], days, str(tz), n_visits])
    else:
        for start in range(0, n_visits, 20000):
            batch = []
            for i in range(start, min(n_visits, start + 20000)):
                at = _moment(rng, tz)
                batch.append(Visit(position_id=rng.choice(position_pks), person_key=f"v{i}", at=at,
                                   hour=at.replace(minute=0), kind="prospect" if rng.random() < 0.15 else "member"))
            Visit.objects.bulk_create(batch)
    made["visits"] = n_visits

    activity_kinds = ["culture", "fair", "contest", "course", "lecture", "legal_class", "volunteer"]
    activities, plans = [], []
    for i in range(round(PROPORTIONS["activities"] * share)):
        start = _moment(rng, tz)
        capacity = rng.randrange(20, 121)
        sessions = rng.randrange(1, 7)
        state = "closed" if rng.random() < 0.9 else rng.choice(["cancelled", "draft"])
        taken = round(capacity * rng.uniform(0.6, 1.0)) if state == "closed" else 0
        activities.append(Activity(
            node_id=rng.choice(hosts), kind=rng.choice(activity_kinds), title=f"职工活动{i}", venue_text="职工之家",
            audience="all", starts_at=start, ends_at=start + datetime.timedelta(hours=2), capacity=capacity,
            taken=taken, signup_opens_at=start - datetime.timedelta(days=14),
            signup_closes_at=start - datetime.timedelta(days=1), state=state, closed_at=start + datetime.timedelta(days=1)
            if state == "closed" else None))
        plans.append(sessions)
    Activity.objects.bulk_create(activities, batch_size=5000)
    Session.objects.bulk_create([
        Session(activity=a, number=n + 1, starts_at=a.starts_at + datetime.timedelta(days=7 * n),
                ends_at=a.ends_at + datetime.timedelta(days=7 * n))
        for a, sessions in zip(activities, plans, strict=True) for n in range(sessions)], batch_size=10000)
    made["activities"] = len(activities)
    made["sessions"] = sum(plans)
    n_workers = max(200, n_members // 15)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("""INSERT INTO accounts_worker (phone, phone_hash, created_at)
                              SELECT 'bench', 'w' || lpad(i::text, 63, '0'), now() FROM generate_series(1, %s) i""",
                           [n_workers])
            cursor.execute("SELECT min(id) FROM accounts_worker")
            first = cursor.fetchone()[0]
            # k-th seat of an activity goes to a distinct worker (k < capacity <= workers).
            cursor.execute("""
                INSERT INTO activities_booking (activity_id, worker_id, name, state, created_at, booked_at)
                SELECT a.id, %s + (a.id * 7919 + k) %% %s, '职工', 'booked', a.signup_opens_at, a.signup_opens_at
                FROM activities_activity a, generate_series(0, a.taken - 1) AS k WHERE a.taken > 0
            """, [first, n_workers])
            cursor.execute("SELECT setseed(0.13)")
            cursor.execute("""
                INSERT INTO activities_attendance (booking_id, session_id, at)
                SELECT b.id, s.id, s.starts_at + interval '5 minutes'
                FROM activities_booking b JOIN activities_session s ON s.activity_id = b.activity_id
                WHERE random() < 0.85
            """)
    else:
        Worker.objects.bulk_create([Worker(phone="bench", phone_hash=f"w{i:063d}") for i in range(n_workers)],
                                   batch_size=5000)
        workers = list(Worker.objects.values_list("pk", flat=True))
        bookings = [Booking(activity=a, worker_id=workers[(a.pk * 7919 + k) % len(workers)], name="职工",
                            state="booked", booked_at=a.signup_opens_at) for a in activities for k in range(a.taken)]
        Booking.objects.bulk_create(bookings, batch_size=10000)
        by_activity: dict[int, list] = {}
        for session in Session.objects.all():
            by_activity.setdefault(session.activity_id, []).append(session)
        marks = [Attendance(booking=b, session=s) for b in bookings for s in by_activity.get(b.activity_id, [])
                 if rng.random() < 0.85]
        Attendance.objects.bulk_create(marks, batch_size=10000)
        for session in Session.objects.all():
            Attendance.objects.filter(session=session).update(at=session.starts_at + datetime.timedelta(minutes=5))
    made["workers"] = n_workers
    made["bookings"] = Booking.objects.count()
    made["attendance"] = Attendance.objects.count()

    categories = ["wage_arrears"] * 4 + ["contract", "injury", "social_insurance", "overtime", "dismissal", "other"]
    cases = []
    for _ in range(round(PROPORTIONS["cases"] * share)):
        submitted = _moment(rng, tz)
        closed = rng.random() < 0.7 and submitted.date() + datetime.timedelta(days=45) < HISTORY[1]
        closed_on = submitted.date() + datetime.timedelta(days=rng.randrange(5, 45)) if closed else None
        cases.append(Case(
            node_id=rng.choice(hosts), channel=rng.choice(["phone", "hotline", "walk_in"]),
            category=rng.choice(categories), claimant_name="职工", facts="bench", employer_name="某单位",
            stage=rng.choice(["closed", "visited"]) if closed else rng.choice(["accepted", "investigating", "mediating"]),
            stage_since=closed_on or submitted.date(), due_on=None if closed else submitted.date()
            + datetime.timedelta(days=rng.randrange(10, 60)), mediated=closed and rng.random() < 0.8,
            amount_recovered=rng.randrange(0, 80000) if closed else 0, submitted_at=submitted, closed_on=closed_on))
    Case.objects.bulk_create(cases, batch_size=5000)
    made["cases"] = len(cases)
    return made


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
        from gonghui.activities.models import Activity, Attendance
        from gonghui.core.indicators import parse_period
        from gonghui.core.scoping import Subtree, tree_scope
        from gonghui.members.models import Member
        from gonghui.orgs import selectors as orgs
        from gonghui.orgs.models import Node
        from gonghui.positions.models import Position, Visit
        from gonghui.rights.models import Case
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
                Position.objects.filter(node__path__startswith=child.path, status="open").count()
                Visit.objects.filter(position__node__path__startswith=child.path, at__year=2025).count()
                Activity.objects.filter(node__path__startswith=child.path, state="closed",
                                        starts_at__year=2025).count()
                Attendance.objects.filter(session__activity__node__path__startswith=child.path,
                                          at__year=2025).count()
                Case.objects.filter(node__path__startswith=child.path, closed_on__year=2025).count()

        if not (reused and Snapshot.objects.exists()):
            t = time.perf_counter()
            with scopes_disabled():
                rows = services.refresh_snapshots(days=default_days(today - datetime.timedelta(days=1)))
            refresh = time.perf_counter() - t
            print(f"snapshots: {rows:,} rows ({rows // args.nodes} days) refreshed in {refresh:.0f} s "
                  f"({refresh / (rows // args.nodes):.1f} s a day)")
        shown = ("orgs.grassroots", "members.total", "positions.open", "positions.homes", "positions.visits",
                 "activities.held", "activities.seats", "activities.participant_times", "rights.claims",
                 "rights.mediated", "rights.recovered")
        with tree_scope(Subtree([nodes["city"].path])):
            settings.GONGHUI_STATS_LIVE_LIMIT = 0
            figures = dash.build(user, nodes["city"], period, today=today).values
        print(f"city figures {period.spec} (snapshot): "
              + ", ".join(f"{k.split('.', 1)[1]} {figures[k]:,}" for k in shown))
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
