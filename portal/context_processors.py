from django.conf import settings

from portal import __version__, roles
from portal.navigation import nav_for


def portal(request):
    return {
        "portal_version": __version__,
        "organisation_name": settings.PORTAL_ORGANISATION_NAME,
        "nav_items": nav_for(request),
        "user_roles": roles.role_labels(request.user),
        **banners(request.user),
    }


def banners(user):
    """What every page shows a signed-in person above its content: the notices in
    force (a crisis first), and the guidelines they must acknowledge as the owner or
    deputy of a channel. Two queries; none for anonymous visitors."""
    if not roles.is_staff_member(user):
        return {"site_notices": [], "pending_guidelines": []}
    from accounts.models import Channel, ChannelRole
    from guidelines.models import SiteNotice, pending_owner_guidelines

    notices = sorted(
        SiteNotice.objects.active().exclude(acknowledgements__user=user),
        key=lambda notice: (not notice.is_crisis, -notice.starts_at.timestamp()),
    )
    # From the person's roles (an index on user), not from the channels: for the many
    # who run none, PostgreSQL otherwise read every current role (4 ms on 100,000).
    runs_a_channel = (
        ChannelRole.objects.current()
        .filter(user=user, kind__in=[ChannelRole.Kind.OWNER, ChannelRole.Kind.DEPUTY])
        .exclude(channel__status=Channel.Status.CLOSED)
        .exists()
    )
    pending = (
        pending_owner_guidelines(user).filter(guideline__applies_to_owners=True)
        if runs_a_channel
        else []
    )
    return {"site_notices": notices, "pending_guidelines": list(pending)}
