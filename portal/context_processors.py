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
    from accounts.models import Channel
    from guidelines.models import SiteNotice, pending_owner_guidelines

    notices = sorted(
        SiteNotice.objects.active().exclude(acknowledgements__user=user),
        key=lambda notice: (not notice.is_crisis, -notice.starts_at.timestamp()),
    )
    runs_a_channel = Channel.objects.running().owned_or_deputised_by(user)
    pending = (
        pending_owner_guidelines(user).filter(guideline__applies_to_owners=True)
        if runs_a_channel.exists()
        else []
    )
    return {"site_notices": notices, "pending_guidelines": list(pending)}
