"""The fault drill (issue 17): break the platform's dependencies on purpose and check each failure
gives the user a clear answer and the operator a log line, with nothing lost or duplicated.

Run it before an upgrade, from the repository, on a machine with PostgreSQL and redis-server
installed (nothing of an existing instance is touched)::

    python3 tools/fault_drill.py            # every check
    python3 tools/fault_drill.py --only a,b # some of them
    python3 tools/fault_drill.py --keep     # leave the work folder for a look afterwards

It starts, on free ports of 127.0.0.1 and in a fresh work folder, its own PostgreSQL cluster
(``initdb``/``pg_ctl`` from /usr/lib/postgresql/*/bin, run as the user ``postgres`` when started
by root), its own redis-server and gunicorn with the production settings (fresh keys, JSON logs),
loads the demo county, then:

a. database stopped: pages answer the 503 page, the API a JSON 503, both with Retry-After; the log
   has the failure with the request's id; after a restart the site answers again;
b. database frozen (SIGSTOP): requests end within the connect timeout with 503, none hangs;
c. Redis stopped: a rate-limited action (following a claim by its code) answers "try again
   shortly" (503), other pages work;
d. wrong keys: every ``gonghui`` command refuses to run, naming the key; gunicorn does not start;
e. media folder missing: a certificate download answers 404 (console and API), nothing audited
   as downloaded;
f. crashed import: an import killed mid-run is resumed by the next attempt, each row once.

Each check prints PASS or FAIL with what it saw; the exit code is 1 if any failed.
"""

# ruff: noqa: S310, S603, S607, S103 - an operator's tool: it runs the local PostgreSQL, Redis and
# gunicorn binaries with fixed arguments and asks its own server on 127.0.0.1.
from __future__ import annotations

import argparse
import base64
import contextlib
import glob
import json
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECKS = {
    "a": "database stopped",
    "b": "database frozen",
    "c": "Redis stopped",
    "d": "wrong keys",
    "e": "media folder missing",
    "f": "crashed import",
}
CONNECT_TIMEOUT = 3  # GONGHUI_DB_CONNECT_TIMEOUT of the drill's server
STATEMENT_TIMEOUT_MS = 5000
RETRY_AFTER = 30


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Break the database, Redis, keys, media and an import on a "
                                                 "private copy of the platform and check the answers.")
    parser.add_argument("--only", default="", help="comma-separated checks to run (a–f); default: all")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (logs, cluster) afterwards")
    parser.add_argument("--workdir", default="", help="work folder (default: a new one under /tmp)")
    parser.add_argument("--pg-bin", default="", help="folder of initdb and pg_ctl (default: newest "
                                                     "/usr/lib/postgresql/*/bin)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    args = parser.parse_args(argv)
    chosen = [c.strip().lower() for c in args.only.split(",") if c.strip()] or list(CHECKS)
    unknown = [c for c in chosen if c not in CHECKS]
    if unknown:
        parser.error(f"unknown check(s) {', '.join(unknown)}; choose from {', '.join(CHECKS)}")
    args.checks = chosen
    return args


# --- small helpers ------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def new_key(n: int = 32) -> str:
    return base64.b64encode(os.urandom(n)).decode()


class Results:
    def __init__(self):
        self.rows: list[tuple[str, bool, str]] = []

    def check(self, name: str, ok: bool, detail: str = "") -> bool:
        self.rows.append((name, bool(ok), detail))
        print(f"{'PASS' if ok else 'FAIL'}  {name}{'  — ' + detail if detail else ''}", flush=True)
        return ok

    @property
    def failed(self) -> int:
        return sum(not ok for _n, ok, _d in self.rows)


class Response:
    def __init__(self, status: int, headers, body: bytes, seconds: float):
        self.status, self.headers, self.body, self.seconds = status, headers, body, seconds

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self):
        try:
            return json.loads(self.body)
        except ValueError:
            return None


