from django.conf import settings

from core import person_facts, roles
from guidelines.models import notices_in_force
from portal import __version__
from portal.navigation import nav_for, nav_html, role_labels


def portal(request):
    nav_items = nav_for(request)
    return {
        "portal_version": __version__,
        "organisation_name": settings.PORTAL_ORGANISATION_NAME,
        "nav_items": nav_items,
        "nav_html": nav_html(nav_items),
        "user_roles": role_labels(request.user),
        **banners(request.user),
    }


def banners(user):
    """What every page shows a signed-in person above its content: the notices in
    force they have not dismissed (a crisis first), and the guidelines they must
    acknowledge as the owner or deputy of a channel. From the cache
    (core.person_facts); nothing for anonymous visitors."""
    if not roles.is_staff_member(user):
        return {"site_notices": [], "pending_guidelines": []}
    facts = person_facts.facts(user)
    dismissed = facts["dismissed_notices"]
    return {
        "site_notices": [n for n in notices_in_force() if n.pk not in dismissed],
        "pending_guidelines": facts["pending_guidelines"],
    }
