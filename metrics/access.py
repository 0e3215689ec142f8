"""Who may do what with a channel's figures beyond seeing them (that is the registry's
``Channel.can_see_metrics`` and ``Channel.objects.metrics_visible_to``): "collect now".
"""

from metrics.providers import provider_for


def can_collect_now(user, channel):
    """Press "collect now": the channel's owner and deputy, and the office (those who
    edit it); not its unit's head, who sees the figures but does not run the channel."""
    return channel.can_edit(user)


def offers_collect_now(channel):
    """Whether the portal collects ``channel``'s figures, as the nightly collection does:
    running (active or dormant), on a platform with a client, with what the client
    needs. ``channel`` comes with its ``api_token`` (select_related)."""
    running = channel.status in (channel.Status.ACTIVE, channel.Status.DORMANT)
    return running and provider_for(channel) is not None
