from django.conf import settings

from portal import __version__, roles
from portal.navigation import nav_for


def portal(request):
    return {
        "portal_version": __version__,
        "organisation_name": settings.PORTAL_ORGANISATION_NAME,
        "nav_items": nav_for(request),
        "user_roles": roles.role_labels(request.user),
    }
