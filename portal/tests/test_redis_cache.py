"""The Redis cache (portal/redis_cache.py): Django's, against a real Redis, with one
client per connection pool shared by every call and thread."""

import threading

import pytest

from metrics.tests.test_limiter import REDIS_URL, redis_or_skip
from portal.redis_cache import RedisCache


@pytest.fixture
def redis_cache():
    redis_or_skip()
    cache = RedisCache(REDIS_URL, {"KEY_PREFIX": "test-redis-cache"})
    cache.clear()
    yield cache
    cache.clear()


def test_it_reads_and_writes_as_djangos_does(redis_cache):
    redis_cache.set("facts", {"groups": frozenset({"communications"})}, 60)
    assert redis_cache.get("facts") == {"groups": frozenset({"communications"})}
    assert redis_cache.get_many(["facts", "missing"]) == {
        "facts": {"groups": frozenset({"communications"})}
    }
    assert redis_cache.add("version", 1, timeout=None)
    assert redis_cache.incr("version") == 2
    redis_cache.delete("facts")
    assert redis_cache.get("facts") is None


def test_every_call_and_thread_uses_the_same_client(redis_cache):
    redis_cache.set("key", "value")
    clients = {id(redis_cache._cache.get_client(write=False))}
    clients.add(id(redis_cache._cache.get_client(write=True)))

    def read():
        assert redis_cache.get("key") == "value"
        clients.add(id(redis_cache._cache.get_client()))

    threads = [threading.Thread(target=read) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(clients) == 1
