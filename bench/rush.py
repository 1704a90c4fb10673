"""The sign-up rush over HTTP: the real application under gunicorn on 127.0.0.1 against PostgreSQL,
beside a bare endpoint (the minimal SQL of one booking) served by the same server in the same run.

    python3 bench/rush.py [--courses 50] [--seats 100] [--workers 20000] [--clients 64]
        [--server-workers 6] [--worker-class sync] [--server-threads 1] [--site-workers 2]
        [--database postgres://postgres@127.0.0.1:5432/gh_bench_rush] [--pairs 1]
        [--base-url http://127.0.0.1:8080 [--site-url …]] [--print-env]

What it does:

1. creates its database (dropped first) as a copy of a migrated template, collects static files;
   with bulk SQL (``bench/rush_setup.py``) one county union, a term (at most 2 courses a person),
   ``courses`` published courses × ``seats`` seats whose sign-up opened a second ago, ``workers``
   distinct workers each signed in (a session row, as the phone sign-in leaves it) and holding
   the course page's signed idempotency key and a CSRF token;
2. starts gunicorn twice, as production runs it behind the proxy (docs/activities.md, "Serving the
   rush"): a sign-up pool (``server-workers`` processes) that the proxy sends
   ``/api/v1/w/courses/<id>/sign-up`` to, and a pool for the rest of the site (``site-workers``);
   production settings (``bench/rush_settings.py``: the application's URLs plus the bare
   endpoint), persistent database connections. ``--site-workers 0`` serves everything from the
   one pool (no bulkhead). Sync workers answer one request at a time per process and close the
   connection, as behind a proxy; the clients reconnect;
3. runs the same load twice — every worker POSTs once, for one random course, from ``clients``
   concurrent keep-alive connections — first against ``/bench/bare/<id>/`` (the seat UPDATE and
   the booking INSERT, behind the same middleware, session and CSRF check), then, after a reset,
   against the real ``/api/v1/w/courses/<id>/sign-up`` (key check, window, eligibility, seat,
   booking, term holding, audit log, SMS after commit); both on the sign-up pool;
4. meanwhile one more client, a signed-in worker, loads the course list page (``/w/courses/``,
   from the site pool) every 100 ms: its latency is what the rest of the site feels during the
   rush (same machine, same CPUs, same database);
5. prints, per run: bookings (must equal the seats), oversold and duplicates (must be 0),
   answers by status, requests/s, p50/p95/p99 latency, the course page's p50/p95; and the ratio
   real/bare of workers answered per second with the targets (ratio ≥ 0.8, p99 < 500 ms, page p95 <
   200 ms). ``--pairs N`` runs bare and real N times in turn and takes the median of the pairs'
   ratios, every run's bookings, p99 and page checked. A 429 (the real endpoint's admission in Redis: more people on their way to the last
   seats than seats) is sent again a second later, as the phone's script does; each try's latency
   counts, the rate counts workers answered, not tries.

Against servers already running (e.g. two app machines behind nginx): ``--base-url`` sends both
runs and the course page there instead of starting gunicorn (``--site-url`` for the page, if it
is served elsewhere). The servers must use the bench's settings (``bench.rush_settings``), its
database and the same secrets: the secrets are taken from the environment when set there
(``--print-env`` prints a full set, shell syntax, to start the servers with and to run the bench
with). The database is dropped with its connections (``WITH (FORCE)``) and refilled; the servers'
processes reconnect on their next request (the warm-up absorbs those first answers).
"""

import argparse
import asyncio
import base64
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.rush_setup import prepare  # noqa: E402  (the data: bench/rush_setup.py)

TARGET_RATIO, TARGET_P99_MS, TARGET_PAGE_P95_MS = 0.8, 500, 200


def _key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


# Secrets and places the servers must share with the bench: taken from the environment when set there.
SHARED = ("GONGHUI_DATA_DIR", "DJANGO_SECRET_KEY", "GONGHUI_FIELD_KEYS", "GONGHUI_HASH_KEY",
          "GONGHUI_QR_SIGNING_KEY", "GONGHUI_AUDIT_SIGNING_KEY")


