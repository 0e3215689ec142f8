"""YouTube: the Data API v3 channel search, with the server's key (``YOUTUBE_API_KEY``).

``GET https://www.googleapis.com/youtube/v3/search?part=snippet&type=channel&q=…
&maxResults=50&pageToken=…`` (developers.google.com/youtube/v3/docs/search/list): up
to 50 channels a page, each ``{"id": {"kind": "youtube#channel", "channelId"},
"snippet": {"channelId", "title", "description", "thumbnails", "channelTitle",
"publishedAt"}}``, and ``nextPageToken`` while there are more. For a channel result
``publishedAt`` is when the channel was created. A search result carries no @handle
(``customUrl`` is only in ``channels.list``, one more call): ``Found.handle`` stays ""
and the watch compares the channel's title.

The call is expensive: **100 quota units** a page, against the project's 10,000 a day
(developers.google.com/youtube/v3/determine_quota_cost), which the metrics collection
spends too (1 unit a channel). So the watch spends at most
``LOOKALIKES_YOUTUBE_DAILY_UNITS`` a day: before each call it reserves 100 units of
that day's budget in a counter every worker shares (the limiter's Redis; in the
process without it, like the limiter), and a call that would pass the budget is not
made: ``QuotaExhausted``, until the day ends. The day is YouTube's quota day, which
ends at midnight Pacific time. A call that went out keeps its units, whatever the
answer (Google counts invalid requests too); one the rate limiter held back gives them
back. Google's own ``quotaExceeded``/``dailyLimitExceeded`` (the project's quota is
spent, by the collection or anyone else) is ``QuotaExhausted`` too, and spends the
rest of the watch's budget for the day, so that no other worker asks again.

The key travels in the ``X-Goog-Api-Key`` header, as the collector sends it, never in
an address; error bodies that quote it are blanked by the collector's error reading,
which this one reuses (a refused key is ``AuthFailed``, ``rateLimitExceeded`` is
``RateLimited``).
"""

import logging
import threading

import redis
from django.conf import settings
from django.utils import timezone

from lookalikes.profiles import Found
from metrics import limiter
from metrics.providers.base import BadResponse, RateLimited, TransientError, parse_time
from metrics.providers.youtube import (
    API,
    CHANNEL_ID,
    PACIFIC,
    QUOTA_SPENT,
    YouTubeProvider,
    seconds_until_quota_reset,
)

from .base import Page, QuotaExhausted, Search

logger = logging.getLogger(__name__)

#: Quota units one search.list call costs.
COST = 100
#: Channels a page: the most search.list gives.
PAGE_SIZE = 50

# --- The day's budget, shared by every worker ---------------------------------------

PREFIX = "portal:lookalikes:youtube-units:"

# Reserve ARGV[1] units of KEYS[1] if that keeps it within ARGV[2]; ARGV[3]: seconds to
# keep the counter. Returns the units spent after, or -1 when refused.
_SPEND = """
local spent = tonumber(redis.call('GET', KEYS[1]) or '0')
local units = tonumber(ARGV[1])
if spent + units > tonumber(ARGV[2]) then
  return -1
end
spent = redis.call('INCRBY', KEYS[1], units)
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[3]))
return spent
"""

_local_lock = threading.Lock()
_local_spent = {}


def quota_day(now=None):
    """YouTube's quota day (its date in Pacific time) as a string."""
    return (now or timezone.now()).astimezone(PACIFIC).date().isoformat()


class Budget:
    """The units the watch spent on YouTube today, counted where the limiter keeps its
    slots (Redis, shared by every worker; else this process)."""

    # A day and a half after its start, a day's counter is no longer needed.
    KEEP = 2 * 24 * 3600

    def __init__(self, limit):
        self.limit = limit

    def _redis(self):
        return getattr(limiter.backend(), "redis", None)

    def key(self):
        return PREFIX + quota_day()

    def reserve(self, units):
        """Take ``units`` from today's budget; False (and nothing taken) if they would
        pass it."""
        redis = self._redis()
        key = self.key()
        if redis is not None:
            spent = redis.eval(_SPEND, 1, key, units, self.limit, self.KEEP)
            return int(spent) >= 0
        with _local_lock:
            spent = _local_spent.get(key, 0)
            if spent + units > self.limit:
                return False
            _local_spent[key] = spent + units
            return True

    def give_back(self, units):
        redis = self._redis()
        key = self.key()
        if redis is not None:
            redis.decrby(key, units)
            return
        with _local_lock:
            _local_spent[key] = max(0, _local_spent.get(key, 0) - units)

    def spend_all(self):
        """Today's budget is gone (Google said the project's quota is spent)."""
        redis = self._redis()
        key = self.key()
        if redis is not None:
            redis.set(key, self.limit, ex=self.KEEP)
            return
        with _local_lock:
            _local_spent[key] = self.limit

    def spent(self):
        redis = self._redis()
        if redis is not None:
            return int(redis.get(self.key()) or 0)
        with _local_lock:
            return _local_spent.get(self.key(), 0)

    @staticmethod
    def reset():
        """Forget every day's counter (for the tests)."""
        redis = getattr(limiter.backend(), "redis", None)
        if redis is not None:
            for key in redis.scan_iter(match=PREFIX + "*"):
                redis.delete(key)
        with _local_lock:
            _local_spent.clear()


