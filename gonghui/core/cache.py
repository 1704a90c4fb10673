"""The "default" cache on Redis, for values the caller can recompute: when Redis is down a read
misses and a write is dropped (one warning in the log), so the page reads the database instead of
answering 500. Counters and locks (add, incr) are not forgiven: a caller that needs them to hold
uses the "ratelimit" cache through gonghui.core.ratelimit, which refuses when Redis is down."""

import logging

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

log = logging.getLogger("gonghui.cache")
DOWN = (RedisError, OSError)


def _down(operation: str, exc: Exception) -> None:
    log.warning("redis unreachable, cache %s skipped: %s", operation, exc.__class__.__name__)


class ForgivingRedisCache(RedisCache):
    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except DOWN as exc:
            _down("get", exc)
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except DOWN as exc:
            _down("get_many", exc)
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except DOWN as exc:
            _down("has_key", exc)
            return False

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            super().set(key, value, timeout, version)
        except DOWN as exc:
            _down("set", exc)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set_many(data, timeout, version)
        except DOWN as exc:
            _down("set_many", exc)
            return list(data)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().touch(key, timeout, version)
        except DOWN as exc:
            _down("touch", exc)
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except DOWN as exc:
            _down("delete", exc)
            return False

    def delete_many(self, keys, version=None):
        try:
            super().delete_many(keys, version)
        except DOWN as exc:
            _down("delete_many", exc)