def server_env(database: str) -> dict:
    env = dict(os.environ)
    made = {
        "GONGHUI_DATA_DIR": lambda: tempfile.mkdtemp(prefix="gh-bench-rush-"),
        "DJANGO_SECRET_KEY": lambda: secrets.token_urlsafe(50),
        "GONGHUI_FIELD_KEYS": _key, "GONGHUI_HASH_KEY": _key,
        "GONGHUI_QR_SIGNING_KEY": _key, "GONGHUI_AUDIT_SIGNING_KEY": _key,
    }
    env.update({name: os.environ.get(name) or made[name]() for name in SHARED})
    env.update({
        "DJANGO_SETTINGS_MODULE": "bench.rush_settings",
        "DATABASE_URL": database,
        "GONGHUI_ALLOWED_HOSTS": os.environ.get("GONGHUI_ALLOWED_HOSTS", "127.0.0.1,localhost"),
        "GONGHUI_SSL_REDIRECT": "0",
        "GONGHUI_PUBLIC_BASE_URL": "http://bench.invalid",
        # The bench's messages go to an in-memory outbox (bench/rush_settings.py), not a provider.
        "GONGHUI_ALLOW_DEVELOPMENT_BACKENDS": "1",
        "GONGHUI_DB_CONN_MAX_AGE": "600",
        "REDIS_URL": env.get("REDIS_URL", "redis://127.0.0.1:6379/14"),  # production settings require it
        "PYTHONPATH": str(ROOT),
    })
    return env


def reset() -> None:
    """No bookings, and no sign-up state in Redis (gonghui.activities.flash) from an earlier run."""
    import redis
    from django.conf import settings
    from django.db import connection

    client = redis.Redis.from_url(settings.REDIS_URL)
    for key in client.scan_iter("gh:flash:*"):
        client.delete(key)

    with connection.cursor() as cur:
        cur.execute("DELETE FROM activities_booking")
        cur.execute("DELETE FROM activities_termholding")
        cur.execute("UPDATE activities_activity SET taken = 0, waiting = 0")


def check(seats_total: int, seats: int) -> tuple[int, int, int]:
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
    return booked, oversold, duplicates


# --- a small keep-alive HTTP/1.1 client (asyncio streams; light enough to leave the CPUs to the server)

class Connection:
    def __init__(self, address: tuple[str, int]):
        self.host, self.port = address
        self.reader, self.writer = None, None

    async def request(self, method: str, path: str, *, session: str, csrf: str, body: bytes = b"") -> int:
        for attempt in range(2):
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
            head = (f"{method} {path} HTTP/1.1\r\nHost: {self.host}\r\nConnection: keep-alive\r\n"
                    f"Cookie: sessionid={session}; csrftoken={csrf}\r\nX-CSRFToken: {csrf}\r\n"
                    f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n")
            try:
                self.writer.write(head.encode() + body)
                return await self._response()
            except (ConnectionError, asyncio.IncompleteReadError):
                self.writer = None  # the server closed an idle keep-alive connection: reconnect once
                if attempt:
                    raise
        raise AssertionError("unreachable")

    async def _response(self) -> int:
        raw = await self.reader.readuntil(b"\r\n\r\n")
        lines = raw.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
        if headers.get("transfer-encoding") == "chunked":
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).strip(), 16)
                await self.reader.readexactly(size + 2)
                if not size:
                    break
        else:
            await self.reader.readexactly(int(headers.get("content-length", 0)))
        if headers.get("connection", "").lower() == "close":
            self.writer.close()
            self.writer = None
        return status


def quantiles(values: list[float]) -> tuple[float, float, float]:
    q = statistics.quantiles(values, n=100)
    return q[49] * 1000, q[94] * 1000, q[98] * 1000


