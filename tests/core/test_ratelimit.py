"""Rate limits: one helper, counted in the shared cache, per client behind the proxy, and refused
(never a 500, never a free pass) when Redis is down (issues 16 finding 4, 17 finding 6)."""

import os
import subprocess
import sys
import tomllib
import uuid
from pathlib import Path

import pytest
import redis
from django.core.cache import caches
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from gonghui.accounts.models import Worker
from gonghui.accounts.sms import MemorySmsBackend
from gonghui.core import ratelimit
from gonghui.core.crypto import blind_index
from gonghui.positions.models import Visit
from gonghui.positions.services import visits
from gonghui.rights.services import claims
from tests.positions.factories import make_position
from tests.rights.conftest import hotline_case

ROOT = Path(__file__).resolve().parents[2]
REDIS_DOWN = "redis://127.0.0.1:1/0"  # nothing listens there: a stopped Redis
REDIS_DB = "redis://127.0.0.1:6379/13"  # the real one, a database of these tests' own


def _redis_caches(url: str, prefix: str) -> dict:
    options = {"socket_connect_timeout": 1, "socket_timeout": 1}
    return {"default": {"BACKEND": "gonghui.core.cache.ForgivingRedisCache", "LOCATION": url,
                        "KEY_PREFIX": prefix, "OPTIONS": options},
            "ratelimit": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url,
                          "KEY_PREFIX": prefix, "OPTIONS": options}}


@pytest.fixture
def redis_down(settings):
    settings.CACHES = _redis_caches(REDIS_DOWN, "gh-test")


@pytest.fixture
def real_redis(settings):
    raw = redis.Redis.from_url(REDIS_DB)
    try:
        raw.ping()
    except redis.exceptions.ConnectionError:
        pytest.fail("these tests need the Redis server at 127.0.0.1:6379 (.ci/run starts it)")
    prefix = f"gh-test-{uuid.uuid4().hex[:12]}"
    settings.CACHES = _redis_caches(REDIS_DB, prefix)
    yield raw
    for key in raw.scan_iter(f"{prefix}:*"):  # only this test's keys
        raw.delete(key)


@pytest.fixture
def proxied(settings):
    settings.GONGHUI_TRUSTED_PROXY_COUNT = 1

    def client(address: str) -> Client:
        return Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=address)

    return client


# --- the helper -------------------------------------------------------------------------------------

def test_hit_refuses_past_the_limit_with_the_time_to_wait(db):
    for _ in range(3):
        ratelimit.hit("t.hit", "203.0.113.7", limit=3, period=3600, message="too many")
    with pytest.raises(ratelimit.RateLimited) as exc:
        ratelimit.hit("t.hit", "203.0.113.7", limit=3, period=3600, message="too many")
    assert exc.value.code == "rate_limited" and exc.value.status == 429
    assert 1 <= exc.value.retry_after <= 3600
    ratelimit.hit("t.hit", "203.0.113.8", limit=3, period=3600, message="too many")  # another client


def test_check_counts_nothing_and_count_counts(db):
    for _ in range(5):
        ratelimit.check("t.check", "w1", limit=1, period=60, message="no")
    assert ratelimit.count("t.check", "w1", period=60) == 1
    assert ratelimit.count("t.check", "w1", period=60) == 2
    with pytest.raises(ratelimit.RateLimited):
        ratelimit.check("t.check", "w1", limit=2, period=60, message="no")
    assert ratelimit.used("t.check", "w2", period=60) == 0


def test_an_unknown_client_is_not_limited(db):
    for _ in range(5):
        ratelimit.hit("t.empty", "", limit=1, period=60, message="no")


def test_a_day_limit_ends_at_local_midnight(db, monkeypatch):
    import datetime

    shanghai = timezone.get_default_timezone()
    before = datetime.datetime(2026, 12, 6, 23, 59, 30, tzinfo=shanghai)
    monkeypatch.setattr(timezone, "now", lambda: before)
    ratelimit.hit("t.day", "w1", limit=1, period=86400, message="no")
    with pytest.raises(ratelimit.RateLimited) as exc:
        ratelimit.hit("t.day", "w1", limit=1, period=86400, message="no")
    assert exc.value.retry_after == 30
    monkeypatch.setattr(timezone, "now", lambda: before + datetime.timedelta(seconds=31))
    ratelimit.hit("t.day", "w1", limit=1, period=86400, message="no")


# --- each client behind the proxy has its own allowance ---------------------------------------------------

def test_wrong_tracking_codes_from_one_client_do_not_block_the_others(tree, proxied):
    case = hotline_case(tree)
    for _ in range(claims.TRACK_FAILURES_PER_HOUR):
        assert proxied("198.51.100.66").post("/w/claims/track/", {"code": "2345 6789 ABCD"}).status_code == 404
    assert proxied("198.51.100.66").post("/w/claims/track/", {"code": case.tracking_code}).status_code == 429
    assert proxied("203.0.113.7").post("/w/claims/track/", {"code": case.tracking_code}).status_code == 200


def test_sms_codes_requested_by_many_workers_behind_the_proxy_are_not_one_client(db, proxied, settings):
    settings.GONGHUI_OTP_PER_PHONE_PER_HOUR = 1  # so a network may ask for 4 codes an hour
    with TestCase.captureOnCommitCallbacks(execute=True):  # codes go out through the outbox after commit
        for n in range(6):
            proxied(f"203.0.113.{n + 1}").post("/w/login/", {"phone": f"1390000000{n}"})
    assert len(MemorySmsBackend.outbox) == 6


