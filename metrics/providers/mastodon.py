"""Mastodon: public endpoints of the account's own server, no key needed.

- ``GET /.well-known/webfinger?resource=acct:USER@DOMAIN`` on the handle's domain: the
  ``links`` entry with ``rel`` "self" and ``type`` "application/activity+json" is the
  account's address on the server that hosts it (RFC 7033; docs.joinmastodon.org
  spec/webfinger). That is the handle's domain itself, except where a server gives its
  users the handles of another domain (``@alice@example.com`` served from
  ``mastodon.example.com``, whose ``LOCAL_DOMAIN`` and ``WEB_DOMAIN`` differ): then
  only WebFinger answers on the handle's domain, and the API is asked on the server's.
- ``GET /api/v1/accounts/lookup?acct=USER``: ``followers_count``, ``statuses_count``,
  ``last_status_at`` (a date), ``suspended`` and ``moved`` when they apply.
- ``GET /api/v1/accounts/ID/statuses?exclude_replies=true&exclude_reblogs=true&limit=40``:
  the latest own posts, newest first, at most 40 a page, each with
  ``favourites_count``, ``reblogs_count``, ``replies_count`` and ``created_at``. After a
  full page the answer's ``Link`` header names the next one (``rel="next"``, the same
  address with ``max_id``; docs.joinmastodon.org api/guidelines#pagination). Pages are
  read until one reaches past the 30-day window, or has no next page, but at most
  ``METRICS_MASTODON_MAX_PAGES``: an account that posted more than that many pages in
  30 days has its engagement summed over the pages read, and the reading says so
  (``engagement_partial``). A next page is asked for only on the server that gave the
  first.

Servers allow 300 requests per 5 minutes per client address (docs.joinmastodon.org
api/rate-limits) and say so in ``X-RateLimit-Remaining`` / ``X-RateLimit-Reset``; the
limiter key is per handle domain (which is the server's, but for the few accounts of
split domains).
"""

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.platforms import Platform, parse_profile

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

logger = logging.getLogger(__name__)

# Posts per page: the most the statuses endpoint gives (docs.joinmastodon.org
# methods/accounts#statuses).
PAGE_SIZE = 40


def split_handle(channel):
    """("user", "instance") from the registry's ``user@instance`` handle, read as the
    registry reads a Mastodon handle: the instance is a host name, never something an
    address could be made of that goes elsewhere (a bracketed host, a port, a
    password)."""
    if not channel.handle:
        raise NotCollectable("The channel has no user@server handle.")
    try:
        profile = parse_profile(Platform.MASTODON, channel.handle)
    except ValidationError:
        raise NotCollectable("The channel's handle is not a user@server handle.") from None
    user, _sep, instance = profile.handle.partition("@")
    return user, instance


# The link types a server's WebFinger answer gives for the account's ActivityPub actor.
ACTOR_TYPES = {
    "application/activity+json",
    'application/ld+json; profile="https://www.w3.org/ns/activitystreams"',
}


def actor_server(answer, user):
    """The host of the account's actor in a WebFinger ``answer``: a host name, never
    something an address could be made of that goes elsewhere (a port, a password, an
    address that is not https); BadResponse without one."""
    links = answer.get("links") if isinstance(answer, dict) else None
    hrefs = [
        link.get("href")
        for link in (links if isinstance(links, list) else [])
        if isinstance(link, dict)
        and link.get("rel") == "self"
        and link.get("type") in ACTOR_TYPES
        and isinstance(link.get("href"), str)
    ]
    if not hrefs:
        raise BadResponse(
            "The WebFinger answer has no self link of type application/activity+json.",
            raw=answer,
        )
    try:
        parts = urlsplit(hrefs[0])
        # The registry's reading of a handle checks that the server is a host name.
        profile = parse_profile(Platform.MASTODON, f"{user}@{parts.netloc}")
    except (ValueError, ValidationError):
        profile = None
    if profile is None or parts.scheme != "https":
        raise BadResponse(
            "The WebFinger answer's self link is not an https address on a host name.",
            raw=answer,
        )
    return profile.handle.partition("@")[2]


