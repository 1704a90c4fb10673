"""Two app machines behind nginx: the sign-up rush through Debian's nginx across two gunicorn servers.

    python3 bench/cluster.py [--courses 50] [--seats 100] [--workers 20000] [--clients 64]
        [--server-workers 3] [--site-workers 1] [--database postgres://postgres@127.0.0.1:5432/gh_bench_cluster]

What it does:

1. makes one set of secrets and settings for everything (``bench/rush.py``'s: production settings,
   Redis for caches and rate limits, the same keys on every machine, as a deployment has them);
2. starts two app machines of gonghui on free loopback ports, each with the two gunicorn pools
   ``deploy/nginx-gonghui.conf`` names: the sign-up's (``--server-workers`` processes) and the rest
   of the site's (``--site-workers``), so the course page does not queue behind a rush — and nginx (``/usr/sbin/nginx``, as
   an unprivileged master in a temporary prefix) on a third port with the production example
   ``deploy/nginx-gonghui.conf``: the same upstreams, locations and headers, templated only where a
   test box differs (each upstream's servers are the two ports, plain HTTP on loopback instead of
   TLS, no redirect server, temporary paths; ``nginx_config``). nginx adds ``X-Upstream`` (which
   machine answered) to every answer;
3. runs ``bench/rush.py --base-url`` through nginx (both runs, bare and real; its database is
   dropped and refilled, the servers reconnect): bookings must equal the seats, 0 oversold, 0
   duplicates — the seat and the booking are decided in PostgreSQL, whichever machine answers;
4. shows a rate limit shared by the two machines: wrong tracking codes (``/w/claims/track/``) from
   one client through nginx, alternating between the machines, refused at the limit
   (``GONGHUI_CLAIM_TRACK_FAILURES_PER_HOUR``, set to 6 here) counted over both, not per machine;
   and a session opened on one machine used on the other.

``tests/core/test_cluster.py`` runs steps 2 and 4 (a short test); ``docs/scaling.md`` has the figures.
"""

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
TEMPLATE = ROOT / "deploy" / "nginx-gonghui.conf"
TRACK = "/w/claims/track/"
SIGNED_IN_PAGE = "/accounts/no-role/"  # any signed-in account; a sign-in page for anyone else


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def nginx_config(template: str, app_ports: list[int] | dict[str, list[int]], listen: int, prefix: Path) -> str:
    """The production example made runnable here: the upstreams' servers are the app ports (the same
    for every upstream, or by upstream name: ``{"gonghui_signup": [...], "gonghui_site": [...]}``,
    the pools the example names; an upstream not named gets the site's), plain HTTP on loopback (no
    certificate), no redirect server, files under ``prefix``."""
    def upstream(match):
        head, body = match.group(1), match.group(2)
        name = head.split()[1]
        ports = app_ports if isinstance(app_ports, list) else app_ports.get(name, app_ports["gonghui_site"])
        kept = [line for line in body.splitlines() if line.strip() and not line.strip().startswith("server ")]
        servers = [f"    server 127.0.0.1:{port} max_fails=3 fail_timeout=30s;" for port in ports]
        return head + "\n".join(kept + servers) + "\n}"

    text = re.sub(r"(upstream \w+ \{)(.*?)\}", lambda m: upstream(m) if "\n" in m.group(2) else m.group(0),
                  template, flags=re.S)
    text = text.replace("listen 443 ssl;", f"listen 127.0.0.1:{listen};")
    text = re.sub(r"^\s*(http2 on|ssl_certificate|ssl_certificate_key)\b.*\n", "", text, flags=re.M)
    text = re.sub(r"\nserver \{\n    listen 80;.*?\n\}\n", "\n", text, flags=re.S)  # the redirect to TLS
    text = text.replace("/var/lib/gonghui/static/", f"{prefix}/static/")
    # Which machine answered, for the demonstration (not in production: it names internal addresses).
    text = text.replace("server_name gonghui.example.cn;", "server_name _;\n    add_header X-Upstream $upstream_addr always;")
    return f"""worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
{text}
}}
"""


def start_nginx(app_ports: list[int] | dict[str, list[int]], prefix: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    (prefix / "static").mkdir(parents=True, exist_ok=True)
    conf = prefix / "nginx.conf"
    conf.write_text(nginx_config(TEMPLATE.read_text(encoding="utf-8"), app_ports, port, prefix), encoding="utf-8")
    check = subprocess.run([NGINX, "-t", "-p", str(prefix), "-c", str(conf)], capture_output=True, text=True,
                           check=False)
    if check.returncode:
        raise RuntimeError(f"nginx refused the configuration: {check.stderr}")
    process = subprocess.Popen([NGINX, "-p", str(prefix), "-c", str(conf), "-g", "daemon off;"])
    _wait_for(port, process)
    return process, port


def start_app(env: dict, workers: int) -> tuple[subprocess.Popen, int]:
    """One app machine: gunicorn with ``workers`` sync processes on a free loopback port."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "gonghui.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--backlog", "2048", "--timeout", "120", "--log-level", "warning"],
        cwd=ROOT, env=env)
    _wait_for(port, process, path="/accounts/login/")
    return process, port


def _wait_for(port: int, process: subprocess.Popen, seconds: float = 180, path: str = "") -> None:
    """Until the port accepts connections (and, with ``path``, a worker answers it: on a busy
    machine a worker takes a while to import the application)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server on port {port} stopped (exit {process.returncode})")
        try:
            if not path:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    return
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=60):  # noqa: S310
                return
        except urllib.error.HTTPError:
            return  # an answer, whatever it says
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing answers on port {port}")