def _exhausted(message):
    return QuotaExhausted(message, retry_after=seconds_until_quota_reset())


class YouTubeSearch(Search):
    platform = "youtube"

    def __init__(self, client=None):
        super().__init__(client=client)
        self.budget = Budget(settings.LOOKALIKES_YOUTUBE_DAILY_UNITS)
        self._errors = YouTubeProvider(client=self.client)

    @classmethod
    def configured(cls):
        """The search, with a key and a budget; none without either."""
        if not settings.YOUTUBE_API_KEY or settings.LOOKALIKES_YOUTUBE_DAILY_UNITS <= 0:
            return []
        return [cls()]

    def error_from(self, response, payload):
        # The collector's reading (which also blanks the key in the body kept), with the
        # project's spent quota as what it is for the watch: no more searches today.
        error = self._errors.error_from(response, payload)
        body = payload.get("error") if isinstance(payload, dict) else None
        entries = (body.get("errors") or []) if isinstance(body, dict) else []
        reasons = {entry.get("reason") for entry in entries if isinstance(entry, dict)}
        if isinstance(error, RateLimited) and reasons & QUOTA_SPENT:
            return _exhausted(
                "The project's YouTube API quota for today is spent; "
                "it resets at midnight Pacific time."
            )
        return error

    def search(self, query, *, cursor=None):
        try:
            reserved = self.budget.reserve(COST)
        except redis.RedisError as error:
            # Without the shared count no search may spend: try again later.
            raise TransientError(
                f"The quota count is unreachable: {type(error).__name__}"
            ) from None
        if not reserved:
            raise _exhausted(
                f"The watch's {settings.LOOKALIKES_YOUTUBE_DAILY_UNITS} YouTube units for "
                "today are spent; the budget renews at midnight Pacific time."
            )
        params = {
            "part": "snippet",
            "type": "channel",
            "q": query,
            "maxResults": str(PAGE_SIZE),
        }
        if cursor:
            params["pageToken"] = cursor
        try:
            answer = self.get_json(
                None,
                f"{self.base_url(API)}/youtube/v3/search",
                params=params,
                headers={"X-Goog-Api-Key": settings.YOUTUBE_API_KEY},
            )
        except QuotaExhausted:
            self._settle(self.budget.spend_all)
            raise
        except RateLimited as error:
            if error.status is None:  # the limiter held it back: nothing went out
                self._settle(self.budget.give_back, COST)
            raise
        items = answer.get("items") if isinstance(answer, dict) else None
        if not isinstance(items, list):
            raise BadResponse("The search answer has no list of items.", raw=answer)
        found = [one for one in map(self.found, items) if one is not None]
        following = answer.get("nextPageToken")
        return Page(
            found=found,
            cursor=following if isinstance(following, str) and following else None,
            cost=COST,
        )

    @staticmethod
    def _settle(change, *args):
        """Correct the day's count; if Redis is gone meanwhile, the count stays higher
        than what was spent, which only makes the watch search less today."""
        try:
            change(*args)
        except redis.RedisError:
            logger.warning("The YouTube quota count could not be corrected.", exc_info=True)

    def found(self, item):
        """A channel result as a ``Found``; None for anything else (a video or a
        playlist, which ``type=channel`` should not give)."""
        ident, snippet = _object(item, "id"), _object(item, "snippet")
        channel_id = ident.get("channelId") or snippet.get("channelId")
        if ident.get("kind", "youtube#channel") != "youtube#channel" or not (
            isinstance(channel_id, str) and CHANNEL_ID.match(channel_id)
        ):
            return None
        thumbnail = _object(_object(snippet, "thumbnails"), "default")
        return Found(
            platform=self.platform,
            account_id=channel_id,
            handle="",
            display_name=_string(snippet, "title") or _string(snippet, "channelTitle"),
            url=f"https://www.youtube.com/channel/{channel_id}",
            bio=_string(snippet, "description"),
            avatar_url=_string(thumbnail, "url"),
            created_at=parse_time(snippet.get("publishedAt")),
            raw=item,
        )


def _object(node, key):
    value = node.get(key) if isinstance(node, dict) else None
    return value if isinstance(value, dict) else {}


def _string(node, key):
    value = node.get(key)
    return value if isinstance(value, str) else ""
