"""What one sign-up costs the machine, beside the bare endpoint, in the same run: CPU seconds of the
application (this process) and of its PostgreSQL backend per request, SQL statements and Redis
calls per request — figures that hold on a machine loaded by others, where wall-clock rates do not.

    python3 bench/signup_cost.py [--n 300] [--database postgres://postgres@127.0.0.1:5432/gh_bench_cost]
        [--profile winner|full|replay|not_yet|bare|bare_full] [--only SCENARIO …]

The requests go through the whole WSGI application in-process (production settings of the HTTP
bench, ``bench.rush_settings``: every middleware, the session read from Redis, CSRF, ninja), one
after another, so each request's CPU is its own. Scenarios (``n`` requests each, distinct signed-in
workers, after a warm-up):

- ``bare``: the bare endpoint taking a seat (``bench/rush_urls.py``: seat UPDATE, booking INSERT);
- ``winner``: the real sign-up taking a seat (key, window, membership, booking, audit, SMS queued);
- ``bare_full``: the bare endpoint refused by a full course (its UPDATE finds no seat);
- ``full``: the real sign-up refused by a full course (answered from Redis after the first);
- ``replay``: a winner's key sent again (answered from Redis);
- ``not_yet``: a course whose sign-up opens tomorrow.

Prints per scenario: application CPU ms/request, PostgreSQL CPU ms/request (the backend's
utime+stime from /proc, 10 ms ticks, so meaningful over a few hundred requests), statements and
Redis calls per request, wall ms/request; then the ratios bare/real of application+database CPU for
a winner and for a refusal — the robust form of "real/bare ≥ 0.8" — and a rush's mix (a quarter
winners, three quarters refusals). ``--profile S`` runs scenario S under cProfile and prints the
top functions. Under ``valgrind --tool=callgrind`` the same script counts instructions
(``--only S`` runs one scenario; compare ``callgrind_annotate`` totals).
"""

import argparse
import io
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

TICK = os.sysconf("SC_CLK_TCK")
SCENARIOS = ("bare", "winner", "bare_full", "full", "replay", "not_yet")


def _pg_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


SECRETS = Path("/tmp/gh_bench_cost.secrets.json")


def setup(database: str, n: int, reuse: bool):
    """A database with six courses and enough signed-in workers: made by bench/rush.py's set-up
    (migrations, minutes on a loaded machine), or with ``--reuse`` the one an earlier run made,
    its workers signed in afresh."""
    import rush

    if reuse and SECRETS.exists():
        os.environ.update(json.loads(SECRETS.read_text()))
    env = rush.server_env(database)
    SECRETS.write_text(json.dumps({k: env[k] for k in rush.SHARED}))
    if not reuse:
        rush.prepare(env, 6, 10, 6 * (n + 20) + 40)
    else:
        os.environ.update(env)
        import django

        django.setup()
    sign_in_again()
    from django.db import connection

    from gonghui.activities.models import Activity
    from gonghui.core.scoping import scopes_disabled

    with scopes_disabled():
        activities = list(Activity.objects.order_by("pk").values_list("pk", flat=True)[:6])
    rush.reset()
    a_bare, a_win, a_bare_full, a_full, a_not_yet, _spare = activities
    with connection.cursor() as cur:
        cur.execute("UPDATE activities_activity SET capacity = 100000, signup_opens_at = now() - interval '1 minute'")
        cur.execute("UPDATE activities_activity SET capacity = 1 WHERE id IN (%s, %s)", [a_bare_full, a_full])
        cur.execute("UPDATE activities_activity SET signup_opens_at = now() + interval '1 day' WHERE id = %s",
                    [a_not_yet])
    return {"bare": a_bare, "winner": a_win, "bare_full": a_bare_full, "full": a_full, "not_yet": a_not_yet}


