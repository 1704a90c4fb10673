"""Rate limits: one fixed-window counter per (limit, who, window) in the shared "ratelimit" cache.

Redis in production (settings refuse per-process memory there), so every gunicorn worker and both
pools count together. ``who`` is what the limit is about: a client address from
``gonghui.core.context.client_ip``, a worker id, a phone's look-up hash; it is hashed into the key.
When the cache cannot be reached the limited action is refused (fails closed) with
RateLimitUnavailable, "try again shortly", never a 500 and never an unlimited pass.

    ratelimit.check("rights.track", ip, limit=10, period=3600, message=...)   # refuse if used up
    ratelimit.count("rights.track", ip, period=3600)                           # count one use
    ratelimit.hit("positions.visit", ip, limit=30, period=3600, message=...)  # count, refuse past limit
"""

import hashlib
import logging

from django.core.cache import caches
from django.utils import timezone
from django.utils.translation import gettext as _

from .cache import DOWN
from .errors import DomainError

log = logging.getLogger("gonghui.ratelimit")
CACHE_ALIAS = "ratelimit"


class RateLimited(DomainError):
    """Too many attempts in the window: HTTP 429, with the seconds until the window ends."""

    status = 429

    def __init__(self, code: str, message: str, *, retry_after: int, field: str | None = None):
        super().__init__(code, message, field=field)
        self.retry_after = max(1, int(retry_after))


class RateLimitUnavailable(RateLimited):
    """The shared counter cannot be read (Redis down): refused, HTTP 503, try again shortly."""

    status = 503

    def __init__(self):
        super().__init__("rate_limit_unavailable", _("The service is busy; please try again shortly."),
                         retry_after=30)


def _window(period: int) -> tuple[int, int]:
    """The window's number and the seconds left in it, counted in local time (a day limit ends
    at local midnight)."""
    now = timezone.localtime()
    local = int(now.timestamp() + now.utcoffset().total_seconds())
    return local // period, period - local % period


def _key(name: str, who: str, period: int, window: int) -> str:
    digest = hashlib.sha256(str(who).encode()).hexdigest()[:32]
    return f"rl:{name}:{period}:{window}:{digest}"


def _unavailable(name: str, exc: Exception) -> RateLimitUnavailable:
    log.error("rate limit %s refused: cache unreachable (%s)", name, exc.__class__.__name__)
    return RateLimitUnavailable()


def used(name: str, who: str, *, period: int) -> int:
    """How many uses ``who`` has counted in the current window."""
    window, _left = _window(period)
    try:
        return int(caches[CACHE_ALIAS].get(_key(name, who, period, window), 0))
    except DOWN as exc:
        raise _unavailable(name, exc) from exc


def check(name: str, who: str, *, limit: int, period: int, message: str, code: str = "rate_limited") -> None:
    """Refuse (RateLimited) when ``who`` has used up ``limit`` in this window; counts nothing.
    An empty ``who`` (no address known, e.g. a command) is not limited."""
    if not who:
        return
    if used(name, who, period=period) >= limit:
        raise RateLimited(code, message, retry_after=_window(period)[1])


def count(name: str, who: str, *, period: int) -> int:
    """Count one use of ``who`` in this window (atomic in Redis); returns the new count."""
    if not who:
        return 0
    window, left = _window(period)
    key, cache = _key(name, who, period, window), caches[CACHE_ALIAS]
    try:
        if cache.add(key, 1, left + 60):
            return 1
        try:
            return cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, left + 60)
            return 1
    except DOWN as exc:
        raise _unavailable(name, exc) from exc


def hit(name: str, who: str, *, limit: int, period: int, message: str, code: str = "rate_limited") -> None:
    """Count one use and refuse it (RateLimited) when it goes past ``limit`` in this window."""
    if count(name, who, period=period) > limit:
        raise RateLimited(code, message, retry_after=_window(period)[1])
