"""YouTube: the Data API v3 with the server's API key (``YOUTUBE_API_KEY``).

- ``GET /youtube/v3/channels?part=snippet,statistics&id=UC…`` (or, when the channel's
  id is not known, ``forUsername=NAME`` for a legacy youtube.com/user/NAME address and
  ``forHandle=@handle`` for an @handle): ``items[0].statistics`` with ``subscriberCount``,
  ``hiddenSubscriberCount``, ``viewCount`` and ``videoCount``, all counts as strings.
  A channel that does not exist gives 200 with no ``items``. ``snippet`` gives the
  channel's ``title``, ``description`` and ``customUrl`` (its @handle): the reading's
  ``profile``, for the daily profile check (metrics/verification.py). A list request
  costs one quota unit whatever its parts. The Data API gives no channel links (the
  "Links" of the channel's About page), so the description is where a channel can
  point back to its page in the portal.

``subscriberCount`` is rounded down to three significant figures by YouTube (12,345
subscribers show as 12,300), so small day-to-day changes do not show; it is None when
the owner hides it. Likes, comments and shares stay None: they exist only per video,
and reading them would cost a ``videos.list`` call per batch of videos every day
against the 10,000-unit daily quota, where this costs one unit per channel.

The key travels in the ``X-Goog-Api-Key`` header, which Google's APIs accept in place of
the ``key`` query parameter, so that no address (in a log line, a traceback or an
exception chained from a timeout) ever carries it. It never goes into a reading's
``raw`` (which holds only the channel item) nor into an error: error messages are our
own, and an error body that quotes the key has it blanked before it is kept.

Errors are ``{"error": {"code", "message", "errors": [{"reason", "domain"}]}}``. The
daily quota (``quotaExceeded``) resets at midnight Pacific time, so a quota error
waits until then.

Private figures, where the owner connected the channel by signing in to Google
(metrics/oauth.py; the token is renewed hourly by ``refresh_tokens`` like every
connected token) and the token is neither expired nor refused:

- ``GET https://youtubeanalytics.googleapis.com/v2/reports?ids=channel==MINE
  &startDate=…&endDate=…&metrics=views,likes,comments,shares,estimatedMinutesWatched,
  subscribersGained,subscribersLost`` with ``Authorization: Bearer <token>`` (scope
  ``yt-analytics.readonly``; developers.google.com/youtube/analytics/reference/reports/query).
  With no dimension the answer is one row of totals, its values in the order of
  ``columnHeaders`` (read by name here). The window is the 30 days to today in
  Pacific time, the day YouTube reports in; the latest two or three days are not in
  YouTube's figures yet, whatever the end date.

Views, likes, comments and shares then come from it: what happened in the window on
all the channel's videos (the lifetime ``viewCount`` is not used), so
``engagement_posts`` stays None and no engagement per post is computed. The other
metrics go into ``raw["analytics"]`` only.

Without the private figures the reading is exactly the public one. A 401 or 403 from
the Analytics API (a revoked token, or one granted without ``yt-analytics.readonly``)
keeps the public figures and sets ``token_accepted`` False, so that the collector asks
the owner to connect again (metrics/collector.py); an answer the portal cannot use
(400, no rows) keeps them too; a timeout, 429 or 5xx is retried with the whole reading,
as every transient failure. The token travels only in the header and is scrubbed from
everything kept.
"""

import re
from datetime import datetime, timedelta
from datetime import time as clock
from datetime import timezone as fixed_zone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .base import (
    ENGAGEMENT_WINDOW,
    AuthFailed,
    BadResponse,
    FetchError,
    NotCollectable,
    Profile,
    Provider,
    RateLimited,
    Reading,
    Unavailable,
    count,
    retry_after,
)
from .owner_token import redact

API = "https://www.googleapis.com"
ANALYTICS_API = "https://youtubeanalytics.googleapis.com"
# The private figures asked of the Analytics API; the first four are the reading's.
ANALYTICS_METRICS = (
    "views",
    "likes",
    "comments",
    "shares",
    "estimatedMinutesWatched",
    "subscribersGained",
    "subscribersLost",
)
# Rate limits and quota: the token's refusals are not among these.
ANALYTICS_LIMITS = {
    "quotaExceeded",
    "dailyLimitExceeded",
    "rateLimitExceeded",
    "userRateLimitExceeded",
}

