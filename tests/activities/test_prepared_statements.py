"""A winning sign-up's statements run prepared on PostgreSQL, parsed and planned once per connection
(gonghui.core.prepared; docs/activities.md, "What a sign-up costs"), and not when the operator
switches preparation off for a pooler that cannot keep them."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gonghui.core import prepared

from .conftest import make_activity, make_member_worker, make_worker
from .test_worker_api import worker_client

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql",
                                reason="prepared statements are PostgreSQL's; on SQLite the cursor is Django's own")

# One piece of each statement a winner runs: the worker's row, the course, the membership, the booking
# (seat, booking and term in one statement), the audit record, the outbox message with its task row.
HOT = ('FROM "accounts_worker" WHERE', 'FROM "activities_activity" a', "FROM members_member m", "WITH seat AS",
       "INSERT INTO core_auditentry", "INSERT INTO messaging_message")


def _prepared_here() -> list[str]:
    with connection.cursor() as cur:
        cur.execute("SELECT statement FROM pg_prepared_statements WHERE NOT from_sql")
        return [row[0] for row in cur.fetchall()]


def _forget_prepared() -> None:
    with connection.cursor() as cur:
        cur.execute("DEALLOCATE ALL")  # psycopg forgets its names with the server's


def _win(tree, worker):
    activity = make_activity(tree, capacity=3)
    client = worker_client(worker)
    key = client.get(f"/api/v1/w/courses/{activity.pk}").json()["key"]
    _forget_prepared()
    with CaptureQueriesContext(connection) as queries:
        answer = client.post(f"/api/v1/w/courses/{activity.pk}/sign-up", json.dumps({"key": key, "name": "王强"}),
                             content_type="application/json")
    assert answer.status_code == 201, answer.content
    return answer, queries


def test_a_winning_sign_up_runs_its_statements_prepared(tree):
    worker = make_member_worker(tree, tree.c, 4101)
    answer, queries = _win(tree, worker)
    statements = _prepared_here()
    for piece in HOT:
        assert any(piece in s for s in statements), (piece, statements)
    # The membership was found through the prepared read: the booking carries the roster's name.
    assert answer.json()["name"] == "陈晓燕"
    # The query log still holds each statement with its values, as Django logs its own.
    booking_sql = [q["sql"] for q in queries.captured_queries if "WITH seat AS" in q["sql"]]
    assert len(booking_sql) == 1 and f"{worker.pk}::bigint" in booking_sql[0].replace(" ", ""), booking_sql


def test_a_prepared_statement_is_not_prepared_again_on_the_same_connection(tree):
    _win(tree, make_worker())
    first = _prepared_here()
    second_activity = make_activity(tree, capacity=3)
    client = worker_client(make_worker())
    key = client.get(f"/api/v1/w/courses/{second_activity.pk}").json()["key"]
    assert client.post(f"/api/v1/w/courses/{second_activity.pk}/sign-up", json.dumps({"key": key, "name": "李娜"}),
                       content_type="application/json").status_code == 201
    again = _prepared_here()
    # Values of the same types: the booking's statement is the one prepared before, run again.
    assert sum("WITH seat AS" in s for s in again) == sum("WITH seat AS" in s for s in first) == 1, again
    with connection.cursor() as cur:
        cur.execute("SELECT generic_plans + custom_plans FROM pg_prepared_statements "
                    "WHERE NOT from_sql AND statement LIKE %s", ["%WITH seat AS%"])
        assert cur.fetchone()[0] == 2


def test_with_preparation_switched_off_nothing_is_prepared_and_the_sign_up_still_works(tree):
    connection.ensure_connection()
    threshold = connection.connection.prepare_threshold
    connection.connection.prepare_threshold = None  # what GONGHUI_DB_PREPARED=false sets (settings/base.py)
    try:
        answer, _queries = _win(tree, make_worker())
        assert _prepared_here() == []
    finally:
        connection.connection.prepare_threshold = threshold
    assert answer.json()["state"] == "booked"


def test_the_setting_reaches_the_connection(db):
    from gonghui.settings import base

    assert base.GONGHUI_DB_PREPARED is True
    assert connection.settings_dict["OPTIONS"]["prepare_threshold"] == 5
    connection.ensure_connection()
    assert connection.connection.prepare_threshold == 5
    with prepared.cursor() as cur:
        cur.execute("SELECT %s::int + 1", [41])
        assert cur.fetchone()[0] == 42
