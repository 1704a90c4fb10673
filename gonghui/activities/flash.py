"""The flash sale in front of the database (docs/activities.md, "The flash sale"): with REDIS_URL,
each course's sign-up state lives in one Redis hash, so most of a rush's requests are answered
without PostgreSQL, and no more requests than free seats plus a margin reach it at once.

- **Refusals and replays from memory.** Once the database has said a course is full, closed or
  not yet open, the hash holds that answer *and* the idempotency key of every booking of the
  course, read from the database after it said so (all winners had committed by then). A request
  whose key is there gets its booking back (201, the same body); any other is refused with the
  same status, code and message as the database path. A "not yet open" state holds until the
  opening instant only.
- **Admission.** While a course is open, a request takes a token (``adm``, one counter in the
  hash) before it goes to the database; at ``free seats + MARGIN`` tokens the rest hear "many are
  signing up, try again in a second" (429, the phone's script retries with the same key). A
  winner keeps its token, any other outcome gives it back.
- **PostgreSQL stays the only truth.** The hash is built from the database and expires after
  ``STATE_SECONDS`` (30 s when full or closed: a lost token, a crashed process or a missed
  invalidation heals by then), and one request at a time rebuilds it; a
  flushed or unreachable Redis sends every request to the database path, which decides as
  before: never an oversold seat or a lost booking, only more work for the database. Without
  REDIS_URL (the embedded default) nothing here runs.
"""

import json
import logging
import time

from django.conf import settings

log = logging.getLogger("gonghui.flash")

STATE_SECONDS = 10  # an open course's state (and its tokens) is rebuilt from the database this often at least
COMPLETE_SECONDS = 30  # a full or closed one (changes to seats drop it at once; this bounds a missed drop)
BUILD_SECONDS = 2  # one request rebuilds a course's state at a time; the others answer from the database
MARGIN = 16  # requests let through beyond the free seats (those that will lose to a duplicate or a limit)
PAUSE_SECONDS = 5  # after a Redis error, this process leaves Redis alone this long
COMPLETE = ("full", "not_yet", "not_open", "window_over")  # states whose hash lists every booking's key
DB = "db"  # a key whose booking is not a seat (waiting list …): asked of the database

_clients: dict = {}
_scripts: dict = {}  # (client, script text) → redis-py's Script (EVALSHA, loading the script when Redis lacks it)
_paused_until = 0.0

# KEYS[1] the course; ARGV: nonce, now (epoch seconds). Answers: {"none"} ask the database,
# {"replay", body}, {"refuse", state, opening or capacity}, {"admit", generation of the hash}, {"busy"}.
_LOOK = """
local k = KEYS[1]
local f = redis.call('HMGET', k, 'k', 'o', 'e', 'lim', 'm', 'g', 'c', 'n:' .. ARGV[1])
local kind, opens, closes, lim, members, body = f[1], tonumber(f[2]), tonumber(f[3]), tonumber(f[4]), f[5], f[8]
if not kind then return {'none'} end
if body then
  if body == 'db' then return {'none'} end
  return {'replay', body}
end
local now = tonumber(ARGV[2])
if kind == 'not_yet' and now < opens then return {'refuse', kind, f[2]} end
if kind == 'not_open' or kind == 'window_over' then return {'refuse', kind} end
if kind == 'full' then
  if members == '1' then return {'none'} end
  return {'refuse', kind, f[7]}
end
if now >= closes then return {'none'} end
if redis.call('HINCRBY', k, 'adm', 1) > lim then
  redis.call('HINCRBY', k, 'adm', -1)
  return {'busy'}
end
return {'admit', f[6]}
"""
# Give a token back (only to the hash it came from: a rebuilt one starts from the database's count).
_RELEASE = """
if redis.call('HGET', KEYS[1], 'g') == ARGV[1] and tonumber(redis.call('HGET', KEYS[1], 'adm')) > 0 then
  redis.call('HINCRBY', KEYS[1], 'adm', -1)
end
"""
# An open state is written only where none is (it must not reset the tokens taken).
_OPEN = """
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
redis.call('EXPIRE', KEYS[1], ARGV[1])
return 1
"""


def _key(activity_id: int) -> str:
    return f"gh:flash:{activity_id}"


def _redis():
    """The Redis client, or None without REDIS_URL or while pausing after an error."""
    url = settings.REDIS_URL
    if not url or time.monotonic() < _paused_until:
        return None
    client = _clients.get(url)
    if client is None:
        import redis

        timeout = settings.GONGHUI_REDIS_TIMEOUT
        client = _clients[url] = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
    return client


def _down(exc: Exception) -> None:
    global _paused_until
    _paused_until = time.monotonic() + PAUSE_SECONDS
    log.warning("redis unreachable, sign-ups go to the database for %d s: %s", PAUSE_SECONDS,
                exc.__class__.__name__)


def _run(script: str, keys: list[str], args: list):
    from redis.exceptions import RedisError

    client = _redis()
    if client is None:
        return None
    try:
        # EVALSHA: the script's text crosses the wire once per process, not with every request.
        runner = _scripts.get((id(client), script))
        if runner is None:
            runner = _scripts[(id(client), script)] = client.register_script(script)
        return runner(keys=keys, args=args)
    except (RedisError, OSError) as exc:
        _down(exc)
        return None