def sign_in_again() -> list[tuple[int, str]]:
    """Every worker's phone under this run's keys, and a fresh session each (database and Redis)."""
    import datetime
    import secrets

    from django.conf import settings
    from django.contrib.sessions.backends.cached_db import KEY_PREFIX
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.core.cache import caches
    from django.utils import timezone

    from gonghui.accounts.middleware import WORKER_SESSION_KEY
    from gonghui.accounts.models import Worker
    from gonghui.core.crypto import blind_index
    from gonghui.core.sessions import SAVED_AT

    people = list(Worker.objects.order_by("pk").only("pk"))
    for i, w in enumerate(people):
        w.phone = f"139{i:08d}"
        w.phone_hash = blind_index(w.phone, purpose="phone")
    Worker.objects.bulk_update(people, ["phone", "phone_hash"], batch_size=1000)
    Session.objects.all().delete()
    store, saved = SessionStore(), int(timezone.now().timestamp())
    rows = [Session(session_key=secrets.token_hex(16), session_data=store.encode({WORKER_SESSION_KEY: w.pk,
                                                                                   SAVED_AT: saved}),
                    expire_date=timezone.now() + datetime.timedelta(hours=2)) for w in people]
    Session.objects.bulk_create(rows, batch_size=2000)
    caches[settings.SESSION_CACHE_ALIAS].set_many(
        {KEY_PREFIX + r.session_key: {WORKER_SESSION_KEY: w.pk, SAVED_AT: saved} for w, r in zip(people, rows, strict=True)},
        timeout=7200)
    global PEOPLE
    PEOPLE = [(w.pk, r.session_key) for w, r in zip(people, rows, strict=True)]
    return PEOPLE


PEOPLE: list[tuple[int, str]] = []


