"""X: API v2 with the server's app bearer token (``X_BEARER_TOKEN``).

X bills every lookup, so nothing is collected until an administrator sets the token.

- ``GET /2/users/by?usernames=A,B,...&user.fields=public_metrics,description,url,entities``:
  up to 100 users in one request (docs.x.com x-api/users/lookup), which counts once
  against the limit of 300 requests per 15 minutes per app (docs.x.com
  x-api/fundamentals/rate-limits). ``data`` lists the users found, each with
  ``public_metrics.followers_count`` and ``post_count`` (the X API v2 OpenAPI
  document's name; ``tweet_count``, its former name, is still read), and with its user
  name in its own case, whatever case it was asked in. ``name``, ``description`` and
  ``url`` are the profile (the reading's ``profile``, for the daily profile check in
  metrics/verification.py); X shortens every address in them to a t.co link, and
  ``entities.url.urls`` and ``entities.description.urls`` give each one's
  ``expanded_url``, which is what the profile keeps.

A user that does not exist or is suspended is an entry of the answer's ``errors`` list,
which names it in ``value`` (``"title": "Not Found Error"``, or ``"Forbidden"`` with
"User has been suspended"); the answer is still 200, without ``data`` when no user was
found. Problem types are addresses (``https://api.x.com/2/problems/resource-not-found``;
older answers said ``api.twitter.com``), so they are matched on their path. A spent
rate limit is a 429 with ``x-rate-limit-remaining: 0`` and ``x-rate-limit-reset`` in
epoch seconds, which base.py reads.

The nightly collection asks for the X channels in batches of ``BATCH_SIZE``
(``fetch_many``, metrics.tasks.collect_batch); a single channel (``fetch``) is a batch
of one.
"""

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .base import BadResponse, NotCollectable, Profile, Provider, Reading, Unavailable, count

API = "https://api.x.com"

# User names X accepts in a lookup: one that does not fit would make X refuse the
# whole batch (400), so such a channel is not collected at all.
USERNAME = re.compile(r"^[A-Za-z0-9_]{1,15}$")

# The ``errors`` entries that mean the account cannot be read.
GONE_TITLES = {"Not Found Error", "Forbidden"}
GONE_PROBLEMS = {"/2/problems/resource-not-found"}


def handle(channel):
    name = (channel.handle or "").strip().removeprefix("@")
    if not name:
        raise NotCollectable("The channel has no X handle.")
    if not USERNAME.match(name):
        raise NotCollectable("The channel's handle is not an X user name.")
    return name


def problem(entry):
    """The path of a problem's ``type`` address (``/2/problems/...``), whichever host
    (api.x.com, api.twitter.com) names it."""
    kind = entry.get("type")
    return urlsplit(kind).path if isinstance(kind, str) else ""


def user_error(entry):
    """The FetchError an ``errors`` entry about one user stands for (in a 200 answer)."""
    detail = str(entry.get("detail") or entry.get("title") or "")
    raw = {"errors": [entry]}
    if entry.get("title") in GONE_TITLES or problem(entry) in GONE_PROBLEMS:
        return Unavailable(detail or "The account was not found on X.", status=200, raw=raw)
    return BadResponse(f"X answered an error: {detail}", status=200, raw=raw)


class XProvider(Provider):
    platform = "x"
    needs = _("The server's X API token (X bills each lookup), and the account's handle.")
    # Users one request may look up (docs.x.com: "up to 100").
    BATCH_SIZE = 100

    def check(self, channel):
        if not settings.X_BEARER_TOKEN:
            raise NotCollectable("No X API token is configured.")
        handle(channel)

    def fetch(self, channel):
        outcome = self.fetch_many([channel])[channel.pk]
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def fetch_many(self, channels):
        """{channel pk: Reading or FetchError} for up to BATCH_SIZE channels, in one
        request. A failure of the request itself (429, 5xx, a refused token, an answer
        that is not JSON) is raised: it is every channel's."""
        if not 0 < len(channels) <= self.BATCH_SIZE:
            raise ValueError(f"X looks up 1 to {self.BATCH_SIZE} users a request.")
        names = {channel.pk: handle(channel) for channel in channels}
        answer = self.get_json(
            channels[0],
            f"{self.base_url(API)}/2/users/by",
            params={
                "usernames": ",".join(dict.fromkeys(names.values())),
                "user.fields": "public_metrics,description,url,entities",
            },
            headers={"Authorization": f"Bearer {settings.X_BEARER_TOKEN}"},
        )
        if not isinstance(answer, dict):
            raise BadResponse("The answer is not an object.", raw=answer)
        users, errors = answer.get("data", []), answer.get("errors", [])
        if not isinstance(users, list) or not isinstance(errors, list):
            raise BadResponse("The answer's data or errors is not a list.", raw=answer)
        found = {}
        for user in users:
            if isinstance(user, dict) and isinstance(user.get("username"), str):
                found[user["username"].lower()] = reading(user)
        for entry in errors:
            if isinstance(entry, dict) and isinstance(entry.get("value"), str):
                found.setdefault(entry["value"].lower(), user_error(entry))
        missing = BadResponse("X's answer does not mention this account.", status=200)
        return {pk: found.get(name.lower(), missing) for pk, name in names.items()}


def reading(user):
    metrics = user.get("public_metrics")
    metrics = metrics if isinstance(metrics, dict) else {}
    # public_metrics.like_count is the number of posts the account has liked, not
    # likes it received: engagement would need per-post reads (billed each), so
    # likes, comments and shares stay None.
    return Reading(
        followers=count(metrics.get("followers_count")),
        posts=count(metrics.get("post_count", metrics.get("tweet_count"))),
        profile=profile(user),
        raw={"user": user},
    )


def _expanded(user, part):
    """{t.co link: the address it stands for} of ``entities.<part>.urls``."""
    entities = user.get("entities")
    section = entities.get(part) if isinstance(entities, dict) else None
    urls = section.get("urls") if isinstance(section, dict) else None
    return {
        entry["url"]: entry.get("expanded_url") or entry["url"]
        for entry in (urls if isinstance(urls, list) else [])
        if isinstance(entry, dict) and isinstance(entry.get("url"), str)
    }


def profile(user):
    """The user's profile, its t.co links replaced by the addresses they stand for."""
    bio = user.get("description") if isinstance(user.get("description"), str) else ""
    for short, address in _expanded(user, "description").items():
        if isinstance(address, str):
            bio = bio.replace(short, address)
    url = user.get("url") if isinstance(user.get("url"), str) else ""
    website = _expanded(user, "url").get(url, url)
    return Profile.of(
        handle=user.get("username"),
        display_name=user.get("name"),
        bio=bio,
        websites=[website],
        read="X API v2: GET /2/users/by?user.fields=description,url,entities",
    )