async def load(port: tuple[str, int], site_port: tuple[str, int], jobs, url, clients: int, browsing) -> dict:
    queue = list(reversed(jobs))
    retries: list[tuple[float, tuple]] = []  # (when, job): a 429 is sent again after a second, as the phone does
    latencies, answers, page = [], {}, []
    done = asyncio.Event()

    async def client():
        conn = Connection(port)
        while queue or retries:
            if retries and (retries[0][0] <= time.perf_counter() or not queue):
                due, job = retries.pop(0)
                await asyncio.sleep(max(due - time.perf_counter(), 0))
            else:
                job = queue.pop()
            pk, session, csrf, body = job
            t = time.perf_counter()
            status = await conn.request("POST", url(pk), session=session, csrf=csrf, body=body)
            latencies.append(time.perf_counter() - t)
            answers[status] = answers.get(status, 0) + 1
            if status == 429:
                retries.append((time.perf_counter() + 1.0, job))

    async def browse():
        conn = Connection(site_port)
        while not done.is_set():
            t = time.perf_counter()
            status = await conn.request("GET", "/w/courses/", session=browsing[0], csrf=browsing[1])
            page.append(time.perf_counter() - t)
            if status != 200:
                answers[f"page {status}"] = answers.get(f"page {status}", 0) + 1
            await asyncio.sleep(0.1)

    watcher = asyncio.create_task(browse())
    t0 = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    wall = time.perf_counter() - t0
    done.set()
    await watcher
    return {"wall": wall, "rate": len(jobs) / wall, "latency": quantiles(latencies),
            "page": quantiles(page) if len(page) > 2 else (float("nan"),) * 3, "answers": answers}


def start_server(env: dict, workers: int, args) -> tuple[subprocess.Popen, tuple[str, int]]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "gonghui.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--worker-class", args.worker_class, "--threads", str(args.server_threads),
         "--keep-alive", "60", "--backlog", "2048", "--log-level", "warning",
         "--timeout", "120"],  # a loaded machine takes longer than 30 s to import the URLs on the first request
        cwd=ROOT, env=env)
    for _ in range(200):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/w/courses/", timeout=5) as r:  # noqa: S310
                if r.status == 200:
                    break
        except OSError:
            time.sleep(0.1)
    else:
        server.terminate()
        raise SystemExit("gunicorn did not answer")
    return server, ("127.0.0.1", port)


def address(url: str) -> tuple[str, int]:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.scheme != "http" or parts.path.strip("/"):
        raise SystemExit(f"--base-url/--site-url: http://host:port expected, not {url!r}")
    return parts.hostname, parts.port or 80


async def warm(port: tuple[str, int], browsing, n: int) -> None:
    """Every process answers once; servers already running may first answer 500 from the dropped
    database's connection (then reconnect): repeat until a whole round answers 200."""
    for _ in range(10):
        conns = [Connection(port) for _ in range(n)]
        answers = await asyncio.gather(*(c.request("GET", "/w/courses/", session=browsing[0], csrf=browsing[1])
                                         for c in conns))
        if all(status == 200 for status in answers):
            return
    raise SystemExit(f"the server does not answer the course page: {answers}")


