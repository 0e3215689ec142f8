"""The Redis cache (core/redis_cache.py): Django's, against a real Redis, with one
client per connection pool shared by every call and thread; and, when that Redis fails,
a cache that misses instead of failing the request."""

import logging
import threading
import time
import warnings

import pytest
import redis
from django.core.cache.backends.base import CacheKeyWarning
from django.test import override_settings

from core import redis_cache
from core.caching import CacheVersion
from core.redis_cache import RedisCache
from metrics.tests.test_limiter import REDIS_URL, redis_or_skip
from portal.tests.services import RedisServer, wait_until


@pytest.fixture
def shared_redis_cache():
    redis_or_skip()
    cache = RedisCache(REDIS_URL, {"KEY_PREFIX": "test-redis-cache"})
    cache.clear()
    yield cache
    cache.clear()


def test_it_reads_and_writes_as_djangos_does(shared_redis_cache):
    shared_redis_cache.set("facts", {"groups": frozenset({"communications"})}, 60)
    assert shared_redis_cache.get("facts") == {"groups": frozenset({"communications"})}
    assert shared_redis_cache.get_many(["facts", "missing"]) == {
        "facts": {"groups": frozenset({"communications"})}
    }
    assert shared_redis_cache.add("version", 1, timeout=None)
    assert shared_redis_cache.incr("version") == 2
    shared_redis_cache.delete("facts")
    assert shared_redis_cache.get("facts") is None


