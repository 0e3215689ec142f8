"""Django's Redis cache, made an accelerator rather than a dependency.

Settings: CACHE_URL=redis://... selects it; PORTAL_CACHE_TIMEOUT_MS and
PORTAL_CACHE_BREAKER_SECONDS (portal/settings.py, docs/operations.md).

**One client per pool.** Django's RedisCacheClient makes a new ``redis.Redis`` for every
cache operation, and redis-py's constructor fills a dictionary of some two hundred
response callbacks each time: about 0.2 ms of Python per operation, more than a read
from a local Redis takes, and a signed-in page makes five or more (its session, the
reader's facts, the notices, the cached listing). A ``redis.Redis`` is safe to share
between threads (each command borrows a connection from the pool), so one per pool
serves every thread of a process.

**When Redis fails** (stopped, hung, unreachable, out of memory: any Redis error) the
cache answers as an empty cache that keeps nothing, and pages are computed instead:

- a read is a miss, a write is skipped, ``incr`` raises ValueError as for a key that is
  not there, and ``add`` answers True, so that its caller proceeds (see below);
- each command waits at most PORTAL_CACHE_TIMEOUT_MS for Redis, and after an error the
  process leaves Redis alone for PORTAL_CACHE_BREAKER_SECONDS (a circuit breaker, one
  per Redis and process), so that each request does not wait for the timeout again.
  The outage is logged once per breaker period and counted in ``counters``;
- a skipped write would leave in Redis what was there before the change (a page, the
  session of someone who has signed out) for when it answers again. So the keys of
  skipped writes are remembered, up to LOST_KEYS_LIMIT per cache, and dropped as soon
  as Redis answers: deleted, or, for a version counter (a skipped ``incr``: see
  core/caching.py), bumped, since deleting it would bring back version 0 and
  what was cached under it. After more skipped writes than that, or a skipped
  ``clear()``, every key of the cache's prefix is deleted instead. A timer tries again
  every breaker period, so that this happens even in a process that gets no request;
  until then, for at most a breaker period after Redis is back, another process may
  still serve what Redis held.

**Who calls add**, and why True is the safe answer during an outage:

- CacheVersion.bump, after its ``incr`` failed: the skipped ``incr`` is remembered;
- django-ratelimit counts a window's first request with ``add``: the public report form
  is not limited while Redis is down (RATELIMIT_FAIL_OPEN in settings.py says the same
  for its other paths);
- allauth's rate limits take a lock with ``add`` around their own cache entry, which
  the outage has emptied anyway;
- allauth's two-step sign-in marks a used TOTP code with ``add``, to refuse it a second
  time in its 90 s: while Redis is down, a code seen by someone who also has the
  password can be used again within those 90 s. Answering False would refuse every
  code, and so every sign-in with a second step;
- allauth marks an OpenID Connect id_token's ``jti`` with ``add`` against replay; the
  token comes from the provider to the portal directly, its state and nonce checked.

Nothing that runs a task or sends mail is guarded by the cache: the outbox claims its
messages in the database.
"""

import collections
import functools
import logging
import re
import threading
import time

import redis
from django.conf import settings
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient
from django.utils.functional import cached_property

logger = logging.getLogger(__name__)

# Skipped writes remembered per cache; beyond, every key of the cache's prefix goes.
LOST_KEYS_LIMIT = 10_000

# Per process, since it started: "errors" (commands that met a Redis error), "skipped"
# (operations not sent, the breaker being open), "dropped" (keys deleted or bumped once
# Redis answered again), "wiped" (times every key of a prefix was deleted instead).
counters = collections.Counter()

_DOWN = object()
_DELETE, _BUMP = "delete", "bump"
_BATCH = 500


