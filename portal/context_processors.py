from django.conf import settings

from portal import __version__, person_cache, roles
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
    force they have not dismissed (a crisis first), and the guidelines they must
    acknowledge as the owner or deputy of a channel. From the cache
    (portal.person_cache); nothing for anonymous visitors."""
    if not roles.is_staff_member(user):
        return {"site_notices": [], "pending_guidelines": []}
    facts = person_cache.facts(user)
    dismissed = facts["dismissed_notices"]
    return {
        "site_notices": [n for n in person_cache.notices_in_force() if n.pk not in dismissed],
        "pending_guidelines": facts["pending_guidelines"],
    }