def test_every_call_and_thread_uses_the_same_client(shared_redis_cache):
    shared_redis_cache.set("key", "value")
    clients = {id(shared_redis_cache._cache.get_client(write=False))}
    clients.add(id(shared_redis_cache._cache.get_client(write=True)))

    def read():
        assert shared_redis_cache.get("key") == "value"
        clients.add(id(shared_redis_cache._cache.get_client()))

    threads = [threading.Thread(target=read) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(clients) == 1


# --- When Redis fails: the cache is an accelerator, not a dependency -------------------
# Against a Redis of the test's own (portal/tests/services.py), stopped (connections
# refused) or paused (connections accepted, nothing answered) mid-test.

BREAKER = 0.5  # seconds; production's default is 5


@pytest.fixture
def server():
    with RedisServer() as server:
        yield server


@pytest.fixture
def make_cache(server, settings):
    """Caches on ``server``, as a web process makes them, with their own key prefix."""
    settings.PORTAL_CACHE_BREAKER_SECONDS = BREAKER
    settings.PORTAL_CACHE_TIMEOUT_MS = 250
    redis_cache.counters.clear()

    def make(prefix="portal-test"):
        return RedisCache(server.url(0), {"KEY_PREFIX": prefix})

    yield make
    redis_cache.reset()


@pytest.fixture
def cache(make_cache):
    return make_cache()


def raw_keys(server):
    return sorted(key.decode() for key in redis.Redis.from_url(server.url(0)).keys("*"))


def after_the_breaker():
    time.sleep(BREAKER + 0.1)


@pytest.mark.parametrize("outage", ["stop", "pause"])
def test_a_read_is_a_miss_while_redis_fails(server, cache, outage):
    cache.set("facts", "cached", 60)
    getattr(server, outage)()
    assert cache.get("facts") is None
    assert cache.get("facts", "default") == "default"
    assert cache.get_many(["facts", "other"]) == {}
    assert cache.has_key("facts") is False
    assert cache.get_or_set("facts", "computed") == "computed"
    assert redis_cache.counters["errors"] == 1  # then the breaker skips Redis
    assert redis_cache.counters["skipped"] == 6  # get_or_set is a get, an add and a get


@pytest.mark.parametrize("outage", ["stop", "pause"])
def test_a_write_is_skipped_while_redis_fails(server, cache, outage):
    getattr(server, outage)()
    assert cache.set("facts", "new", 60) is None
    assert cache.set_many({"a": 1, "b": 2}) == []
    assert cache.delete("facts") is False
    assert cache.delete_many(["a", "b"]) is None
    assert cache.touch("facts") is False
    assert cache.clear() is False


def test_incr_raises_value_error_as_for_a_missing_key(server, cache):
    cache.set("version", 4, None)
    server.stop()
    with pytest.raises(ValueError):
        cache.incr("version")
    with pytest.raises(ValueError):
        cache.decr("version")


def test_add_answers_true_so_that_its_caller_proceeds(server, cache):
    cache.set("lock", "held by another", 60)
    server.stop()
    # A rate limit counts from one, a cache lock is taken: nothing the portal guards
    # with cache.add must not run twice (docs/operations.md, "When a service fails").
    assert cache.add("lock", "mine", 60) is True


def test_a_version_bump_degrades_to_nothing_while_redis_fails(server, make_cache):
    version = CacheVersion("test:version")
    cache = {"BACKEND": "core.redis_cache.RedisCache", "LOCATION": server.url(0)}
    with override_settings(CACHES={"default": cache}):
        version.bump()
        assert version.current() == 1
        server.stop()
        version.bump()
        assert version.current() == 0  # the default: every cached value is a miss anyway


class BreakerClock:
    """Stands in for portal.redis_cache's ``time``: the breaker's period passes only
    when the test says so, however slow the machine."""

    def __init__(self):
        self.now = 1000.0

    def monotonic(self):
        return self.now

    def advance(self, seconds):
        self.now += seconds


@pytest.fixture
def breaker_clock(monkeypatch):
    clock = BreakerClock()
    monkeypatch.setattr(redis_cache, "time", clock)
    return clock


@pytest.fixture
def sent(monkeypatch):
    """The commands that the caches send to a Redis, by name."""
    commands = []
    real = redis.Redis.execute_command

    def execute_command(self, *args, **options):
        commands.append(args[0])
        return real(self, *args, **options)

    monkeypatch.setattr(redis.Redis, "execute_command", execute_command)
    return commands


def test_after_an_error_redis_is_left_alone_for_the_breaker_period(
    server, cache, breaker_clock, sent
):
    client = cache._cache.get_client()
    timeouts = client.connection_pool.connection_kwargs
    # PORTAL_CACHE_TIMEOUT_MS, not for ever
    assert (timeouts["socket_connect_timeout"], timeouts["socket_timeout"]) == (0.25, 0.25)
    server.pause()
    started = time.monotonic()
    assert cache.get("facts") is None
    assert time.monotonic() - started >= 0.2  # it was tried: it waited for the timeout
    assert sent == ["GET"]
    for _ in range(20):
        assert cache.get("facts") is None
    assert sent == ["GET"]  # not tried: no timeout to wait
    assert (redis_cache.counters["errors"], redis_cache.counters["skipped"]) == (1, 20)
    breaker_clock.advance(BREAKER)
    assert cache.get("facts") is None  # tried again, and failed again
    assert sent == ["GET", "GET"]
    assert (redis_cache.counters["errors"], redis_cache.counters["skipped"]) == (2, 20)
    server.resume()
    breaker_clock.advance(BREAKER)
    cache.set("facts", "cached")
    assert cache.get("facts") == "cached"


def test_the_breaker_is_shared_by_every_cache_of_the_process_on_that_redis(server, make_cache):
    # Django makes a cache object per thread; one breaker serves them all.
    cache, another = make_cache(), make_cache("another-prefix")
    server.stop()
    assert cache.get("facts") is None
    assert another.get("facts") is None
    assert (redis_cache.counters["errors"], redis_cache.counters["skipped"]) == (1, 1)


def test_an_outage_is_logged_once_per_breaker_period(server, cache, caplog):
    # An in-process Celery test worker leaves the root logger at ERROR.
    caplog.set_level(logging.WARNING, logger="core.redis_cache")
    server.stop()
    for _ in range(10):
        cache.get("facts")
        cache.set("facts", "value")
    messages = [r.getMessage() for r in caplog.records if r.name == "core.redis_cache"]
    assert len(messages) == 1
    assert "computed instead" in messages[0]
    after_the_breaker()
    cache.get("facts")
    messages = [r.getMessage() for r in caplog.records if r.name == "core.redis_cache"]
    assert len(messages) == 2


def test_writes_lost_in_the_outage_are_dropped_once_redis_answers_again(server, cache):
    cache.set("page", "before the change", 600)
    cache.set("session", "signed in", 600)
    cache.set("version", 7, None)
    cache.set("untouched", "still good", 600)
    server.pause()
    assert cache.get("page") is None  # timed out: the breaker is open
    cache.set("page", "after the change", 600)  # skipped: Redis keeps the old page
    cache.delete("session")  # skipped: Redis keeps the signed-in session
    with pytest.raises(ValueError):
        cache.incr("version")
    server.resume()
    after_the_breaker()
    assert cache.get("page") is None
    assert cache.get("session") is None
    assert cache.get("version") == 8  # bumped, not deleted: 0 may be an older version
    assert cache.get("untouched") == "still good"
    assert redis_cache.counters["dropped"] == 3


def test_a_lost_bump_of_a_version_not_yet_in_the_cache_starts_it(server, cache):
    server.pause()
    assert cache.get("version") is None  # timed out: the breaker is open
    with pytest.raises(ValueError):
        cache.incr("version")
    server.resume()
    after_the_breaker()
    assert cache.get("missing") is None
    assert cache.get("version") == 1


def test_lost_writes_are_dropped_even_if_the_process_gets_no_other_request(server, cache):
    cache.set("session", "signed in", 600)
    server.pause()
    assert cache.get("session") is None  # timed out: the breaker is open
    cache.delete("session")  # skipped
    server.resume()
    wait_until(lambda: raw_keys(server) == [], timeout=5, message="the lost delete")


def test_more_lost_writes_than_remembered_drop_every_key_of_the_prefix(
    server, make_cache, monkeypatch
):
    monkeypatch.setattr(redis_cache, "LOST_KEYS_LIMIT", 3)
    cache, neighbour = make_cache("portal-test"), make_cache("neighbour")
    for key in "abcde":
        cache.set(key, "before", 600)
    neighbour.set("a", "not ours", 600)
    server.pause()
    assert cache.get("a") is None  # timed out: the breaker is open
    for key in "abcd":
        cache.set(key, "after", 600)
    server.resume()
    after_the_breaker()
    assert cache.get("e") is None  # not written in the outage, dropped all the same
    assert raw_keys(server) == ["neighbour:1:a"]
    assert redis_cache.counters["wiped"] == 1


def test_a_lost_clear_drops_every_key_of_the_prefix(server, make_cache):
    cache, neighbour = make_cache("portal-test"), make_cache("neighbour")
    cache.set("page", "before", 600)
    neighbour.set("page", "not ours", 600)
    server.pause()
    assert cache.get("page") is None  # timed out: the breaker is open
    cache.clear()  # not sent (a command that timed out may still run when Redis resumes)
    server.resume()
    after_the_breaker()
    assert cache.get("page") is None
    assert raw_keys(server) == ["neighbour:1:page"]


def test_it_answers_the_health_check_whatever_the_breaker_says(server, cache):
    assert cache.answers() is True
    server.stop()
    assert cache.answers() is False
    server.start()
    assert cache.answers() is True  # at once, not after the breaker period


def test_keys_memcached_would_refuse_are_taken_without_a_warning(shared_redis_cache):
    key = "search:" + "library news " * 30  # over 250 characters, with spaces
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheKeyWarning)
        shared_redis_cache.set(key, "page", 60)
        assert shared_redis_cache.get(key) == "page"
        assert shared_redis_cache.get_many([key]) == {key: "page"}
