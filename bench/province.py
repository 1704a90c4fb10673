"""Province benchmark: a provincial federation's instance generated on PostgreSQL and measured.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gh_bench_province \\
        python3 bench/province.py [--scale 1.0] [--runs 30] [--jobs 2] [--reuse] [--parts dashboards,search,…]

At ``--scale 1.0`` (the default, a whole province): 100,000 union nodes (province → 11 cities →
99 counties → ~1,200 townships and streets → enterprise and community unions → branches, valid
treebeard paths), 10,000,000 members, 1,000,000 employers, 50,000 service positions with their
visits, activities (courses) with sessions, bookings and attendance, rights cases, hardship files
and a long audit log, in the proportions of the demo county (``bench/dashboard.py``,
``PROPORTIONS``). ``--scale 0.1`` builds a tenth of every count (the tree keeps its 11 cities and
99 counties; fewer unions under them).

Personal fields are real: each member's ID number and phone are sealed with the project's field
encryption (``core.crypto.sealer``, AES-GCM with the configured key) and indexed by its keyed
hashes (``core.crypto.indexer``, the purposes ``members.services.roster`` uses), names carry their
pinyin initials and phones their last four digits, so every search below runs the application's
own look-ups. Members and employers are written with COPY from ``--jobs`` processes in chunks of
100,000 (each process seals its own chunks and streams them on its own connection); the rest with
INSERT … SELECT or bulk inserts. Audit rows carry their real keyed hash and a signed checkpoint
seals them, so ``audit-verify`` checks them for real.

Then, in the same run, p50 / p95 over ``--runs`` runs beside a baseline measured alongside
(fewer runs where the baseline is slow; the ratio is baseline / ours):

- the whole dashboard (``stats.dashboard.build``) at the province root and at a county, from the
  snapshots and counted live; baseline: the naive walk (each child's subtree counted by its own
  queries);
- roster search (``members.selectors.member_list``, first page of 20 as the roster shows) by name,
  pinyin initials, phone tail and full ID, in a county's scope and the province's, the first 20
  rows and the roster page's own two queries (the count, then the first 50); baseline: the same
  query with index scans turned off (what the search costs without its indexes);
- a member's page (``/members/<pk>/`` through Django's test client, as a province admin);
  baseline: the member's row read and decrypted (``members.selectors.access_member``);
- a join approval (``members.services.joining.approve_application``); baseline: the new member's
  row written alone (``roster.save_new_member``), the part every way of adding a member pays;
- a 100,000-row roster import into a county (``bench/import_roster.py``'s file), once;
- the statistics refresh (``stats.services.refresh_snapshots``): the full one, once, for the
  snapshots the dashboards then read (``--refresh`` repeats it on a reused database); then, part
  ``nights``, two nights as the nightly job runs them (the days changes reach and the week's seventh
  of the others), after no change and after a back-dated join;
- ``gonghui audit-verify`` (every row's hash and the signed checkpoints), once;
- ``gonghui backup`` and ``gonghui restore`` into an empty database, once each.

``--parts`` picks some of them (``nights,dashboards,search,member,approval,import,audit,backup``); with
``--reuse`` a measurement repeats on the data of an earlier run (same ``GONGHUI_DATA_DIR``: its keys).

The nearest-station search at 200,000 positions is ``bench/nearest.py --positions 200000`` (its
own database and baseline). Prints the sizes (rows, database size on disk), the build time of each
part, the figures and the targets: dashboards p95 < 300 ms; county roster search p95 < 100 ms,
province < 300 ms; member page p95 < 50 ms; a night's refresh < 10 minutes.
"""

import argparse
import datetime
import io
import multiprocessing
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import dashboard  # noqa: E402  (the tree-independent generators and timing helpers)
from bench.import_roster import GIVEN, SURNAMES, people, roster_xlsx  # noqa: E402

FULL = {"nodes": 100_000, "members": 10_000_000, "employers": 1_000_000, "positions": 50_000,
        "audit": 5_000_000, "hardship": 20_000}
