"""How long the registry's and the public directory's pages and counts are cached, and
the versions that drop them when what they show changes."""

from core.cache_versions import CacheVersion

# The registry's warning counts (orphaned, overdue, no deputy) take ~100 ms to
# aggregate over 100,000 channels, too slow for every page view, and are the same for
# everyone; they are cached, and the cache is dropped whenever a channel event is
# written or an account is (de)activated. The timeout bounds how stale they can be after
# a change that bypasses both (a bulk update), or, with a per-process cache, after a
# change made in another process.
WARNING_COUNTS_TIMEOUT = 600
WARNING_COUNTS_VERSION = CacheVersion("registry:warning-counts:version")


# The public directory's pages are the same for every visitor, and counting and
# ordering a search over 100,000 channels costs ~100 ms: each search's count and each
# page's results, rendered, are cached under a version that is bumped whenever a
# channel or a unit is saved or deleted (accounts/signals.py), so that a change shows
# at once. The timeout bounds how stale a page
# can be after a change that bypasses save() (a bulk update), or, with a per-process
# cache, after a change made in another process.
DIRECTORY_TIMEOUT = 600
# A search's results are kept a minute only: anyone can type any number of different
# searches, each a few tens of kilobytes in the cache; a popular one is asked again
# within the minute.
DIRECTORY_SEARCH_TIMEOUT = 60
DIRECTORY_VERSION = CacheVersion("directory:version")

# The registry's pages are the same for every member of staff, and a page of 50
# channels with their people costs ~30 ms of Python and 15 of SQL: each page, rendered,
# is cached under a version bumped whenever a channel, a unit, a channel's role or a
# person's name or account is saved or deleted (accounts/signals.py); kept a minute at
# most for a search or filter, ten for the plain list (as the directory's).
REGISTRY_VERSION = CacheVersion("registry:version")
REGISTRY_TIMEOUT = 600
REGISTRY_SEARCH_TIMEOUT = 60
