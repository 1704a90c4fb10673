"""A rush's refusals answered before the rest of the request (gonghui.activities.middleware): the
same status, body and content type as the API's answer, without the worker's row or any other
query; and every request the API must decide — a replay, a bad CSRF token, another worker's key, a
body the API refuses, no session — still reaches the API and gets its answer."""

import json
from unittest import mock

from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from gonghui.activities import flash

from .conftest import make_activity, make_worker
from .test_flash_admission import _key, _post, _signed_in
from .test_worker_api import worker_client


def _queries(q) -> list[str]:
    """The statements beside the session's read (from Redis in production, from the database here)."""
    return [x["sql"][:80] for x in q.captured_queries if '"django_session"' not in x["sql"]]


def _same(a, b) -> bool:
    return (a.status_code, a.content, a["Content-Type"]) == (b.status_code, b.content, b["Content-Type"])


def test_a_full_course_is_refused_from_redis_without_a_query_and_in_the_same_bytes(tree, on_redis):
    activity = make_activity(tree, capacity=1)
    winner, first, second = _signed_in(3)
    assert _post(winner, activity, _key(winner, activity)).status_code == 201
    from_database = _post(first, activity, _key(first, activity))  # the database says full; Redis learns it
    key = _key(second, activity)
    with CaptureQueriesContext(connection) as q:
        early = _post(second, activity, key)
    # Before: the worker's row was read (accounts_worker) on the way to the API's Redis answer.
    assert _queries(q) == [], _queries(q)
    assert early.status_code == 409 and early.json()["code"] == "full"
    assert _same(early, from_database), (early.content, from_database.content)
    assert early["X-Frame-Options"] == "DENY" and early.has_header("Content-Security-Policy")


def test_not_yet_open_is_refused_early_with_the_apis_words(tree, on_redis):
    activity = make_activity(tree, capacity=5, opens_in=3600)
    a, b = _signed_in(2)
    from_database = _post(a, activity, _key(a, activity))
    key = _key(b, activity)
    with CaptureQueriesContext(connection) as q:
        early = _post(b, activity, key)
    assert _queries(q) == [], _queries(q)
    assert early.status_code == 400 and early.json()["code"] == "not_yet"
    assert _same(early, from_database)
    assert "报名将于" in early.json()["detail"]  # in the worker's language, as the API says it


def test_what_the_api_decides_still_reaches_it(tree, on_redis):
    activity = make_activity(tree, capacity=1)
    winner, loser = _signed_in(2)
    won_key = _key(winner, activity)
    won = _post(winner, activity, won_key)
    _post(loser, activity, _key(loser, activity))  # the course is full in Redis from here on
    # A replay is the worker's own booking: the API reads the worker first, then answers from Redis.
    with CaptureQueriesContext(connection) as q:
        replay = _post(winner, activity, won_key)
    assert replay.status_code == 201 and replay.json() == won.json()
    assert any('FROM "accounts_worker"' in x["sql"] for x in q.captured_queries)
    # Another worker's key: the API's refusal of the key, not "full".
    other = worker_client(make_worker())
    assert _post(other, activity, won_key).json()["code"] == "key_invalid"
    # A body the API refuses (an unknown field): its 422.
    key = _key(other, activity)
    extra = other.post(f"/api/v1/w/courses/{activity.pk}/sign-up", json.dumps({"key": key, "seat": 3}),
                       content_type="application/json")
    assert extra.status_code == 422
    # A body that is not JSON, or too big to read: the API's own answers, not a refusal.
    assert other.post(f"/api/v1/w/courses/{activity.pk}/sign-up", "{", content_type="application/json").status_code in (400, 422)
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=100):
        big = other.post(f"/api/v1/w/courses/{activity.pk}/sign-up", json.dumps({"key": key, "name": "王" * 200}),
                         content_type="application/json")
    assert big.status_code in (400, 413, 422) and big.json()["code"] != "full", big.content
    # No session: 401, as the API says.
    assert _post(Client(), activity, key).status_code == 401
    # A CSRF token missing with a browser's session: the API's 403, never a refusal.
    strict = worker_client(make_worker(), enforce_csrf_checks=True)
    strict_key = _key(strict, activity)
    assert _post(strict, activity, strict_key).status_code == 403


def test_redis_is_asked_once_and_a_token_the_api_never_took_is_given_back(tree, on_redis):
    from gonghui.accounts.models import Worker

    activity = make_activity(tree, capacity=3)
    a, b = _signed_in(2)
    assert _post(a, activity, _key(a, activity)).status_code == 201  # Redis learns the open course
    assert on_redis.hget(flash._key(activity.pk), "adm") == b"0"
    from django.core import signing

    with mock.patch.object(flash, "_run", wraps=flash._run) as run, \
            mock.patch.object(signing, "loads", wraps=signing.loads) as loads:
        assert _post(b, activity, _key(b, activity)).status_code == 201
    looks = [c for c in run.call_args_list if c.args[0] == flash._LOOK]
    assert len(looks) == 1  # the middleware asked; the view took its answer over
    # The key's signature is verified once (it was three times: the early look, the view, the service).
    assert len([c for c in loads.call_args_list if c.kwargs.get("salt") == "gonghui.activities.signup"]) == 1
    assert on_redis.hget(flash._key(activity.pk), "adm") == b"1"  # b's token, kept by a winner
    # The API refuses before its view (the worker's row is gone, the session still names it): the
    # token the middleware took comes back.
    gone = make_worker()
    client = worker_client(gone)
    key = _key(client, activity)
    with scopes_disabled():
        Worker.objects.filter(pk=gone.pk).delete()
    assert _post(client, activity, key).status_code == 401
    assert on_redis.hget(flash._key(activity.pk), "adm") == b"1"
