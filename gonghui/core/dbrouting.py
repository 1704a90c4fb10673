"""Read replicas: statistics, reports, exports and searches read from streaming replicas (issue 21).

``GONGHUI_DB_REPLICAS`` names PostgreSQL streaming replicas of ``DATABASE_URL``; each becomes a
Django database alias (``replica1``, ``replica2`` …, marked ``TEST.MIRROR = "default"``) and
``ReplicaRouter`` is installed. Nothing reads from a replica unless it asks: a view or a block of
code marked ``@replica_reads`` / ``with reading_replica()`` sends its reads there, everything else
(every write, every decision, the sign-up rush) stays on the primary. Inside a marked block a read
still goes to the primary when

- the request is pinned: it is a write (POST, PUT, PATCH, DELETE) or wrote through the ORM, or the
  browser carries the mark set after a write in the last ``GONGHUI_REPLICA_STICKY_SECONDS``
  (a cookie, so it holds across app machines) — a cadre sees their own change at once;
- the primary connection is inside a transaction (it may have written; its reads must see it), or
  the block has written through the ORM;
- the model is one of who-may-do-what (accounts, sessions, lockouts, second factors): authority is
  never read from a copy that may be behind;
- no replica is healthy. A replica is healthy when it answers, is still a standby, and is at most
  ``GONGHUI_REPLICA_MAX_LAG_SECONDS`` behind (replayed up to the primary's current WAL position,
  or else the age of its last replayed transaction); the answer is kept per process for
  ``GONGHUI_REPLICA_CHECK_SECONDS``, so checking costs two small queries per replica per interval,
  not per request. A replica skipped is logged once per check, its return too.

Scoping is untouched: django-scopes filters are part of the query whichever connection runs it.

Why not django-multidb-router (maintained, 0.11 of 2025): it sends every read to a replica unless
told otherwise, has no lag or health check, and pins by thread-local and an unsigned cookie of its
own settings. We need the opposite default (opt-in per view), transaction awareness and skipping
of lagging or stopped replicas; the cookie idea is the same. django-replicated (2020) is unmaintained.
"""

import contextlib
import contextvars
import functools
import itertools
import logging
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

log = logging.getLogger("gonghui.replicas")

COOKIE = "gonghui_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
# How long a replica behind the primary's position gets to replay it before it counts as lagging.
GRACE_STEPS, GRACE_STEP_SECONDS = 5, 0.05
# Who may do what is read from the primary only; sessions and lockouts are written on every request.
PRIMARY_ONLY_APPS = frozenset({"accounts", "auth", "sessions", "axes", "otp_totp", "otp_static", "django_otp"})
# Writes that do not pin a request: its own session, a token's last-use stamp, lockout bookkeeping,
# the audit record of a view or an export.
BOOKKEEPING = frozenset({"sessions.session", "accounts.apitoken", "axes.accessattempt", "axes.accesslog",
                         "axes.accessfailurelog", "core.auditentry"})


@dataclass
class _Request:
    pinned: bool
    wrote: bool = False


@dataclass
class _Region:
    alias: str | None = None


_request: contextvars.ContextVar[_Request | None] = contextvars.ContextVar("gonghui_replica_request", default=None)
_region: contextvars.ContextVar[_Region | None] = contextvars.ContextVar("gonghui_replica_region", default=None)


def replica_aliases() -> list[str]:
    """The database aliases that are replicas of the primary (``TEST.MIRROR`` = default)."""
    return [alias for alias, conf in connections.settings.items()
            if alias != DEFAULT_DB_ALIAS and (conf.get("TEST") or {}).get("MIRROR") == DEFAULT_DB_ALIAS]


@contextlib.contextmanager
def reading_replica():
    """Reads in this block may go to a healthy replica (one replica for the whole block)."""
    if _region.get() is not None:
        yield
        return
    token = _region.set(_Region())
    try:
        yield
    finally:
        _region.reset(token)


def replica_reads(view):
    """Decorator: the view (statistics, a report, an export, a search) reads from a replica."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        with reading_replica():
            return view(*args, **kwargs)

    return wrapped


def read_alias() -> str:
    """The alias a read made here goes to: for raw SQL in a ``reading_replica`` block."""
    return _choose() or DEFAULT_DB_ALIAS


def _choose() -> str | None:
    region = _region.get()
    if region is None:
        return None
    request = _request.get()
    if (request is not None and request.pinned) or connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return None
    if region.alias is None:
        region.alias = health.pick() or DEFAULT_DB_ALIAS
    return region.alias


class ReplicaRouter:
    """Django's router: reads in a ``reading_replica`` block to a healthy replica, all else to default."""

    def db_for_read(self, model, **_hints):
        if model._meta.app_label in PRIMARY_ONLY_APPS:
            return DEFAULT_DB_ALIAS
        return _choose() or DEFAULT_DB_ALIAS

    def db_for_write(self, model, **_hints):
        if model._meta.label_lower not in BOOKKEEPING:
            request, region = _request.get(), _region.get()
            if request is not None:
                request.wrote = request.pinned = True
            if region is not None:  # the block's later reads see the write (outside a request too)
                region.alias = DEFAULT_DB_ALIAS
        return DEFAULT_DB_ALIAS

    def allow_relation(self, _obj1, _obj2, **_hints):
        return True  # a replica holds the same rows as the primary

    def allow_migrate(self, db, _app_label, **_hints):
        return db == DEFAULT_DB_ALIAS