def test_station_check_ins_are_counted_per_client_behind_the_proxy(tree, proxied, monkeypatch, unscoped):
    monkeypatch.setattr(visits, "ANONYMOUS_PER_IP_PER_HOUR", 2)
    url = reverse("worker:station_visit", args=[visits.make_visit_token(position=make_position(tree.c, tree=tree, name="驿站"))])
    for n in range(4):
        response = proxied(f"203.0.113.{n + 1}").post(url, {"phone": f"1370000111{n}", "consent": "on"})
        assert response.status_code == 200
    assert Visit.objects.count() == 4
    one = proxied("203.0.113.1")
    assert one.post(url, {"phone": "13700002222", "consent": "on"}).status_code == 200
    assert one.post(url, {"phone": "13700003333", "consent": "on"}).status_code == 429
    assert Visit.objects.count() == 5


# --- Redis down: refused, clearly, never a 500 ------------------------------------------------------------

def test_with_redis_down_claim_tracking_answers_try_again_shortly(tree, redis_down):
    case = hotline_case(tree)
    response = Client(REMOTE_ADDR="203.0.113.7").post("/w/claims/track/", {"code": case.tracking_code})
    assert response.status_code == 503
    page = response.content.decode()
    assert "系统繁忙，请稍后再试" in page
    assert "待受理" not in page  # the case is not shown without the limit


def test_with_redis_down_an_anonymous_check_in_is_refused_and_nothing_recorded(tree, redis_down, unscoped):
    url = reverse("worker:station_visit", args=[visits.make_visit_token(position=make_position(tree.c, tree=tree, name="驿站"))])
    client = Client(REMOTE_ADDR="203.0.113.7")
    assert client.get(url).status_code == 200  # the station page itself still shows
    response = client.post(url, {"phone": "13700001111", "consent": "on"})
    assert response.status_code == 503 and "系统繁忙，请稍后再试" in response.content.decode()
    assert Visit.objects.count() == 0


def test_with_redis_down_filing_a_claim_is_refused_not_unlimited(tree, redis_down):
    from tests.rights.conftest import claim_fields

    worker = Worker.objects.create(phone="13812345678", phone_hash=blind_index("13812345678", purpose="phone"))
    with pytest.raises(ratelimit.RateLimitUnavailable) as exc, scopes_disabled():
        claims.file_claim(channel="phone", worker=worker, **claim_fields())
    assert exc.value.status == 503 and exc.value.code == "rate_limit_unavailable"


def test_with_redis_down_the_cache_misses_instead_of_failing(db, redis_down):
    cache = caches["default"]
    cache.set("k", 1)
    assert cache.get("k", "miss") == "miss"
    assert cache.get_many(["k"]) == {}
    assert cache.delete("k") is False


def test_with_redis_down_the_api_answers_503_json_with_retry_after(rf, redis_down):
    from gonghui.api.urls import rate_limited

    response = rate_limited(rf.get("/api/v1/"), ratelimit.RateLimitUnavailable())
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert response["Content-Type"].startswith("application/json")


# --- the real Redis ----------------------------------------------------------------------------------------

def test_with_redis_the_counts_live_in_redis(tree, real_redis, proxied):
    case = hotline_case(tree)
    for _ in range(claims.TRACK_FAILURES_PER_HOUR):
        assert proxied("198.51.100.66").post("/w/claims/track/", {"code": "2345 6789 ABCD"}).status_code == 404
    # A fresh cache connection, as another gunicorn worker would have, sees the same count.
    del caches["ratelimit"]
    assert proxied("198.51.100.66").post("/w/claims/track/", {"code": case.tracking_code}).status_code == 429
    assert proxied("203.0.113.7").post("/w/claims/track/", {"code": case.tracking_code}).status_code == 200
    counters = [key for key in real_redis.scan_iter("gh-test-*:rl:rights.track.fail:*")]
    assert len(counters) == 1 and int(real_redis.get(counters[0])) == claims.TRACK_FAILURES_PER_HOUR


def test_with_redis_the_forgiving_cache_keeps_values(db, real_redis):
    caches["default"].set("k", {"a": 1}, 60)
    assert caches["default"].get("k") == {"a": 1}


# --- the deployment -----------------------------------------------------------------------------------------

def test_redis_is_a_declared_dependency():
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert any(d.replace(" ", "").startswith("redis>=") for d in dependencies)


def _production(**env) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    base.update(env)
    code = "import gonghui.settings.production as p; print(p.CACHES['ratelimit']['BACKEND'])"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=base,  # noqa: S603 - our own code
                          capture_output=True, text=True, timeout=120, check=False)


def test_production_settings_refuse_per_process_memory():
    # Checked before the secrets, so the refusal names REDIS_URL whatever else is missing.
    refused = _production()
    assert refused.returncode != 0
    assert "ImproperlyConfigured: REDIS_URL must be set" in refused.stderr
    # With REDIS_URL the check passes: the start stops, if at all, at another setting.
    accepted = _production(REDIS_URL=REDIS_DB)
    assert "REDIS_URL" not in accepted.stderr
    assert accepted.returncode == 0 or "ImproperlyConfigured" in accepted.stderr, accepted.stderr


def test_with_redis_url_both_caches_are_redis(monkeypatch):
    import importlib

    from gonghui.settings import base

    monkeypatch.setenv("REDIS_URL", REDIS_DB)
    try:
        caches_ = importlib.reload(base).CACHES
    finally:
        monkeypatch.undo()
        importlib.reload(base)
    assert caches_["ratelimit"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert caches_["default"]["BACKEND"] == "gonghui.core.cache.ForgivingRedisCache"
    assert caches_["default"]["OPTIONS"]["socket_timeout"] == 1