CHANNEL_ID = re.compile(r"^UC[A-Za-z0-9_\-]{22}$")
_CHANNEL_URL = re.compile(r"youtube\.com/channel/(UC[A-Za-z0-9_\-]{22})(?:[/?#]|$)")
# The registry's canonical form of a legacy address (accounts.platforms).
_USER_URL = re.compile(r"youtube\.com/user/([a-z0-9._\-]{3,30})/?$")

try:
    PACIFIC = ZoneInfo("America/Los_Angeles")
except ZoneInfoNotFoundError:  # no time zone data on this system: standard time
    PACIFIC = fixed_zone(timedelta(hours=-8), "PST")

QUOTA_SPENT = {"quotaExceeded", "dailyLimitExceeded"}
TOO_FAST = {"rateLimitExceeded", "userRateLimitExceeded"}
# ``keyInvalid`` is the documented reason; Google's current error bodies say
# ``badRequest`` with an ErrorInfo detail ``API_KEY_INVALID`` instead.
KEY_REFUSED = {
    "keyInvalid",
    "keyExpired",
    "API_KEY_INVALID",
    "forbidden",
    "accessNotConfigured",
    "SERVICE_DISABLED",
    "ipRefererBlocked",
}


def channel_query(channel):
    """The query naming the channel: its UC… id (from ``platform_id`` or a
    youtube.com/channel/UC… address), else the legacy user name of a
    youtube.com/user/NAME address, else its @handle."""
    channel_id = (channel.platform_id or "").strip()
    if CHANNEL_ID.match(channel_id):
        return {"id": channel_id}
    from_url = _CHANNEL_URL.search(channel.profile_url or "")
    if from_url:
        return {"id": from_url.group(1)}
    legacy = _USER_URL.search(channel.profile_url or "")
    if legacy:
        return {"forUsername": legacy.group(1)}
    handle = (channel.handle or "").strip().removeprefix("@")
    if handle:
        return {"forHandle": f"@{handle}"}
    raise NotCollectable("The channel has neither a YouTube channel id nor a handle.")


def seconds_until_quota_reset(now=None):
    """Seconds until the next midnight in Pacific time, when the daily quota resets."""
    now = now or timezone.now()
    today = now.astimezone(PACIFIC).date()
    midnight = datetime.combine(today + timedelta(days=1), clock(), tzinfo=PACIFIC)
    # Through epoch seconds: subtracting two times of the same zone ignores a DST change.
    return max(1, round(midnight.timestamp() - now.timestamp()))


def analytics_window(now=None):
    """(first day, last day) of the private figures: the ``ENGAGEMENT_WINDOW`` days to
    today in Pacific time, both included."""
    today = (now or timezone.now()).astimezone(PACIFIC).date()
    return today - ENGAGEMENT_WINDOW + timedelta(days=1), today


def connected_token(channel):
    """The owner's Google token if the channel has one that can be used (not expired,
    not refused, still decryptable), else ""."""
    try:
        stored = channel.api_token
    except ObjectDoesNotExist:
        return ""
    if stored is None or stored.rejected_at is not None or stored.is_expired():
        return ""
    return stored.value


def _redact(node, secret):
    """``node`` with every occurrence of ``secret`` in its strings blanked, in place."""
    if isinstance(node, dict):
        for key, value in node.items():
            node[key] = _redact(value, secret)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            node[index] = _redact(value, secret)
    elif isinstance(node, str) and secret in node:
        return node.replace(secret, "[key]")
    return node


