"""System checks of the portal's own settings (registered in PortalConfig.ready)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks

# Settings that only make sense behind a reverse proxy.
PROXY_SETTINGS = ["SECURE_PROXY_SSL_HEADER", "USE_X_FORWARDED_HOST", "USE_X_FORWARDED_PORT"]


@checks.register(checks.Tags.security)
def client_ip_header_behind_proxy(app_configs, **kwargs):
    """Behind a reverse proxy every request comes from the proxy's address: without
    PORTAL_CLIENT_IP_HEADER, all visitors share one login lockout and one rate limit
    (core/client_ip.py)."""
    if settings.RATELIMIT_IP_META_KEY:
        return []
    proxy = [name for name in PROXY_SETTINGS if getattr(settings, name, None)]
    if not proxy:
        return []
    return [
        checks.Warning(
            f"The settings say the portal is behind a reverse proxy ({', '.join(proxy)}), but "
            "PORTAL_CLIENT_IP_HEADER is not set: every visitor counts as the proxy's "
            "address and all share one login lockout and one rate limit.",
            hint="Set PORTAL_CLIENT_IP_HEADER to the header in which the proxy passes the "
            "client's address, e.g. HTTP_X_REAL_IP (docs/operations.md).",
            id="portal.W001",
        )
    ]


# Settings that send the platforms' requests, or the owners' sign-ins, elsewhere.
STAND_IN_SETTINGS = ["METRICS_API_BASE_URL", "METRICS_OAUTH_BASE_URL", "METRICS_HANDLE_BASE_URL"]


@checks.register(checks.Tags.security, deploy=True)
def no_stand_in_servers(app_configs, **kwargs):
    """The local stand-ins of the platforms are for the tests and the benchmark: in
    production they would receive the owners' tokens and sign-in codes."""
    return [
        checks.Error(
            f"{name} is set ({getattr(settings, name)}): every request it covers goes to "
            "that server instead of the platform's, with the owners' tokens.",
            hint=f"Unset {name}; it is for the local test server and the benchmark only.",
            id="portal.E001",
        )
        for name in STAND_IN_SETTINGS
        if getattr(settings, name, "")
    ]


LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "0.0.0.0"}  # nosec B104: compared, not bound


@checks.register(checks.Tags.security, deploy=True)
def public_base_url(app_configs, **kwargs):
    """Links in e-mail start with PORTAL_BASE_URL: left at the local default, every
    recipient would be sent to their own computer."""
    host = urlsplit(settings.PORTAL_BASE_URL).hostname or ""
    if host not in LOCAL_HOSTS:
        return []
    return [
        checks.Warning(
            f"PORTAL_BASE_URL is {settings.PORTAL_BASE_URL}: links in e-mail point to the "
            "recipient's own computer.",
            hint="Set PORTAL_BASE_URL to the portal's public address, e.g. "
            "https://social.example.edu.",
            id="portal.W002",
        )
    ]
