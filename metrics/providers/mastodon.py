"""Mastodon: public endpoints of the account's own server, no key needed.

- ``GET /api/v1/accounts/lookup?acct=USER``: ``followers_count``, ``statuses_count``,
  ``last_status_at`` (a date), ``suspended`` and ``moved`` when they apply.
- ``GET /api/v1/accounts/ID/statuses?exclude_replies=true&exclude_reblogs=true&limit=40``:
  the latest own posts, each with ``favourites_count``, ``reblogs_count``,
  ``replies_count`` and ``created_at``.

Servers allow 300 requests per 5 minutes per client address and say so in
``X-RateLimit-Remaining`` / ``X-RateLimit-Reset``; the limiter key is per server.
"""

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


class MastodonProvider(Provider):
    platform = "mastodon"
    needs = _("A handle of the form user@server.")

    def check(self, channel):
        split_handle(channel)

    def limiter_key(self, channel):
        return f"mastodon:{split_handle(channel)[1]}"

    def fetch(self, channel):
        user, instance = split_handle(channel)
        base = self.base_url(f"https://{instance}")
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

        statuses = self.get_json(
            channel,
            f"{base}/api/v1/accounts/{account_id}/statuses",
            params={"exclude_replies": "true", "exclude_reblogs": "true", "limit": "40"},
        )
        if not isinstance(statuses, list):
            raise BadResponse("The statuses answer is not a list.", raw=statuses)

        reading = Reading(
            followers=count(account.get("followers_count")),
            posts=count(account.get("statuses_count")),
            last_post_at=parse_time(account.get("last_status_at")),
            raw={"account": account, "statuses": len(statuses)},
        )
        since = timezone.now() - ENGAGEMENT_WINDOW
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