def fetch(url: str, *, method: str = "GET", data: dict | None = None, headers: dict | None = None,
          timeout: float = 60, opener=None) -> Response:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    started = time.monotonic()
    try:
        with (opener or urllib.request.build_opener()).open(request, timeout=timeout) as r:
            return Response(r.status, r.headers, r.read(), time.monotonic() - started)
    except urllib.error.HTTPError as e:
        return Response(e.code, e.headers, e.read(), time.monotonic() - started)
    except (urllib.error.URLError, TimeoutError, ConnectionError) as e:
        return Response(0, {}, str(e).encode(), time.monotonic() - started)


# --- the private instance -----------------------------------------------------------------------

class Drill:
    def __init__(self, args):
        self.args = args
        self.work = Path(args.workdir or tempfile.mkdtemp(prefix="gonghui-drill-"))
        self.work.mkdir(parents=True, exist_ok=True)
        os.chmod(self.work, 0o755)
        self.pg_bin = Path(args.pg_bin) if args.pg_bin else Path(sorted(
            glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(re.findall(r"\d+", p)[0]))[-1])
        self.pg_user = "postgres" if os.geteuid() == 0 else None
        self.pg_port, self.redis_port, self.web_port = free_port(), free_port(), free_port()
        self.pgdata = self.work / "pgdata"
        self.data = self.work / "data"
        self.logs = self.work / "logs"
        self.logs.mkdir(exist_ok=True)
        self.redis = None
        self.web = None
        self.web_log = self.logs / "gunicorn.log"
        self.base = f"http://127.0.0.1:{self.web_port}"
        self.env = self._env()

    def _env(self) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("GONGHUI_", "DJANGO_", "DATABASE_URL",
                                                                           "REDIS_URL"))}
        env.update({
            "DJANGO_SETTINGS_MODULE": "gonghui.settings.production",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{self.pg_port}/gonghui_drill",
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "GONGHUI_DATA_DIR": str(self.data),
            "DJANGO_SECRET_KEY": new_key(48),
            "GONGHUI_FIELD_KEYS": new_key(), "GONGHUI_HASH_KEY": new_key(),
            "GONGHUI_QR_SIGNING_KEY": new_key(), "GONGHUI_AUDIT_SIGNING_KEY": new_key(),
            "GONGHUI_PUBLIC_BASE_URL": "https://drill.gonghui.example.gov.cn",
            "GONGHUI_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "GONGHUI_ALLOW_DEVELOPMENT_BACKENDS": "1", "GONGHUI_ALLOW_DEMO": "1", "GONGHUI_SSL_REDIRECT": "0",
            "GONGHUI_DB_CONNECT_TIMEOUT": str(CONNECT_TIMEOUT),
            "GONGHUI_DB_STATEMENT_TIMEOUT_MS": str(STATEMENT_TIMEOUT_MS),
            "GONGHUI_RETRY_AFTER_SECONDS": str(RETRY_AFTER),
            "GONGHUI_LOG_FORMAT": "json", "PYTHONUNBUFFERED": "1",
        })
        return env

    # processes ------------------------------------------------------------------------------------
    def _as_pg(self, cmd: list[str], **kw) -> subprocess.CompletedProcess:
        if self.pg_user:
            cmd = ["runuser", "-u", self.pg_user, "--", *cmd]
        return subprocess.run(cmd, capture_output=True, text=True, **kw)

    def start_postgres(self) -> None:
        if not self.pgdata.exists():
            self.pgdata.mkdir()
            if self.pg_user:
                pw = pwd.getpwnam(self.pg_user)
                os.chown(self.pgdata, pw.pw_uid, pw.pw_gid)
                os.chown(self.logs, pw.pw_uid, pw.pw_gid)
            done = self._as_pg([str(self.pg_bin / "initdb"), "-D", str(self.pgdata), "-U", "postgres",
                                "--auth=trust", "-E", "UTF8", "--locale=C"])
            if done.returncode:
                raise SystemExit(f"initdb failed: {done.stderr}")
        done = self._as_pg([str(self.pg_bin / "pg_ctl"), "-D", str(self.pgdata), "-l", str(self.logs / "postgres.log"),
                            "-o", f"-p {self.pg_port} -k {self.pgdata} -c listen_addresses=127.0.0.1", "-w", "start"])
        if done.returncode:
            raise SystemExit(f"pg_ctl start failed: {done.stderr or done.stdout}")

    def stop_postgres(self) -> None:
        self._as_pg([str(self.pg_bin / "pg_ctl"), "-D", str(self.pgdata), "-m", "fast", "-w", "stop"])

    def postgres_pids(self) -> list[int]:
        """The postmaster and every backend of this cluster."""
        master = int((self.pgdata / "postmaster.pid").read_text().split()[0])
        pids = [master]
        for stat in glob.glob("/proc/[0-9]*/stat"):
            with contextlib.suppress(OSError, ValueError, IndexError):
                fields = Path(stat).read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == master:
                    pids.append(int(stat.split("/")[2]))
        return pids

    def start_redis(self) -> None:
        self.redis = subprocess.Popen(["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1",
                                       "--save", "", "--appendonly", "no"],
                                      stdout=open(self.logs / "redis.log", "ab"), stderr=subprocess.STDOUT)
        for _ in range(50):
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.redis_port), 0.2):
                return
            time.sleep(0.1)
        raise SystemExit("redis-server did not start")

    def stop_redis(self) -> None:
        if self.redis and self.redis.poll() is None:
            self.redis.terminate()
            self.redis.wait(10)

    def gonghui(self, *args, env: dict | None = None, timeout: float = 900, input_text: str | None = None
                ) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "gonghui", *args], cwd=ROOT, env=env or self.env,
                              capture_output=True, text=True, timeout=timeout, input=input_text)

    def shell(self, code: str, *, timeout: float = 300) -> subprocess.CompletedProcess:
        return self.gonghui("shell", "-c", code, timeout=timeout)

    def start_web(self, env: dict | None = None, wait: bool = True) -> subprocess.Popen:
        self.web = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "gonghui.wsgi:application", "-b", f"127.0.0.1:{self.web_port}",
             "-w", str(self.args.workers), "--timeout", "120", "--graceful-timeout", "5"],
            cwd=ROOT, env=env or self.env, stdout=open(self.web_log, "ab"), stderr=subprocess.STDOUT)
        if wait:
            for _ in range(300):
                if fetch(f"{self.base}/health/", timeout=5).status in (200, 503):
                    return self.web
                if self.web.poll() is not None:
                    raise SystemExit(f"gunicorn stopped at start; see {self.web_log}")
                time.sleep(0.2)
            raise SystemExit("gunicorn did not answer")
        return self.web

    def stop_web(self) -> None:
        if self.web and self.web.poll() is None:
            self.web.send_signal(signal.SIGTERM)
            try:
                self.web.wait(15)
            except subprocess.TimeoutExpired:
                self.web.kill()
                self.web.wait()

    def log_text(self) -> str:
        return self.web_log.read_text(errors="replace")

    def setup(self) -> None:
        print(f"work folder {self.work}; PostgreSQL :{self.pg_port}, Redis :{self.redis_port}, "
              f"gunicorn :{self.web_port}", flush=True)
        self.start_postgres()
        created = self._as_pg([str(self.pg_bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.pg_port),
                               "-U", "postgres", "gonghui_drill"])
        if created.returncode:
            raise SystemExit(f"createdb failed: {created.stderr}")
        self.start_redis()
        for step in (["migrate", "--noinput"], ["collectstatic", "--noinput"], ["demo", "--no-serve"]):
            done = self.gonghui(*step)
            if done.returncode:
                raise SystemExit(f"gonghui {' '.join(step)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
        self.start_web()

    def teardown(self) -> None:
        self.stop_web()
        self.stop_redis()
        with contextlib.suppress(Exception):
            for pid in self.postgres_pids():
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGCONT)
        with contextlib.suppress(Exception):
            self.stop_postgres()
        if not self.args.keep:
            shutil.rmtree(self.work, ignore_errors=True)
        else:
            print(f"kept {self.work}")


