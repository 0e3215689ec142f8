"""Facebook Pages and Instagram professional accounts, on Meta's Graph API, with the
owner's token (``channel.api_token``) and the account's Graph id (``channel.platform_id``;
for a Page, else the id in its registry address: accounts.platforms gives every address
that names a Page by its id, ``/pages/<Name>/<ID>``, ``/p/<Name>-<ID>`` and the like, the
one form ``facebook.com/profile.php?id=<ID>``).

Facebook Page:

- ``GET /{page-id}?fields=followers_count,fan_count,name,username,about,website``:
  ``followers_count``; where it is absent (older Pages), ``fan_count`` (the Page's
  likes) stands in, and ``raw["followers_from"]`` says so. ``name``, ``username``,
  ``about`` and ``website`` are the reading's ``profile``, for the daily profile check
  (metrics/verification.py); Graph leaves out a field the Page has not filled in.
- ``GET /{page-id}/posts?fields=created_time&limit=25``: the latest posts, for
  ``last_post_at``. Posts, likes, comments and shares are not asked for (None).

Instagram professional account:

- ``GET /{ig-user-id}?fields=followers_count,media_count,username,name,biography,website``:
  followers and posts, and the profile (as for a Page).
- ``GET /{ig-user-id}/media?fields=timestamp,like_count,comments_count&limit=50``: the
  latest 50 media (one page, no paging); likes and comments are summed over those of
  the last ``ENGAGEMENT_WINDOW``. Where the owner hides likes, Meta gives ``like_count``
  as 0 to anyone but the owner and the real count to the owner's token, which is the
  one used here (non-versioned change of 26 May 2021,
  developers.facebook.com/docs/graph-api/changelog/non-versioned-changes/may-26-2021).
  If no recent media carries ``like_count`` at all, likes are None, not 0. Shares are
  not given (None).

Graph times look like ``2026-11-18T10:15:00+0000``, which ``parse_time`` reads.

The version in every path is ``settings.METRICS_META_GRAPH_VERSION`` (metrics/versions.py
has each version's expiry). Meta documents that a call to a version no longer
available "will be defaulted to the next oldest, usable version"
(developers.facebook.com/docs/apps/versions, "Version Schedules"): an expired version
is upgraded, not refused, so the warning before expiry is what protects the figures.
What Meta does refuse is answered with code 12 ("API version deprecated", e.g. "(#12)
... is deprecated for versions v2.4 and higher") or, on the Marketing API, 2635 ("You
are calling a deprecated version of the Ads API"); both are ``VersionRefused``, the
portal's configuration, not the channel's.

Errors come as ``{"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}``,
mostly with HTTP 400 whatever the cause, so ``error_from`` reads the code (see the Graph
API "Handling Errors" guide). Rate limits (codes 4, 17, 32, 613, 80001-80014) give no
reset time; the Business Use Case header's ``estimated_time_to_regain_access`` (minutes)
is used when sent, else an hour (Meta's limits are over a rolling hour).

The token goes in the ``Authorization: Bearer`` header, never in the URL; Graph's
``paging`` links may carry it back, so they are never kept, and whatever comes back is
scrubbed of the token before it reaches ``Reading.raw`` or an error.
"""

import json
import re

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .base import (
    ENGAGEMENT_WINDOW,
    AuthFailed,
    BadResponse,
    FetchError,
    Profile,
    RateLimited,
    Reading,
    TransientError,
    Unavailable,
    VersionRefused,
    count,
    parse_time,
    require,
)
from .owner_token import OwnerTokenProvider

GRAPH_HOST = "https://graph.facebook.com"

# Graph error codes (developers.facebook.com/docs/graph-api/guides/error-handling).
TOKEN_CODES = {102, 190}
PERMISSION_CODES = {10, *range(200, 300)}
RATE_LIMIT_CODES = {4, 17, 32, 613, *range(80001, 80015)}
TEMPORARY_CODES = {1, 2, 341}
NOT_FOUND = (100, 33)
# "API version deprecated" (Graph) and "deprecated version of the Ads API" (Marketing).
VERSION_CODES = {12, 2635}
# Seconds to hold off after a rate limit when Meta gives no estimate.
RATE_LIMIT_PAUSE = 3600
# The registry's canonical address of a Page named by its id (accounts.platforms).
_PAGE_ID_URL = re.compile(r"^https://www\.facebook\.com/profile\.php\?id=([0-9]+)$")


def graph_error(response, payload):
    """The FetchError for a Graph error answer, or None where the generic one fits."""
    error = payload.get("error") if isinstance(payload, dict) else None
    if not isinstance(error, dict):
        return None
    code = error.get("code")
    subcode = error.get("error_subcode")
    label = f"Graph API error {code}" + (f"/{subcode}" if subcode else "")
    detail = f"{label}: {error.get('message') or 'no message'}"
    if code in VERSION_CODES:
        version = settings.METRICS_META_GRAPH_VERSION
        return VersionRefused(
            f"Meta refused Graph API version {version} ({detail}). The portal "
            "administrators have been told; collection resumes once they update it.",
            api="meta",
            version=version,
        )
    if code in TOKEN_CODES:
        return AuthFailed(f"The access token was refused ({detail}).")
    if code in PERMISSION_CODES:
        return AuthFailed(f"The token lacks a permission ({detail}).")
    if code in RATE_LIMIT_CODES:
        return RateLimited(
            f"Rate limited ({detail}).",
            retry_after=usage_wait(response.headers) or RATE_LIMIT_PAUSE,
        )
    if (code, subcode) == NOT_FOUND:
        return Unavailable(f"The account does not exist or the token cannot see it ({detail}).")
    if code in TEMPORARY_CODES or error.get("is_transient") is True:
        return TransientError(f"Temporary platform error ({detail}).")
    if response.status_code >= 500:
        return None
    return FetchError(f"The platform answered {response.status_code} ({detail}).")


