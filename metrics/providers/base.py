"""What every platform client shares: the ``Reading`` it returns, the failures it may
raise, and the HTTP plumbing (timeouts, rate limits, status codes).

A provider turns one channel into one ``Reading`` or raises one ``FetchError``. The
error's class says what the collector does next:

- ``TransientError`` (timeouts, connection errors, 5xx) and ``RateLimited`` (429, or
  the platform's own quota): try again later, with backoff, honouring the server's
  ``Retry-After`` or reset time when it gave one;
- ``Unavailable`` (the account is gone, suspended or moved), ``AuthFailed`` (the key
  or token was refused) and ``BadResponse`` (an answer we cannot read): permanent for
  today; recorded and reported to the owner, not retried;
- ``VersionRefused`` (the platform no longer serves the API version the portal asks
  for): the operators' business, not the owner's; collection of the platform pauses
  and the portal administrators are told (metrics/versions.py).
"""

import email.utils
import json
import os
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta

import httpx
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from metrics import limiter


@dataclass
class Profile:
    """What an account's profile says about itself, as the answer the collector read for
    its figures gave it (no request of its own): its handle (without "@"), its display
    name, its bio or description, and its website links, as full addresses (X's t.co
    links expanded). ``read`` names the request it came from, for the evidence.
    The daily profile check (metrics/verification.py ``check_profile``) reads it."""

    handle: str = ""
    display_name: str = ""
    bio: str = ""
    websites: list[str] = field(default_factory=list)
    read: str = ""

    @classmethod
    def of(cls, *, handle=None, display_name=None, bio=None, websites=(), read=""):
        """A profile from an answer's values, each kept only if it is a string; None
        when the answer gave neither a handle nor a display name (the profile was not
        in the answer at all)."""

        def text(value):
            return value.strip() if isinstance(value, str) else ""

        handle, display_name = text(handle).removeprefix("@"), text(display_name)
        if not (handle or display_name):
            return None
        return cls(
            handle=handle,
            display_name=display_name,
            bio=text(bio),
            websites=[text(site) for site in websites if text(site)],
            read=read,
        )


@dataclass
class Reading:
    """The figures one channel showed at one moment.

    A figure the platform did not give is ``None``, never 0: "unavailable" and "zero"
    are different facts. Engagement figures (likes, comments, shares) are sums over the
    posts of the last ``ENGAGEMENT_WINDOW`` days that the platform returned;
    ``engagement_posts`` says how many posts that was, and ``engagement_partial`` that
    the window held more posts than the client reads (the sums cover the latest only).
    """

    followers: int | None = None
    posts: int | None = None
    likes: int | None = None
    comments: int | None = None
    shares: int | None = None
    views: int | None = None
    engagement_posts: int | None = None
    last_post_at: datetime | None = None
    engagement_partial: bool = False
    #: Whether the owner's token was accepted, where a provider reads only some figures
    #: with it (YouTube's private figures): None where it was not used, False where the
    #: platform refused it and the reading holds only what needs no token. The
    #: collector then asks the owner to connect the channel again.
    token_accepted: bool | None = None
    #: What the account's profile says (``Profile``), where the answer read for the
    #: figures carries it; None otherwise.
    profile: Profile | None = None
    raw: dict = field(default_factory=dict, repr=False)

    FIGURES = (
        "followers",
        "posts",
        "likes",
        "comments",
        "shares",
        "views",
        "engagement_posts",
        "last_post_at",
    )

    def figures(self):
        data = asdict(self)
        return {name: data[name] for name in self.FIGURES}


# Posts older than this do not count towards a reading's engagement figures, so that
# the figures of two days compare.
ENGAGEMENT_WINDOW = timedelta(days=30)


class FetchError(Exception):
    """A reading could not be taken. ``outcome`` is a CollectionAttempt.Outcome value."""

    outcome = "error"
    transient = False

    def __init__(self, message, *, status=None, retry_after=None, raw=None):
        super().__init__(message)
        self.message = str(message)
        self.status = status
        self.retry_after = retry_after  # seconds, when the server said
        self.raw = raw


class TransientError(FetchError):
    transient = True


class RateLimited(FetchError):
    outcome = "rate_limited"
    transient = True


class Unavailable(FetchError):
    outcome = "unavailable"


class AuthFailed(FetchError):
    outcome = "auth_failed"


class VersionRefused(FetchError):
    """The platform refused the API version the portal asks for. ``api`` and ``version``
    name it (metrics/versions.py), as sent with the request that was refused."""

    outcome = "version_refused"

    def __init__(self, message, *, api, version, **kwargs):
        super().__init__(message, **kwargs)
        self.api = api
        self.version = version


class BadResponse(FetchError):
    """The platform answered something we cannot read (malformed JSON, a missing key)."""


class NotCollectable(Exception):
    """The channel lacks what its provider needs (a key, a token, an id)."""


