"""Bluesky's account search, on the public AppView (no login needed).

``GET /xrpc/app.bsky.actor.searchActors?q=QUERY&limit=25[&cursor=CURSOR]`` answers
``{"actors": [ProfileView...], "cursor": ...}`` (lexicon app.bsky.actor.searchActors;
docs.bsky.app/docs/api/app-bsky-actor-search-actors). Each ProfileView gives the
account's ``did`` (what the watch remembers it by), ``handle``, ``displayName``,
``description``, ``avatar``, ``createdAt`` and the moderation ``labels`` attached to it
(``val``: "impersonation", "spam"...), which the office sees as evidence.

Errors are the collector's (metrics/providers/bluesky.py): XRPC bodies
``{"error", "message"}``, 429 with the ``RateLimit-*`` headers, read by base.py. The
AppView counts requests, not quota units: each page costs 1.
"""

from metrics.providers.base import BadResponse, parse_time
from metrics.providers.bluesky import PUBLIC_APPVIEW, BlueskyProvider

from ..profiles import Found
from .base import Page, Search

#: Accounts asked for per page (the lexicon allows 1 to 100; 25 is its default).
PAGE_SIZE = 25


def profile_url(handle):
    return f"https://bsky.app/profile/{handle}"


def found_from(actor):
    """A ProfileView as a ``Found``; None when it lacks a DID or a handle."""
    if not isinstance(actor, dict):
        return None
    did, handle = actor.get("did"), actor.get("handle")
    if not isinstance(did, str) or not did or not isinstance(handle, str) or not handle:
        return None
    labels = tuple(
        label["val"]
        for label in actor.get("labels") or ()
        if isinstance(label, dict) and isinstance(label.get("val"), str)
    )
    return Found(
        platform="bluesky",
        account_id=did,
        handle=handle,
        display_name=str(actor.get("displayName") or ""),
        url=profile_url(handle),
        bio=str(actor.get("description") or ""),
        avatar_url=str(actor.get("avatar") or ""),
        created_at=parse_time(actor.get("createdAt")),
        labels=labels,
        raw=actor,
    )


class BlueskySearch(Search):
    platform = "bluesky"

    def error_from(self, response, payload):
        return BlueskyProvider.error_from(self, response, payload)

    def search(self, query, *, cursor=None):
        params = {"q": query, "limit": str(PAGE_SIZE)}
        if cursor:
            params["cursor"] = cursor
        answer = self.get_json(
            None,
            f"{self.base_url(PUBLIC_APPVIEW)}/xrpc/app.bsky.actor.searchActors",
            params=params,
        )
        actors = answer.get("actors") if isinstance(answer, dict) else None
        if not isinstance(actors, list):
            raise BadResponse("The search answer has no list of actors.", raw=answer)
        found = [one for one in map(found_from, actors) if one is not None]
        next_cursor = answer.get("cursor")
        # An empty page ends the search even if the AppView offers a cursor.
        if not isinstance(next_cursor, str) or not next_cursor or not actors:
            next_cursor = None
        return Page(found=found, cursor=next_cursor, cost=1)