# --- the checks ---------------------------------------------------------------------------------

def _logged(drill: Drill, request_id: str) -> bool:
    for line in drill.log_text().splitlines():
        with contextlib.suppress(ValueError):
            entry = json.loads(line)
            if entry.get("request_id") == request_id and entry.get("level") in ("ERROR", "WARNING"):
                return True
    return False


def _outage_answers(drill: Drill, r: Results, label: str, *, budget: float) -> None:
    slug = re.sub(r"[^a-z0-9]+", "-", label).strip("-")
    rid_page, rid_api = f"drill-{slug}-page-{os.getpid()}", f"drill-{slug}-api-{os.getpid()}"
    page = fetch(f"{drill.base}/w/", headers={"X-Request-ID": rid_page, "Accept-Language": "zh-hans",
                                               "Cookie": "sessionid=drill0000000000000000000000000000"},
                 timeout=budget + 30)
    r.check(f"{label}: page answers 503 with Retry-After within {budget:.0f} s",
            page.status == 503 and page.headers.get("Retry-After") == str(RETRY_AFTER) and page.seconds <= budget,
            f"status {page.status}, Retry-After {page.headers.get('Retry-After')}, {page.seconds:.1f} s")
    r.check(f"{label}: the 503 page is the service's own, in Chinese",
            "<html" in page.text.lower() and re.search(r"[\u4e00-\u9fff]", page.text) is not None
            and "Server Error" not in page.text, page.text[:80].replace("\n", " "))
    api = fetch(f"{drill.base}/api/v1/nodes", headers={"X-Request-ID": rid_api, "Authorization": "Bearer drill-token",
                                                       "Accept": "application/json"}, timeout=budget + 30)
    body = api.json() or {}
    r.check(f"{label}: API answers JSON 503 with Retry-After within {budget:.0f} s",
            api.status == 503 and api.headers.get("Retry-After") == str(RETRY_AFTER)
            and api.headers.get("Content-Type", "").startswith("application/json") and body.get("code")
            and api.seconds <= budget,
            f"status {api.status}, code {body.get('code')}, {api.seconds:.1f} s")
    time.sleep(1)
    r.check(f"{label}: the log has the failure with the request id",
            _logged(drill, rid_page) and _logged(drill, rid_api), f"request ids {rid_page}, {rid_api}")


