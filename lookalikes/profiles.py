"""What the impersonation watch compares: an account found on a platform (``Found``)
and an official account of the registry it may imitate (``Official``).

The platform searches (lookalikes/search/) turn their answers into ``Found``; the
scoring (lookalikes/scoring.py) compares a ``Found`` with the ``Official`` ones; the
daily job (lookalikes/tasks.py) hands the likely imitations to the office's triage
queue. These two plain records are all the three parts share.
"""

import datetime
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Found:
    """An account a platform's search answered with, as the platform described it."""

    #: accounts.platforms.Platform value ("bluesky", "mastodon", "youtube"...).
    platform: str
    #: The platform's stable identifier of the account (a DID, an account id, a
    #: channel id): what the watch remembers an account by, across handle changes.
    account_id: str
    #: Without a leading @; "user@domain" on Mastodon, "name.bsky.social" on Bluesky,
    #: "@custom" without the @ on YouTube ("" where the platform gives none).
    handle: str
    display_name: str
    #: The account's public address on the platform.
    url: str
    bio: str = ""
    avatar_url: str = ""
    created_at: datetime.datetime | None = None
    #: Moderation labels the platform attached (Bluesky's label values, e.g.
    #: "impersonation"), as given.
    labels: tuple[str, ...] = ()
    followers: int | None = None
    #: The platform's answer for this account, as received (kept as evidence).
    raw: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def key(self):
        """How the watch remembers this account: platform and stable identifier."""
        return f"{self.platform}:{self.account_id}"


@dataclass(frozen=True)
class Official:
    """An account the registry holds (public and official, or formerly official), and
    the names the organisation goes by, to compare a found account with."""

    channel_id: int
    platform: str
    handle: str
    name: str
    url: str
    #: The channel's unit's name ("" for none).
    unit: str = ""
    #: The organisation's names and abbreviations (settings), e.g. ("Uppsala
    #: University", "Uppsala universitet", "UU").
    organisation: tuple[str, ...] = ()
    #: The platform's identifier of the official account, where known (a DID...).
    account_id: str = ""
