"""What every platform's account search shares.

A search asks a platform for accounts matching a query, one page at a time:
``search(query, cursor=None)`` answers a ``Page`` (the accounts found as ``Found``
records, the cursor of the next page, the quota units the request cost) or raises one
of the collectors' ``FetchError``s (metrics/providers/base.py), whose class says what
the job does next: ``RateLimited`` and ``TransientError`` try again later,
``AuthFailed``/``BadResponse``/``Unavailable`` give up on this platform for today, and
``QuotaExhausted`` stops this platform until its quota day ends. Requests go through
the shared rate limiter (metrics/limiter.py), as the collectors' do.
"""

from dataclasses import dataclass, field

from lookalikes.profiles import Found
from metrics.providers.base import FetchError, Provider


class QuotaExhausted(FetchError):
    """The platform's quota (or the share of it the settings give the watch) is spent
    for today: search it again tomorrow."""


@dataclass
class Page:
    found: list[Found] = field(default_factory=list)
    #: What to pass as ``cursor`` for the next page; None when there is none.
    cursor: str | None = None
    #: The quota units the request cost (YouTube's search.list costs 100; 0 or 1
    #: where the platform counts requests, not units).
    cost: int = 1


class Search(Provider):
    """One platform's account search (on Mastodon, one server's)."""

    platform = ""
    #: Pages read per query at most.
    max_pages = 2

    @classmethod
    def configured(cls):
        """The instances this installation can use: none without the key, token or
        server list the platform needs."""
        return [cls()]

    @property
    def name(self):
        """What the search records name it by ("bluesky", "mastodon:example.social")."""
        return self.platform

    def limiter_key(self, channel):
        return f"search:{self.name}"

    def search(self, query, *, cursor=None):
        """One page of accounts matching ``query``: a Page, or a FetchError."""
        raise NotImplementedError
