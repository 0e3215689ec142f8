"""Who may do what with a channel's figures beyond seeing them (that is the registry's
``Channel.can_see_metrics`` and ``Channel.objects.metrics_visible_to``): its API token
and "collect now".

Everyone who may edit the channel (``Channel.can_edit``: its owner and deputy, and the
office) may connect it by signing in to the platform, remove its token and collect its
figures now; pasting a token is the administrators' fallback where the platform can be
signed in to, and open to all of them where it cannot. The unit's head sees the figures
but does not run the channel."""

from core import roles
from metrics import oauth
from metrics.providers import TOKEN_PLATFORMS, provider_for


def may_connect(user, channel):
    return channel.can_edit(user) and oauth.platform_for(channel.platform) is not None


def may_paste_token(user, channel):
    if channel.platform not in TOKEN_PLATFORMS or not channel.can_edit(user):
        return False  # YouTube is connected for private figures, never pasted
    return roles.is_reviewer(user) or oauth.platform_for(channel.platform) is None


def can_collect_now(user, channel):
    """Press "collect now": the channel's owner and deputy, and the office."""
    return channel.can_edit(user)


def offers_collect_now(channel):
    """Whether the portal collects ``channel``'s figures, as the nightly collection does:
    running (active or dormant), on a platform with a client, with what the client
    needs. ``channel`` comes with its ``api_token`` (select_related)."""
    running = channel.status in (channel.Status.ACTIVE, channel.Status.DORMANT)
    return running and provider_for(channel) is not None
