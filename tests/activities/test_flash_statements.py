"""What one sign-up request costs the database, and the session's idle timeout without a write per
request (docs/activities.md, "The hot path")."""

import datetime
import json
from unittest import mock

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from .conftest import make_activity, make_worker
from .test_worker_api import worker_client


def _sign_up(client, activity, key):
    return client.post(f"/api/v1/w/courses/{activity.pk}/sign-up", json.dumps({"key": key, "name": "王强"}),
                       content_type="application/json")


def _writes(queries) -> list[str]:
    return [q["sql"][:60] for q in queries if q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT", "DELETE"))]


def test_a_winning_sign_up_writes_the_booking_and_no_session(tree):
    activity = make_activity(tree, capacity=2)
    client = worker_client(make_worker())
    key = client.get(f"/api/v1/w/courses/{activity.pk}").json()["key"]
    with CaptureQueriesContext(connection) as q:
        assert _sign_up(client, activity, key).status_code == 201
    sql = [x["sql"] for x in q.captured_queries]
    assert not any("django_session" in s for s in sql if not s.startswith("SELECT")), sql
    # Before: 12 statements on PostgreSQL with the session UPDATE (issue 21), then 10. Now: session (a
    # read from the database without Redis), worker, activity, membership, the booking (one
    # statement on PostgreSQL, two here on SQLite, no term), the audit record, the outbox message
    # (one INSERT finding the worker too: no look-up, no savepoint). SQLite's audit record adds its
    # sequence read. One savepoint: the sign-up's transaction inside the test's (the outbox's own is gone).
    assert sum(s.startswith("SAVEPOINT") for s in sql) == 1, sql
    statements = [s for s in sql if not s.startswith(("SAVEPOINT", "RELEASE"))]
    assert len(statements) <= (7 if connection.vendor == "postgresql" else 9), statements


def test_the_session_is_saved_again_only_every_few_minutes_and_ends_after_30_idle_minutes(tree):
    activity = make_activity(tree, capacity=5)
    worker = make_worker()
    client = worker_client(worker)
    start = timezone.now()
    url = f"/api/v1/w/courses/{activity.pk}"
    with mock.patch("django.utils.timezone.now", return_value=start + datetime.timedelta(seconds=10)):
        client.get(url)
    with mock.patch("django.utils.timezone.now", return_value=start + datetime.timedelta(minutes=2)), \
            CaptureQueriesContext(connection) as q:
        assert client.get(url).json()["key"]
    assert not _writes(q.captured_queries), _writes(q.captured_queries)
    refresh = settings.GONGHUI_SESSION_REFRESH_SECONDS
    later = start + datetime.timedelta(seconds=10 + refresh + 1)
    with mock.patch("django.utils.timezone.now", return_value=later), CaptureQueriesContext(connection) as q:
        assert client.get(url).json()["key"]
    assert any("django_session" in w for w in _writes(q.captured_queries))
    # Active within the half hour after that save: still signed in; 31 idle minutes: signed out.
    with mock.patch("django.utils.timezone.now", return_value=later + datetime.timedelta(minutes=29)):
        assert client.get(url).json()["key"]
    with mock.patch("django.utils.timezone.now", return_value=later + datetime.timedelta(minutes=29 + 31)):
        assert client.get(url).json()["key"] is None