def usage_wait(headers):
    """Seconds until access is back, from ``X-Business-Use-Case-Usage`` (its
    ``estimated_time_to_regain_access`` is in minutes); None if not given."""
    try:
        usage = json.loads(headers.get("x-business-use-case-usage") or "{}")
    except json.JSONDecodeError:
        return None
    minutes = [
        entry.get("estimated_time_to_regain_access")
        for entries in (usage.values() if isinstance(usage, dict) else [])
        if isinstance(entries, list)
        for entry in entries
        if isinstance(entry, dict)
    ]
    minutes = [m for m in minutes if isinstance(m, int) and not isinstance(m, bool) and m > 0]
    return max(minutes) * 60 if minutes else None


def graph_list(payload, what):
    """The ``data`` list of a Graph edge answer."""
    data = require(payload, "data")
    if not isinstance(data, list):
        raise BadResponse(f"The {what} answer's data is not a list.")
    return [item for item in data if isinstance(item, dict)]


def website_links(value):
    """The addresses of a ``website`` field: a Page's may hold several, separated by
    spaces or line breaks."""
    return value.split() if isinstance(value, str) else []


def total(items, key):
    """The sum of ``key`` over ``items``; None if items exist but none gives it."""
    values = [count(item.get(key)) for item in items]
    given = [value for value in values if value is not None]
    if items and not given:
        return None
    return sum(given)


class GraphProvider(OwnerTokenProvider):
    def error_from(self, response, payload):
        return graph_error(response, payload)

    def graph_url(self, *path):
        return "/".join([self.base_url(GRAPH_HOST), settings.METRICS_META_GRAPH_VERSION, *path])

    def node(self, channel, token, node_id, fields):
        node = self.get_with_token(
            channel, token, self.graph_url(node_id), params={"fields": fields}
        )
        if not isinstance(node, dict):
            raise BadResponse("The account answer is not an object.")
        return node


class FacebookProvider(GraphProvider):
    platform = "facebook"
    needs = _("The Page's numeric id and a Page access token from its administrator.")

    def account_id(self, channel):
        from_url = _PAGE_ID_URL.match(channel.profile_url or "")
        if from_url and not (channel.platform_id or "").strip():
            return from_url.group(1)
        return super().account_id(channel)

    def fetch(self, channel):
        token = self.token(channel)
        page_id = self.account_id(channel)
        page = self.node(
            channel, token, page_id, "followers_count,fan_count,name,username,about,website"
        )
        posts = graph_list(
            self.get_with_token(
                channel,
                token,
                self.graph_url(page_id, "posts"),
                params={"fields": "created_time", "limit": "25"},
            ),
            "posts",
        )
        followers_from = "followers_count" if "followers_count" in page else "fan_count"
        times = [t for t in (parse_time(p.get("created_time")) for p in posts) if t]
        return Reading(
            followers=count(page.get(followers_from)),
            last_post_at=max(times, default=None),
            profile=Profile.of(
                handle=page.get("username"),
                display_name=page.get("name"),
                bio=page.get("about"),
                websites=website_links(page.get("website")),
                read="Graph API: GET /{page-id}?fields=name,username,about,website",
            ),
            raw={"page": page, "followers_from": followers_from, "posts": len(posts)},
        )


class InstagramProvider(GraphProvider):
    platform = "instagram"
    needs = _(
        "The Instagram professional account's numeric id and an access token from an "
        "administrator of the Facebook Page it is linked to."
    )

    def fetch(self, channel):
        token = self.token(channel)
        user_id = self.account_id(channel)
        account = self.node(
            channel,
            token,
            user_id,
            "followers_count,media_count,username,name,biography,website",
        )
        media = graph_list(
            self.get_with_token(
                channel,
                token,
                self.graph_url(user_id, "media"),
                params={"fields": "timestamp,like_count,comments_count", "limit": "50"},
            ),
            "media",
        )
        since = timezone.now() - ENGAGEMENT_WINDOW
        dated = [(parse_time(item.get("timestamp")), item) for item in media]
        dated = [(when, item) for when, item in dated if when is not None]
        recent = [item for when, item in dated if when >= since]
        return Reading(
            followers=count(account.get("followers_count")),
            posts=count(account.get("media_count")),
            likes=total(recent, "like_count"),
            comments=total(recent, "comments_count"),
            engagement_posts=len(recent),
            last_post_at=max((when for when, _item in dated), default=None),
            profile=Profile.of(
                handle=account.get("username"),
                display_name=account.get("name"),
                bio=account.get("biography"),
                websites=website_links(account.get("website")),
                read="Graph API: GET /{ig-user-id}?fields=username,name,biography,website",
            ),
            raw={"account": account, "media": len(media)},
        )