CITIES, COUNTIES_PER_CITY, TOWNSHIPS_PER_COUNTY = 11, 9, 12
CHUNK = 100_000
TODAY = datetime.date(2026, 11, 23)
PARTS = ("nights", "dashboards", "search", "member", "approval", "import", "audit", "backup")
TARGETS = {"dashboard": 300, "search county": 100, "search province": 300, "member page": 50}
MEMBER_COLUMNS = ("node_id", "name", "name_initials", "gender", "birth_date", "ethnicity", "id_number", "id_hash",
                  "phone", "phone_hash", "phone_tail", "education", "political_status", "household", "is_migrant",
                  "employment_form", "new_form_type", "employer_name", "member_type", "card_number", "card_version",
                  "joined_on", "status", "status_changed_on", "source", "created_at", "updated_at")
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
EPOCH = datetime.date(1966, 1, 1)
DAYS_OF_BIRTH = 14_600  # 40 years of birth dates; with 999 sequence numbers, 14.6 million distinct IDs a region


def resident_id(i: int) -> str:
    """The i-th distinct, valid 18-digit resident ID (region 330102, birth dates over 40 years)."""
    birth = EPOCH + datetime.timedelta(days=i % DAYS_OF_BIRTH)
    first17 = f"330102{birth:%Y%m%d}{i // DAYS_OF_BIRTH % 999 + 1:03d}"
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def phone_of(i: int) -> str:
    return f"13{(i * 7919 + 1) % 10**9:09d}"  # distinct for every i below 10**9 (7919 is prime to 10**9)


def counts(scale: float) -> dict[str, int]:
    return {k: max(1, round(v * scale)) for k, v in FULL.items()}


# --- the tree ------------------------------------------------------------------------------------------

def build_tree(n_nodes: int, rng: random.Random) -> dict:
    """Province → 11 cities → 99 counties → 12 townships each; the rest enterprise and community
    unions under townships (70 %) and branches under those unions. Paths as treebeard makes them."""
    from gonghui.orgs.models import Node, NodeKind

    steplen, alphabet = Node.steplen, Node.alphabet

    def step(i: int) -> str:
        out = ""
        for _ in range(steplen):
            out = alphabet[i % len(alphabet)] + out
            i //= len(alphabet)
        return out

    nodes: list[Node] = []
    counters: dict[str, int] = {}
    founded = datetime.date(2010, 1, 1)

    def add(parent: str, kind: str, name: str, workers: int = 0) -> str:
        counters[parent] = counters.get(parent, 0) + 1
        path = parent + step(counters[parent])
        nodes.append(Node(path=path, depth=len(path) // steplen, numchild=0, name=name, kind=kind,
                          code=f"P{len(nodes):09d}", worker_count=workers,
                          established_on=founded + datetime.timedelta(days=rng.randrange(0, 5000))))
        return path

    province = add("", NodeKind.PROVINCE, "浙东省总工会")
    counties, townships = [], []
    for c in range(CITIES):
        city = add(province, NodeKind.CITY, f"第{c + 1}市总工会")
        for k in range(COUNTIES_PER_CITY):
            county = add(city, NodeKind.COUNTY, f"第{c + 1}市第{k + 1}县总工会")
            counties.append(county)
            for t in range(TOWNSHIPS_PER_COUNTY):
                townships.append(add(county, NodeKind.TOWNSHIP_UNION, f"{county[-4:]}第{t + 1}镇街总工会"))
    unions: list[str] = []
    wanted = max(n_nodes, len(nodes) + 100)  # the federations, and at least 100 unions
    while len(nodes) < wanted:
        if not unions or rng.random() < 0.7:
            kind = NodeKind.ENTERPRISE if rng.random() < 0.8 else NodeKind.VILLAGE_FEDERATION
            unions.append(add(rng.choice(townships), kind, f"企业{len(nodes)}工会", workers=rng.randrange(20, 400)))
        else:
            add(rng.choice(unions), NodeKind.BRANCH, f"分会{len(nodes)}", workers=rng.randrange(10, 100))
    for node in nodes:
        node.numchild = counters.get(node.path, 0)
    Node.objects.bulk_create(nodes, batch_size=5000)
    ids = dict(Node.objects.values_list("path", "pk"))
    return {"province": ids[province], "counties": [ids[p] for p in counties],
            "townships": [ids[p] for p in townships], "unions": [ids[p] for p in unions]}


