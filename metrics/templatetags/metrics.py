"""Figures for people: grouped digits, "—" for unknown (never 0), signs on growth, and
goal statuses as badges that do not rely on colour alone."""

from django import template
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.html import format_html

from metrics import oauth
from metrics.figures import GoalStatus
from metrics.models import ChannelToken, CollectionAttempt
from metrics.providers import PROVIDERS, TOKEN_PLATFORMS, provider_for

register = template.Library()

DASH = "—"

BADGES = {
    GoalStatus.MET: "text-bg-success",
    GoalStatus.ON_TRACK: "text-bg-success",
    GoalStatus.BEHIND: "text-bg-warning",
    GoalStatus.MISSED: "text-bg-danger",
    GoalStatus.NO_DATA: "text-bg-secondary",
    GoalStatus.NOT_MEASURED: "text-bg-light",
}


@register.filter
def figure(value, digits=0):
    if value is None or value == "":
        return DASH
    value = round(float(value), int(digits)) if digits else round(value)
    return number_format(value, decimal_pos=int(digits) or None, force_grouping=True)


@register.filter
def signed(value):
    if value is None or value == "":
        return DASH
    text = number_format(abs(round(value)), force_grouping=True)
    return f"+{text}" if value > 0 else (f"−{text}" if value < 0 else "0")


@register.simple_tag
def goal_badge(status):
    """The status in words, in a badge whose colour only repeats what the words say."""
    label = GoalStatus.LABELS.get(status)
    if label is None:
        return DASH
    return format_html('<span class="badge {}">{}</span>', BADGES[status], label)


# --- The channel page's card -------------------------------------------------------


@register.inclusion_tag("metrics/_figures_card.html")
def figures_card(channel, *, can_edit, can_see=True):
    """The "Figures" card of a channel's registry page, loaded there by the template
    engine (so the registry imports nothing of metrics), in two queries (the latest
    snapshot and the latest collection attempt). ``channel`` comes with its
    ``api_token`` (select_related), so that asking for it costs nothing."""
    token = ChannelToken.stored_for(channel)
    if provider_for(channel) is not None:
        how = "collected"
    elif channel.platform in TOKEN_PLATFORMS and token is None:
        how = "needs_token"
    else:
        how = "manual"
    provider_class = PROVIDERS.get(channel.platform)
    # The figures themselves only for those who may see them (DESIGN.md's roles table).
    attempt = CollectionAttempt.objects.latest_for(channel) if can_see else None
    figures = {
        "how": how,
        # What a platform we could collect from lacks (a token, an id, a handle).
        "needs": provider_class.needs if how != "collected" and provider_class else "",
        "uses_token": channel.platform in TOKEN_PLATFORMS,
        # Where the portal is registered with the platform, the owner signs in there.
        "connects": oauth.platform_for(channel.platform) is not None,
        "token": token,
        "can_edit": can_edit,
        "can_see": can_see,
        # As the figures page's summary: nothing dated after today.
        "latest": (
            channel.snapshots.filter(date__lte=timezone.localdate()).order_by("-date").first()
            if can_see
            else None
        ),
        "attempt": attempt,
        "attempt_failed": attempt is not None and attempt.outcome != attempt.Outcome.OK,
    }
    return {"channel": channel, "figures": figures}
