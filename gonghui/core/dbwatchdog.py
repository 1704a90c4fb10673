"""A time limit on database statements kept by the client (issue 17, finding 5; the fault drill).

PostgreSQL's ``statement_timeout`` is kept by the server: a server that is frozen (stopped by the
kernel, a hung host, a virtual machine paused) keeps nothing, and its kernel still acknowledges
TCP, so neither keepalives nor ``tcp_user_timeout`` notice. On a new connection the connect
timeout ends the wait; but on a connection kept between requests (``GONGHUI_DB_CONN_MAX_AGE``, as
deployed) a query would wait for ever and the request with it — the fault drill found every
request hanging until gunicorn killed its worker.

So every statement of the web processes is watched: when it has run ``statement timeout + grace``
seconds (the server would have cancelled it by then if it were alive), one watchdog thread per
process shuts the connection's socket down. The waiting call returns at once with
``OperationalError``, which the outage middleware answers with 503 and a log line; the broken
connection is dropped at the end of the request. Off where the statement timeout is off
(management commands, SQLite).
"""

import os
import socket
import threading
import time

from django.conf import settings

GRACE_SECONDS = 2.0


TICK_SECONDS = 0.5  # the watchdog looks at the deadlines this often at least (a cut is late by at most this)


class Watchdog:
    """Deadlines of the statements running now, and one daemon thread that enforces them.

    Arming a statement only writes its deadline down: it does not wake the thread. Waking it on
    every statement (a condition's notify) handed the interpreter's lock to the watchdog thread
    between a request's statements — a thread switch per statement, which on a loaded machine cost
    a request milliseconds of waiting for the CPU (docs/activities.md, "What a sign-up costs").
    The thread wakes by itself every ``TICK_SECONDS`` or at the earliest deadline it knows."""

    def __init__(self):
        self._lock = threading.Lock()
        self._armed: dict[int, tuple[float, int]] = {}
        self._next = 0
        self._thread: threading.Thread | None = None
        self.fired = 0
        self.rounds = 0  # the thread's wake-ups

    def arm(self, fd: int, seconds: float) -> int:
        with self._lock:
            self._next += 1
            token = self._next
            self._armed[token] = (time.monotonic() + seconds, fd)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="gonghui-db-watchdog", daemon=True)
                self._thread.start()
            return token

    def disarm(self, token: int) -> None:
        with self._lock:
            self._armed.pop(token, None)

    def _run(self) -> None:
        while True:
            with self._lock:
                self.rounds += 1
                now = time.monotonic()
                due = [(token, fd) for token, (deadline, fd) in self._armed.items() if deadline <= now]
                for token, _fd in due:
                    del self._armed[token]
                self.fired += len(due)
                nearest = min((deadline for deadline, _fd in self._armed.values()), default=now + TICK_SECONDS)
            for _token, fd in due:
                cut(fd)
            if not due:
                time.sleep(min(max(nearest - now, 0.001), TICK_SECONDS))


def cut(fd: int) -> None:
    """Shut the socket behind ``fd`` down (both ways): a blocked read on it returns at once."""
    try:
        sock = socket.socket(fileno=os.dup(fd))
    except OSError:
        return
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    finally:
        sock.close()  # the duplicate only; the driver still owns its descriptor


WATCHDOG = Watchdog()


def limit_seconds() -> float:
    """0 when off: the statement timeout is off (commands) or the database is not PostgreSQL."""
    ms = settings.GONGHUI_DB_STATEMENT_TIMEOUT_MS or 0
    return ms / 1000 + GRACE_SECONDS if ms > 0 else 0.0


def watched(execute, sql, params, many, context):
    """``connection.execute_wrappers`` entry: the statement runs under its deadline."""
    seconds = limit_seconds()
    raw = getattr(context["connection"], "connection", None)
    pgconn = getattr(raw, "pgconn", None)
    if not seconds or pgconn is None:
        return execute(sql, params, many, context)
    token = WATCHDOG.arm(pgconn.socket, seconds)
    try:
        return execute(sql, params, many, context)
    finally:
        WATCHDOG.disarm(token)


def install(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: watch the new PostgreSQL connection's statements."""
    if connection.vendor == "postgresql" and limit_seconds() and watched not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, watched)  # first: a with-block wrapper pops its own