def stop(*processes) -> None:
    for process in processes:
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGINT)  # gunicorn and nginx: quick shutdown
    for process in processes:
        if process is not None:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


class Browser:
    """A client with its own cookies, through nginx, that records which machine answered."""

    def __init__(self, port: int, address: str):
        self.base, self.address, self.cookies, self.upstreams = f"http://127.0.0.1:{port}", address, {}, []

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        headers = {"X-Forwarded-For": self.address, "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if data is not None:
            data = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **data}
            body = urllib.parse.urlencode(data).encode()
            headers.update({"Content-Type": "application/x-www-form-urlencoded", "Referer": self.base + path,
                            "X-CSRFToken": self.cookies.get("csrftoken", "")})
        request = urllib.request.Request(self.base + path, data=body, headers=headers)
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            response = opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        self.upstreams.append(response.headers.get("X-Upstream", ""))
        return response.status, response.read().decode("utf-8", "replace")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def wrong_codes_until_refused(port: int, limit: int) -> tuple[list[int], list[str]]:
    """POST wrong tracking codes through nginx from one client until refused (at most limit + 2)."""
    browser = Browser(port, f"198.51.100.{uuid.uuid4().int % 250 + 1}")
    browser.request(TRACK)  # the CSRF cookie
    statuses = []
    for _ in range(limit + 2):
        status, _ = browser.request(TRACK, {"code": "ZZZZ-ZZZZ-ZZZZ"})
        statuses.append(status)
        if status == 429:
            break
    return statuses, browser.upstreams[1:]


def session_across_machines(port: int, username: str, password: str) -> list[tuple[str, int]]:
    """Sign in through nginx (one machine answers), then load a signed-in page repeatedly (both
    machines answer): [(machine, status)] of the signed-in requests."""
    browser = Browser(port, f"198.51.100.{uuid.uuid4().int % 250 + 1}")
    browser.request("/accounts/login/")
    status, _ = browser.request("/accounts/login/", {"username": username, "password": password})
    if status != 302:
        raise RuntimeError(f"sign-in answered {status}")
    seen = []
    for _ in range(6):
        status, _ = browser.request(SIGNED_IN_PAGE)
        seen.append((browser.upstreams[-1], status))
    return seen