class Look:
    """What Redis said about one request: ``answer`` is none, replay, refuse, admit or busy;
    ``value`` the replayed body, the refusal's state or the admitting hash's generation; ``detail``
    the refusal's opening instant (epoch seconds) or capacity."""

    def __init__(self, answer: str = "none", value: str = "", detail: str = ""):
        self.answer, self.value, self.detail = answer, value, detail


def look(activity_id: int, nonce: str, now) -> Look:
    """Ask the course's state (one round trip); takes a token when the answer is ``admit``."""
    result = _run(_LOOK, [_key(activity_id)], [nonce, now.timestamp()])
    if not result:
        return Look()
    values = [x.decode() if isinstance(x, bytes) else str(x) for x in result]
    return Look(*values[:3])


def hand_over(request, activity_id: int, nonce: str, seen: Look) -> None:
    """What ``activities.middleware`` was told for this request, kept for the API's view, which
    then asks no second time (and so takes no second token)."""
    request.flash_look = (activity_id, nonce, seen)


def adopt(request, activity_id: int, nonce: str | None) -> Look | None:
    """The answer handed over for this course and key, once; the view answers for its token from
    here on (``handed_back``)."""
    early = getattr(request, "flash_look", None)
    if early is None or not nonce or early[:2] != (activity_id, nonce):
        return None
    request.flash_look = None  # adopted: nothing is left to give back
    return early[2]


def handed_back(request, activity_id: int) -> None:
    """After the response: a token taken for a request whose view never adopted it (the API refused
    the request first: no worker any more, a body it refuses) is given back."""
    early = getattr(request, "flash_look", None)
    if early is not None and early[2].answer == "admit":
        release(activity_id, early[2].value)


def release(activity_id: int, generation: str) -> None:
    """An admitted request that did not win gives its token back."""
    _run(_RELEASE, [_key(activity_id)], [generation])


def state_of(activity, now) -> str:
    """The course's sign-up state read from its row: what the database path would answer first."""
    from .models import State

    if activity.state != State.PUBLISHED:
        return "not_open"
    if now < activity.signup_opens_at:
        return "not_yet"
    if now >= activity.signup_closes_at:
        return "window_over"
    if activity.taken >= activity.capacity or activity.waiting:
        return "full"
    return "open"


def _fields(activity, kind: str) -> dict:
    from .models import Audience

    return {"k": kind, "o": activity.signup_opens_at.timestamp(), "e": activity.signup_closes_at.timestamp(),
            "c": activity.capacity, "lim": max(activity.capacity - activity.taken, 0) + MARGIN, "adm": 0,
            "m": "1" if activity.audience == Audience.MEMBERS else "0", "g": f"{time.time_ns()}"}


def remember(activity, now, render, *, refused: bool) -> None:
    """After the database answered a request for ``activity`` (the row as read): keep its state.
    After a refusal by the course's state (full, closed, not yet open) the state is read again with
    every booking's key from the database and replaces the hash; an open one (and a full
    members-only one, which Redis never refuses: membership is the database's to check) is written
    only where there is none."""
    from .models import Audience

    if _redis() is None:
        return
    kind = state_of(activity, now)
    key = _key(activity.pk)
    if (not refused and kind == "open") or (refused and kind == "full" and activity.audience == Audience.MEMBERS):
        fields = _fields(activity, kind)
        _run(_OPEN, [key], [STATE_SECONDS, *[x for pair in fields.items() for x in pair]])
        return
    if not refused:
        return
    from . import selectors
    from .models import BookingState

    if not _run("return redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1])", [f"{key}:build"], [BUILD_SECONDS]):
        return  # another request is rebuilding it (or Redis is down)
    fresh, bookings = selectors.signup_state(activity.pk)
    kind = state_of(fresh, now) if fresh is not None else ""
    if kind not in COMPLETE:
        forget(activity.pk)
        return
    fields = _fields(fresh, kind)
    for booking in bookings:
        booking.activity = fresh
        fields[f"n:{booking.idem_key}"] = (json.dumps(render(booking), ensure_ascii=False)
                                           if booking.state == BookingState.BOOKED else DB)
    from redis.exceptions import RedisError

    try:
        with _redis().pipeline(transaction=True) as pipe:
            pipe.delete(key).hset(key, mapping=fields).expire(key, COMPLETE_SECONDS).delete(f"{key}:build").execute()
    except (RedisError, OSError, AttributeError) as exc:
        _down(exc)


def won(activity_id: int, nonce: str, body: dict) -> None:
    """A booking committed: its key answers a replay from memory while the hash lives."""
    _run("if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end",
         [_key(activity_id)], [f"n:{nonce}", json.dumps(body, ensure_ascii=False)])


def forget(activity_id: int) -> None:
    """Seats, the waiting list or the window changed: the next request rebuilds from the database."""
    _run("redis.call('DEL', KEYS[1])", [_key(activity_id)], [])
