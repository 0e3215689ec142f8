"""Bluesky: the public AppView (``public.api.bsky.app``), no key needed.

- ``GET /xrpc/app.bsky.actor.getProfile?actor=ACTOR``: ``did``, ``followersCount``,
  ``postsCount``.
- ``GET /xrpc/app.bsky.feed.getAuthorFeed?actor=DID&filter=posts_no_replies&limit=100``:
  the latest feed items, each a ``post`` with ``likeCount``, ``repostCount``,
  ``quoteCount``, ``replyCount``, ``record.createdAt`` and ``indexedAt``. Items with a
  ``reason`` are not the account's own new posts (``reasonRepost``: someone else's
  post it reposted; ``reasonPin``: its pinned post, shown again at the top) and are
  skipped. One page only: an account posting more than 100 times a month has its
  engagement summed over its latest 100 posts, and the reading says so
  (``engagement_partial``: a full page, with a cursor to more, none of whose posts is
  older than the window).

ACTOR is the channel's DID when ``platform_id`` (or the handle) holds one, since a
DID survives handle changes; else the handle. The feed is asked by the DID the profile
answered with.

Errors are XRPC bodies ``{"error": NAME, "message": TEXT}``, mostly with status 400:
``InvalidRequest`` "Profile not found", ``AccountTakedown`` (suspended by a
moderator), ``AccountDeactivated`` (deactivated by its owner). Bluesky publishes no
number for the AppView ("generous rate-limits", docs.bsky.app advanced-guides/
rate-limits); the 3000 requests per 5 minutes per client address on that page are its
PDS hosts' limit, which the default rate (settings.METRICS_RATE_LIMITS) keeps to
anyway. A limit met is said in ``RateLimit-*`` headers (the IETF draft's names, reset
in epoch seconds), which base.py reads.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .base import (
    ENGAGEMENT_WINDOW,
    BadResponse,
    NotCollectable,
    Provider,
    Reading,
    Unavailable,
    count,
    parse_time,
    require,
)

PUBLIC_APPVIEW = "https://public.api.bsky.app"
# Feed items read per account (getAuthorFeed allows 1 to 100 a page).
FEED_PAGE = 100


def actor(channel):
    """The DID or handle to ask the AppView about."""
    for value in (channel.platform_id, channel.handle):
        value = (value or "").strip().removeprefix("@")
        if value.startswith("did:"):
            return value
    handle = (channel.handle or "").strip().removeprefix("@")
    if not handle:
        raise NotCollectable("The channel has no Bluesky handle or DID.")
    return handle


def posted_at(post):
    """When a post was made: the earlier of the author's ``createdAt`` (set by their
    app, so it may lie in the future) and the AppView's ``indexedAt``, as the AppView
    itself sorts feeds; whichever one is readable if only one is."""
    record = post.get("record")
    created = parse_time(record.get("createdAt")) if isinstance(record, dict) else None
    indexed = parse_time(post.get("indexedAt"))
    times = [when for when in (created, indexed) if when is not None]
    return min(times) if times else None


class BlueskyProvider(Provider):
    platform = "bluesky"
    needs = _("A Bluesky handle or DID.")

    def check(self, channel):
        actor(channel)

    def error_from(self, response, payload):
        if response.is_success or not isinstance(payload, dict):
            return None
        name, message = payload.get("error"), str(payload.get("message") or "")
        if name == "AccountTakedown":
            return Unavailable("Bluesky has suspended the account.")
        if name == "AccountDeactivated":
            return Unavailable("The account has been deactivated by its owner.")
        if name == "InvalidRequest" and message.lower().startswith("profile not found"):
            return Unavailable("The account was not found on Bluesky.")
        return None

    def fetch(self, channel):
        base = self.base_url(PUBLIC_APPVIEW)
        profile = self.get_json(
            channel, f"{base}/xrpc/app.bsky.actor.getProfile", params={"actor": actor(channel)}
        )
        if not isinstance(profile, dict):
            raise BadResponse("The profile answer is not an object.", raw=profile)
        did = require(profile, "did")

        answer = self.get_json(
            channel,
            f"{base}/xrpc/app.bsky.feed.getAuthorFeed",
            params={"actor": did, "filter": "posts_no_replies", "limit": str(FEED_PAGE)},
        )
        feed = require(answer, "feed")
        if not isinstance(feed, list):
            raise BadResponse("The feed answer is not a list.", raw=answer)

        reading = Reading(
            followers=count(profile.get("followersCount")),
            posts=count(profile.get("postsCount")),
            raw={"profile": profile, "feed": len(feed)},
        )
        since = timezone.now() - ENGAGEMENT_WINDOW
        seen = set()
        recent = []
        oldest = None
        for item in feed:
            if not isinstance(item, dict) or item.get("reason"):
                continue
            post = item.get("post")
            if not isinstance(post, dict):
                continue
            uri = post.get("uri")
            if isinstance(uri, str):
                if uri in seen:
                    continue
                seen.add(uri)
            when = posted_at(post)
            if when is None:
                continue
            if reading.last_post_at is None or when > reading.last_post_at:
                reading.last_post_at = when
            oldest = when if oldest is None or when < oldest else oldest
            if when >= since:
                recent.append(post)
        reading.likes = sum(count(p.get("likeCount")) or 0 for p in recent)
        reading.shares = sum(
            (count(p.get("repostCount")) or 0) + (count(p.get("quoteCount")) or 0) for p in recent
        )
        reading.comments = sum(count(p.get("replyCount")) or 0 for p in recent)
        reading.engagement_posts = len(recent)
        reading.engagement_partial = (
            len(feed) >= FEED_PAGE
            and bool(answer.get("cursor"))
            and oldest is not None
            and oldest >= since
        )
        if reading.engagement_partial:
            reading.raw["engagement_partial"] = True
        return reading