def report(label: str, result: dict, booked, oversold, duplicates, seats_total) -> None:
    p50, p95, p99 = result["latency"]
    g50, g95, _ = result["page"]
    print(f"{label:5} {result['rate']:7.0f} req/s ({result['wall']:5.1f} s) · p50 {p50:6.1f} ms · p95 {p95:6.1f} ms · "
          f"p99 {p99:6.1f} ms · course page p50 {g50:5.1f} ms p95 {g95:6.1f} ms · answers {result['answers']}")
    print(f"{'':5} bookings {booked} (seats {seats_total}) · oversold {oversold} · duplicates {duplicates}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--courses", type=int, default=50)
    parser.add_argument("--seats", type=int, default=100)
    parser.add_argument("--workers", type=int, default=20_000)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--server-workers", type=int, default=6, help="processes of the sign-up pool")
    parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"])
    parser.add_argument("--server-threads", type=int, default=1, help="threads per process (gthread)")
    parser.add_argument("--site-workers", type=int, default=2,
                        help="processes of the pool serving the rest of the site; 0: the sign-up pool serves all")
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/gh_bench_rush")
    parser.add_argument("--base-url", help="servers already running there (http://host:port, e.g. nginx): "
                                           "start none; their secrets must be the bench's (--print-env)")
    parser.add_argument("--site-url", help="with --base-url: where the course page is served (default: base URL)")
    parser.add_argument("--print-env", action="store_true",
                        help="print the servers' environment (shell syntax, fresh secrets unless set) and stop")
    parser.add_argument("--runs", default="bare,real", choices=["bare,real", "real"],
                        help="real: the real endpoint only (no ratio; a long rush in half the time)")
    parser.add_argument("--pairs", type=int, default=1,
                        help="run bare then real this many times in turn: the ratio is the median of the pairs' "
                             "(the bare endpoint alone moves by up to 1.8x between runs on a shared machine)")
    add_gateway_options(parser)
    args = parser.parse_args()
    if args.slow_gateway and args.pairs != 1:
        parser.error("--slow-gateway drains the outbox of one real run: use it with --pairs 1")

    env = gateway_env(server_env(args.database), args)
    if args.print_env:
        import shlex

        for name in (*SHARED, "DJANGO_SETTINGS_MODULE", "DATABASE_URL", "GONGHUI_ALLOWED_HOSTS", "GONGHUI_SSL_REDIRECT",
                     "GONGHUI_PUBLIC_BASE_URL", "GONGHUI_ALLOW_DEVELOPMENT_BACKENDS", "GONGHUI_DB_CONN_MAX_AGE",
                     "REDIS_URL", "PYTHONPATH"):
            print(f"export {name}={shlex.quote(env[name])}")
        return
    t = time.perf_counter()
    activities, jobs, browsing = prepare(env, args.courses, args.seats, args.workers)
    seats_total = len(activities) * args.seats
    print(f"{args.courses} courses × {args.seats} seats, {args.workers} signed-in workers, {args.clients} clients; "
          f"gunicorn {args.worker_class}: sign-up pool {args.server_workers} × {args.server_threads}, "
          f"site pool {args.site_workers or 'shared'}; {os.cpu_count()} CPUs "
          f"(set up in {time.perf_counter() - t:.0f} s)")
    time.sleep(1.2)  # the sign-up opens
    if args.base_url:
        server, port = None, address(args.base_url)
        site, site_port = None, address(args.site_url or args.base_url)
    else:
        server, port = start_server(env, args.server_workers, args)
        site, site_port = start_server(env, args.site_workers, args) if args.site_workers else (None, port)
    try:
        asyncio.run(warm(port, browsing, max(args.server_workers * args.server_threads, 1)))
        asyncio.run(warm(site_port, browsing, max(args.site_workers * args.server_threads, 1)))
        pairs = []  # per pair: {"bare": (result, booked, oversold, duplicates), "real": …}
        for pair in range(args.pairs):
            results = {}
            for label, url in (("bare", lambda pk: f"/bench/bare/{pk}/"),
                               ("real", lambda pk: f"/api/v1/w/courses/{pk}/sign-up")):
                if label not in args.runs.split(","):
                    continue
                reset()
                result = asyncio.run(load(port, site_port, jobs, url, args.clients, browsing))
                booked, oversold, duplicates = check(seats_total, args.seats)
                report(label if args.pairs == 1 else f"{label} ({pair + 1}/{args.pairs})", result, booked, oversold,
                       duplicates, seats_total)
                results[label] = (result, booked, oversold, duplicates)
            pairs.append(results)
    finally:
        for process in (server, site):
            if process is not None:
                process.terminate()
                process.wait(timeout=30)
    ratios = [r["real"][0]["rate"] / r.get("bare", ({"rate": float("nan")},))[0]["rate"] for r in pairs]
    ratio = statistics.median(ratios)
    reals = [r["real"] for r in pairs]
    booked = reals[-1][1]
    worst_p99 = max(real["latency"][2] for real, *_ in reals)
    worst_page = max(real["page"][1] for real, *_ in reals)
    checks = [
        (f"bookings = seats in every run ({', '.join(str(b) for _, b, _, _ in reals)} = {seats_total})",
         all(b == seats_total for _, b, _, _ in reals)),
        (f"oversold 0 ({sum(o for *_, o, _ in reals)})", all(o == 0 for *_, o, _ in reals)),
        (f"duplicates 0 ({sum(d for *_, d in reals)})", all(d == 0 for *_, d in reals)),
        *([(f"ratio real/bare ≥ {TARGET_RATIO} ({ratio:.2f}"
            + (f", the median of {len(ratios)} pairs: {', '.join(f'{x:.2f}' for x in ratios)}" if len(ratios) > 1
               else "") + ")", ratio >= TARGET_RATIO)] if "bare" in pairs[0] else []),
        (f"p99 < {TARGET_P99_MS} ms in every run ({worst_p99:.0f} ms)", worst_p99 < TARGET_P99_MS),
        (f"course page p95 < {TARGET_PAGE_P95_MS} ms during the rush ({worst_page:.0f} ms)",
         worst_page < TARGET_PAGE_P95_MS),
    ]
    checks += drain_outbox(env, args, booked)
    print(f"ratio real/bare: {ratio:.2f}")
    for text, ok in checks:
        print(f"  {'met ' if ok else 'MISS'} {text}")


