"""The portal's authentication backends and the middleware that finds the signed-in
person."""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.middleware import (
    AuthenticationMiddleware as DjangoAuthenticationMiddleware,
)

from core import person_facts
from core.roles import is_portal_admin

BACKEND = "portal.auth.AuthenticationBackend"
# The backend sessions were signed in with before this one (the path is in each session).
FORMER_BACKEND = "allauth.account.auth_backends.AuthenticationBackend"


class AuthenticationBackend(AllauthBackend):
    """allauth's (Django's ModelBackend, with sign-in by username or e-mail), but the
    signed-in person of each request comes from the cache with their facts
    (core.person_facts.signed_in_user) instead of a query."""

    def get_user(self, user_id):
        load = super().get_user
        return person_facts.signed_in_user(user_id, lambda: load(user_id))


class AuthenticationMiddleware(DjangoAuthenticationMiddleware):
    """Django's. A session signed in before AuthenticationBackend carries on with it
    (Django would treat a backend that is no longer configured as signed out, and a form
    being sent would be lost)."""

    def process_request(self, request):
        if request.session.get(BACKEND_SESSION_KEY) == FORMER_BACKEND:
            request.session[BACKEND_SESSION_KEY] = BACKEND
        super().process_request(request)


class PortalAdminPermissionBackend:
    """Grants portal administrators every model permission.

    Authenticates nobody (``authenticate`` returns None); it only answers permission
    questions, so that membership of the portal-admins group is all it takes to
    maintain the registry in the Django admin, without copying permission rows into
    the group each time a model is added.
    """

    def authenticate(self, request, **credentials):
        return None

    def get_user(self, user_id):
        return None

    def has_perm(self, user_obj, perm, obj=None):
        return is_portal_admin(user_obj)

    def has_module_perms(self, user_obj, app_label):
        return is_portal_admin(user_obj)