def _back(drill: Drill, r: Results, label: str) -> None:
    for _ in range(30):
        ok = fetch(f"{drill.base}/w/", timeout=20)
        if ok.status == 200:
            break
        time.sleep(1)
    r.check(f"{label}: the site answers again once the database is back", ok.status == 200, f"status {ok.status}")


def check_a(drill: Drill, r: Results) -> None:
    r.check("a: the site answers before the fault", fetch(f"{drill.base}/w/").status == 200)
    drill.stop_postgres()
    try:
        _outage_answers(drill, r, "a", budget=CONNECT_TIMEOUT + 5)
    finally:
        drill.start_postgres()
    _back(drill, r, "a")


def _frozen(drill: Drill, r: Results, label: str) -> None:
    for pid in drill.postgres_pids():
        os.kill(pid, signal.SIGSTOP)
    try:
        _outage_answers(drill, r, label, budget=CONNECT_TIMEOUT + STATEMENT_TIMEOUT_MS / 1000 + 5)
    finally:
        for pid in drill.postgres_pids():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)
    _back(drill, r, label)


def check_b(drill: Drill, r: Results) -> None:
    r.check("b: the site answers before the fault", fetch(f"{drill.base}/w/").status == 200)
    _frozen(drill, r, "b")
    # As deployed (deploy/gonghui.env.example): connections kept between requests. A frozen server
    # still acknowledges TCP, so a query on a kept connection would wait for ever without a limit
    # kept by the client.
    drill.stop_web()
    drill.start_web({**drill.env, "GONGHUI_DB_CONN_MAX_AGE": "600"})
    try:
        for _ in range(4 * drill.args.workers):
            fetch(f"{drill.base}/w/", headers={"Cookie": "sessionid=drill0000000000000000000000000000"})
        r.check("b (kept connections): the site answers before the fault", fetch(f"{drill.base}/w/").status == 200)
        _frozen(drill, r, "b (kept connections)")
    finally:
        drill.stop_web()
        drill.start_web()