class Provider:
    """One platform's client. Subclasses set ``platform`` and implement ``fetch``."""

    platform = ""
    #: Shown to owners where figures are not collected (why, and what to do).
    needs = _("Nothing: figures are collected automatically.")

    def __init__(self, client=None):
        self.client = client or shared_client()

    # --- What a subclass provides ---------------------------------------------------

    def check(self, channel):
        """Raise NotCollectable if this channel cannot be collected."""

    def fetch(self, channel):
        raise NotImplementedError

    def limiter_key(self, channel):
        return self.platform

    def error_from(self, response, payload):
        """A platform-specific reading of an error answer, or None for the generic one."""
        return None

    # --- HTTP -------------------------------------------------------------------------

    def base_url(self, default):
        """The platform's base URL, or the test server's when METRICS_API_BASE_URL is set."""
        override = settings.METRICS_API_BASE_URL
        return override.rstrip("/") if override else default

    def get_json(self, channel, url, *, params=None, headers=None):
        """GET ``url`` within the platform's rate limit; the decoded JSON, or a FetchError."""
        return self.get_json_response(channel, url, params=params, headers=headers)[0]

    def get_json_response(self, channel, url, *, params=None, headers=None):
        """``get_json``, with the answer itself (for its headers): (JSON, response)."""
        key = self.limiter_key(channel)
        try:
            limiter.acquire(key, self.platform)
        except limiter.RateLimitWait as wait:
            raise RateLimited(str(wait), retry_after=wait.wait) from None
        try:
            response = self.client.get(url, params=params, headers=headers)
        except httpx.TimeoutException as error:
            raise TransientError(f"Timed out: {type(error).__name__}") from error
        except httpx.TransportError as error:
            raise TransientError(f"Connection failed: {type(error).__name__}") from error

        reset = rate_limit_reset(response.headers)
        if reset is not None:
            limiter.pause(key, reset)
        try:
            payload = response.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            payload = None

        error = self.error_from(response, payload)
        if error is None and not response.is_success:
            error = generic_error(response, payload)
        if error is not None:
            error.status = error.status or response.status_code
            error.raw = payload if payload is not None else {"body": response.text[:2000]}
            if isinstance(error, RateLimited) and error.retry_after:
                limiter.pause(key, time.time() + error.retry_after)
            raise error
        if payload is None:
            raise BadResponse(
                "The answer was not JSON.",
                status=response.status_code,
                raw={"body": response.text[:2000]},
            )
        return payload, response


def generic_error(response, payload):
    status = response.status_code
    if status == 429:
        return RateLimited("Too many requests.", retry_after=retry_after(response.headers))
    if status >= 500:
        return TransientError(f"The platform answered {status}.", retry_after=None)
    if status in (401, 403):
        return AuthFailed(f"The platform refused the credentials ({status}).")
    if status in (404, 410):
        return Unavailable(f"The account was not found ({status}).")
    return FetchError(f"The platform answered {status}.")


def retry_after(headers):
    """Seconds to wait from a ``Retry-After`` header (seconds or an HTTP date), else the
    time until a rate-limit reset header, else None."""
    value = headers.get("retry-after")
    if value:
        value = value.strip()
        if value.isascii() and value.isdigit():
            return int(value)
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            when = None
        if when is not None:
            if when.tzinfo is None:
                when = when.replace(tzinfo=UTC)
            return max(0, round(when.timestamp() - time.time()))
    reset = _reset_time(headers)
    if reset is not None:
        return max(0, round(reset - time.time()))
    return None


def rate_limit_reset(headers):
    """When the platform says this client's budget is spent (remaining 0): the epoch
    time of its reset; else None."""
    remaining = _first(
        headers, "x-ratelimit-remaining", "x-rate-limit-remaining", "ratelimit-remaining"
    )
    if remaining is None or remaining.strip() != "0":
        return None
    return _reset_time(headers)


def _reset_time(headers):
    """The reset header as epoch seconds: Mastodon sends an ISO time, X and Bluesky epoch
    seconds."""
    value = _first(headers, "x-ratelimit-reset", "x-rate-limit-reset", "ratelimit-reset")
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return int(value)
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.timestamp()


def _first(headers, *names):
    """The first of ``names`` that the answer has (Mastodon says ``X-RateLimit-*``, X
    ``x-rate-limit-*``, Bluesky ``RateLimit-*``)."""
    return next((headers[name] for name in names if name in headers), None)


def parse_time(value):
    """An ISO 8601 time (or date) from an API, as an aware datetime; None if absent or
    unreadable."""
    if not value or not isinstance(value, str):
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when


def count(value):
    """A count from an API (YouTube sends strings): a non-negative int, or None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value)
    return None


def require(payload, *keys):
    """Walk into a decoded JSON object; BadResponse if the shape is not what we expect."""
    node = payload
    for key in keys:
        if not isinstance(node, dict) or key not in node:
            raise BadResponse(f"The answer lacks {'.'.join(map(str, keys))}.")
        node = node[key]
    return node


_clients = {}


def shared_client():
    """One connection-pooling client per process and configuration (a forked worker
    child makes its own; a changed timeout gets a new one)."""
    key = (os.getpid(), settings.METRICS_HTTP_TIMEOUT, settings.METRICS_USER_AGENT)
    client = _clients.get(key)
    if client is None:
        timeout = settings.METRICS_HTTP_TIMEOUT
        client = _clients[key] = httpx.Client(
            timeout=httpx.Timeout(timeout, connect=min(5.0, timeout)),
            headers={"User-Agent": settings.METRICS_USER_AGENT},
            follow_redirects=False,
            limits=httpx.Limits(max_connections=50, max_keepalive_connections=20),
        )
    return client
