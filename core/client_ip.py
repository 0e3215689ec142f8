"""Whose address a request comes from, for the login lockout, the access audit and
allauth's rate limits (the public report form's django-ratelimit reads the same
setting, RATELIMIT_IP_META_KEY / PORTAL_CLIENT_IP_HEADER)."""

import ipaddress
import logging

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed

logger = logging.getLogger(__name__)


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


def rate_key(group, request):
    """The key django-ratelimit counts a request by: the client's address as above. A
    request without one (a server on a Unix socket gives none) shares one count with
    every other such request, rather than failing as django-ratelimit's "ip" key does."""
    return client_address(request) or "unknown"


# Set once this process has logged the warning below.
_warned_of_unnamed_proxy = False


class UnnamedProxyWarningMiddleware:
    """Logs, once per process, the first request that came through a reverse proxy
    (it carries X-Forwarded-For or Forwarded) while PORTAL_CLIENT_IP_HEADER is unset:
    every visitor then counts as the proxy's address and shares one login limit. The
    system check (portal.checks) warns only when the settings show the proxy. With
    the header named, this middleware takes itself out of the chain."""

    def __init__(self, get_response):
        if settings.RATELIMIT_IP_META_KEY:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        global _warned_of_unnamed_proxy
        if not _warned_of_unnamed_proxy and (
            "HTTP_X_FORWARDED_FOR" in request.META or "HTTP_FORWARDED" in request.META
        ):
            _warned_of_unnamed_proxy = True
            logger.warning(
                "A request came through a reverse proxy (it carries X-Forwarded-For or "
                "Forwarded), but PORTAL_CLIENT_IP_HEADER is not set: every visitor counts "
                "as the proxy's address %s and all share one login limit and one rate "
                "limit. Name the header in which the proxy passes the client's address "
                "(docs/operations.md). Logged once per process.",
                request.META.get("REMOTE_ADDR", ""),
            )
        return self.get_response(request)