class _Breaker:
    """What a process knows about one Redis: until when to leave it alone, and the
    writes it skipped meanwhile, by key prefix."""

    def __init__(self, seconds):
        self.seconds = seconds
        self.lock = threading.Lock()
        self.open_until = 0.0  # time.monotonic()
        self.lost = {}  # prefix -> {key: _DELETE or _BUMP}
        self.wipe = set()  # prefixes of which every key must go
        self.timer = None

    def is_open(self):
        return time.monotonic() < self.open_until

    @property
    def pending(self):
        return bool(self.lost or self.wipe)

    def trip(self, error, client):
        """Leave Redis alone for a breaker period; log it if it was not already."""
        with self.lock:
            counters["errors"] += 1
            now = time.monotonic()
            was_open = now < self.open_until
            self.open_until = now + self.seconds
        if not was_open:
            logger.warning(
                "The cache's Redis does not answer (%s: %s); pages are computed instead, "
                "and it is tried again in %s s.",
                type(error).__name__,
                error,
                self.seconds,
            )
        self._retry_later(client)

    def lose(self, client, prefix, keys=(), how=_DELETE, everything=False):
        """Remember writes that did not reach Redis, to drop their keys once it answers."""
        if not keys and not everything:
            return
        with self.lock:
            if prefix not in self.wipe:
                lost = self.lost.setdefault(prefix, {})
                for key in keys:
                    if lost.get(key) != _BUMP:
                        lost[key] = how
                if everything or len(lost) > LOST_KEYS_LIMIT:
                    self.wipe.add(prefix)
                    del self.lost[prefix]
        self._retry_later(client)

    def take(self):
        """The writes to drop, now forgotten here: ``give_back`` them if that fails."""
        with self.lock:
            work = self.lost, self.wipe
            self.lost, self.wipe = {}, set()
        return work

    def give_back(self, work):
        lost, wipe = work
        with self.lock:
            self.wipe |= wipe
            for prefix, keys in lost.items():
                if prefix not in self.wipe:
                    self.lost.setdefault(prefix, {}).update(keys)

    def _retry_later(self, client):
        """A timer that drops the skipped writes after the breaker period, whether or
        not the process gets another request (a thread does not survive a fork, so a
        dead one is replaced)."""
        with self.lock:
            if not self.pending or (self.timer is not None and self.timer.is_alive()):
                return
            delay = max(self.open_until - time.monotonic(), 0) + 0.01
            self.timer = threading.Timer(delay, self._retry, args=[client])
            self.timer.daemon = True
            self.timer.start()

    def _retry(self, client):
        with self.lock:
            self.timer = None
        if self.is_open():
            self._retry_later(client)
            return
        try:
            client.drop_lost_writes()
        except redis.RedisError as error:
            self.trip(error, client)

    def cancel(self):
        with self.lock:
            timer, self.timer = self.timer, None
            self.lost, self.wipe = {}, set()
        if timer is not None:
            timer.cancel()
            timer.join(timeout=5)


_breakers = {}  # the servers of a cache -> their _Breaker
_breakers_lock = threading.Lock()


def _breaker(servers):
    with _breakers_lock:
        if servers not in _breakers:
            _breakers[servers] = _Breaker(settings.PORTAL_CACHE_BREAKER_SECONDS)
        return _breakers[servers]


def reset():
    """Forget every breaker and skipped write (for tests: each has its own Redis)."""
    with _breakers_lock:
        for breaker in _breakers.values():
            breaker.cancel()
        _breakers.clear()