class YouTubeProvider(Provider):
    platform = "youtube"
    needs = _("The server's YouTube API key, and the channel's @handle or UC… id.")

    def check(self, channel):
        if not settings.YOUTUBE_API_KEY:
            raise NotCollectable("No YouTube API key is configured.")
        channel_query(channel)

    def error_from(self, response, payload):
        if response.request.url.path.endswith("/v2/reports"):
            return self._analytics_error(response, payload)
        if not isinstance(payload, dict) or not isinstance(payload.get("error"), dict):
            return None
        if settings.YOUTUBE_API_KEY:
            # The caller keeps this body as the error's ``raw``.
            _redact(payload, settings.YOUTUBE_API_KEY)
        error = payload["error"]
        reasons = [
            entry.get("reason")
            for entry in [*(error.get("errors") or []), *(error.get("details") or [])]
            if isinstance(entry, dict)
        ]
        for reason in reasons:
            if reason in QUOTA_SPENT:
                return RateLimited(
                    "The YouTube API quota for today is spent; it resets at midnight Pacific time.",
                    retry_after=seconds_until_quota_reset(),
                )
            if reason in TOO_FAST:
                return RateLimited("Too many requests.", retry_after=retry_after(response.headers))
            if reason in KEY_REFUSED:
                return AuthFailed(f"YouTube refused the API key ({reason}).")
            if reason == "channelNotFound":
                return Unavailable("YouTube has no such channel.")
        return None

    def _analytics_error(self, response, payload):
        """A 401 or 403 of the Analytics API is the owner's token (revoked, or without
        the scope), unless it is a quota; the rest as for the Data API."""
        if response.status_code not in (401, 403):
            return None
        error = payload.get("error") if isinstance(payload, dict) else None
        entries = (error.get("errors") or []) if isinstance(error, dict) else []
        reasons = [entry.get("reason") for entry in entries if isinstance(entry, dict)]
        if any(reason in ANALYTICS_LIMITS for reason in reasons):
            return RateLimited(
                "The YouTube Analytics quota is spent.", retry_after=retry_after(response.headers)
            )
        reason = next((reason for reason in reasons if reason), response.status_code)
        return AuthFailed(f"YouTube Analytics refused the owner's token ({reason}).")

    def fetch(self, channel):
        reading = self.public_reading(channel)
        token = connected_token(channel)
        if not token:
            return reading
        try:
            figures = self.private_figures(channel, token)
        except FetchError as error:
            if error.transient:
                raise
            refused = isinstance(error, AuthFailed)
            message = redact(error.message, token)
            reading.raw["analytics_refused" if refused else "analytics_failed"] = message
            if refused:
                reading.token_accepted = False
            return reading
        reading.token_accepted = True
        if figures is not None:
            reading.views = count(figures.get("views"))
            reading.likes = count(figures.get("likes"))
            reading.comments = count(figures.get("comments"))
            reading.shares = count(figures.get("shares"))
            reading.raw["analytics"] = figures
        return reading

    def private_figures(self, channel, token):
        """The Analytics API's totals over ``analytics_window()`` by metric name, with
        the window's days; None if it gave no row."""
        first, last = analytics_window()
        answer = self.get_json(
            channel,
            f"{self.base_url(ANALYTICS_API)}/v2/reports",
            params={
                "ids": "channel==MINE",
                "startDate": first.isoformat(),
                "endDate": last.isoformat(),
                "metrics": ",".join(ANALYTICS_METRICS),
            },
            headers={"Authorization": f"Bearer {token}"},
        )
        answer = redact(answer, token)
        if not isinstance(answer, dict) or not isinstance(answer.get("columnHeaders"), list):
            raise BadResponse("The report lacks columnHeaders.", raw=answer)
        rows = answer.get("rows")
        if not rows:
            return None
        if not isinstance(rows, list) or not isinstance(rows[0], list):
            raise BadResponse("The report's rows are not a list of rows.", raw=answer)
        names = [
            header.get("name") if isinstance(header, dict) else None
            for header in answer["columnHeaders"]
        ]
        values = dict(zip(names, rows[0], strict=False))
        return {
            "startDate": first.isoformat(),
            "endDate": last.isoformat(),
            **{name: values.get(name) for name in ANALYTICS_METRICS},
        }

    def public_reading(self, channel):
        """The figures anyone may read, with the server's API key."""
        query = channel_query(channel)
        answer = self.get_json(
            channel,
            f"{self.base_url(API)}/youtube/v3/channels",
            params={"part": "snippet,statistics", **query},
            headers={"X-Goog-Api-Key": settings.YOUTUBE_API_KEY},
        )
        if not isinstance(answer, dict):
            raise BadResponse("The channels answer is not an object.", raw=answer)
        items = answer.get("items")
        if not items:
            (name,) = query.values()
            raise Unavailable(f"YouTube has no channel {name}.", raw=answer)
        item = items[0] if isinstance(items, list) else None
        statistics = item.get("statistics") if isinstance(item, dict) else None
        if not isinstance(statistics, dict):
            raise BadResponse("The answer lacks items.0.statistics.", raw=answer)

        hidden = statistics.get("hiddenSubscriberCount") is True
        snippet = item.get("snippet")
        snippet = snippet if isinstance(snippet, dict) else {}
        return Reading(
            followers=None if hidden else count(statistics.get("subscriberCount")),
            posts=count(statistics.get("videoCount")),
            views=count(statistics.get("viewCount")),
            profile=Profile.of(
                handle=snippet.get("customUrl"),
                display_name=snippet.get("title"),
                bio=snippet.get("description"),
                read="YouTube Data API: GET /youtube/v3/channels?part=snippet",
            ),
            raw={"channel": item},
        )