# --- members and employers, by COPY from several processes ----------------------------------------------

def _copy_chunk(job: tuple) -> int:
    """One chunk of members (rows ``first``..``first + n``), sealed and indexed here, COPYed on this
    process's own connection."""
    kind, first, n, union_pks, seed = job
    import psycopg

    rng = random.Random(seed)
    url = os.environ["DATABASE_URL"]
    buffer = io.StringIO()
    now = datetime.datetime.now(datetime.UTC).isoformat()
    if kind == "members":
        from gonghui.core import crypto, pinyin
        from gonghui.members.selectors import ID_PURPOSE, PHONE_PURPOSE

        seal = crypto.sealer()
        id_index, phone_index = crypto.indexer(purpose=ID_PURPOSE), crypto.indexer(purpose=PHONE_PURPOSE)
        initials: dict[str, str] = {}
        forms = ["contract"] * 7 + ["dispatch", "flexible", "new_form"]
        for i in range(first, first + n):
            name = rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
            if name not in initials:
                initials[name] = pinyin.initials(name)[:50]
            number, phone = resident_id(i), phone_of(i)
            joined = datetime.date(2012, 1, 1) + datetime.timedelta(days=rng.randrange(0, 5000))
            left = rng.random() < 0.05
            form = rng.choice(forms)
            row = (rng.choice(union_pks), name, initials[name], "F" if rng.random() < 0.45 else "M",
                   (EPOCH + datetime.timedelta(days=i % DAYS_OF_BIRTH)).isoformat(), "汉族", seal(number),
                   id_index(number), seal(phone), phone_index(phone), phone[-4:], rng.choice(["senior", "college",
                   "bachelor"]), "masses", rng.choice(["urban", "rural"]), "t" if rng.random() < 0.4 else "f", form,
                   "food_delivery" if form == "new_form" else "", "", "full", f"P{i:012d}", 1, joined.isoformat(),
                   "left" if left else "active", (joined + datetime.timedelta(days=200)).isoformat() if left else r"\N",
                   "import", now, now)
            buffer.write("\t".join(map(str, row)) + "\n")
        table, columns = "members_member", MEMBER_COLUMNS
    else:
        sectors = ["manufacturing", "construction", "retail", "logistics", "services", "it"]
        for i in range(first, first + n):
            row = (rng.choice(union_pks[1]), f"浙东单位{i}", f"91{i:016d}", rng.choice(sectors),
                   rng.randrange(5, 800), "", rng.choice(union_pks[0]) if rng.random() < 0.6 else r"\N", "", "",
                   now, now)
            buffer.write("\t".join(map(str, row)) + "\n")
        table, columns = "orgs_employer", ("node_id", "name", "credit_code", "sector", "employee_count", "address",
                                           "union_id", "notes", "pinyin_initials", "created_at", "updated_at")
    with psycopg.connect(url) as conn, conn.cursor() as cur:
        with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            copy.write(buffer.getvalue())
    return n