def _glob_escape(text):
    return re.sub(r"([*?\[\]\\])", r"\\\1", text)


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, servers, *, key_prefix="", **options):
        timeout = settings.PORTAL_CACHE_TIMEOUT_MS / 1000
        options.setdefault("socket_connect_timeout", timeout)
        options.setdefault("socket_timeout", timeout)
        super().__init__(servers, **options)
        self._clients = {}  # connection pool -> its client
        self._key_prefix = key_prefix
        self._breaker = _breaker(tuple(servers))

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients.setdefault(pool, self._client(connection_pool=pool))
        return client

    def _run(self, command, fallback, *, lost=(), how=_DELETE, everything=False):
        """``command()``, or ``fallback`` when Redis fails or the breaker is open;
        the keys ``lost`` that a skipped write leaves as they were are remembered."""
        breaker = self._breaker
        if breaker.is_open():
            counters["skipped"] += 1
        else:
            try:
                if breaker.pending:
                    self.drop_lost_writes()
                return command()
            except redis.RedisError as error:
                breaker.trip(error, self)
        breaker.lose(self, self._key_prefix, lost, how, everything)
        return fallback

    def drop_lost_writes(self):
        """Delete (or, a version, bump) the keys of the writes skipped in an outage, or
        every key of a prefix; raises the RedisError that stops it, keeping the rest."""
        work = self._breaker.take()
        lost, wipe = work
        if not lost and not wipe:
            return
        client = self.get_client(write=True)
        try:
            dropped = 0
            for prefix in wipe:
                batch = []
                for key in client.scan_iter(match=f"{_glob_escape(prefix)}:*", count=1000):
                    batch.append(key)
                    if len(batch) == _BATCH:
                        client.delete(*batch)
                        batch = []
                if batch:
                    client.delete(*batch)
            for keys in lost.values():
                bumped = [key for key, how in keys.items() if how == _BUMP]
                deleted = [key for key, how in keys.items() if how == _DELETE]
                if bumped:
                    pipeline = client.pipeline(transaction=False)
                    for key in bumped:
                        pipeline.incr(key)
                    results = pipeline.execute(raise_on_error=False)
                    # Not a number after all: deleting it is as good.
                    deleted += [
                        key
                        for key, result in zip(bumped, results, strict=True)
                        if isinstance(result, redis.ResponseError)
                    ]
                for start in range(0, len(deleted), _BATCH):
                    client.delete(*deleted[start : start + _BATCH])
                dropped += len(keys)
        except redis.RedisError:
            self._breaker.give_back(work)
            raise
        counters["dropped"] += dropped
        counters["wiped"] += len(wipe)
        if wipe:
            logger.info(
                "The cache's Redis answers again; more writes were skipped meanwhile than "
                "are remembered (or a clear), so every key of the cache is dropped from it."
            )
        else:
            logger.info(
                "The cache's Redis answers again; the %s keys written meanwhile are dropped.",
                dropped,
            )

    def answers(self):
        """Whether Redis answers now, whatever the breaker says; if it does, the
        breaker closes and the skipped writes are dropped."""
        try:
            self.get_client(write=True).ping()
            self._breaker.open_until = 0.0
            self.drop_lost_writes()
        except redis.RedisError as error:
            self._breaker.trip(error, self)
            return False
        return True

    def add(self, key, value, timeout):
        return self._run(functools.partial(super().add, key, value, timeout), True)

    def get(self, key, default):
        return self._run(functools.partial(super().get, key, default), default)

    def set(self, key, value, timeout):
        self._run(functools.partial(super().set, key, value, timeout), None, lost=[key])

    def touch(self, key, timeout):
        return self._run(functools.partial(super().touch, key, timeout), False)

    def delete(self, key):
        return self._run(functools.partial(super().delete, key), False, lost=[key])

    def get_many(self, keys):
        return self._run(functools.partial(super().get_many, keys), {})

    def has_key(self, key):
        return self._run(functools.partial(super().has_key, key), False)

    def incr(self, key, delta):
        result = self._run(
            functools.partial(super().incr, key, delta), _DOWN, lost=[key], how=_BUMP
        )
        if result is _DOWN:
            raise ValueError(f"Key {key!r} not found: the cache's Redis does not answer.")
        return result

    def set_many(self, data, timeout):
        self._run(functools.partial(super().set_many, data, timeout), None, lost=list(data))

    def delete_many(self, keys):
        self._run(functools.partial(super().delete_many, keys), None, lost=list(keys))

    def clear(self):
        return self._run(super().clear, False, everything=True)


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient

    @cached_property
    def _cache(self):
        return self._class(self._servers, key_prefix=self.key_prefix, **self._options)

    def validate_key(self, key):
        """Nothing to check: Django's check warns of keys memcached would refuse (over
        250 characters, spaces, control characters), every one of which Redis takes.
        It read each key character by character, 2 µs a key, 10 to 15 keys a page."""

    def answers(self):
        """For /healthz: whether Redis answers now."""
        return self._cache.answers()