def _track(drill: Drill, code: str = "ABCD-EFGH-JKLM") -> Response:
    """Follow a claim by its code, as a browser does: the form's CSRF token and cookie (sent by hand:
    the production cookie is marked Secure, and the drill speaks plain HTTP on the loopback)."""
    page = fetch(f"{drill.base}/w/claims/track/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    cookies = "; ".join(c.split(";", 1)[0] for c in (page.headers.get_all("Set-Cookie") or []))
    return fetch(f"{drill.base}/w/claims/track/", method="POST",
                 data={"csrfmiddlewaretoken": token.group(1) if token else "", "code": code},
                 headers={"Cookie": cookies, "Accept-Language": "zh-hans"})


def check_c(drill: Drill, r: Results) -> None:
    before = _track(drill)
    r.check("c: following an unknown claim code answers 404 with Redis up", before.status == 404,
            f"status {before.status}")
    drill.stop_redis()
    try:
        limited = _track(drill)
        r.check("c: with Redis stopped the rate-limited action answers 503 'try again shortly'",
                limited.status == 503 and "稍后" in limited.text, f"status {limited.status}")
        for path in ("/w/", "/accounts/login/", "/w/claims/track/"):
            page = fetch(f"{drill.base}{path}", headers={"Accept-Language": "zh-hans"})
            r.check(f"c: with Redis stopped {path} still works", page.status == 200, f"status {page.status}")
        health = fetch(f"{drill.base}/health/").json() or {}
        r.check("c: /health/ names the cache as failing", "cache" in health.get("failing", []),
                f"failing {health.get('failing')}")
    finally:
        drill.start_redis()
    after = _track(drill)
    r.check("c: with Redis back the action answers as before", after.status == 404, f"status {after.status}")


COMMANDS_EXEMPT = {"help", "check", "restore", "version", "makemigrations", "makemessages", "compilemessages",
                   "shell", "dbshell"}


def check_d(drill: Drill, r: Results) -> None:
    listing = drill.gonghui("help", "--commands")
    commands = sorted({c.strip() for c in listing.stdout.split() if re.fullmatch(r"[a-z_]+", c.strip())}
                      - COMMANDS_EXEMPT)
    cases = {
        "GONGHUI_FIELD_KEYS": {"GONGHUI_FIELD_KEYS": new_key()},
        "GONGHUI_HASH_KEY": {"GONGHUI_HASH_KEY": new_key()},
        "malformed GONGHUI_FIELD_KEYS": {"GONGHUI_FIELD_KEYS": "not-base64!"},
    }
    for label, change in cases.items():
        env = {**drill.env, **change}
        name = label.split()[-1]
        refused, allowed = [], []
        for command in commands if label == "GONGHUI_FIELD_KEYS" else commands[:6]:
            done = drill.gonghui(command, "--help", env=env, timeout=120)
            (refused if done.returncode != 0 and name in done.stderr else allowed).append(command)
        r.check(f"d: {label}: every command refuses naming the key ({len(refused)} of {len(refused) + len(allowed)})",
                not allowed, f"ran anyway: {', '.join(allowed)}" if allowed else "")
    env = {**drill.env, "GONGHUI_FIELD_KEYS": new_key()}
    port = free_port()
    web = subprocess.run([sys.executable, "-m", "gunicorn", "gonghui.wsgi:application", "-b", f"127.0.0.1:{port}",
                          "-w", "1", "--timeout", "30"], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=120)
    r.check("d: gunicorn with other keys does not start, naming the key",
            web.returncode != 0 and "GONGHUI_FIELD_KEYS" in web.stderr, f"exit {web.returncode}")
    malformed = drill.gonghui("check", "--deploy", env={**drill.env, "GONGHUI_HASH_KEY": "abc"})
    r.check("d: a malformed key is a check --deploy error naming it",
            malformed.returncode != 0 and "GONGHUI_HASH_KEY" in (malformed.stderr + malformed.stdout),
            f"exit {malformed.returncode}")


MEDIA_CHECK = r"""
import json
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scopes_disabled
from gonghui.accounts.models import RoleAssignment
from gonghui.core.models import AuditEntry
from gonghui.registration.models import Certificate
with scopes_disabled():
    cert = Certificate.objects.order_by("pk").first()
    admin = RoleAssignment.objects.filter(role="admin", node__depth=1).select_related("user").first().user
    device = TOTPDevice.objects.filter(user=admin, confirmed=True).first() or TOTPDevice.objects.create(
        user=admin, name="drill", confirmed=True)
client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
client.force_login(admin)
session = client.session
session[DEVICE_ID_SESSION_KEY] = device.persistent_id
session.save()
def audited():
    return AuditEntry.objects.filter(action="registration.certificate.downloaded").count()
out = {"cert": cert.pk if cert else None, "before": audited()}
if cert:
    from django.urls import reverse
    page = client.get(reverse("registration:certificate_pdf", args=[cert.pk]), secure=True)
    api = client.get(f"/api/v1/registration/certificates/{cert.pk}/pdf", secure=True)
    body = b"".join(page.streaming_content) if page.streaming else page.content
    out.update(page=page.status_code, page_text=body[:400].decode("utf-8", "replace"),
               api=api.status_code, api_type=api.get("Content-Type", ""), after=audited())
print("DRILL" + json.dumps(out, ensure_ascii=False))
"""


def _shell_json(done: subprocess.CompletedProcess) -> dict:
    for line in done.stdout.splitlines():
        if line.startswith("DRILL"):
            return json.loads(line[5:])
    return {"error": (done.stderr or done.stdout)[-1500:]}


def check_e(drill: Drill, r: Results) -> None:
    media = drill.data / "media"
    gone = drill.data / "media.drill-gone"
    if media.exists():
        media.rename(gone)
    try:
        out = _shell_json(drill.shell(MEDIA_CHECK))
    finally:
        if gone.exists():
            gone.rename(media)
    if not out.get("cert"):
        r.check("e: a certificate to download", False, out.get("error", "the demo issued none"))
        return
    r.check("e: console certificate download with the media folder missing answers 404",
            out["page"] == 404, f"status {out['page']}")
    r.check("e: API certificate download answers JSON 404", out["api"] == 404 and "json" in out["api_type"],
            f"status {out['api']}")
    r.check("e: nothing audited as downloaded", out["after"] == out["before"],
            f"audit entries {out['before']} → {out['after']}")
    back = _shell_json(drill.shell(MEDIA_CHECK))
    r.check("e: with the folder back the same download answers 200 and is audited",
            back.get("page") == 200 and back.get("after", 0) > back.get("before", 0),
            f"status {back.get('page')}, audit entries {back.get('before')} → {back.get('after')}"
            f"{' ' + back['error'] if 'error' in back else ''}")


IMPORT_STAGE = r"""
import json
from pathlib import Path
from django_scopes import scopes_disabled
from gonghui.accounts.models import RoleAssignment
from gonghui.members.models import Member
from gonghui.members.services import importing
from gonghui.orgs.models import Node
with scopes_disabled():
    node = Node.objects.filter(kind="enterprise", status="active").order_by("pk").first()
    admin = RoleAssignment.objects.filter(role="admin", node__depth=1).select_related("user").first().user
    data = Path("tests/data/roster_enterprise.xlsx").read_bytes()
    staged = importing.stage_import(data=data, filename="drill.xlsx", node=node, actor=admin)
    print("DRILL" + json.dumps({"token": staged.token, "node": node.pk, "user": admin.pk,
                                "rows": staged.counts.get("new", 0), "members": Member.objects.count()}))
"""

IMPORT_RUN = r"""
import json, sys, time
from django_scopes import scopes_disabled
from gonghui.accounts.models import User
from gonghui.members.models import Member
from gonghui.members.services import importing
from gonghui.orgs.models import Node
args = json.loads(sys.stdin.readline()) if False else {ARGS}
def slow(stage, done, total):
    print(f"PROGRESS {stage} {done}/{total}", flush=True)
    time.sleep(args["sleep"])
with scopes_disabled():
    node, user = Node.objects.get(pk=args["node"]), User.objects.get(pk=args["user"])
    try:
        result = importing.commit_staged_import(token=args["token"], actor=user, node=node, progress=slow)
        out = {"state": result.state, "counts": result.counts}
    except Exception as exc:
        out = {"error": getattr(exc, "code", type(exc).__name__)}
    out["members"] = Member.objects.count()
print("DRILL" + json.dumps(out))
"""


def check_f(drill: Drill, r: Results) -> None:
    staged = _shell_json(drill.shell(IMPORT_STAGE))
    if "token" not in staged:
        r.check("f: an import staged", False, staged.get("error", ""))
        return
    args = {k: staged[k] for k in ("token", "node", "user")}
    proc = subprocess.Popen([sys.executable, "-m", "gonghui", "shell", "-c",
                             IMPORT_RUN.replace("{ARGS}", repr({**args, "sleep": 0.5}))],
                            cwd=ROOT, env=drill.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    seen = []
    for line in proc.stdout:
        if line.startswith("PROGRESS"):
            seen.append(line.strip())
            if line.split()[1] == "write":  # writing the roster: killed inside its transaction
                proc.kill()
                break
    proc.wait()
    running = list((drill.data / "imports").glob(f"{staged['token']}*"))
    r.check("f: the import was killed mid-run", bool(seen) and proc.returncode == -signal.SIGKILL,
            f"{seen[-1] if seen else 'no progress seen'}; left {[p.name for p in running]}")
    again = _shell_json(drill.shell(IMPORT_RUN.replace("{ARGS}", repr({**args, "sleep": 0}))))
    r.check("f: the next attempt resumes it and imports each row once",
            again.get("state") == "done" and again.get("members") == staged["members"] + staged["rows"],
            f"{again}")
    third = _shell_json(drill.shell(IMPORT_RUN.replace("{ARGS}", repr({**args, "sleep": 0}))))
    r.check("f: a third attempt is told it is done, nothing added",
            third.get("error") == "import_done" and third.get("members") == again.get("members"), f"{third}")


def main(argv=None) -> int:
    args = parse_args(argv)
    if not shutil.which("redis-server"):
        print("redis-server is not installed")
        return 2
    drill = Drill(args)
    results = Results()
    started = time.monotonic()
    try:
        drill.setup()
        for name in args.checks:
            print(f"--- {name}. {CHECKS[name]}", flush=True)
            try:
                globals()[f"check_{name}"](drill, results)
            except Exception as exc:  # noqa: BLE001 - a broken check is a FAIL, the others still run
                results.check(f"{name}: ran to the end", False, f"{type(exc).__name__}: {exc}")
    finally:
        drill.teardown()
    total = len(results.rows)
    print(f"=== {total - results.failed} of {total} passed, {results.failed} failed "
          f"({time.monotonic() - started:.0f} s)")
    return 1 if results.failed else 0


if __name__ == "__main__":
    sys.exit(main())
