"""X: API v2 with the server's app bearer token (``X_BEARER_TOKEN``).

X bills every lookup, so nothing is collected until an administrator sets the token.

- ``GET /2/users/by/username/HANDLE?user.fields=public_metrics``:
  ``data.public_metrics`` with ``followers_count`` and ``post_count`` (the X API v2
  OpenAPI document's name; ``tweet_count``, its former name, is still read).

A user that does not exist or is suspended still gives 200, with an ``errors`` list
instead of ``data`` (``"title": "Not Found Error"``, or ``"Forbidden"`` with "User has
been suspended"). A spent rate limit is a 429 with ``x-rate-limit-remaining: 0`` and
``x-rate-limit-reset`` in epoch seconds, which base.py reads.
"""

from urllib.parse import quote

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .base import BadResponse, NotCollectable, Provider, Reading, Unavailable, count, require

API = "https://api.x.com"

# The ``errors`` entries of a 200 answer that mean the account cannot be read.
GONE_TITLES = {"Not Found Error", "Forbidden"}
# Current answers name the problem on api.x.com, older ones on api.twitter.com.
GONE_TYPES = {
    f"https://{host}/2/problems/resource-not-found" for host in ("api.x.com", "api.twitter.com")
}


def handle(channel):
    name = (channel.handle or "").strip().removeprefix("@")
    if not name:
        raise NotCollectable("The channel has no X handle.")
    return name


class XProvider(Provider):
    platform = "x"
    needs = _("The server's X API token (X bills each lookup), and the account's handle.")

    def check(self, channel):
        if not settings.X_BEARER_TOKEN:
            raise NotCollectable("No X API token is configured.")
        handle(channel)

    def error_from(self, response, payload):
        if not response.is_success or not isinstance(payload, dict) or "data" in payload:
            return None
        errors = payload.get("errors")
        first = errors[0] if isinstance(errors, list) and errors else None
        if not isinstance(first, dict):
            return None
        detail = str(first.get("detail") or first.get("title") or "")
        if first.get("title") in GONE_TITLES or first.get("type") in GONE_TYPES:
            return Unavailable(detail or "The account was not found on X.")
        return BadResponse(f"X answered an error: {detail}")

    def fetch(self, channel):
        answer = self.get_json(
            channel,
            f"{self.base_url(API)}/2/users/by/username/{quote(handle(channel), safe='')}",
            params={"user.fields": "public_metrics"},
            headers={"Authorization": f"Bearer {settings.X_BEARER_TOKEN}"},
        )
        user = require(answer, "data")
        if not isinstance(user, dict):
            raise BadResponse("The user answer is not an object.", raw=answer)
        metrics = user.get("public_metrics")
        metrics = metrics if isinstance(metrics, dict) else {}
        # public_metrics.like_count is the number of posts the account has liked, not
        # likes it received: engagement would need per-post reads (billed each), so
        # likes, comments and shares stay None.
        return Reading(
            followers=count(metrics.get("followers_count")),
            posts=count(metrics.get("post_count", metrics.get("tweet_count"))),
            raw={"user": user},
        )