class MastodonProvider(Provider):
    platform = "mastodon"
    needs = _("A handle of the form user@server.")

    def check(self, channel):
        split_handle(channel)

    def limiter_key(self, channel):
        return f"mastodon:{split_handle(channel)[1]}"

    def server(self, channel, user, domain):
        """The host serving ``user@domain``'s API, as WebFinger on ``domain`` says."""
        answer = self.get_json(
            channel,
            f"{self.base_url(f'https://{domain}')}/.well-known/webfinger",
            params={"resource": f"acct:{user}@{domain}"},
        )
        return actor_server(answer, user)

    def fetch(self, channel):
        user, domain = split_handle(channel)
        base = self.base_url(f"https://{self.server(channel, user, domain)}")
        account = self.get_json(channel, f"{base}/api/v1/accounts/lookup", params={"acct": user})
        if not isinstance(account, dict):
            raise BadResponse("The account answer is not an object.", raw=account)
        if account.get("suspended"):
            raise Unavailable("The account is suspended by its server.", raw=account)
        moved = account.get("moved")
        if moved:
            target = moved.get("acct", "") if isinstance(moved, dict) else ""
            raise Unavailable(f"The account has moved to {target}.", raw=account)
        account_id = require(account, "id")

        since = timezone.now() - ENGAGEMENT_WINDOW
        statuses, partial = self.statuses(channel, base, account_id, since)

        reading = Reading(
            followers=count(account.get("followers_count")),
            posts=count(account.get("statuses_count")),
            last_post_at=parse_time(account.get("last_status_at")),
            raw={"account": account, "statuses": len(statuses)},
            engagement_partial=partial,
        )
        if partial:
            reading.raw["engagement_partial"] = True
        recent = []
        for status in statuses:
            created = parse_time(status.get("created_at")) if isinstance(status, dict) else None
            if created is None:
                continue
            if reading.last_post_at is None or created > reading.last_post_at:
                reading.last_post_at = created
            if created >= since:
                recent.append(status)
        reading.likes = sum(count(s.get("favourites_count")) or 0 for s in recent)
        reading.shares = sum(count(s.get("reblogs_count")) or 0 for s in recent)
        reading.comments = sum(count(s.get("replies_count")) or 0 for s in recent)
        reading.engagement_posts = len(recent)
        return reading

    def statuses(self, channel, base, account_id, since):
        """The account's latest own posts back to ``since``, page after page, and
        whether the bound on pages stopped the reading first (True: there are more posts
        within the window than were read)."""
        url = f"{base}/api/v1/accounts/{account_id}/statuses"
        params = {"exclude_replies": "true", "exclude_reblogs": "true", "limit": str(PAGE_SIZE)}
        origin = urlsplit(url)
        statuses = []
        for _page in range(settings.METRICS_MASTODON_MAX_PAGES):
            page, response = self.get_json_response(channel, url, params=params)
            if not isinstance(page, list):
                raise BadResponse("The statuses answer is not a list.", raw=page)
            statuses.extend(page)
            following = response.links.get("next", {}).get("url")
            if not page or not following or self.reaches(page, since):
                return statuses, False
            target = urlsplit(following)
            if (target.scheme, target.netloc, target.path) != (
                origin.scheme,
                origin.netloc,
                origin.path,
            ):
                logger.warning(
                    "Mastodon channel %s: the next page of posts is not on the server "
                    "asked (%s); it is not followed.",
                    channel.pk,
                    target.netloc,
                )
                return statuses, True
            url, params = following, None
        return statuses, True

    @staticmethod
    def reaches(page, since):
        """Whether ``page`` has a post older than ``since`` (pages come newest first, so
        the next page holds only older posts)."""
        return any(
            created < since
            for created in (
                parse_time(status.get("created_at")) if isinstance(status, dict) else None
                for status in page
            )
            if created is not None
        )