class Health:
    """Per process: which replicas answered, as standbys close enough to the primary, and when."""

    def __init__(self):
        self._lock = threading.Lock()
        self._known: dict[str, tuple[float, bool]] = {}
        self._turn = itertools.count()

    def pick(self) -> str | None:
        """A healthy replica whose connection is open, taking turns; None when there is none."""
        aliases = replica_aliases()
        if not aliases:
            return None
        start = next(self._turn)
        for i in range(len(aliases)):
            alias = aliases[(start + i) % len(aliases)]
            if self.healthy(alias) and self._connects(alias):
                return alias
        return None

    def healthy(self, alias: str) -> bool:
        now = time.monotonic()
        with self._lock:
            until, ok = self._known.get(alias, (0.0, False))
        if now < until:
            return ok
        problem = self._problem(alias)
        with self._lock:
            was = self._known.get(alias, (0.0, None))[1]
            self._known[alias] = (now + settings.GONGHUI_REPLICA_CHECK_SECONDS, problem is None)
        if problem is not None:
            log.warning("replica %s skipped, reads go to the primary: %s", alias, problem)
        elif was is False:
            log.info("replica %s healthy again, reads go to it", alias)
        return problem is None

    def mark_down(self, alias: str, reason: str) -> None:
        with self._lock:
            self._known[alias] = (time.monotonic() + settings.GONGHUI_REPLICA_CHECK_SECONDS, False)
        log.warning("replica %s skipped, reads go to the primary: %s", alias, reason)

    def _connects(self, alias: str) -> bool:
        """Open the replica's connection now, so a replica that went away since its check is skipped
        here rather than failing the request."""
        try:
            connections[alias].ensure_connection()
        except DatabaseError as exc:
            connections[alias].close()
            self.mark_down(alias, f"cannot connect ({_first_line(exc)})")
            return False
        return True

    def _problem(self, alias: str) -> str | None:
        """Why the replica must not be read now, or None."""
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:  # the primary down is an outage (503)
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            primary_lsn = cursor.fetchone()[0]
        limit = settings.GONGHUI_REPLICA_MAX_LAG_SECONDS
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute("SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn() >= %s::pg_lsn,"
                               " EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())", [primary_lsn])
                standby, caught_up, age = cursor.fetchone()
                if not standby:
                    return "is not a standby (promoted, or not a replica of this primary)"
                if caught_up or (age is not None and age <= limit):
                    return None
                # Behind the primary's position with its last replayed commit older than the limit:
                # lagging, or the primary wrote only housekeeping records since (a checkpoint, a
                # snapshot of running transactions), which a streaming replica replays within
                # milliseconds. A moment's grace tells the two apart.
                for _ in range(GRACE_STEPS):
                    time.sleep(GRACE_STEP_SECONDS)
                    cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [primary_lsn])
                    if cursor.fetchone()[0]:
                        return None
        except DatabaseError as exc:
            connections[alias].close()
            return f"does not answer ({_first_line(exc)})"
        shown = "unknown" if age is None else f"{float(age):.1f} s"
        return f"lags behind the primary ({shown}, limit {limit} s)"


health = Health()


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


class StickyPrimaryMiddleware:
    """Pins a request to the primary when it writes, or when its browser wrote in the last
    ``GONGHUI_REPLICA_STICKY_SECONDS`` (the ``gonghui_primary`` cookie: the time until which it holds)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        state = _Request(pinned=request.method not in SAFE_METHODS or _pinned_until(request) > time.time())
        token = _request.set(state)
        try:
            response = self.get_response(request)
        finally:
            _request.reset(token)
        if state.wrote or request.method not in SAFE_METHODS:
            seconds = settings.GONGHUI_REPLICA_STICKY_SECONDS
            response.set_cookie(COOKIE, str(int(time.time() + seconds)), max_age=seconds, httponly=True,
                                samesite="Lax", secure=settings.SESSION_COOKIE_SECURE)
        return response


def _pinned_until(request) -> float:
    """The time the browser's mark holds until; a mark beyond the sticky time (made by hand to keep
    a browser on the primary for good) counts as none."""
    try:
        until = float(request.COOKIES.get(COOKIE, "0"))
    except ValueError:
        return 0.0
    return until if until <= time.time() + settings.GONGHUI_REPLICA_STICKY_SECONDS + 1 else 0.0