def cluster_env(database: str, **extra) -> dict:
    from bench.rush import server_env

    env = server_env(database)
    env.update({"GONGHUI_TRUSTED_PROXY_COUNT": "2",  # a load balancer before nginx: the test client's header
                "GONGHUI_CLAIM_TRACK_FAILURES_PER_HOUR": "6", **extra})
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--courses", type=int, default=50)
    parser.add_argument("--seats", type=int, default=100)
    parser.add_argument("--workers", type=int, default=20_000)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--server-workers", type=int, default=3,
                        help="gunicorn processes of the sign-up pool on each app machine")
    parser.add_argument("--site-workers", type=int, default=1,
                        help="gunicorn processes of the rest of the site's pool on each app machine")
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/gh_bench_cluster")
    parser.add_argument("--runs", default="bare,real", choices=["bare,real", "real"],
                        help="real: the real endpoint only (bench/rush.py --runs)")
    args = parser.parse_args()
    if not Path(NGINX).exists():
        sys.exit("nginx is not installed (apt-get install -y nginx)")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stopped: stop the servers too (finally below)
    env = cluster_env(args.database)
    os.environ.update({k: env[k] for k in ("GONGHUI_DATA_DIR", "DJANGO_SECRET_KEY", "GONGHUI_FIELD_KEYS",
                                           "GONGHUI_HASH_KEY", "GONGHUI_QR_SIGNING_KEY", "GONGHUI_AUDIT_SIGNING_KEY")})
    prefix = Path(tempfile.mkdtemp(prefix="gh-cluster-nginx-"))
    apps, nginx, rush = [], None, None
    try:
        # The rush makes the database (dropped, migrated, filled); the servers connect on their first
        # request. Static files are collected first: production reads their manifest once, at start.
        subprocess.run([sys.executable, "-m", "django", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env,
                       check=True)
        drop_database(args.database)  # an earlier run's keys are not this run's: the servers start on none
        # Each machine runs the two pools deploy/nginx-gonghui.conf names: the sign-up's, and the rest
        # of the site's (the course list, every other page), so a rush queues only for its own route.
        pools: dict[str, list[int]] = {"gonghui_signup": [], "gonghui_site": []}
        for _ in range(2):
            for upstream, workers in (("gonghui_signup", args.server_workers), ("gonghui_site", args.site_workers)):
                apps.append(start_app(env, workers))
                pools[upstream].append(apps[-1][1])
        nginx, port = start_nginx(pools, prefix)
        print(f"two app machines, each with a sign-up pool of {args.server_workers} processes (ports "
              f"{', '.join(map(str, pools['gonghui_signup']))}) and a pool of {args.site_workers} for the rest of "
              f"the site (ports {', '.join(map(str, pools['gonghui_site']))}), nginx on {port} with "
              f"deploy/nginx-gonghui.conf; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs", flush=True)
        meter = CpuMeter([p.pid for p, _ in apps], nginx.pid, args.database)
        rush = subprocess.Popen(
            [sys.executable, str(ROOT / "bench" / "rush.py"), "--base-url", f"http://127.0.0.1:{port}",
             "--courses", str(args.courses), "--seats", str(args.seats), "--workers", str(args.workers),
             "--clients", str(args.clients), "--server-workers", str(2 * args.server_workers), "--runs", args.runs,
             "--database", args.database], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
        sampling = threading.Thread(target=meter.run_until, args=(rush,), daemon=True)
        sampling.start()
        for line in rush.stdout:
            print(line, end="", flush=True)
            if line.startswith(f"{args.courses} courses"):
                meter.restart()  # the data is made: from here on, only the runs
        rush.wait()
        sampling.join()
        requests = len(args.runs.split(",")) * args.workers  # each run: each worker once
        print(f"CPU time during both runs: app servers {meter.app:.0f} s, PostgreSQL backends "
              f"{meter.database:.0f} s, nginx {meter.proxy:.0f} s for {requests:,} sign-up requests and the page "
              f"loads: {1000 * meter.app / requests:.2f} / {1000 * meter.database / requests:.2f} / "
              f"{1000 * meter.proxy / requests:.2f} ms a request", flush=True)
        statuses, upstreams = wrong_codes_until_refused(port, 6)
        print(f"rate limit across both machines: wrong tracking codes answered {statuses} "
              f"by {upstreams} (limit 6 an hour, one counter in Redis)")
        print(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        if rush.returncode:
            sys.exit(rush.returncode)
    finally:
        stop(rush, nginx, *(p for p, _ in apps))
        shutil.rmtree(prefix, ignore_errors=True)


def drop_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class CpuMeter:
    """CPU seconds used by the app servers (gunicorn masters and workers), by nginx and by the
    PostgreSQL backends serving the bench's database: per-request costs that hold on a shared
    machine, where wall-clock rates depend on the neighbours."""

    def __init__(self, app_pids: list[int], nginx_pid: int, database: str):
        self.app_pids, self.nginx_pid, self.database_url = app_pids, nginx_pid, database
        self.seen: dict[tuple[str, int], float] = {}
        self.start = self._read()

    @staticmethod
    def _cpu(pid: int) -> float | None:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    @staticmethod
    def _children(parents: set[int]) -> set[int]:
        found = set()
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                if int(stat.read_text().rsplit(")", 1)[1].split()[1]) in parents:
                    found.add(int(stat.parent.name))
            except (OSError, ValueError, IndexError):
                continue
        return found

    def _backends(self) -> set[int]:
        import psycopg

        name = self.database_url.rsplit("/", 1)[1]
        try:
            with psycopg.connect(self.database_url.rsplit("/", 1)[0] + "/postgres") as conn:
                rows = conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [name]).fetchall()
        except psycopg.Error:
            return set()
        return {pid for (pid,) in rows}

    def _read(self) -> dict[tuple[str, int], float]:
        groups = {"app": set(self.app_pids) | self._children(set(self.app_pids)),
                  "proxy": {self.nginx_pid} | self._children({self.nginx_pid}), "database": self._backends()}
        values = {}
        for group, pids in groups.items():
            for pid in pids:
                cpu = self._cpu(pid)
                if cpu is not None:
                    values[(group, pid)] = cpu
        return values

    def restart(self) -> None:
        self.start, self.seen = self._read(), {}

    def run_until(self, process: subprocess.Popen) -> None:
        while process.poll() is None:
            self.sample()
            time.sleep(1)
        self.sample()

    def sample(self) -> None:
        for key, cpu in self._read().items():
            self.seen[key] = max(cpu, self.seen.get(key, 0.0))

    def _total(self, group: str) -> float:
        return sum(cpu - self.start.get(key, 0.0) for key, cpu in self.seen.items() if key[0] == group)

    app = property(lambda self: self._total("app"))
    database = property(lambda self: self._total("database"))
    proxy = property(lambda self: self._total("proxy"))


if __name__ == "__main__":
    main()
