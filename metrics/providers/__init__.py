"""The platform clients. ``provider_for(channel)`` gives the one that can collect a
channel's figures, or None where figures are entered by hand."""

from .base import NotCollectable
from .bluesky import BlueskyProvider
from .linkedin import LinkedInProvider
from .mastodon import MastodonProvider
from .meta import FacebookProvider, InstagramProvider
from .owner_token import OwnerTokenProvider
from .x import XProvider
from .youtube import YouTubeProvider

PROVIDERS = {
    provider.platform: provider
    for provider in (
        MastodonProvider,
        FacebookProvider,
        InstagramProvider,
        LinkedInProvider,
        BlueskyProvider,
        YouTubeProvider,
        XProvider,
    )
}

#: Platforms whose figures are collected with a token of the channel's owner.
TOKEN_PLATFORMS = frozenset(
    platform for platform, provider in PROVIDERS.items() if issubclass(provider, OwnerTokenProvider)
)


def provider_for(channel, client=None):
    """The provider for ``channel``, or None if its figures cannot be collected (no
    client for the platform, or the channel lacks a key, token or id)."""
    provider_class = PROVIDERS.get(channel.platform)
    if provider_class is None:
        return None
    provider = provider_class(client=client)
    try:
        provider.check(channel)
    except NotCollectable:
        return None
    return provider
