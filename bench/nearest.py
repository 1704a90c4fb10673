"""Nearest-station benchmark: "the 10 nearest open stations with amenity X" among 100,000 positions.

    python3 bench/nearest.py [--positions 100000] [--queries 500] [--baseline-queries 20]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gh_bench_nearest python3 bench/nearest.py

Sets up its own Django (settings gonghui.settings.dev; a fresh SQLite database in a temporary
GONGHUI_DATA_DIR unless DATABASE_URL names a PostgreSQL database, which is emptied and migrated),
spreads the positions over a province-sized area (Zhejiang's bounding box, 27.0-31.2°N,
118.0-122.9°E) the way stations cluster in towns — 60 % around 400 town centres, the rest along
the roads between them — with realistic opening hours and amenities, and in the same run:

1. ``selectors.nearest`` (box around the point on the (lat, lng) index, widened until the ten
   nearest are certain; hours evaluated on the candidates) for random points with one or two
   amenities, on a Monday at 10:00: p50 / p95 per query, in-process;
2. the baseline: a brute-force scan of every open station with the same amenity filter in SQL and
   the same haversine and hours in Python, on a sample of the same points — and a check that both
   return the same stations;
3. the public API ``/api/v1/stations/nearby`` answering the same query through Django's test
   client (routing, middleware, JSON): p50 / p95 and the size of the answer.
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
LAT, LNG = (27.0, 31.2), (118.0, 122.9)
HOURS = [
    ({str(d): [["07:00", "19:00"]] for d in range(7)}, False, False),
    ({str(d): [["08:30", "11:30"], ["13:30", "17:30"]] for d in range(5)}, False, True),
    ({str(d): [["09:00", "17:00"]] for d in range(6)}, False, True),
    ({}, True, False),
    ({str(d): [["06:00", "21:00"]] for d in range(7)}, False, False),
]


def create_pg_database(url: str) -> None:
    """The named PostgreSQL database, created if missing (the benchmark owns it and empties it)."""
    from urllib.parse import urlparse

    import psycopg

    name = urlparse(url).path.lstrip("/")
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(data_dir: str) -> None:
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        create_pg_database(os.environ["DATABASE_URL"])
    os.environ["GONGHUI_DATA_DIR"] = data_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "gonghui.settings.dev"
    sys.path.insert(0, str(ROOT))
    import django
    from django.conf import settings

    django.setup()
    settings.DEBUG = False
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    call_command("migrate", verbosity=0)


def populate(n: int, seed: int = 11) -> None:
    from django.db import transaction
    from django_scopes import scopes_disabled

    from gonghui.orgs import services as orgs
    from gonghui.orgs.models import NodeKind
    from gonghui.positions import amenities
    from gonghui.positions.coordinates import cell_of
    from gonghui.positions.models import Position

    rng = random.Random(seed)
    codes = amenities.CODES
    with scopes_disabled(), transaction.atomic():
        root = orgs.create_root(name="浙江省总工会", kind=NodeKind.PROVINCE)
        towns = [(rng.uniform(*LAT), rng.uniform(*LNG)) for _ in range(400)]
        batch = []
        for i in range(n):
            if rng.random() < 0.6:
                c = rng.choice(towns)
                lat, lng = c[0] + rng.gauss(0, 0.03), c[1] + rng.gauss(0, 0.03)
            else:
                a, b = rng.choice(towns), rng.choice(towns)
                t = rng.random()
                lat, lng = a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t
            week, all_day, holidays = rng.choice(HOURS)
            chosen = sorted(set(rng.sample(codes, rng.randint(2, 9))))
            batch.append(Position(node=root, name=f"驿站{i}", kind="rest_station", address="-", lat=f"{lat:.6f}",
                                  lng=f"{lng:.6f}", geo_cell=cell_of(round(lat, 6), round(lng, 6)), hours=week, open_24h=all_day, closed_on_holidays=holidays,
                                  amenities=chosen, amenity_mask=amenities.mask_of(chosen)))
            if len(batch) == 5000:
                Position.objects.bulk_create(batch)
                batch = []
        Position.objects.bulk_create(batch)
    from django.db import connection

    with connection.cursor() as cursor:  # what autovacuum does on a live database
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def percentile(values, q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--positions", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--baseline-queries", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gh-bench-nearest-") as data_dir:
        setup_django(data_dir)
        from django.db import connection
        from django.test import Client
        from django.utils import timezone
        from django_scopes import scopes_disabled

        from gonghui.positions import selectors

        started = time.perf_counter()
        populate(args.positions)
        print(f"{args.positions:,} positions over {LAT[0]}-{LAT[1]}°N {LNG[0]}-{LNG[1]}°E on {connection.vendor}, "
              f"written in {time.perf_counter() - started:.1f} s")
        rng = random.Random(5)
        at = timezone.make_aware(datetime.datetime(2026, 11, 23, 10, 0))
        points = [(rng.uniform(LAT[0] + 0.3, LAT[1] - 0.3), rng.uniform(LNG[0] + 0.3, LNG[1] - 0.3),
                   rng.sample(["hot_water", "phone_charging", "toilet", "microwave", "charging", "umbrellas"],
                              rng.randint(1, 2))) for _ in range(args.queries)]
        with scopes_disabled():
            for lat, lng, wanted in points[:20]:  # warm the caches and the connection
                selectors.nearest(lat=lat, lng=lng, amenities=wanted, at=at)
            timings = []
            results = []
            for lat, lng, wanted in points:
                t0 = time.perf_counter()
                hits = selectors.nearest(lat=lat, lng=lng, amenities=wanted, at=at)
                timings.append((time.perf_counter() - t0) * 1000)
                results.append([h.pk for h in hits])
            base_timings = []
            mismatches = 0
            for (lat, lng, wanted), ours in zip(points[:args.baseline_queries], results, strict=False):
                t0 = time.perf_counter()
                brute = selectors.nearest_brute_force(lat=lat, lng=lng, amenities=wanted, at=at)
                base_timings.append((time.perf_counter() - t0) * 1000)
                mismatches += [pk for _d, pk in brute] != ours
        client = Client(HTTP_HOST="127.0.0.1")
        api_timings, sizes = [], []
        monday = at
        timezone_now = timezone.now
        timezone.now = lambda: monday  # the same instant as the in-process queries
        try:
            for lat, lng, wanted in points[: min(200, len(points))]:
                t0 = time.perf_counter()
                response = client.get("/api/v1/stations/nearby", {"lat": lat, "lng": lng,
                                                                  "amenity": ",".join(wanted)})
                api_timings.append((time.perf_counter() - t0) * 1000)
                sizes.append(len(response.content))
                assert response.status_code == 200, response.content[:300]
        finally:
            timezone.now = timezone_now
        p50, p95 = statistics.median(timings), percentile(timings, 0.95)
        b50, b95 = statistics.median(base_timings), percentile(base_timings, 0.95)
        print(f"nearest 10 open with amenities, in-process: p50 {p50:.2f} ms, p95 {p95:.2f} ms "
              f"({len(timings)} queries; target p95 < 10 ms)")
        print(f"baseline brute-force scan, same data:      p50 {b50:.1f} ms, p95 {b95:.1f} ms "
              f"({len(base_timings)} queries)")
        print(f"ratio baseline/ours at p50: {b50 / p50:.0f}x; same stations in {len(base_timings) - mismatches}"
              f"/{len(base_timings)} compared queries")
        print(f"API /api/v1/stations/nearby via test client: p50 {statistics.median(api_timings):.2f} ms, "
              f"p95 {percentile(api_timings, 0.95):.2f} ms, answer {statistics.median(sizes) / 1024:.1f} KiB "
              f"(median, uncompressed)")
        if mismatches:
            sys.exit(1)


if __name__ == "__main__":
    main()