# --- the outbox behind the rush (docs/messaging.md): a slow, flaky gateway, drained after the run ------

def add_gateway_options(parser) -> None:
    parser.add_argument("--slow-gateway", action="store_true",
                        help="send the messages through a gateway taking 200 ms per message and failing 5%% "
                             "(bench/slow_gateway.py); after the run, drain the outbox and check each booking's "
                             "confirmation went out exactly once")
    parser.add_argument("--senders", type=int, default=8, help="worker processes draining the outbox")


def gateway_env(env: dict, args) -> dict:
    if args.slow_gateway:
        env.update({"GONGHUI_BENCH_NOTIFIER": "bench.slow_gateway.SlowFlakyNotifier",
                    "GONGHUI_BENCH_SENT_FILE": str(Path(env["GONGHUI_DATA_DIR"]) / "sent.tsv"),
                    "GONGHUI_MESSAGING_RETRY_SECONDS": "1", "GONGHUI_MESSAGING_QUIET_HOURS": "",
                    "GONGHUI_MESSAGING_DAILY_CAP": "0"})
    return env


def drain_outbox(env: dict, args, booked: int) -> list[tuple[str, bool]]:
    """Run ``senders`` workers until no message is left to send; count sends per booking."""
    if not args.slow_gateway:
        return []
    from collections import Counter

    from gonghui.messaging.models import Message, State

    t = time.perf_counter()
    while Message.objects.filter(state__in=[State.QUEUED, State.FAILED, State.SENDING]).exists():
        workers = [subprocess.Popen([sys.executable, "-m", "gonghui", "worker", "--batch"], cwd=ROOT, env=env,
                                    stdout=subprocess.DEVNULL) for _ in range(args.senders)]
        for worker in workers:
            worker.wait()
        time.sleep(1)  # the retries' backoff
    drained = time.perf_counter() - t
    confirmations = Message.objects.filter(kind="booking_confirmed")
    sent = confirmations.filter(state=State.SENT).count()
    parked = Message.objects.filter(state=State.PARKED).count()
    attempts = sum(confirmations.values_list("attempts", flat=True))
    lines = Counter(Path(env["GONGHUI_BENCH_SENT_FILE"]).read_text(encoding="utf-8").splitlines())
    twice = sum(1 for n in lines.values() if n > 1)
    print(f"outbox drained by {args.senders} senders in {drained:.1f} s: {sent} confirmations sent for {booked} "
          f"bookings, {attempts - sent} failed tries retried, {parked} parked, {twice} sent twice")
    return [(f"every booking's confirmation sent ({sent} = {booked})", sent == booked),
            (f"none sent twice ({twice})", twice == 0), (f"none parked ({parked})", parked == 0)]


if __name__ == "__main__":
    main()
