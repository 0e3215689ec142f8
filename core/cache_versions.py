"""Cached pages and figures that change as soon as their data does.

A cached value's key holds a version number kept in the cache itself; whatever changes
the data bumps the version, and every process's next request computes the value again
under the new key (the old one expires). One integer per kind of data, whatever the
number of cached values; nothing to find and delete.

A change bumps the version twice: at once, so that the request that made it sees it,
and after its transaction commits, in case another request cached the old data in
between (``CacheVersion.changed``). Each kind of data also keeps its values a limited
time, which bounds how stale a value can be after a change that bypasses the signals
(a bulk update, SQL), or, with a per-process cache (no CACHE_URL), after a change made
in another process.

When the cache's Redis fails, ``current()`` is 0 and ``bump()`` does nothing (its
``incr`` raises ValueError and its ``add`` is skipped); core/redis_cache.py bumps
the versions it could not once Redis answers again.
"""

import hashlib

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language


class CacheVersion:
    def __init__(self, key):
        self.key = key

    def __repr__(self):
        return f"CacheVersion({self.key!r})"

    def current(self):
        return cache.get(self.key, 0)

    def bump(self):
        try:
            cache.incr(self.key)
        except ValueError:  # not in the cache (yet, or any more)
            cache.add(self.key, 1, timeout=None)

    def changed(self, **kwargs):
        """Bump now and after commit. Also a receiver of post_save and post_delete."""
        self.bump()
        transaction.on_commit(self.bump)


def cached_listing(request, version, name, render, *, timeout, search_timeout, scope="all"):
    """A list page's listing (its form, count, rows and pages) as ``render()`` returns
    it, rendered once per ``version`` of its data, ``scope`` (whose rows: everyone's,
    or one person's), query, language and day, then served from the cache: for
    ``search_timeout`` seconds when the query searches or filters (anyone can ask for
    any number of different ones), ``timeout`` otherwise."""
    parameters = request.GET.urlencode()
    key = ":".join(
        [
            name,
            str(version.current()),
            str(scope),
            get_language(),
            timezone.localdate().isoformat(),
            hashlib.sha256(parameters.encode()).hexdigest(),
        ]
    )
    listing = cache.get(key)
    if listing is None:
        listing = render()
        searched = set(request.GET) - {"page"}
        cache.set(key, listing, search_timeout if searched else timeout)
    return listing
