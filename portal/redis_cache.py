"""Django's Redis cache, with one Redis client per connection pool, not one per call.

Django's RedisCacheClient makes a new ``redis.Redis`` for every cache operation, and
redis-py's constructor fills a dictionary of some two hundred response callbacks each
time: about 0.2 ms of Python per operation, more than a read from a local Redis
takes, and a signed-in page makes five or more (its session, the reader's facts, the
notices, the cached listing). A ``redis.Redis`` is safe to share between threads (each
command borrows a connection from the pool), so one per pool serves every thread of a
process. Settings: CACHE_URL=redis://... selects it (portal/settings.py).
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}  # connection pool -> its client

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients.setdefault(pool, self._client(connection_pool=pool))
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