def copy_in_chunks(kind: str, total: int, pool_args, jobs: int) -> float:
    from django.db import connections

    connections.close_all()  # no connection crosses the fork
    started = time.perf_counter()
    work = [(kind, first, min(CHUNK, total - first), pool_args, 1000 + first // CHUNK)
            for first in range(0, total, CHUNK)]
    done = 0
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        for n in pool.imap_unordered(_copy_chunk, work):
            done += n
            if done % (CHUNK * 10) == 0 or done == total:
                print(f"    {kind}: {done:,} / {total:,} ({time.perf_counter() - started:.0f} s)", flush=True)
    return time.perf_counter() - started


# --- the rest ------------------------------------------------------------------------------------------

def seal_workers() -> None:
    """The generator's workers carry a placeholder phone: give each a real sealed one (the restore
    checks that encrypted fields decrypt)."""
    from django.db import connection

    from gonghui.core import crypto

    seal = crypto.sealer()
    with connection.cursor() as cur:
        cur.execute("SELECT id FROM accounts_worker WHERE phone = 'bench' ORDER BY id")
        ids = [pk for (pk,) in cur.fetchall()]
        for first in range(0, len(ids), 5000):
            batch = [(seal(phone_of(800_000_000 + pk)), pk) for pk in ids[first:first + 5000]]
            cur.execute("UPDATE accounts_worker SET phone = v.phone FROM (VALUES "
                        + ", ".join(["(%s, %s)"] * len(batch)) + ") AS v (phone, id) WHERE accounts_worker.id = v.id",
                        [x for row in batch for x in row])


def build_hardship(n: int, union_pks: list[int], rng) -> None:
    from gonghui.aid.models import HardshipFile

    files = []
    for i in range(n):
        number = resident_id(20_000_000 + i)  # nobody else's ID (above any member's i)
        registered = datetime.date(2023, 1, 1) + datetime.timedelta(days=rng.randrange(0, 1400))
        files.append(HardshipFile(node_id=rng.choice(union_pks), name="困难职工", id_number=number,
                                  person_hash=f"h{i:063d}", phone=phone_of(900_000_000 + i),
                                  cause=rng.choice(["illness", "disability", "unemployment", "disaster", "other"]),
                                  level=rng.choice(["deep", "relative", "sudden"]), household_size=rng.randrange(1, 6),
                                  income_per_head=rng.randrange(300, 1500), registered_on=registered,
                                  review_due_on=registered + datetime.timedelta(days=365)))
    HardshipFile.objects.bulk_create(files, batch_size=5000)


def build_audit(n: int, node_paths: list[str], rng) -> float:
    """``n`` audit rows with their real keyed hash, by COPY (ids from the table's sequence), then a
    signed checkpoint over them all, as the nightly sequencer leaves the log."""
    from django.db import connection
    from django.utils import timezone

    from gonghui.core import log
    from gonghui.core.checkpoints import make_checkpoint
    from gonghui.core.models import AuditEntry

    actions = ["members.member.viewed", "members.member.created", "members.list.viewed", "positions.visit.recorded",
               "activities.booking.created", "rights.case.updated", "accounts.login", "stats.dashboard.viewed"]
    tz = timezone.get_current_timezone()
    started = time.perf_counter()
    columns = ("id", "seq", *AuditEntry.log_fields, "prev_hash", "hash")
    with connection.cursor() as cur:
        cur.execute("SELECT setval(pg_get_serial_sequence('core_auditentry', 'id'), %s)", [n])
    for first in range(1, n + 1, CHUNK):
        buffer = io.StringIO()
        for seq in range(first, min(n + 1, first + CHUNK)):
            at = datetime.datetime(2024, 1, 1, 8, tzinfo=tz) + datetime.timedelta(seconds=seq * 90_000_000 // n)
            entry = AuditEntry(id=seq, seq=seq, at=at, actor_type="user", actor_id=str(rng.randrange(1, 5000)),
                               actor_label="cadre", action=rng.choice(actions), object_type="members.member",
                               object_id=str(rng.randrange(1, 10**7)), object_repr="", data={"n": seq % 7},
                               ip="10.0.0.1", channel="web", node_path=rng.choice(node_paths), prev_hash="")
            entry.hash = log.row_hash(entry)
            buffer.write("\t".join([str(seq), str(seq), at.isoformat(), "user", entry.actor_id, "cadre", entry.action,
                                    "members.member", entry.object_id, "", f'{{"n": {seq % 7}}}', "10.0.0.1",
                                    "web", entry.node_path, "", entry.hash]) + "\n")
        with connection.cursor() as cur, cur.copy(f"COPY core_auditentry ({', '.join(columns)}) FROM STDIN") as copy:
            copy.write(buffer.getvalue())
    make_checkpoint()
    return time.perf_counter() - started


def build(args, n: dict) -> dict:
    from django.db import connection

    from gonghui.orgs.models import Node

    rng = random.Random(21)
    timings = {}
    t = time.perf_counter()
    tree = build_tree(n["nodes"], rng)
    timings["tree"] = time.perf_counter() - t
    print(f"  {n['nodes']:,} nodes in {timings['tree']:.0f} s", flush=True)
    timings["employers"] = copy_in_chunks("employers", n["employers"], (tree["unions"], tree["townships"]), args.jobs)
    timings["members"] = copy_in_chunks("members", n["members"], tree["unions"], args.jobs)
    t = time.perf_counter()
    dashboard.PROPORTIONS["positions"] = FULL["positions"] * 10_000 // FULL["members"]  # 50 per 10,000 members
    made = dashboard.build_services(tree["townships"], tree["unions"], n["members"], rng)
    made.update(dashboard.build_staff(tree["townships"], rng))
    seal_workers()
    build_hardship(n["hardship"], tree["unions"], rng)
    made["hardship files"] = n["hardship"]
    timings["services"] = time.perf_counter() - t
    print("  " + ", ".join(f"{k} {v:,}" for k, v in made.items()) + f" in {timings['services']:.0f} s", flush=True)
    paths = list(Node.objects.filter(depth__lte=4).values_list("path", flat=True))
    timings["audit"] = build_audit(n["audit"], paths, rng)
    print(f"  audit log {n['audit']:,} rows (hashed, one signed checkpoint) in {timings['audit']:.0f} s", flush=True)
    t = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")
    timings["vacuum analyze"] = time.perf_counter() - t
    return timings


# --- measuring -----------------------------------------------------------------------------------------

def timed(fn, runs: int) -> list[float]:
    fn()  # warm
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def report(label: str, ours: list[float], base: list[float] | None, target: float | None) -> None:
    p50, p95 = dashboard.p(ours, .5), dashboard.p(ours, .95)
    line = f"{label:38} {p50:8.1f} {p95:8.1f}"
    if base:
        b50 = statistics.median(base)
        line += f" {b50:10.1f} {b50 / p50:8.1f}x"
    else:
        line += f" {'':10} {'':9}"
    if target:
        line += f"   target p95 < {target} ms: {'met' if p95 < target else 'MISSED'}"
    print(line, flush=True)


def contention() -> str:
    """How much of a core this process gets now: a fixed CPU-bound loop's wall time over its CPU
    time (1.0 on an idle machine; 2.0 means every figure here took about twice as long as alone)."""
    ratios = []
    for _ in range(5):
        wall, cpu = time.perf_counter(), time.process_time()
        sum(i * i for i in range(300_000))
        ratios.append((time.perf_counter() - wall) / max(time.process_time() - cpu, 1e-6))
    return f"load average {os.getloadavg()[0]:.1f}, wall/CPU of a fixed loop {statistics.median(ratios):.1f}"


def incremental_refresh(stats, member_model) -> None:
    """The nightly job as it runs (``gonghui stats-refresh`` without ``--full``: the days changes reach
    and the seventh of the others computed longest ago): after a night with only yesterday's records,
    and after a member's join backdated to two months before."""
    from gonghui.stats.models import Snapshot

    def night(label):
        t = time.perf_counter()
        rows = stats.refresh_snapshots(today=TODAY, full=False)
        took = time.perf_counter() - t
        days = Snapshot.objects.filter(computed_at__gte=started).values("on").distinct().count()
        print(f"one night's statistics refresh, incremental ({label}): {rows:,} snapshot rows, {days} days "
              f"recomputed, in {took:.0f} s (target < 600 s: {'met' if took < 600 else 'MISSED'})", flush=True)

    from django.utils import timezone

    started = timezone.now()
    night("no change but the day just ended")
    member = member_model.objects.filter(status="active").order_by("pk").first()
    member.joined_on = TODAY - datetime.timedelta(days=70)
    member.save()
    started = timezone.now()
    night(f"a join backdated to {member.joined_on}")


def dashboard_queries(build) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        build()
    return len(queries.captured_queries)


def without_indexes(fn):
    from django.db import connection, transaction

    def run():
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute("SET LOCAL enable_indexscan = off; SET LOCAL enable_bitmapscan = off; "
                        "SET LOCAL enable_indexonlyscan = off")
            fn()
    return run


def measure(args, n: dict) -> None:  # noqa: PLR0915 (one report, read top to bottom)
    from django.conf import settings
    from django.core.management import call_command
    from django.core.paginator import Paginator
    from django.db import connection, transaction
    from django.test import Client
    from django.utils import timezone

    from gonghui.accounts.models import User
    from gonghui.core.indicators import parse_period
    from gonghui.core.scoping import Subtree, scopes_disabled, tree_scope
    from gonghui.members import selectors as members
    from gonghui.members.models import JoinApplication, Member
    from gonghui.members.selectors import id_hash, phone_hash
    from gonghui.members.services import importing, joining
    from gonghui.members.services.roster import build_member, save_new_member
    from gonghui.orgs.models import Node
    from gonghui.stats import dashboard as dash
    from gonghui.stats import services as stats
    from gonghui.stats.models import Snapshot
    from gonghui.stats.snapshots import default_days

    runs, slow = args.runs, max(3, args.runs // 10)
    parts = set(args.parts.split(","))
    province = Node.objects.get(depth=1)
    county = Node.objects.filter(depth=3).order_by("path")[5]
    user = User.objects.filter(username="bench").first() or User.objects.create_superuser(
        "bench", password="Bench-2026-gonghui!")
    period = parse_period("2025", today=TODAY)

    with scopes_disabled():
        if args.refresh or not Snapshot.objects.exists():
            # What the nightly job does (gonghui stats-refresh): every node, for the days it recomputes
            # (yesterday, a year before, each month-end of three years); the dashboards read them.
            t = time.perf_counter()
            rows = stats.refresh_snapshots(today=TODAY)
            night = time.perf_counter() - t
            # Not a night's job any more: each night does the days changes reach and a seventh of the rest
            # (part "nights"); --full recomputes every day at once, after a correction.
            print(f"the full statistics refresh (stats-refresh --full): {rows:,} snapshot rows "
                  f"({len(default_days(TODAY - datetime.timedelta(days=1)))} days × {Node.objects.count():,} nodes) "
                  f"in {night:.0f} s", flush=True)
        if "nights" in parts:
            incremental_refresh(stats, Member)
        sample = Member.objects.filter(node__path__startswith=county.path, status="active").order_by("pk")[:50]
        people_in_county = [(m.pk, m.name, m.name_initials, m.phone_tail, m.id_number) for m in sample]

    print(f"\nmeasuring ({contention()})")
    print(f"{'':38} {'p50 ms':>8} {'p95 ms':>8} {'base p50':>10} {'base/ours':>9}")

    def dashboard_at(node, live):
        settings.GONGHUI_STATS_LIVE_LIMIT = 10**12 if live else 0
        dash.build(user, node, period, today=TODAY)

    def naive(node):
        from gonghui.activities.models import Activity, Attendance
        from gonghui.orgs import selectors as orgs
        from gonghui.positions.models import Position, Visit
        from gonghui.rights.models import Case

        for child in orgs.children_of(node):
            Member.objects.filter(node__path__startswith=child.path, status="active").count()
            orgs.node_rollup(child)
            Position.objects.filter(node__path__startswith=child.path, status="open").count()
            Visit.objects.filter(position__node__path__startswith=child.path, at__year=2025).count()
            Activity.objects.filter(node__path__startswith=child.path, state="closed", starts_at__year=2025).count()
            Attendance.objects.filter(session__activity__node__path__startswith=child.path, at__year=2025).count()
            Case.objects.filter(node__path__startswith=child.path, closed_on__year=2025).count()

    with tree_scope(Subtree([province.path])):
        for label, node in (("province root", province), ("county", county)) if "dashboards" in parts else ():
            base = timed(lambda n=node: naive(n), slow)
            report(f"dashboard {label}, snapshots", timed(lambda n=node: dashboard_at(n, False), runs), base,
                   TARGETS["dashboard"])
            print(f"  (queries: snapshots {dashboard_queries(lambda n=node: dashboard_at(n, False))}, "
                  f"live {dashboard_queries(lambda n=node: dashboard_at(n, True))})", flush=True)
            report(f"dashboard {label}, live", timed(lambda n=node: dashboard_at(n, True), args.live_runs or runs), base,
                   TARGETS["dashboard"])
        settings.GONGHUI_STATS_LIVE_LIMIT = 0

        rng = random.Random(5)
        for scope_label, node, target in (("county", county, TARGETS["search county"]),
                                          ("province", province, TARGETS["search province"])) if "search" in parts else ():
            for kind, index in (("name", 1), ("whole name", 5), ("pinyin initials", 2), ("phone tail", 3),
                                ("full ID", 4)):
                def search(node=node, index=index, page=False):
                    person = rng.choice(people_in_county)
                    query = person[1] if index == 5 else person[index][:2] if index in (1, 2) else person[index]
                    if page:  # what the roster page asks: the count, then its first 50
                        list(Paginator(members.member_list(node=node, query=query), 50).get_page(1))
                    else:
                        list(members.member_list(node=node, query=query)[:20])
                base = timed(without_indexes(search), slow)
                report(f"roster search {scope_label}: {kind}", timed(search, runs), base, target)
                report("  the page: count + first 50", timed(lambda s=search: s(page=True), runs), base, target)

    if "member" in parts:
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.filter(user=user).first() or TOTPDevice.objects.create(user=user, name="bench",
                                                                                              confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        pks = [person[0] for person in people_in_county]
        status = client.get(f"/members/{pks[0]}/").status_code
        assert status == 200, f"member page answered {status}"
        with tree_scope(Subtree([province.path])):
            base = timed(lambda: str(members.access_member(random.choice(pks)).id_number), runs)
        print(f"  ({contention()})")
        report("member page (HTTP, test client)", timed(lambda: client.get(f"/members/{random.choice(pks)}/"), runs),
               base, TARGETS["member page"])

    # Join approvals: applications waiting at a union of the county, approved one by one.
    target = Node.objects.filter(path__startswith=county.path, kind="enterprise").order_by("path")[0]
    next_i = [n["members"] + 1_000_000]

    def application():
        i = next_i[0] = next_i[0] + 1
        return JoinApplication.objects.create(
            node=target, name="新会员", id_number=resident_id(i), id_hash=id_hash(resident_id(i)),
            phone=phone_of(i), phone_hash=phone_hash(phone_of(i)), employment_form="contract",
            consent_version="1", consent_at=timezone.now(), consent_channel="link", due_on=TODAY)

    with scopes_disabled():
        pending = [application() for _ in range(runs + 1)] if "approval" in parts else []
        it = iter(pending)
        approvals = timed(lambda: joining.approve_application(application=next(it), actor=user), runs) \
            if "approval" in parts else []

        def bare_member():
            i = next_i[0] = next_i[0] + 1
            with transaction.atomic():
                save_new_member(member=build_member(node=target, name="新会员", id_number=resident_id(i), source="scan",
                                             phone=phone_of(i), employment_form="contract", joined_on=TODAY))
        if approvals:
            report("join approval", approvals, timed(bare_member, runs), None)

        if "import" in parts:
            # A 100,000-row roster import into a union of the county.
            rows = people(args.import_rows, seed=99)
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / "roster.xlsx"
                roster_xlsx(rows, path)
                result = importing.import_roster(data=path.read_bytes(), filename="roster.xlsx", node=target, actor=None)
            print(f"roster import: {result.counts['new']:,} new rows in {result.seconds:.1f} s "
                  f"({args.import_rows / result.seconds:,.0f} rows/s) into a province of {Member.objects.count():,}")

    if "audit" in parts:
        out = io.StringIO()
        t = time.perf_counter()
        try:
            call_command("audit_verify", stdout=out, stderr=out)
        except Exception as error:  # noqa: BLE001 (the report says what failed)
            out.write(f"FAILED: {error}")
        print(f"audit-verify: {time.perf_counter() - t:.0f} s — " + " / ".join(out.getvalue().split("\n")[:2]),
              flush=True)

    with connection.cursor() as cur:
        cur.execute("SELECT pg_database_size(current_database())")
        size = cur.fetchone()[0]
    print(f"database size: {size / 1e9:.1f} GB", flush=True)
    if "backup" in parts:
        measure_backup()


def measure_backup() -> None:
    """``gonghui backup`` of this database, then ``gonghui restore`` into an empty one."""
    import subprocess

    env = dict(os.environ)
    with tempfile.TemporaryDirectory(prefix="gh-province-backup-") as tmp:
        archive = Path(tmp) / "province.tar"
        t = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "gonghui", "backup", "--to", str(archive)], env=env,
                              capture_output=True, text=True, check=False)
        took = time.perf_counter() - t
        size = sum(f.stat().st_size for f in Path(tmp).rglob("*") if f.is_file())
        print(f"backup: {took:.0f} s, {size / 1e9:.2f} GB archive (exit {done.returncode}) "
              f"{done.stderr.strip()[-200:]}", flush=True)
        if done.returncode:
            return
        archive = next(p for p in Path(tmp).rglob("*") if p.is_file())
        import psycopg

        base, name = env["DATABASE_URL"].rsplit("/", 1)
        target = name + "_restored"
        with psycopg.connect(base + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{target}"')
            conn.execute(f'CREATE DATABASE "{target}"')
        env["DATABASE_URL"] = f"{base}/{target}"
        env["GONGHUI_DATA_DIR"] = tempfile.mkdtemp(prefix="gh-province-restored-")
        keys = Path(os.environ["GONGHUI_DATA_DIR"]) / "dev-keys.env"  # the keys the data was written with
        if keys.exists():
            shutil.copy(keys, Path(env["GONGHUI_DATA_DIR"]) / keys.name)
        t = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "gonghui", "restore", str(archive)], env=env,
                              capture_output=True, text=True, check=False)
        print(f"restore into an empty database: {time.perf_counter() - t:.0f} s (exit {done.returncode}) "
              + " / ".join((done.stdout + done.stderr).strip().splitlines()[-3:]), flush=True)
        with psycopg.connect(base + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{target}"')


def _members_in_database() -> int:
    """Members already in DATABASE_URL's database (0 if it or its table is missing)."""
    import psycopg

    try:
        with psycopg.connect(os.environ["DATABASE_URL"]) as conn:
            return conn.execute("SELECT count(*) FROM members_member").fetchone()[0]
    except psycopg.Error:
        return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="share of a whole province (1.0: 10^7 members)")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--jobs", type=int, default=2, help="processes sealing and COPYing members")
    parser.add_argument("--live-runs", type=int, default=0, help="runs of the live dashboards (default --runs)")
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--reuse", action="store_true", help="keep the data of a previous run of the same scale")
    parser.add_argument("--parts", default=",".join(PARTS), help=f"what to measure (default all: {','.join(PARTS)})")
    parser.add_argument("--template", help="start from a copy of this empty, migrated database (e.g. a test one)")
    parser.add_argument("--refresh", action="store_true", help="with --reuse: run the night's refresh again")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("bench/province.py runs on PostgreSQL: set DATABASE_URL (e.g. .../gh_bench_province)")
    n = counts(args.scale)
    # Long statements (COPY, INSERT … SELECT, the refresh) are the point here: no statement timeout.
    os.environ["GONGHUI_DB_STATEMENT_TIMEOUT_MS"] = "0"
    # The keys are made once in the data directory (settings.dev): a reused database needs the same one.
    name = os.environ["DATABASE_URL"].rsplit("/", 1)[1]
    data_dir = os.environ.get("GONGHUI_DATA_DIR") or str(Path(tempfile.gettempdir()) / f"gh-bench-{name}")
    Path(data_dir).mkdir(exist_ok=True)
    reused = args.reuse and _members_in_database() >= n["members"]
    if args.template and not reused:  # a copy of an empty, migrated database: no migrations to wait for
        import psycopg

        base, target = os.environ["DATABASE_URL"].rsplit("/", 1)
        with psycopg.connect(base + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{target}"')
            conn.execute(f'CREATE DATABASE "{target}" TEMPLATE "{args.template}"')
    dashboard.setup_django(data_dir, reuse=reused or bool(args.template))  # else dropped and made again
    from django.db import connection

    from gonghui.core.scoping import scopes_disabled

    print(f"province at scale {args.scale}: " + ", ".join(f"{k} {v:,}" for k, v in n.items())
          + f"; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    with scopes_disabled():
        if not reused:
            t = time.perf_counter()
            timings = build(args, n)
            total = time.perf_counter() - t
            with connection.cursor() as cur:
                cur.execute("SELECT pg_database_size(current_database())")
                size = cur.fetchone()[0]
            print(f"built in {total:.0f} s (" + ", ".join(f"{k} {v:.0f} s" for k, v in timings.items())
                  + f"); database {size / 1e9:.1f} GB", flush=True)
    measure(args, n)
    print(f"at the end: {contention()}")


if __name__ == "__main__":
    main()
