"""The client-kept statement limit (gonghui.core.dbwatchdog), found by the fault drill: with
connections kept between requests, a frozen PostgreSQL made every request hang; now the statement
is cut after the statement timeout and a grace, and the request answers 503."""

import socket
import time

import pytest
from django.conf import settings
from django.db import OperationalError, connections

from gonghui.core import dbwatchdog
from tests.concurrency import POSTGRESQL_ONLY


def test_a_statement_past_its_deadline_has_its_socket_cut():
    watchdog = dbwatchdog.Watchdog()
    waiting, peer = socket.socketpair()
    try:
        token = watchdog.arm(waiting.fileno(), 0.05)
        assert waiting.recv(1) == b""  # the blocked read returns: the socket was shut down
        watchdog.disarm(token)
        assert watchdog.fired == 1
    finally:
        waiting.close()
        peer.close()


def test_a_statement_done_in_time_is_left_alone():
    watchdog = dbwatchdog.Watchdog()
    waiting, peer = socket.socketpair()
    try:
        token = watchdog.arm(waiting.fileno(), 60)
        peer.sendall(b"x")
        assert waiting.recv(1) == b"x"
        watchdog.disarm(token)
        assert watchdog.fired == 0 and not watchdog._armed
    finally:
        waiting.close()
        peer.close()


def test_statements_do_not_wake_the_watchdog_thread(monkeypatch):
    """A request's statements only write their deadlines down: a wake-up of the watchdog thread per
    statement handed it the interpreter between statements (a thread switch each, milliseconds on a
    loaded machine: the sign-up's fixed cost that bench/signup_cost.py found)."""
    monkeypatch.setattr(dbwatchdog, "TICK_SECONDS", 3600)
    watchdog = dbwatchdog.Watchdog()
    waiting, peer = socket.socketpair()
    try:
        for _ in range(50):
            token = watchdog.arm(waiting.fileno(), 60)
            time.sleep(0.001)  # the statement waits for the server (the interpreter is free meanwhile)
            watchdog.disarm(token)
        assert watchdog.rounds <= 1 and watchdog.fired == 0 and not watchdog._armed
    finally:
        waiting.close()
        peer.close()


def test_off_without_a_statement_timeout(settings):
    settings.GONGHUI_DB_STATEMENT_TIMEOUT_MS = 0
    assert dbwatchdog.limit_seconds() == 0


@POSTGRESQL_ONLY
@pytest.mark.django_db
def test_on_postgresql_a_statement_the_server_does_not_end_is_cut(monkeypatch):
    monkeypatch.setattr(settings, "GONGHUI_DB_STATEMENT_TIMEOUT_MS", 200)
    monkeypatch.setattr(dbwatchdog, "GRACE_SECONDS", 0.1)
    conn = connections.create_connection("default")  # its own connection: this one is broken on purpose
    try:
        conn.ensure_connection()
        assert conn.execute_wrappers[0] is dbwatchdog.watched
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend = cursor.fetchone()[0]
            cursor.execute("SET statement_timeout = 0")  # a frozen server keeps no limit
            with pytest.raises(OperationalError):
                cursor.execute("SELECT pg_sleep(10)")
    finally:
        conn.close()
    with connections["default"].cursor() as cursor:  # the server side sleeps on: end it
        cursor.execute("SELECT pg_terminate_backend(%s)", [backend])
