"""The flash sale in front of the database (gonghui.activities.flash): refusals and replays from
Redis with the database's own answer, admission, and PostgreSQL the only truth when Redis is
flushed or down."""

import json
import threading
import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from gonghui.activities import flash
from gonghui.activities.models import Activity, Booking, BookingState
from tests.concurrency import POSTGRESQL_ONLY, race
from tests.factories import make_tree

from .conftest import make_activity, make_worker
from .test_worker_api import worker_client


def _key(client: Client, activity) -> str:
    return client.get(f"/api/v1/w/courses/{activity.pk}").json()["key"]


def _post(client: Client, activity, key: str):
    return client.post(f"/api/v1/w/courses/{activity.pk}/sign-up", json.dumps({"key": key, "name": "王强"}),
                       content_type="application/json", HTTP_ACCEPT_LANGUAGE="zh-hans")


def _signed_in(n: int):
    out = []
    for _ in range(n):
        client = worker_client(make_worker())
        out.append(client)
    return out


def _touches_activities(queries) -> list[str]:
    return [q["sql"][:80] for q in queries.captured_queries if "activities_" in q["sql"]]


def _booked(activity) -> tuple[int, int]:
    with scopes_disabled():
        return (Booking.objects.filter(activity=activity, state=BookingState.BOOKED).count(),
                Activity.objects.get(pk=activity.pk).taken)


def test_a_sold_out_course_and_a_replay_are_answered_from_redis_as_the_database_answers(tree, on_redis):
    activity = make_activity(tree, capacity=1)
    winner, first, second = _signed_in(3)
    won_key = _key(winner, activity)
    keys = [_key(c, activity) for c in (first, second)]
    won = _post(winner, activity, won_key)
    assert won.status_code == 201
    from_database = _post(first, activity, keys[0])  # the database says full; its state goes to Redis
    assert from_database.status_code == 409
    with CaptureQueriesContext(connection) as q:
        from_redis = _post(second, activity, keys[1])
        replay = _post(winner, activity, won_key)
    assert not _touches_activities(q), _touches_activities(q)
    assert (from_redis.status_code, from_redis.json()) == (409, from_database.json())
    assert from_redis.json()["code"] == "full"
    assert (replay.status_code, replay.json()) == (201, won.json())
    assert _booked(activity) == (1, 1)


def test_not_yet_open_is_answered_from_redis_with_the_same_words(tree, on_redis):
    activity = make_activity(tree, capacity=5, opens_in=3600)
    a, b = _signed_in(2)
    from_database = _post(a, activity, _key(a, activity))
    key = _key(b, activity)
    with CaptureQueriesContext(connection) as q:
        from_redis = _post(b, activity, key)
    assert from_database.status_code == 400 and from_database.json()["code"] == "not_yet"
    assert not _touches_activities(q), _touches_activities(q)
    assert (from_redis.status_code, from_redis.json()) == (400, from_database.json())


def test_flushing_redis_between_bookings_never_oversells_or_loses_a_booking(tree, on_redis):
    activity = make_activity(tree, capacity=3)
    clients = _signed_in(6)
    keys = [_key(c, activity) for c in clients]
    answers = []
    for client, key in zip(clients, keys, strict=True):
        answers.append(_post(client, activity, key))
        on_redis.flushdb()
    assert [a.status_code for a in answers] == [201, 201, 201, 409, 409, 409]
    # Replays after a flush and after the state was rebuilt: each winner gets their own booking back.
    for _ in range(2):
        for client, key, answer in zip(clients, keys, answers, strict=True):
            again = _post(client, activity, key)
            assert (again.status_code, again.json()) == (answer.status_code, answer.json())
    assert _booked(activity) == (3, 3)


def test_with_redis_down_the_database_decides_as_before(tree, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    flash._paused_until = 0.0
    activity = make_activity(tree, capacity=1)
    a, b = _signed_in(2)
    key = _key(a, activity)
    first = _post(a, activity, key)
    assert first.status_code == 201
    assert _post(b, activity, _key(b, activity)).status_code == 409
    again = _post(a, activity, key)
    assert (again.status_code, again.json()) == (201, first.json())
    assert _booked(activity) == (1, 1)


def test_without_redis_nothing_is_kept_and_the_answers_are_the_same(tree, settings):
    settings.REDIS_URL = ""
    activity = make_activity(tree, capacity=1)
    a, b = _signed_in(2)
    assert _post(a, activity, _key(a, activity)).status_code == 201
    full = _post(b, activity, _key(b, activity))
    assert full.status_code == 409 and full.json()["code"] == "full"


@pytest.mark.django_db(transaction=True)
@POSTGRESQL_ONLY
def test_a_rush_with_redis_flushed_mid_run_books_every_seat_once(on_redis):
    with scopes_disabled():
        tree = make_tree()
    activity = make_activity(tree, capacity=10)
    clients = _signed_in(40)
    keys = [_key(c, activity) for c in clients]
    stop = threading.Event()

    def flusher():
        while not stop.is_set():
            on_redis.flushdb()
            time.sleep(0.005)

    def attempt(client, key):
        def call():
            for _ in range(200):  # the phone's script: the same key again after a 429
                answer = _post(client, activity, key)
                if answer.status_code != 429:
                    return answer.status_code, answer.json()
                time.sleep(0.02)
            raise AssertionError("still busy")
        return call

    thread = threading.Thread(target=flusher)
    thread.start()
    try:
        results = race(*[attempt(c, k) for c, k in zip(clients, keys, strict=True)])
    finally:
        stop.set()
        thread.join()
    statuses = sorted(r[0] if isinstance(r, tuple) else repr(r) for r in results)
    assert statuses.count(201) == 10 and statuses.count(409) == 30, statuses
    assert _booked(activity) == (10, 10)
    # Afterwards, from the state rebuilt in Redis: each winner's retry returns their booking.
    for client, key, result in zip(clients, keys, results, strict=True):
        again = _post(client, activity, key)
        assert (again.status_code, again.json()) == result