class Counter:
    def __init__(self):
        self.sql = 0

    def __call__(self, execute, sql, params, many, context):
        self.sql += 1
        return execute(sql, params, many, context)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/gh_bench_cost")
    parser.add_argument("--profile", choices=SCENARIOS)
    parser.add_argument("--only", nargs="*", choices=SCENARIOS)
    parser.add_argument("--reuse", action="store_true", help="the database of an earlier run (no migrations)")
    args = parser.parse_args()
    n = args.n
    courses = setup(args.database, n, args.reuse)
    people = PEOPLE[:-1]

    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from redis.client import Redis

    from gonghui.activities.models import Activity
    from gonghui.activities.services import signup

    app = WSGIHandler()
    csrf = "b" * 32
    pool = iter(people)
    redis_calls = [0]
    original = Redis.execute_command

    def counting(self, *a, **k):
        redis_calls[0] += 1
        return original(self, *a, **k)

    Redis.execute_command = counting

    def call(path: str, session: str, body: bytes) -> int:
        environ = {"REQUEST_METHOD": "POST", "PATH_INFO": path, "SCRIPT_NAME": "", "QUERY_STRING": "",
                   "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8080", "SERVER_PROTOCOL": "HTTP/1.1",
                   "HTTP_HOST": "127.0.0.1", "REMOTE_ADDR": "127.0.0.1", "wsgi.url_scheme": "http",
                   "HTTP_COOKIE": f"sessionid={session}; csrftoken={csrf}", "HTTP_X_CSRFTOKEN": csrf,
                   "CONTENT_TYPE": "application/json", "CONTENT_LENGTH": str(len(body)),
                   "wsgi.input": io.BytesIO(body), "wsgi.errors": sys.stderr, "wsgi.multithread": False,
                   "wsgi.multiprocess": True, "wsgi.run_once": False, "wsgi.version": (1, 0)}
        status = []
        result = app(environ, lambda s, h, *_: status.append(s))
        b"".join(result)
        result.close()
        return int(status[0].split()[0])

    from gonghui.core.scoping import scopes_disabled

    with scopes_disabled():
        activities = {a.pk: a for a in Activity.objects.all()}

    def job(scenario: str, worker=None):
        pk = courses["winner" if scenario == "replay" else scenario]
        worker_pk, session = worker or next(pool)
        from gonghui.accounts.models import Worker

        key = signup.issue_signup_key(activity=activities[pk], worker=Worker(pk=worker_pk))
        body = json.dumps({"key": key, "name": "王强"}, ensure_ascii=False).encode()
        path = f"/bench/bare/{pk}/" if scenario.startswith("bare") else f"/api/v1/w/courses/{pk}/sign-up"
        return path, session, body

    winners = []

    def prepare_jobs(scenario: str, count: int):
        if scenario == "replay":
            return winners[:count]
        jobs = [job(scenario) for _ in range(count)]
        if scenario == "winner":
            winners.extend(jobs)
        return jobs

    counter = Counter()
    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        backend = cur.fetchone()[0]
    expected = {"bare": 201, "winner": 201, "bare_full": 409, "full": 409, "replay": 201, "not_yet": 400}
    # Fill the full courses' one seat first (the refusals then meet a full course).
    assert call(*job("bare_full")) == 201
    assert call(*job("full")) == 201
    results = {}
    order = [s for s in SCENARIOS if not args.only or s in args.only or (s == "winner" and "replay" in args.only)]
    for scenario in order:
        warm = prepare_jobs(scenario, 20)
        for j in warm:
            status = call(*j)
            assert status == expected[scenario], (scenario, status)
        jobs = prepare_jobs(scenario, n) if scenario != "replay" else winners[20:20 + n]
        profiler = None
        if args.profile == scenario:
            import cProfile

            profiler = cProfile.Profile(time.process_time)  # CPU, not the wait for the machine
        redis_before, sql_before = redis_calls[0], counter.sql
        pg0, cpu0, t0 = _pg_cpu(backend), time.process_time(), time.perf_counter()
        with connection.execute_wrapper(counter):
            if profiler:
                profiler.enable()
            statuses = [call(*j) for j in jobs]
            if profiler:
                profiler.disable()
        wall, cpu, pg = time.perf_counter() - t0, time.process_time() - cpu0, _pg_cpu(backend) - pg0
        wrong = [s for s in statuses if s != expected[scenario]]
        assert not wrong, (scenario, wrong[:5])
        k = len(jobs)
        results[scenario] = {"app": cpu / k * 1000, "db": pg / k * 1000, "sql": (counter.sql - sql_before) / k,
                             "redis": (redis_calls[0] - redis_before) / k, "wall": wall / k * 1000}
        if profiler:
            import pstats

            stats = pstats.Stats(profiler, stream=sys.stdout)
            if os.environ.get("PROFILE_OUT"):  # for pstats' callers/callees afterwards
                stats.dump_stats(os.environ["PROFILE_OUT"])
            stats.sort_stats("cumulative").print_stats(45)
            stats.sort_stats("tottime").print_stats(25)
    print(f"load average {open('/proc/loadavg').read().split()[:3]}, {n} requests per scenario, in-process WSGI, "
          f"production settings (bench.rush_settings), PostgreSQL and Redis on 127.0.0.1")
    print(f"{'scenario':10} {'app CPU ms':>10} {'db CPU ms':>10} {'SQL':>5} {'Redis':>6} {'wall ms':>8}")
    for scenario, r in results.items():
        print(f"{scenario:10} {r['app']:10.2f} {r['db']:10.2f} {r['sql']:5.1f} {r['redis']:6.1f} {r['wall']:8.2f}")

    def total(s):
        return results[s]["app"] + results[s]["db"]

    if {"bare", "winner", "bare_full", "full"} <= results.keys():
        win, refuse = total("bare") / total("winner"), total("bare_full") / total("full")
        mix_bare = 0.25 * total("bare") + 0.75 * total("bare_full")
        mix_real = 0.25 * total("winner") + 0.75 * total("full")
        print(f"bare/real CPU per request (app + PostgreSQL): winner {win:.2f}, full-course refusal {refuse:.2f}, "
              f"a rush's mix (1/4 winners) {mix_bare / mix_real:.2f}  (target ≥ 0.8)")


if __name__ == "__main__":
    main()
