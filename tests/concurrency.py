"""Races the database must settle, run for real: threads released together by a barrier, each on
its own database connection. PostgreSQL only (SQLite has one writer at a time), hence the marker."""

import threading

import pytest
from django.conf import settings
from django.db import connections
from django_scopes import scopes_disabled

POSTGRESQL_ONLY = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="row locks and concurrent transactions need PostgreSQL; SQLite has one writer")


def race(*calls):
    """Run the calls at once (a barrier releases them together); their results or exceptions, in order."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, fn):
        try:
            barrier.wait()
            with scopes_disabled():
                results[i] = fn()
        except Exception as exc:  # noqa: BLE001 - the outcome is what we assert on
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results
