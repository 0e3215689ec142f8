"""Request rates per platform, held across every worker process.

Celery's own ``rate_limit`` counts per worker, so two workers would together send twice
the allowed rate. Here every request first reserves a time slot in Redis: the slots of
one key are spaced ``1 / rate`` seconds apart, whichever process asks, and the caller
sleeps until its slot. A reservation further away than ``max_wait`` is refused with
``RateLimited`` so that the task retries later instead of holding a worker.

When a platform says its budget is spent (429 with ``Retry-After``, or
``X-RateLimit-Remaining: 0``), ``pause`` moves the key's next slot to the reset time, so
all workers hold off, not only the one that was told.

Without Redis (the demo's embedded broker) the same algorithm runs in the process, which
is exact for the demo's single worker process and documented as such.
"""

import contextlib
import math
import threading
import time
from typing import NamedTuple

import redis
from django.conf import settings

# Reserve the next slot of KEYS[1]. ARGV: interval and max wait in microseconds.
# Returns {1, wait_us} when reserved, {0, wait_us} when the wait would be too long.
_RESERVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local max_wait = tonumber(ARGV[2])
local next_slot = tonumber(redis.call('GET', KEYS[1]) or '0')
local slot = math.max(next_slot, now)
local wait = slot - now
if wait > max_wait then
  return {0, wait, slot}
end
local after = slot + interval
local ttl = math.floor((after - now) / 1000) + 1000
redis.call('SET', KEYS[1], string.format('%d', after), 'PX', ttl)
return {1, wait, slot}
"""

# Push KEYS[1]'s next slot to ARGV[1] (epoch microseconds) unless it is already later.
_PAUSE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local until_us = tonumber(ARGV[1])
local next_slot = tonumber(redis.call('GET', KEYS[1]) or '0')
if until_us > next_slot and until_us > now then
  local ttl = math.floor((until_us - now) / 1000) + 1000
  redis.call('SET', KEYS[1], string.format('%d', until_us), 'PX', ttl)
end
return 1
"""

PREFIX = "portal:metrics:rate:"


class RateLimitWait(Exception):
    """The next free slot is further away than the caller may wait."""

    def __init__(self, wait):
        super().__init__(f"The platform's request budget is booked for the next {wait:.0f} s.")
        self.wait = wait


# Slots are spaced for 90% of the configured rate: a request leaves a few milliseconds
# after its slot (sleep, scheduling, the network), and without this headroom that jitter
# could put one request too many into some one-second window as the platform counts.
HEADROOM = 0.9


def interval_for(platform):
    """Seconds between two requests to ``platform``, from METRICS_RATE_LIMITS."""
    rate = settings.METRICS_RATE_LIMITS.get(platform) or settings.METRICS_RATE_LIMITS["default"]
    return 1.0 / (rate * HEADROOM)


class Take(NamedTuple):
    reserved: bool
    wait: float  # seconds from now until the slot
    slot: float  # the slot, epoch seconds on the limiter's clock


class RedisLimiter:
    def __init__(self, url):
        self.redis = redis.Redis.from_url(url)
        self.reserve = self.redis.register_script(_RESERVE)
        self.pause_script = self.redis.register_script(_PAUSE)

    def take(self, key, interval, max_wait):
        reserved, wait_us, slot_us = self.reserve(
            keys=[PREFIX + key], args=[int(interval * 1e6), int(max_wait * 1e6)]
        )
        return Take(bool(reserved), wait_us / 1e6, slot_us / 1e6)

    def pause(self, key, until):
        self.pause_script(keys=[PREFIX + key], args=[int(until * 1e6)])

    def reset(self):
        for key in self.redis.scan_iter(match=PREFIX + "*"):
            self.redis.delete(key)


class LocalLimiter:
    """The same slots, kept in this process (wall-clock time, like Redis's TIME)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.next_slot = {}

    def take(self, key, interval, max_wait):
        with self.lock:
            now = time.time()
            slot = max(self.next_slot.get(key, 0.0), now)
            wait = slot - now
            if wait > max_wait:
                return Take(False, wait, slot)
            self.next_slot[key] = slot + interval
            return Take(True, wait, slot)

    def pause(self, key, until):
        with self.lock:
            self.next_slot[key] = max(self.next_slot.get(key, 0.0), until)

    def reset(self):
        with self.lock:
            self.next_slot.clear()


_backend = None
_backend_url = None


def backend():
    global _backend, _backend_url
    url = settings.METRICS_LIMITER_URL
    if _backend is None or url != _backend_url:
        _backend = RedisLimiter(url) if url else LocalLimiter()
        _backend_url = url
    return _backend


@contextlib.contextmanager
def private():
    """Slots of this process alone for the block, kept apart from everyone else's: the
    demo replays past days under a travelling clock, and its slots must neither wait for
    nor hold up the real ones (nor those of an earlier replay)."""
    global _backend, _backend_url
    saved = _backend, _backend_url
    _backend, _backend_url = LocalLimiter(), settings.METRICS_LIMITER_URL
    try:
        yield
    finally:
        _backend, _backend_url = saved


# A request that wakes up this much after its slot (a busy CPU, a thread waiting for
# the GIL) books a new slot instead of going out: late requests would otherwise leave
# together and crowd one second (seen with the threads pool in bench/collect.py).
LATE = 0.05
TRIES = 5


def acquire(key, platform):
    """Wait for the next request slot of ``key``; RateLimitWait if it is too far away."""
    for _try in range(TRIES):
        reserved, wait, _slot = backend().take(
            key, interval_for(platform), settings.METRICS_RATE_LIMIT_MAX_WAIT
        )
        if not reserved:
            raise RateLimitWait(math.ceil(wait))
        due = time.monotonic() + wait
        if wait > 0:
            time.sleep(wait)
        if time.monotonic() - due <= LATE:
            return
    # Late every time: the machine is overloaded; going out late only lowers the rate.


def pause(key, until):
    """No request to ``key`` before ``until`` (epoch seconds), from any worker."""
    backend().pause(key, until)
