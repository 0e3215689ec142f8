"""The access audit: every refused request is written down, with one INSERT.

Sign-ins, sign-outs and failed sign-ins are recorded by django-axes (AccessLog,
AccessFailureLog). This middleware adds the rest: every 403 answer and every sign-in
refused by the lockout (portal.models.AccessDenial). Portal administrators read both in
the admin; nobody changes them there.
"""

from django.conf import settings

from core.client_ip import client_address
from portal.models import AccessDenial


class AccessDenialMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "axes_locked_out", False):
            self._record(request, AccessDenial.Reason.LOCKED_OUT)
        elif response.status_code == 403:
            self._record(request, AccessDenial.Reason.FORBIDDEN)
        return response

    def _record(self, request, reason):
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in:
            username = user.get_username()
        else:
            credentials = getattr(request, "axes_credentials", None) or {}
            username = credentials.get(settings.AXES_USERNAME_FORM_FIELD) or ""
        AccessDenial.objects.create(
            reason=reason,
            user=user if signed_in else None,
            username=username[:150],
            method=request.method[:10],
            path=request.path[:255],
            ip_address=client_address(request),
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:255],
        )
