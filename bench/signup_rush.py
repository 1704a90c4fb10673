"""Sign-up rush benchmark: the real sign-up service under concurrent threads on PostgreSQL, beside
the bare minimum SQL of one booking, measured in the same run.

    python3 bench/signup_rush.py [--courses 20] [--seats 100] [--workers 4000] [--threads 16]
        [--database postgres://postgres@127.0.0.1:5432/gh_bench_activities]

Sets up its own Django (settings gonghui.settings.dev, the given PostgreSQL database, migrated),
makes ``courses`` × ``seats`` seats and ``workers`` distinct workers, each trying one random
course, from ``threads`` threads. It runs:

1. **service**: ``signup.sign_up`` (signed idempotency key, eligibility, conditional seat UPDATE,
   term holding, booking INSERT, audit record, notification) per attempt;
2. **bare**: the minimal SQL of one booking in one transaction (conditional UPDATE of the seat
   counter, INSERT of the booking) — the ceiling of Django plus PostgreSQL on this machine.

and prints bookings (must equal the seats), oversold and duplicates (must be 0), attempts per
second, p50/p95/p99 latency, and the ratio service/bare.
"""

import argparse
import os
import random
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(database: str) -> None:
    import tempfile

    os.environ["GONGHUI_DATA_DIR"] = tempfile.mkdtemp(prefix="gh-bench-rush-")
    os.environ["DJANGO_SETTINGS_MODULE"] = "gonghui.settings.dev"
    os.environ["DATABASE_URL"] = database
    os.environ["GONGHUI_NOTIFIER"] = "gonghui.core.notify.MemoryNotifier"
    import psycopg

    base, name = database.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build(courses: int, seats: int, workers: int):
    import datetime

    from django.utils import timezone

    from gonghui.accounts.models import User, Worker
    from gonghui.activities.services import catalogue
    from gonghui.core.crypto import blind_index
    from gonghui.core.scoping import scopes_disabled
    from gonghui.orgs import services as orgs
    from gonghui.orgs.models import NodeKind

    with scopes_disabled():
        root = orgs.create_root(name="青山县总工会", kind=NodeKind.COUNTY, region_code="330524", region_name="青山县")
        actor = User.objects.create_superuser(username="bench", password="x-Bench-2026!")
        now = timezone.now()
        start = now + datetime.timedelta(days=14)
        made = []
        for i in range(courses):
            a = catalogue.create_activity(
                node=root, actor=actor, title=f"公益课程{i + 1}", audience="all", venue_text="青山县职工文化宫",
                starts_at=start, ends_at=start + datetime.timedelta(hours=2), capacity=seats,
                signup_opens_at=now - datetime.timedelta(minutes=1), signup_closes_at=start - datetime.timedelta(days=1))
            made.append(catalogue.publish_activity(activity=a, actor=actor))
        people = Worker.objects.bulk_create([
            Worker(phone=f"139{i:08d}", phone_hash=blind_index(f"139{i:08d}", purpose="phone")) for i in range(workers)])
    return made, people


def run(label, attempt, jobs, threads):
    from django.db import connections

    queue = list(jobs)
    lock = threading.Lock()
    latencies, outcomes = [], {}

    def loop():
        while True:
            with lock:
                if not queue:
                    break
                job = queue.pop()
            t = time.perf_counter()
            try:
                result = attempt(*job)
            except Exception as exc:  # noqa: BLE001 - counted by kind
                result = getattr(exc, "code", type(exc).__name__)
            latencies.append(time.perf_counter() - t)
            with lock:
                outcomes[result] = outcomes.get(result, 0) + 1
        connections.close_all()

    pool = [threading.Thread(target=loop) for _ in range(threads)]
    t0 = time.perf_counter()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    wall = time.perf_counter() - t0
    q = statistics.quantiles(latencies, n=100)
    rate = len(latencies) / wall
    print(f"{label:8} {len(latencies):>6} attempts in {wall:6.2f} s = {rate:7.0f}/s · "
          f"p50 {q[49] * 1000:6.1f} ms · p95 {q[94] * 1000:6.1f} ms · p99 {q[98] * 1000:6.1f} ms · {outcomes}")
    return rate


def check(label, activities, seats):
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM activities_booking WHERE state = 'booked'")
        booked = cur.fetchone()[0]
        cur.execute("SELECT count(*) FROM (SELECT activity_id, worker_id FROM activities_booking "
                    "WHERE state = 'booked' GROUP BY 1, 2 HAVING count(*) > 1) d")
        duplicates = cur.fetchone()[0]
        cur.execute("SELECT coalesce(sum(greatest(n - %s, 0)), 0) FROM (SELECT count(*) n FROM activities_booking "
                    "WHERE state = 'booked' GROUP BY activity_id) c", [seats])
        oversold = cur.fetchone()[0]
    print(f"{label:8} bookings {booked} (seats {len(activities) * seats}) · oversold {oversold} · "
          f"duplicates {duplicates}")
    return booked, oversold, duplicates


def reset():
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("DELETE FROM activities_booking")
        cur.execute("DELETE FROM activities_termholding")
        cur.execute("UPDATE activities_activity SET taken = 0, waiting = 0")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--courses", type=int, default=20)
    parser.add_argument("--seats", type=int, default=100)
    parser.add_argument("--workers", type=int, default=4000)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/gh_bench_activities")
    args = parser.parse_args()
    setup(args.database)
    activities, people = build(args.courses, args.seats, args.workers)
    rng = random.Random(7)
    jobs = [(rng.choice(activities), w) for w in people]

    from django.db import connection, transaction
    from django.utils import timezone

    from gonghui.activities.models import Activity
    from gonghui.activities.services import signup
    from gonghui.core.scoping import scopes_disabled

    def service(activity, worker):
        with scopes_disabled():
            fresh = Activity.objects.get(pk=activity.pk)  # the page's row read, as a view does
            signup.sign_up(activity=fresh, worker=worker, key=signup.issue_signup_key(activity=fresh, worker=worker),
                           name="王强")
        return "booked"

    def bare(activity, worker):
        now = timezone.now()
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute("UPDATE activities_activity SET taken = taken + 1 WHERE id = %s AND taken < capacity",
                        [activity.pk])
            if not cur.rowcount:
                return "full"
            cur.execute("INSERT INTO activities_booking (activity_id, worker_id, name, state, created_at, booked_at) "
                        "VALUES (%s, %s, %s, 'booked', %s, %s)", [activity.pk, worker.pk, "王强", now, now])
        return "booked"

    print(f"{args.courses} courses × {args.seats} seats, {args.workers} workers, {args.threads} threads, "
          f"PostgreSQL {connection.pg_version // 10000}, {os.cpu_count()} CPUs")
    rates = {}
    for label, fn in (("bare", bare), ("service", service)):
        reset()
        rates[label] = run(label, fn, jobs, args.threads)
        check(label, activities, args.seats)
    print(f"ratio service/bare: {rates['service'] / rates['bare']:.2f}")


if __name__ == "__main__":
    main()
