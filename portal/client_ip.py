"""Whose address a request comes from, for the login lockout, the access audit and
allauth's rate limits (the public report form's django-ratelimit reads the same
setting, RATELIMIT_IP_META_KEY / PORTAL_CLIENT_IP_HEADER)."""

import ipaddress

from django.conf import settings


def _address(value):
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_address(request):
    """The client's address: the connection's, or behind a reverse proxy the one the
    proxy puts in the header named by PORTAL_CLIENT_IP_HEADER (the same one the rate
    limits read). Never X-Forwarded-For unless that is the header named. When the
    header holds a list, the last entry is the one the proxy added; a missing or
    unreadable value falls back to the connection's address."""
    header = settings.RATELIMIT_IP_META_KEY
    if header:
        values = request.META.get(header, "").split(",")
        address = _address(values[-1])
        if address:
            return address
    return _address(request.META.get("REMOTE_ADDR", "")) or None
