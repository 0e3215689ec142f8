"""What the public JSON says about a channel (the directory's /directory.json and the
verify API's answer, accounts/views/public.py and accounts/views/api.py): one shape,
described once in accounts/openapi.py. Only what the public directory shows."""

from django.conf import settings
from django.urls import reverse
from django.utils.http import urlencode

from accounts.models import Channel, ChannelVerification, page_url
from accounts.models.verification import METHODS
from accounts.platforms import Platform


def _iso(moment):
    return moment.isoformat() if moment else None


def verification_data(channel):
    """Whether ``channel``'s account links back to its public page, and the latest
    check (``channel.verification`` fetched with it, or absent)."""
    state = ChannelVerification.state_of(channel)
    try:
        row = channel.verification
    except ChannelVerification.DoesNotExist:
        row = None
    if state == ChannelVerification.State.NOT_POSSIBLE:
        row = None
    return {
        "state": state.value,
        "state_name": str(state.label),
        "since": _iso(row and row.since),
        "checked_at": _iso(row and row.checked_at),
        "method": METHODS.get(channel.platform),
    }


def channel_data(channel):
    """``channel`` (with its unit and verification fetched) as the public JSON gives it.
    A closed channel has no public page any more, and no verification to speak of."""
    closed = channel.status == Channel.Status.CLOSED
    return {
        "name": channel.name,
        "platform": channel.platform,
        "platform_name": str(Platform(channel.platform).label),
        "url": channel.profile_url,
        "handle": channel.handle,
        "unit": channel.unit.name,
        "page": None if closed else page_url(channel),
        "closed_on": channel.closed_on.isoformat() if closed and channel.closed_on else None,
        "verification": None if closed else verification_data(channel),
    }


class Status:
    OFFICIAL = "official"
    FORMERLY_OFFICIAL = "formerly_official"
    UNKNOWN = "unknown"


def verify_answer(checked, official, closed):
    """The verify API's answer for the address or handle ``checked``, given the channels
    it names (VerifyForm.matching_channels: the listed ones, and the closed ones).
    ``channel`` is the one the status is about (a listed channel before a closed one);
    ``channels`` every match (a bare handle can name accounts on several platforms)."""
    channels = [*official, *closed]
    if official:
        status = Status.OFFICIAL
    elif closed:
        status = Status.FORMERLY_OFFICIAL
    else:
        status = Status.UNKNOWN
    report = None
    if not channels:
        report = (
            settings.PORTAL_BASE_URL
            + reverse("accounts:report")
            + "?"
            + urlencode({"url": checked})
        )
    return {
        "url": checked,
        "status": status,
        "organisation": settings.PORTAL_ORGANISATION_NAME,
        "channel": channel_data(channels[0]) if channels else None,
        "channels": [channel_data(channel) for channel in channels],
        "report": report,
    }
